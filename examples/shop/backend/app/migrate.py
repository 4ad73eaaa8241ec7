"""Apply the SQL migrations in migrations/ to DATABASE_URL: `python -m app.migrate`.

- Files are named NNNN_name.sql and applied in order, each in its own transaction together with its row
  in schema_migrations (version, name, sha256), so a failed file leaves nothing half applied.
- A session advisory lock serialises concurrent runs (two Jobs, a retry racing the first attempt).
- Applied versions are skipped: a second run is a no-op. An applied file whose content changed is an
  error (write a new migration instead).
- The database may still be starting (the in-chart PostgreSQL on a first install): connecting is retried
  for MIGRATIONS_CONNECT_TIMEOUT seconds (default 60).

`python -m app.migrate --hash` prints the sha256 of the migrations folder (names and contents) and exits.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

MIGRATIONS_DIR = Path(os.environ.get("MIGRATIONS_DIR", Path(__file__).resolve().parent.parent / "migrations"))
FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
LOCK_KEY = 0x73686F70  # "shop": the advisory lock every migration run takes


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: list[Migration] = []
    for path in sorted(directory.iterdir()):
        if path.suffix != ".sql":
            continue
        m = FILE_NAME.match(path.name)
        if not m:
            raise SystemExit(f"migrate: {path.name} is not named NNNN_name.sql")
        found.append(Migration(m.group(1), m.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise SystemExit(f"migrate: two migrations share a version in {directory}")
    return found


def folder_hash(migrations: list[Migration]) -> str:
    h = hashlib.sha256()
    for m in migrations:
        h.update(f"{m.version}_{m.name}.sql\0{m.checksum}\n".encode())
    return h.hexdigest()


def connect(url: str, timeout: float, log: Any = print) -> psycopg.Connection[Any]:
    deadline = time.monotonic() + timeout
    delay = 0.5
    while True:
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as e:
            if time.monotonic() + delay > deadline:
                raise SystemExit(f"migrate: no database after {timeout:.0f} s: {str(e).strip()}") from e
            log(f"migrate: database not ready ({str(e).strip().splitlines()[0]}), retrying in {delay:.1f} s")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def apply(conn: psycopg.Connection[Any], migrations: list[Migration], log: Any = print) -> list[str]:
    """Applies what is missing; returns the versions applied by this run."""
    conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())
        done: list[str] = []
        for m in migrations:
            if m.version in applied:
                if applied[m.version] != m.checksum:
                    raise SystemExit(f"migrate: {m.version}_{m.name}.sql changed after it was applied")
                continue
            log(f"migrate: applying {m.version}_{m.name}.sql")
            with conn.transaction():
                conn.execute(m.sql)  # no parameters: psycopg sends the file as one multi-statement query
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                    (m.version, m.name, m.checksum),
                )
            done.append(m.version)
        return done
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def main(argv: list[str]) -> int:
    migrations = load()
    if "--hash" in argv:
        print(folder_hash(migrations))
        return 0
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        print("migrate: DATABASE_URL is not set", file=sys.stderr)
        return 2
    timeout = float(os.environ.get("MIGRATIONS_CONNECT_TIMEOUT", "60"))
    with connect(url, timeout) as conn:
        done = apply(conn, migrations)
    print(f"migrate: {len(done)} applied, {len(migrations) - len(done)} already there (hash {folder_hash(migrations)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
