"""``pantau crawl`` and ``pantau score``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.options import db_option


def crawl_settings(db_path: str, overrides: dict | None = None):
    """pantau's Scrapy settings with per-run overrides applied at command-line priority."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("PANTAU_DB", str(Path(db_path).resolve()), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(db_path: str, overrides: dict | None = None, spider_args: dict | None = None) -> int:
    """Run the audit spider to completion; return the id of the run it recorded."""
    from scrapy.crawler import CrawlerProcess

    from storage.db import open_db

    open_db(db_path).close()  # migrate before Scrapy starts writing
    process = CrawlerProcess(crawl_settings(db_path, overrides))
    crawler = process.create_crawler("audit")
    process.crawl(crawler, **(spider_args or {}))
    process.start()
    run_id = getattr(crawler.spider, "run_id", None)
    if run_id is None:
        raise click.ClickException("the crawl did not start; see the log above")
    return run_id


def parse_set_options(values: tuple[str, ...]) -> dict:
    overrides = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        key, _, val = value.partition("=")
        overrides[key.strip()] = val
    return overrides


@click.command()
@db_option
@click.option("--region", help="Only sites of this region and its children (Kemendagri code).")
@click.option("--sites", "site_ids", help="Only these site ids, comma-separated.")
@click.option("--limit", type=int, help="At most this many sites.")
@click.option("--max-pages", type=int, help="Page budget per site (PANTAU_MAX_PAGES_PER_SITE).")
@click.option("--depth", type=int, help="Link depth limit (DEPTH_LIMIT).")
@click.option("--hosts-file", type=click.Path(exists=True, dir_okay=False),
              help="Resolve names from this hosts file only (e.g. a testbed's hosts.txt).")
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False),
              help="Extra trusted CA certificates (PEM) for judging certificate chains.")
@click.option("--allow-private", is_flag=True,
              help="Permit loopback and private addresses (a local testbed). Off by default.")
@click.option("--set", "set_options", multiple=True, metavar="NAME=VALUE", help="Any Scrapy setting.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.option("--score/--no-score", default=True, show_default=True, help="Score the run when it finishes.")
def crawl(db_path, region, site_ids, limit, max_pages, depth, hosts_file, ca_file, allow_private,
          set_options, progress, score):
    """Crawl every registered site (or a subset) and store pages, documents and links."""
    overrides = parse_set_options(set_options)
    if max_pages is not None:
        overrides["PANTAU_MAX_PAGES_PER_SITE"] = max_pages
    if depth is not None:
        overrides["DEPTH_LIMIT"] = depth
    if hosts_file:
        overrides["PANTAU_HOSTS_FILE"] = str(Path(hosts_file).resolve())
    if ca_file:
        overrides["PANTAU_CA_FILE"] = str(Path(ca_file).resolve())
    if allow_private:
        overrides["PANTAU_ALLOW_PRIVATE_ADDRESSES"] = True
    overrides["PANTAU_PROGRESS"] = sys.stderr.isatty() if progress is None else progress
    spider_args = {k: v for k, v in {"region": region, "sites": site_ids,
                                     "limit": str(limit) if limit else None}.items() if v}
    run_id = run_crawl(db_path, overrides, spider_args)
    click.echo(f"crawl run {run_id} finished; database {db_path}")
    if score:
        _score(db_path, run_id)


def _score(db_path: str, run_id: int) -> None:
    from crawler.score import score_run
    from storage.db import open_db

    db = open_db(db_path)
    count = score_run(db, run_id)
    click.echo(f"scored {count} sites of run {run_id}")


@click.command()
@db_option
@click.option("--run", "run_id", type=int, help="Run to score (default: the latest finished crawl).")
def score(db_path, run_id):
    """Run every registered check over a stored crawl run and store findings and scores."""
    from storage.db import open_db

    if run_id is None:
        db = open_db(db_path)
        row = next(db.query("select id from runs where kind = 'crawl' and status = 'finished' "
                            "order by id desc limit 1"), None)
        if row is None:
            raise click.ClickException(f"{db_path}: no finished crawl run to score; run `pantau crawl` first")
        run_id = row["id"]
    _score(db_path, run_id)
