"""Opening the database and bringing its schema up to date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from storage.migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


def utcnow() -> str:
    """An ISO-8601 UTC timestamp with seconds, the one time format in the store."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def open_db(path: str | Path, *, migrate: bool = True, readonly: bool = False) -> sqlite_utils.Database:
    """Open (and by default migrate) the pantau database at ``path``.

    Writers get WAL mode so readers (reports, the exporter) never block a crawl.
    ``readonly`` opens with ``mode=ro`` and never migrates.
    """
    if readonly:
        import sqlite3

        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        return sqlite_utils.Database(conn)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    if migrate:
        apply_migrations(db)
    return db


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db["_migrations"].rows_where(order_by="rowid")]


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = set(applied_migrations(db))
    applied = []
    for name, func in MIGRATIONS:
        if name in done:
            continue
        with db.conn:
            func(db)
            db["_migrations"].insert({"name": name, "applied_at": utcnow()})
        applied.append(name)
    db.execute(f"PRAGMA user_version = {len(applied_migrations(db))}")
    return applied
