"""``pantau report census`` and ``pantau report uptime``: availability from the probes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from crawler.options import db_option

_REGION = re.compile(r"\d{2}(\.\d{2})?")


def _code(ctx, param, value):
    if value is not None and not _REGION.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a Kemendagri code like 15 or 15.71")
    return value


def _open(db_path: str):
    from storage.db import open_db

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau sites import` and `pantau probe` first")
    db = open_db(db_path, readonly=True)
    if "probes" not in db.table_names():
        raise click.ClickException(f"{db_path}: no probes table; run `pantau db migrate` and `pantau probe` first")
    return db


@click.command("census")
@db_option
@click.option("--province", callback=_code, help="A province and all its kabupaten/kota (e.g. 15).")
@click.option("--region", callback=_code, help="One pemda only (e.g. 15.71 for Kota Jambi, 15 for the province).")
@click.option("--run", "run_id", type=int, help="One probe round (default: each site's latest probe).")
@click.option("--detail", is_flag=True, help="Also list every pemda that is not accessible or has no website.")
def census(db_path: str, province: str | None, region: str | None, run_id: int | None, detail: bool) -> None:
    """The website census of seed 000's Table 2: pemda whose website is accessible, not
    accessible (with the reasons) or missing, from the latest `pantau probe`."""
    from exporter.census import ScopeError, census as build, render

    if province and region:
        raise click.UsageError("give either --province or --region, not both")
    db = _open(db_path)
    try:
        result = build(db, province=province, region=region, run_id=run_id)
    except ScopeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(render(result, detail=detail), nl=False)


@click.command("uptime")
@db_option
@click.option("--region", callback=_code, help="Only sites of this region and its kabupaten/kota.")
@click.option("--sites", "site_ids", help="Only these site ids, comma-separated.")
@click.option("--latency-window", type=click.Choice(["24h", "7d", "30d"]), default="24h", show_default=True,
              help="Window of the p50/p95 latency.")
@click.option("--at", "at", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
              help="End of the windows, in UTC (default: now).")
@click.option("--limit", type=click.IntRange(min=1), help="Show only the N worst sites.")
def uptime(db_path: str, region: str | None, site_ids: str | None, latency_window: str, at: dt.datetime | None,
           limit: int | None) -> None:
    """Uptime of every site over 24 hours, 7 and 30 days, worst first, with p50/p95
    latency, from the stored probes."""
    from exporter.uptime import render, uptime as build

    ids = None
    if site_ids:
        try:
            ids = [int(part) for part in site_ids.split(",") if part.strip()]
        except ValueError:
            raise click.BadParameter(f"expected comma-separated site ids, got {site_ids!r}",
                                     param_hint="--sites") from None
    now = at.replace(tzinfo=dt.timezone.utc) if at else dt.datetime.now(dt.timezone.utc)
    rows = build(_open(db_path), now, latency_window=latency_window, region=region, site_ids=ids)
    click.echo(render(rows[:limit] if limit else rows, now, latency_window), nl=False)
