"""``pantau report``: reports for people, built from a scored run."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.options import db_option


@click.group("report")
def report() -> None:
    """Reports built from stored scores and findings."""


@report.command("lag")
@db_option
@click.option("--run", "run_id", type=int, help="Scored run to report (default: the latest finished crawl).")
@click.option("--region", help="Only units of this region or its child regions (Kemendagri code, e.g. 15).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Where to write the HTML report [default: var/reports/lag-<run>-<date>.html].")
@click.option("--top", type=int, help="Show only the N worst units on the terminal (the HTML has all).")
def lag(db_path: str, run_id: int | None, region: str | None, html_path: str | None, top: int | None) -> None:
    """Rank units by composite score, worst first, with the reasons and their evidence."""
    from exporter.lag import NoScoresError, write_lag_report
    from storage.db import open_db

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau db migrate` and `pantau crawl` first")
    db = open_db(db_path, readonly=True)
    try:
        path = write_lag_report(db, run_id=run_id, region=region, path=html_path, console=True, top=top)
    except NoScoresError as exc:
        raise click.ClickException(str(exc)) from None
    except LookupError as exc:
        raise click.ClickException(f"{db_path}: {exc}") from None
    click.echo(f"database: {db_path}")
    click.echo(f"report: {path}")


from exporter.cli_weekly import weekly  # noqa: E402 - issue 8's command lives in its own module

report.add_command(weekly)

from exporter.stages import stages_command  # noqa: E402 - issue 4's command lives in its own module

report.add_command(stages_command)

from exporter.freshness_report import freshness as freshness_command  # noqa: E402 - issue 5's command

report.add_command(freshness_command)

from exporter.cli_availability import census, uptime  # noqa: E402 - issue 3's commands live in their own module

report.add_command(census)
report.add_command(uptime)
