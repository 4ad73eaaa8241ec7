"""The routes, with a fake repository instead of PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import main
from app.db import DatabaseUnavailable

ROWS = [{"id": 1, "name": "teapot", "price": 12.5}, {"id": 2, "name": "mug", "price": 4.0}]


class FakeRepository:
    def __init__(self, rows: list[dict[str, Any]] | None = None, fail: bool = False) -> None:
        self.rows = rows or []
        self.fail = fail
        self.calls = 0

    def list_products(self) -> list[dict[str, Any]]:
        self.calls += 1
        if self.fail:
            raise DatabaseUnavailable("cannot connect to the database: OperationalError")
        return self.rows


@pytest.fixture
def client() -> TestClient:
    main.app.dependency_overrides.clear()
    return TestClient(main.app)


def use(repo: FakeRepository) -> FakeRepository:
    main.app.dependency_overrides[main.get_repository] = lambda: repo
    return repo


def test_health_never_touches_the_database(client: TestClient) -> None:
    repo = use(FakeRepository(fail=True))
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert repo.calls == 0


def test_products_come_from_the_repository(client: TestClient) -> None:
    use(FakeRepository(ROWS))
    r = client.get("/api/products")
    assert r.status_code == 200
    assert r.json() == ROWS


def test_products_answer_503_when_the_database_is_down(client: TestClient) -> None:
    use(FakeRepository(fail=True))
    r = client.get("/api/products")
    assert r.status_code == 503
    assert r.json()["error"] == "database unavailable"


def test_version_is_the_version_file(client: TestClient) -> None:
    expected = (main.Path(main.__file__).parent / "VERSION").read_text().strip()
    assert client.get("/api/version").json() == {"service": "backend", "version": expected}


def test_metrics_count_requests_by_route(client: TestClient) -> None:
    use(FakeRepository(ROWS))
    client.get("/api/products")
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert 'shop_backend_requests_total{method="GET",route="/api/products",status="200"}' in r.text


def test_unknown_route_is_404(client: TestClient) -> None:
    assert client.get("/api/nope").status_code == 404


def test_without_database_url_products_are_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    r = client.get("/api/products")
    assert r.status_code == 503
    assert "DATABASE_URL" in r.json()["detail"]
