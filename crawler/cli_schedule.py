"""``pantau schedule``: probe, crawl and the weekly report on their cadences.

``pantau schedule run`` is a small supervisor: it starts each job as its own ``pantau``
process when it is due (``schedule:`` in the lag-rules configuration: every N minutes,
daily at a time, weekly on a day and time, all in the configured time zone), never starts
a job while its previous run is still going, and logs every start and exit. Each job is
a separate process because a crawl runs Scrapy's reactor, which runs once per process.
systemd timers are the alternative (``deploy/systemd/``): the same commands, one timer each.

``pantau schedule backdate`` moves a finished crawl run to a simulated instant, for
testbeds that play several weeks in a few minutes and for back-filled history.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import click

from crawler.options import db_option
from exporter.cli_weekly import rules_option

if TYPE_CHECKING:  # the configuration pulls in the checks: load it only when a command runs
    from crawler.lagconfig import Job, LagConfig

logger = logging.getLogger(__name__)

JOB_ORDER = ("probe", "crawl", "weekly_report")
IDLE_SECONDS = 30.0  # longest sleep between checks of running jobs


# --- cadences --------------------------------------------------------------------------------

def next_due(job: Job, after: dt.datetime, tz: dt.timezone) -> dt.datetime:
    """The first instant strictly after ``after`` at which ``job`` is due (aware, UTC).

    ``every_minutes`` runs on multiples of N minutes since local midnight; ``daily_at`` and
    ``weekly_at`` at their local time of day.
    """
    local = after.astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if job.every_minutes:
        elapsed = (local - midnight).total_seconds() // 60
        due = min(midnight + dt.timedelta(minutes=(elapsed // job.every_minutes + 1) * job.every_minutes),
                  midnight + dt.timedelta(days=1))  # the count restarts at every local midnight
    elif job.daily_at is not None:
        due = dt.datetime.combine(local.date(), job.daily_at, tz)
        if due <= local:
            due += dt.timedelta(days=1)
    elif job.weekly_at is not None:
        weekday, at = job.weekly_at
        due = dt.datetime.combine(local.date() + dt.timedelta(days=(weekday - local.weekday()) % 7), at, tz)
        if due <= local:
            due += dt.timedelta(days=7)
    else:
        raise ValueError(f"job {job.name!r} has no cadence")
    return due.astimezone(dt.timezone.utc)


def job_commands(job: Job, config: LagConfig, db_path: str, rules_path: str | None,
                 now: dt.datetime) -> list[list[str]]:
    """The ``pantau`` argument lists a job runs at ``now`` (the weekly report: one per pemda)."""
    from exporter.weekly_ladder import Week

    if job.name == "probe":
        return [["probe", "--db", db_path, *job.args]]
    if job.name == "crawl":
        return [["crawl", "--db", db_path, "--no-progress", *job.args]]
    week = Week.containing(now, config.timezone_hours).previous()
    base = ["report", "weekly", "--db", db_path, "--week", week.label]
    if rules_path:
        base += ["--rules", rules_path]
    if job.send:
        base.append("--send")
    regions = job.regions or (None,)
    return [base + (["--region", region] if region else []) + list(job.args) for region in regions]


def plan(config: LagConfig, start: dt.datetime, count: int) -> list[tuple[dt.datetime, str]]:
    """The next ``count`` job starts after ``start``, in order."""
    out = []
    due = {name: next_due(job, start, config.tz) for name, job in config.schedule.items() if job.enabled}
    while due and len(out) < count:
        name = min(due, key=lambda n: (due[n], JOB_ORDER.index(n)))
        out.append((due[name], name))
        due[name] = next_due(config.schedule[name], due[name], config.tz)
    return out


# --- the supervisor --------------------------------------------------------------------------

class Process(Protocol):
    def poll(self) -> int | None: ...


class Clock(Protocol):
    def now(self) -> dt.datetime: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def launch_pantau(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args])


@dataclass
class Scheduler:
    """Starts due jobs; a job whose previous process still runs is skipped, not queued."""

    config: LagConfig
    db_path: str
    rules_path: str | None = None
    launch: Callable[[list[str]], Process] = launch_pantau
    clock: Clock = field(default_factory=SystemClock)
    started: list[tuple[dt.datetime, str, list[str]]] = field(default_factory=list)
    skipped: list[tuple[dt.datetime, str]] = field(default_factory=list)

    def __post_init__(self):
        now = self.clock.now()
        self.jobs = {name: job for name, job in self.config.schedule.items() if job.enabled}
        self.due = {name: next_due(job, now, self.config.tz) for name, job in self.jobs.items()}
        self.running: dict[str, list[Process]] = {}

    def _busy(self, name: str) -> bool:
        procs = [p for p in self.running.get(name, []) if p.poll() is None]
        self.running[name] = procs
        return bool(procs)

    def tick(self) -> None:
        now = self.clock.now()
        for name in JOB_ORDER:
            if name not in self.jobs or now < self.due[name]:
                continue
            if self._busy(name):
                logger.warning("%s is still running; skipping the run due at %s", name, self.due[name].isoformat())
                self.skipped.append((self.due[name], name))
            else:
                for args in job_commands(self.jobs[name], self.config, self.db_path, self.rules_path, now):
                    logger.info("starting %s: pantau %s", name, " ".join(args))
                    self.running.setdefault(name, []).append(self.launch(args))
                    self.started.append((now, name, args))
            self.due[name] = next_due(self.jobs[name], now, self.config.tz)

    def run(self, until: dt.datetime | None = None) -> None:
        """Tick until ``until`` (forever when None)."""
        while until is None or self.clock.now() < until:
            self.tick()
            wait = (min(self.due.values()) - self.clock.now()).total_seconds() if self.due else IDLE_SECONDS
            if until is not None:
                wait = min(wait, (until - self.clock.now()).total_seconds())
            self.clock.sleep(max(0.0, min(wait, IDLE_SECONDS)))


# --- simulated time --------------------------------------------------------------------------

def _parse(stamp: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def backdate_run(db, run_id: int, as_of: dt.datetime) -> dict:
    """Move a finished crawl run so that it started at ``as_of``: its start and finish and its
    pages' fetch times shift together. The real times are kept in ``runs.settings`` under
    ``as_of``, so the move is visible and a second move keeps the first real times."""
    run = next(db.query("select * from runs where id = ?", [run_id]), None)
    if run is None:
        raise LookupError(f"no run with id {run_id}")
    if run["status"] != "finished":
        raise ValueError(f"run {run_id} is {run['status']}, not finished")
    started = _parse(run["started_at"])
    shift = as_of - started
    settings = json.loads(run["settings"] or "{}")
    settings.setdefault("as_of", {"real_started_at": run["started_at"], "real_finished_at": run["finished_at"]})
    settings["as_of"]["simulated_started_at"] = _iso(as_of)
    finished = _parse(run["finished_at"]) + shift if run["finished_at"] else None
    pages = [(_iso(_parse(row["fetched_at"]) + shift), row["id"]) for row in
             db.query("select id, fetched_at from pages where run_id = ? and fetched_at is not null", [run_id])]
    with db.conn:
        db.conn.execute("update runs set started_at = ?, finished_at = ?, settings = ? where id = ?",
                        [_iso(as_of), finished and _iso(finished), json.dumps(settings, sort_keys=True), run_id])
        db.conn.executemany("update pages set fetched_at = ? where id = ?", pages)
    return {"run_id": run_id, "started_at": _iso(as_of), "finished_at": finished and _iso(finished),
            "pages": len(pages)}


# --- the commands ----------------------------------------------------------------------------

@click.group("schedule")
def schedule() -> None:
    """Run probe, crawl and the weekly report on their cadences (or see deploy/systemd/)."""


def _config(rules_path: str | None) -> LagConfig:
    from exporter.cli_weekly import load_rules

    return load_rules(rules_path)


def _instant(value: str | None, name: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return _parse(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 date or time", param_hint=name) from None


@schedule.command("plan")
@rules_option
@click.option("--from", "start", metavar="ISO-TIME", help="Plan from this instant [default: now].")
@click.option("--count", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many starts.")
def plan_command(rules_path, start, count):
    """Print the next job starts, in the configured time zone."""
    config = _config(rules_path)
    moment = _instant(start, "--from") or dt.datetime.now(dt.timezone.utc)
    for when, name in plan(config, moment, count):
        click.echo(f"{when.astimezone(config.tz).isoformat()}  {name}")


@schedule.command("run")
@db_option
@rules_option
@click.option("--once", is_flag=True, help="Run every enabled job once now, in order, and exit.")
@click.option("--until", metavar="ISO-TIME", help="Stop supervising at this instant [default: never].")
def run_command(db_path, rules_path, once, until):
    """Start each job when it is due, as its own `pantau` process, until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = _config(rules_path)
    if once:
        now = dt.datetime.now(dt.timezone.utc)
        for name in JOB_ORDER:
            job = config.schedule[name]
            if not job.enabled:
                continue
            for args in job_commands(job, config, db_path, rules_path, now):
                click.echo(f"pantau {' '.join(args)}")
                code = launch_pantau(args).wait()
                if code:
                    raise click.ClickException(f"{name} exited with code {code}")
        return
    Scheduler(config, db_path, rules_path).run(_instant(until, "--until"))


@schedule.command("backdate")
@db_option
@click.option("--run", "run_id", type=int, required=True, help="The finished crawl run to move.")
@click.option("--as-of", "as_of", required=True, metavar="ISO-TIME", help="When the run should have started.")
@click.option("--score/--no-score", default=True, show_default=True,
              help="Score the run again, judged at its new time.")
def backdate_command(db_path, run_id, as_of, score):
    """Move a finished crawl run to a simulated time (testbed scenarios, back-fills)."""
    from crawler.score import score_run
    from storage.db import open_db

    db = open_db(db_path)
    try:
        moved = backdate_run(db, run_id, _instant(as_of, "--as-of"))
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"run {run_id} now {moved['started_at']} to {moved['finished_at']} ({moved['pages']} pages)")
    if score:
        click.echo(f"scored {score_run(db, run_id)} sites of run {run_id}")
