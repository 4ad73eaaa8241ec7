"""Access to PostgreSQL (psycopg 3). The routes only see a `Repository`, so the tests can replace it."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, Protocol

import psycopg


class DatabaseUnavailable(Exception):
    """The database could not be reached or refused the query."""


class Repository(Protocol):
    def list_products(self) -> list[dict[str, Any]]: ...


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise DatabaseUnavailable("DATABASE_URL is not set")
    return url


class PostgresRepository:
    """One short connection per request: enough for an example, no pool to size or drain."""

    def __init__(self, url: str | None = None, connect_timeout: int = 5) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self._url or database_url(), connect_timeout=self._connect_timeout)
        except psycopg.Error as e:
            raise DatabaseUnavailable(f"cannot connect to the database: {e.__class__.__name__}") from e

    def list_products(self) -> list[dict[str, Any]]:
        with self._connect() as conn:
            try:
                rows = conn.execute("SELECT id, name, price FROM products ORDER BY id").fetchall()
            except psycopg.Error as e:
                raise DatabaseUnavailable(f"query failed: {e.__class__.__name__}") from e
        return [{"id": r[0], "name": r[1], "price": float(r[2]) if isinstance(r[2], Decimal) else r[2]} for r in rows]
