"""Migrations: the file rules offline, and a real run when TEST_DATABASE_URL names a scratch database."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from app import migrate


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, sql in files.items():
        (tmp_path / name).write_text(sql)
    return tmp_path


def test_the_shipped_migrations_load_in_order() -> None:
    found = migrate.load()
    assert [m.version for m in found] == sorted(m.version for m in found)
    assert found[0].version == "0001"
    assert "CREATE TABLE products" in found[0].sql


def test_a_badly_named_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"not named NNNN_name\.sql"):
        migrate.load(write(tmp_path, {"1_x.sql": "SELECT 1;"}))


def test_two_files_with_one_version_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="share a version"):
        migrate.load(write(tmp_path, {"0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;"}))


def test_the_folder_hash_follows_names_and_contents(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = migrate.folder_hash(migrate.load(write(tmp_path / "a", {"0001_a.sql": "SELECT 1;"})))
    b = migrate.folder_hash(migrate.load(write(tmp_path / "b", {"0001_a.sql": "SELECT 2;"})))
    assert a != b
    assert len(a) == 64


def test_the_connection_is_retried_then_given_up() -> None:
    logs: list[str] = []
    with pytest.raises(SystemExit, match="no database after 1 s"):
        migrate.connect("postgresql://nobody@127.0.0.1:1/none", 1.0, logs.append)
    assert logs and "retrying" in logs[0]


URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.skipif(not URL, reason="TEST_DATABASE_URL is not set (a scratch PostgreSQL database)")
def test_apply_is_idempotent_and_atomic(tmp_path: Path) -> None:
    with psycopg.connect(URL, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS t_ok, t_bad, schema_migrations")
        ok = migrate.load(write(tmp_path, {"0001_ok.sql": "CREATE TABLE t_ok (id int); INSERT INTO t_ok VALUES (1);"}))
        assert migrate.apply(conn, ok, lambda _m: None) == ["0001"]
        assert migrate.apply(conn, ok, lambda _m: None) == []
        (tmp_path / "0002_bad.sql").write_text("CREATE TABLE t_bad (id int); SELECT * FROM missing_table;")
        with pytest.raises(psycopg.errors.UndefinedTable):
            migrate.apply(conn, migrate.load(tmp_path), lambda _m: None)
        assert conn.execute("SELECT to_regclass('t_bad')").fetchone() == (None,)
        assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [("0001",)]
        (tmp_path / "0002_bad.sql").unlink()
        (tmp_path / "0001_ok.sql").write_text("SELECT 1;")
        with pytest.raises(SystemExit, match="changed after it was applied"):
            migrate.apply(conn, migrate.load(tmp_path), lambda _m: None)
        conn.execute("DROP TABLE t_ok, schema_migrations")
