"""The embedded SQLite store: one file, WAL mode, named migrations, history kept."""

from storage.db import open_db, SCHEMA_VERSION

__all__ = ["open_db", "SCHEMA_VERSION"]
