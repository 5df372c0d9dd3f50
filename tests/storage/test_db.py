"""The store: one SQLite file in WAL mode, migrated by named steps, history kept."""

import sqlite3

import pytest

from storage.db import SCHEMA_VERSION, applied_migrations, open_db
from storage.migrations import MIGRATIONS


def test_a_new_database_is_migrated_to_the_current_schema_in_wal_mode(tmp_path):
    db = open_db(tmp_path / "pantau.db")
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"regions", "units", "sites", "runs", "pages", "documents", "links", "findings",
            "scores"} <= set(db.table_names())


def test_reopening_applies_nothing_twice(tmp_path):
    open_db(tmp_path / "pantau.db").close()
    db = open_db(tmp_path / "pantau.db")
    assert len(list(db["_migrations"].rows)) == len(MIGRATIONS)


def test_a_read_only_handle_cannot_write(tmp_path):
    open_db(tmp_path / "pantau.db").close()
    reader = open_db(tmp_path / "pantau.db", readonly=True)
    assert reader["runs"].count == 0
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("insert into runs (kind) values ('crawl')")


def test_a_url_is_stored_once_per_run_and_again_in_the_next_run(tmp_path):
    db = open_db(tmp_path / "pantau.db")
    db["regions"].insert({"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None})
    unit = db["units"].insert({"region_code": "15", "name": "Portal", "short_name": "portal", "kind": "portal"}).last_pk
    site = db["sites"].insert({"unit_id": unit, "url": "https://jambiprov.go.id/", "host": "jambiprov.go.id",
                               "role": "portal", "domain_status": "confirmed", "active": 1}).last_pk
    first, second = (db["runs"].insert({"kind": "crawl", "status": "finished"}).last_pk for _ in range(2))
    row = {"site_id": site, "url": "https://jambiprov.go.id/", "kind": "home", "status": 200, "error_class": "ok"}
    db["pages"].insert({**row, "run_id": first})
    db["pages"].insert({**row, "run_id": second})
    with pytest.raises(sqlite3.IntegrityError):
        db["pages"].insert({**row, "run_id": second})
    assert db.execute("select count(*) from pages").fetchone()[0] == 2
