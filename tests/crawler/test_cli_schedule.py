"""`pantau schedule`: cadences, the supervisor on a fake clock, and moving a run in time."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.cli_schedule import Scheduler, backdate_run, job_commands, next_due, plan
from crawler.lagconfig import Job, load_config
from storage.db import open_db

WIB = dt.timezone(dt.timedelta(hours=7))
UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize("job,after,due", [
    (Job("probe", every_minutes=5), "2026-11-23T10:02:30+07:00", "2026-11-23T10:05:00+07:00"),
    (Job("probe", every_minutes=5), "2026-11-23T10:05:00+07:00", "2026-11-23T10:10:00+07:00"),
    (Job("probe", every_minutes=7), "2026-11-23T23:58:00+07:00", "2026-11-24T00:00:00+07:00"),
    (Job("crawl", daily_at=dt.time(1, 0)), "2026-11-23T00:59:00+07:00", "2026-11-23T01:00:00+07:00"),
    (Job("crawl", daily_at=dt.time(1, 0)), "2026-11-23T01:00:00+07:00", "2026-11-24T01:00:00+07:00"),
    (Job("weekly_report", weekly_at=(0, dt.time(6, 0))), "2026-11-23T05:00:00+07:00", "2026-11-23T06:00:00+07:00"),
    (Job("weekly_report", weekly_at=(0, dt.time(6, 0))), "2026-11-23T06:00:00+07:00", "2026-11-30T06:00:00+07:00"),
    (Job("weekly_report", weekly_at=(4, dt.time(17, 30))), "2026-11-23T22:00:00+00:00", "2026-11-27T17:30:00+07:00"),
])
def test_next_due_follows_the_local_clock(job, after, due):
    result = next_due(job, at(after), WIB)
    assert result == at(due) and result.tzinfo == UTC


def test_the_plan_interleaves_the_jobs():
    config = load_config()
    starts = [(when.astimezone(WIB).strftime("%a %H:%M"), name)
              for when, name in plan(config, at("2026-11-23T00:52:00+07:00"), 5)]
    assert starts == [("Mon 00:55", "probe"), ("Mon 01:00", "probe"), ("Mon 01:00", "crawl"), ("Mon 01:05", "probe"),
                      ("Mon 01:10", "probe")]


def test_job_commands_name_the_database_the_rules_and_the_week_just_ended(tmp_path):
    rules = tmp_path / "aturan.yaml"
    rules.write_text("schedule:\n  weekly_report: {weekly_at: 'mon 06:00', send: true, regions: ['15', '15.71']}\n"
                     "  crawl: {daily_at: '01:00', args: [--region, '15']}\n", encoding="utf-8")
    config = load_config(rules)
    now = at("2026-11-23T06:00:00+07:00")
    assert job_commands(config.schedule["crawl"], config, "x.db", str(rules), now) == [
        ["crawl", "--db", "x.db", "--no-progress", "--region", "15"]]
    assert job_commands(config.schedule["probe"], config, "x.db", str(rules), now) == [["probe", "--db", "x.db"]]
    assert job_commands(config.schedule["weekly_report"], config, "x.db", str(rules), now) == [
        ["report", "weekly", "--db", "x.db", "--week", "2026-W47", "--rules", str(rules), "--send", "--region", "15"],
        ["report", "weekly", "--db", "x.db", "--week", "2026-W47", "--rules", str(rules), "--send", "--region",
         "15.71"]]


class FakeClock:
    def __init__(self, start: dt.datetime):
        self.moment = start

    def now(self) -> dt.datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.moment += dt.timedelta(seconds=seconds)


class FakeProcess:
    def __init__(self, clock: FakeClock, seconds: float):
        self.clock, self.ends = clock, clock.now() + dt.timedelta(seconds=seconds)

    def poll(self):
        return 0 if self.clock.now() >= self.ends else None


def test_the_supervisor_starts_due_jobs_and_skips_one_still_running(tmp_path):
    rules = tmp_path / "aturan.yaml"
    rules.write_text("schedule:\n  probe: {every_minutes: 30}\n  crawl: {daily_at: '01:00'}\n"
                     "  weekly_report: {weekly_at: 'mon 06:00'}\n", encoding="utf-8")
    clock = FakeClock(at("2026-11-22T23:50:00+07:00"))
    durations = {"probe": 45 * 60, "crawl": 3 * 3600, "report": 60}  # a slow probe overlaps its next start
    scheduler = Scheduler(load_config(rules), "x.db", launch=lambda args: FakeProcess(clock, durations[args[0]]),
                          clock=clock)
    scheduler.run(until=at("2026-11-23T06:31:00+07:00"))
    started = [(when.astimezone(WIB).strftime("%H:%M"), name) for when, name, _ in scheduler.started]
    assert started == [
        ("00:00", "probe"), ("01:00", "probe"), ("01:00", "crawl"), ("02:00", "probe"), ("03:00", "probe"),
        ("04:00", "probe"), ("05:00", "probe"), ("06:00", "probe"), ("06:00", "weekly_report")]
    assert [(when.astimezone(WIB).strftime("%H:%M"), name) for when, name in scheduler.skipped] == [
        ("00:30", "probe"), ("01:30", "probe"), ("02:30", "probe"), ("03:30", "probe"), ("04:30", "probe"),
        ("05:30", "probe"), ("06:30", "probe")]
    assert scheduler.started[-1][2] == ["report", "weekly", "--db", "x.db", "--week", "2026-W47"]


def test_backdate_moves_a_run_and_its_pages_and_keeps_the_real_times(tmp_path):
    db = open_db(tmp_path / "pantau.db")
    db["regions"].insert({"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None})
    db["units"].insert({"id": 1, "region_code": "15", "name": "Dinas", "short_name": "dinas", "kind": "opd"})
    db["sites"].insert({"id": 1, "unit_id": 1, "url": "http://dinas.jambiprov.go.id/", "host": "dinas.jambiprov.go.id",
                        "role": "opd", "domain_status": "confirmed", "active": 1})
    db["runs"].insert({"id": 7, "kind": "crawl", "started_at": "2026-11-23T10:00:00+00:00",
                       "finished_at": "2026-11-23T10:02:30+00:00", "status": "finished", "settings": "{}"})
    db["runs"].insert({"id": 8, "kind": "crawl", "started_at": "2026-11-23T11:00:00+00:00", "status": "running"})
    db["pages"].insert({"run_id": 7, "site_id": 1, "url": "http://dinas.jambiprov.go.id/", "kind": "home",
                        "fetched_at": "2026-11-23T10:01:00+00:00"})
    assert backdate_run(db, 7, at("2026-11-11T03:00:00+00:00")) == {
        "run_id": 7, "started_at": "2026-11-11T03:00:00+00:00", "finished_at": "2026-11-11T03:02:30+00:00",
        "pages": 1}
    backdate_run(db, 7, at("2026-11-04T03:00:00+00:00"))
    run = db["runs"].get(7)
    assert (run["started_at"], run["finished_at"]) == ("2026-11-04T03:00:00+00:00", "2026-11-04T03:02:30+00:00")
    assert json.loads(run["settings"])["as_of"] == {"real_started_at": "2026-11-23T10:00:00+00:00",
                                                    "real_finished_at": "2026-11-23T10:02:30+00:00",
                                                    "simulated_started_at": "2026-11-04T03:00:00+00:00"}
    assert next(db.query("select fetched_at from pages"))["fetched_at"] == "2026-11-04T03:01:00+00:00"
    with pytest.raises(ValueError, match="run 8 is running, not finished"):
        backdate_run(db, 8, at("2026-11-04T03:00:00+00:00"))
    result = CliRunner().invoke(main, ["schedule", "backdate", "--db", str(tmp_path / "pantau.db"), "--run", "99",
                                       "--as-of", "2026-11-04T03:00:00Z"])
    assert (result.exit_code, result.output) == (1, "Error: no run with id 99\n")


def test_plan_command_prints_local_times():
    result = CliRunner().invoke(main, ["schedule", "plan", "--from", "2026-11-22T22:56:00Z", "--count", "3"])
    assert result.output.splitlines() == ["2026-11-23T06:00:00+07:00  probe", "2026-11-23T06:00:00+07:00  weekly_report",
                                          "2026-11-23T06:05:00+07:00  probe"]
