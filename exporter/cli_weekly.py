"""``pantau report weekly``: the weekly lag list, the reprimand ladder and the draft letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from crawler.options import db_option

rules_option = click.option("--rules", "rules_path", type=click.Path(exists=True, dir_okay=False),
                            envvar="PANTAU_LAG_RULES",
                            help="Lag rules configuration merged over the shipped defaults [env PANTAU_LAG_RULES].")


def parse_as_of(value: str | None) -> dt.datetime | None:
    """An ISO-8601 instant; without a zone it is read as UTC."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 date or time", param_hint="--as-of") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def load_rules(rules_path: str | None):
    from crawler.lagconfig import ConfigError, load_config

    try:
        return load_config(rules_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("weekly")
@db_option
@click.option("--week", help="ISO week, e.g. 2026-W47 [default: the last complete week].")
@click.option("--region", help="One pemda (Kemendagri code, e.g. 15); without it, the national roll-up.")
@click.option("--as-of", "as_of", metavar="ISO-TIME",
              help="Judge the week as it stood at this instant [default: the end of the week, or now].")
@rules_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Report folder [default: report.out_dir of the configuration, var/reports/weekly].")
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "pdf", "xlsx"]),
              help="Only these formats (repeatable) [default: html, pdf and xlsx].")
@click.option("--letters/--no-letters", default=True, show_default=True,
              help="Write a draft Surat Teguran (PDF and DOCX) for every new reprimand.")
@click.option("--send", is_flag=True, help="Mail the report to the configured recipients over SMTP.")
@click.option("--to", "to", multiple=True, metavar="ADDRESS", help="Mail to these addresses instead (repeatable).")
@click.option("--smtp-host", help="SMTP server [default: delivery.smtp_host].")
@click.option("--smtp-port", type=int, help="SMTP port [default: delivery.smtp_port].")
def weekly(db_path, week, region, as_of, rules_path, out_dir, formats, letters, send, to, smtp_host, smtp_port):
    """Judge a week, climb the reprimand ladder and write the report (HTML, PDF, XLSX) and letters.

    Running it again for the same week gives the same verdicts and files and never climbs
    the ladder twice.
    """
    from exporter.weekly import default_as_of, utc_iso
    from exporter.weekly_ladder import Week, level_name
    from exporter.weekly_report import FORMATS, build_report, write_report
    from storage.db import open_db

    config = load_rules(rules_path)
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `pantau db migrate` and `pantau crawl` first")
    try:
        target = Week.parse(week, config.timezone_hours) if week else \
            Week.containing(dt.datetime.now(dt.timezone.utc), config.timezone_hours).previous()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from None
    moment = parse_as_of(as_of) or default_as_of(target)
    if moment <= target.start:
        raise click.BadParameter(f"{utc_iso(moment)} is before week {target.label} starts", param_hint="--as-of")
    recipients = list(to) or config.delivery.recipients_for(region)
    if send and not recipients:
        raise click.ClickException("--send: no recipients; give --to or set delivery.recipients in the rules file")
    db = open_db(db_path)
    try:
        report = build_report(db, target, region, config, moment)
    except LookupError as exc:
        raise click.ClickException(f"{db_path}: {exc}") from None
    files = write_report(db, report, out_dir or config.report.out_dir, tuple(formats) or FORMATS, letters)
    judged = [v for v in report.verdicts if v.has_data]
    lagging = [v for v in judged if v.lagging]
    click.echo(f"{report.title}: {len(judged)} of {len(report.verdicts)} units judged, {len(lagging)} lagging")
    for v in lagging[:20]:
        where = "" if region else f"{v.unit['region_name']}: "
        click.echo(f"  {where}{v.unit['unit_name']}: {level_name(v.level)}, {v.streak} week(s) in a row, "
                   f"{', '.join(r['rule'] for r in v.reasons)}")
    for v in report.steps:
        click.echo(f"  step: {v.unit['unit_name']} {v.step_row['action']} "
                   f"{level_name(v.step_row['from_level'])} -> {level_name(v.step_row['to_level'])}")
    for path in files.all():
        click.echo(f"wrote {path}")
    if send:
        import smtplib

        from exporter.weekly_mail import build_message
        from exporter.weekly_mail import send as send_mail

        message = build_message(report, files, config.delivery.sender, recipients)
        try:
            send_mail(message, config.delivery, smtp_host, smtp_port)
        except (OSError, smtplib.SMTPException) as exc:
            raise click.ClickException(f"sending the report failed: {type(exc).__name__}: {exc}") from None
        click.echo(f"sent to {', '.join(recipients)}")
