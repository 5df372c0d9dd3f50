"""Options shared by several subcommands."""

from __future__ import annotations

import os

import click

DEFAULT_DB = os.environ.get("PANTAU_DB", "var/pantau.db")

db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    envvar="PANTAU_DB",
    type=click.Path(dir_okay=False),
    help="SQLite database file.",
)
