"""HTTP routes of the backend: /health, /metrics, /api/products, /api/version."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from app.db import DatabaseUnavailable, PostgresRepository, Repository

VERSION_FILE = Path(__file__).with_name("VERSION")
VERSION = VERSION_FILE.read_text(encoding="utf-8").strip()

REQUESTS = Counter("shop_backend_requests_total", "HTTP requests served", ["method", "route", "status"])
LATENCY = Histogram("shop_backend_request_seconds", "HTTP request duration", ["route"])

app = FastAPI(title="shop backend", version=VERSION, docs_url=None, redoc_url=None)


def get_repository() -> Repository:
    return PostgresRepository()


@app.middleware("http")
async def observe(request: Request, call_next: Any) -> Response:
    start = time.perf_counter()
    response: Response = await call_next(request)
    route = request.scope.get("route")
    path = getattr(route, "path", "unmatched")
    if path != "/metrics":
        REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        LATENCY.labels(path).observe(time.perf_counter() - start)
    return response


@app.exception_handler(DatabaseUnavailable)
async def database_unavailable(_request: Request, exc: DatabaseUnavailable) -> JSONResponse:
    return JSONResponse(status_code=503, content={"error": "database unavailable", "detail": str(exc)})


@app.get("/health")
def health() -> dict[str, str]:
    """Liveness and readiness: the process serves. Never touches the database."""
    return {"status": "ok"}


@app.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@app.get("/api/version")
def version() -> dict[str, str]:
    return {"service": "backend", "version": VERSION}


@app.get("/api/products")
def products(repo: Repository = Depends(get_repository)) -> list[dict[str, Any]]:
    return repo.list_products()
