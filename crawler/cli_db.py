"""``pantau db``: inspect and migrate the store."""

from __future__ import annotations

import click

from crawler.options import db_option
from storage.db import SCHEMA_VERSION, applied_migrations, open_db


@click.group("db")
def db_group() -> None:
    """Inspect and migrate the SQLite store."""


@db_group.command("migrate")
@db_option
def migrate(db_path: str) -> None:
    """Create the database if missing and apply pending migrations."""
    db = open_db(db_path)
    click.echo(f"{db_path}: schema version {len(applied_migrations(db))} of {SCHEMA_VERSION}")


@db_group.command("info")
@db_option
def info(db_path: str) -> None:
    """Show the schema version and row counts of every table."""
    db = open_db(db_path)
    click.echo(f"database: {db_path}")
    click.echo(f"schema version: {len(applied_migrations(db))} of {SCHEMA_VERSION}")
    for name in sorted(db.table_names()):
        if not name.startswith("_"):
            click.echo(f"  {name:<12} {db[name].count:>10}")
