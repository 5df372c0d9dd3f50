"""``pantau sites``: import registry files and list what pantau watches."""

from __future__ import annotations

import csv
import re
import sys

import click
from rich.console import Console
from rich.table import Table

from crawler.options import db_option
from crawler.registry import (
    COLUMNS,
    DOMAIN_STATUSES,
    NATIONAL_CSV,
    ROLES,
    RegistryFormatError,
    import_file,
    list_sites,
)
from storage.db import open_db

REGION_ARG = re.compile(r"\d{2}(\.\d{2})?")


@click.group("sites")
def sites() -> None:
    """The registry of watched sites: import lists, show them."""


def _import(paths, db_path: str) -> None:
    db = open_db(db_path)
    rejected = 0
    for path in paths:
        try:
            result = import_file(db, path)
        except RegistryFormatError as exc:
            raise click.ClickException(str(exc)) from None
        for error in result.errors:
            click.echo(str(error), err=True)
        click.echo(f"{path}: {result.summary()}")
        rejected += result.rejected
    if rejected:
        sys.exit(1)


@sites.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option
def import_command(files: tuple[str, ...], db_path: str) -> None:
    """Import registry FILES (.csv or .yaml), one transaction per file.

    Every bad row is reported as FILE:LINE: message on stderr and skipped; the other
    rows still go in. Exit status 1 when any row was rejected. Importing a file again
    updates names and statuses and never duplicates.
    """
    _import(files, db_path)


@sites.command("import-national")
@db_option
def import_national(db_path: str) -> None:
    """Import the shipped national list (registry/national.csv): every province,
    kabupaten and kota with its known portal, plus Jambi's OPD and PPID sites."""
    _import([str(NATIONAL_CSV)], db_path)


def _region_code(ctx, param, value):
    if value is not None and not REGION_ARG.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a region code like 15 or 15.71")
    return value


@sites.command("list")
@click.option("--region", callback=_region_code, help="Region code; 15 also lists every kabupaten/kota of 15.")
@click.option("--role", type=click.Choice(ROLES), help="Only sites with this role.")
@click.option("--status", type=click.Choice(DOMAIN_STATUSES), help="Only confirmed or only guessed domains.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="csv writes the registry file format, so a listing can be edited and imported again.",
)
@db_option
def list_command(region: str | None, role: str | None, status: str | None, output_format: str, db_path: str) -> None:
    """List registered sites with their pemda, unit, role and domain status."""
    db = open_db(db_path)
    rows = list_sites(db, region=region, role=role, status=status)
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if row[name] is None else row[name] for name in COLUMNS])
        return
    table = Table(box=None, header_style="bold")
    for name in ("code", "pemda", "unit", "role", "url", "status"):
        # A URL must survive copy and paste, so it never wraps; names may.
        table.add_column(name, no_wrap=name in ("code", "url", "role", "status"), overflow="fold")
    for row in rows:
        table.add_row(
            row["region_code"], row["region_name"], row["unit_name"], row["role"], row["url"], row["domain_status"]
        )
    console = Console()
    console.print(table)
    pemda = len({row["region_code"] for row in rows})
    console.print(f"{len(rows)} sites of {pemda} pemda")
