"""The weekly verdict: which units lag in an ISO week, why, and where each stands on the ladder.

``judge_week(db, week, region, config, as_of)`` reads what the store holds for the week
(the crawl runs that finished in it, their scores and findings, and the probe history
when there is one), runs the lag rules (``crawler.lagrules``) over every site of every
unit, climbs or descends the reprimand ladder from the unit's stored state of the week
before, and stores the result in ``weekly_status`` and ``reprimands`` (migration
m060_weekly_status). Judging a week again replaces that week's rows: the same data gives
the same rows, and a unit never climbs twice in one week.

Nothing here reads the wall clock except to default ``as_of`` to "now" for the current
week; pass ``as_of`` to pin it (tests and back-fills do).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crawler.errors import Outcome
from crawler.lagconfig import LagConfig
from crawler.lagrules import Availability, SiteWeek, evaluate
from exporter.weekly_ladder import LadderState, Week, step

logger = logging.getLogger(__name__)

CATCH_UP_WEEKS = 12  # earlier weeks with data but no verdict are judged first, this far back
CHANGE_POINTS = 1.0  # a composite moving less than this is "same"
FAILED_OUTCOMES = tuple(o.value for o in Outcome if o.is_failure)


def utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def parse_instant(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def default_as_of(week: Week, now: dt.datetime | None = None) -> dt.datetime:
    """The end of the week, or now while the week is still running."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return min(week.end, now)


# --- reading the week's evidence -----------------------------------------------------------

def week_runs(db: sqlite_utils.Database, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Finished crawl runs whose finish (or start) time falls in [start, end), oldest first."""
    rows = db.query("select id, started_at, finished_at from runs where kind = 'crawl' and status = 'finished'")
    found = []
    for row in rows:
        stamp = row["finished_at"] or row["started_at"]
        if not stamp:
            continue
        moment = parse_instant(stamp)
        if start <= moment < end:
            found.append({**row, "at": moment})
    found.sort(key=lambda r: (r["at"], r["id"]))
    return found


def units_of(db: sqlite_utils.Database, region: str | None, kinds: tuple[str, ...]) -> list[dict]:
    """Units of one pemda (``region`` exactly, not its children) or of every pemda, with their active sites."""
    where = ["u.kind in ({})".format(", ".join("?" * len(kinds)))]
    params: list[Any] = list(kinds)
    if region is not None:
        where.append("u.region_code = ?")
        params.append(region)
    sql = f"""
        select u.id as unit_id, u.name as unit_name, u.short_name as unit_short, u.kind as unit_kind,
               u.region_code, r.name as region_name, r.kind as region_kind, r.parent as region_parent,
               s.id as site_id, s.url as site_url
        from units u join regions r on r.code = u.region_code
        join sites s on s.unit_id = u.id and s.active = 1
        where {' and '.join(where)}
        order by u.region_code, u.id, s.id"""
    units: dict[int, dict] = {}
    for row in db.query(sql, params):
        unit = units.setdefault(row["unit_id"], {k: row[k] for k in (
            "unit_id", "unit_name", "unit_short", "unit_kind", "region_code", "region_name", "region_kind",
            "region_parent")} | {"sites": []})
        unit["sites"].append({"site_id": row["site_id"], "url": row["site_url"]})
    return list(units.values())


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def latest_scored(db: sqlite_utils.Database, run_ids: list[int], site_ids: list[int]) -> dict[int, dict]:
    """site id -> {run_id, composite} of the newest of ``run_ids`` that scored the site."""
    order = {run_id: i for i, run_id in enumerate(run_ids)}  # run_ids come oldest first
    best: dict[int, dict] = {}
    if not run_ids or not site_ids:
        return best
    runs_sql = ", ".join(str(int(r)) for r in run_ids)
    for chunk in _chunks(site_ids):
        sql = (f"select run_id, site_id, score from scores where dimension = 'composite' and run_id in ({runs_sql}) "
               f"and site_id in ({', '.join('?' * len(chunk))})")
        for row in db.query(sql, chunk):
            current = best.get(row["site_id"])
            if current is None or order[row["run_id"]] > order[current["run_id"]]:
                best[row["site_id"]] = {"run_id": row["run_id"], "composite": row["score"]}
    return best


def findings_of(db: sqlite_utils.Database, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[dict]]:
    """(run id, site id) -> every finding stored for that pair, in storage order."""
    out: dict[tuple[int, int], list[dict]] = {pair: [] for pair in pairs}
    by_run: dict[int, list[int]] = {}
    for run_id, site_id in pairs:
        by_run.setdefault(run_id, []).append(site_id)
    for run_id, sites in by_run.items():
        for chunk in _chunks(sites):
            sql = ("select run_id, site_id, check_id, dimension, severity, passed, message_id, message_en, "
                   f"evidence_url, detail from findings where run_id = ? and site_id in ({', '.join('?' * len(chunk))}) "
                   "order by id")
            for row in db.query(sql, [run_id, *chunk]):
                row["detail"] = json.loads(row["detail"] or "{}")
                row["passed"] = bool(row["passed"])
                out[(row.pop("run_id"), row.pop("site_id"))].append(row)
    return out


def _probe_columns(db: sqlite_utils.Database) -> tuple[str, str] | None:
    """(time column, outcome column) of the prober's ``probes`` table, when it exists."""
    if "probes" not in db.table_names():
        return None
    columns = set(db["probes"].columns_dict)
    when = next((c for c in ("probed_at", "started_at", "at", "time") if c in columns), None)
    outcome = next((c for c in ("error_class", "outcome") if c in columns), None)
    if "site_id" not in columns or when is None or outcome is None:
        logger.warning("probes table without site_id/time/outcome columns; availability from crawls only")
        return None
    return when, outcome


def probe_availability(db: sqlite_utils.Database, site_ids: list[int], start: dt.datetime,
                       end: dt.datetime) -> dict[int, Availability]:
    """site id -> availability from the probe history of [start, end), for sites that were probed.

    Probe times are ISO-8601 UTC strings, so the window is compared as text in SQL and the
    aggregation stays in SQLite however long the history is.
    """
    columns = _probe_columns(db)
    if columns is None or not site_ids:
        return {}
    when, outcome = columns
    failed = ", ".join(f"'{value}'" for value in FAILED_OUTCOMES)
    lo, hi = utc_iso(start), utc_iso(end)
    out: dict[int, Availability] = {}
    for chunk in _chunks(site_ids):
        marks = ", ".join("?" * len(chunk))
        sql = (f"select site_id, count(*) as samples, sum({outcome} in ({failed})) as down from probes "
               f"where site_id in ({marks}) and {when} >= ? and {when} < ? group by site_id")
        counts = {row["site_id"]: row for row in db.query(sql, [*chunk, lo, hi])}
        examples: dict[int, list] = {}
        sql = (f"select site_id, {when} as at, {outcome} as outcome from probes where site_id in ({marks}) "
               f"and {when} >= ? and {when} < ? and {outcome} in ({failed}) order by {when} desc")
        for row in db.query(sql, [*chunk, lo, hi]):
            found = examples.setdefault(row["site_id"], [])
            if len(found) < 3:
                found.append((row["at"], row["outcome"], None))
        for site_id, row in counts.items():
            out[site_id] = Availability("probe", row["samples"], row["down"] or 0, tuple(examples.get(site_id, [])))
    return out


def crawl_availability(db: sqlite_utils.Database, runs: list[dict], site_ids: list[int]) -> dict[int, Availability]:
    """site id -> availability from the home page of every crawl run in the week (one sample each)."""
    if not runs or not site_ids:
        return {}
    at = {run["id"]: run["at"] for run in runs}
    samples: dict[int, list[tuple]] = {}
    runs_sql = ", ".join(str(int(r)) for r in at)
    for chunk in _chunks(site_ids):
        sql = (f"select run_id, site_id, url, error_class from pages where kind = 'home' and run_id in ({runs_sql}) "
               f"and site_id in ({', '.join('?' * len(chunk))})")
        for row in db.query(sql, chunk):
            samples.setdefault(row["site_id"], []).append((at[row["run_id"]], row["error_class"] or "ok", row["url"]))
    out = {}
    for site_id, rows in samples.items():
        rows.sort(key=lambda r: r[0], reverse=True)
        down = [r for r in rows if r[1] in FAILED_OUTCOMES]
        out[site_id] = Availability("crawl", len(rows), len(down),
                                    tuple((utc_iso(when), outcome, url) for when, outcome, url in down[:3]))
    return out


# --- judging ---------------------------------------------------------------------------------

@dataclass
class UnitVerdict:
    """One unit's row of ``weekly_status`` plus the names the reports print."""

    unit: dict
    has_data: bool
    lagging: bool | None
    level: int
    previous_level: int
    streak: int
    clean_streak: int
    composite: float | None
    previous_composite: float | None
    change: str
    run_ids: list[int]
    reasons: list[dict]
    action: str | None = None
    step_row: dict | None = None
    history: list[dict] = field(default_factory=list)


def _previous_rows(db: sqlite_utils.Database, unit_ids: list[int], week: Week) -> dict[int, dict]:
    """unit id -> its newest stored verdict before ``week``."""
    out: dict[int, dict] = {}
    for chunk in _chunks(unit_ids):
        sql = ("select w.* from weekly_status w join (select unit_id, max(week) as week from weekly_status "
               f"where week < ? and unit_id in ({', '.join('?' * len(chunk))}) group by unit_id) newest "
               "on newest.unit_id = w.unit_id and newest.week = w.week")
        for row in db.query(sql, [week.label, *chunk]):
            out[row["unit_id"]] = row
    return out


def classify_change(lagging: bool | None, composite: float | None, reasons: int, previous: dict | None) -> str:
    """new | resolved | better | worse | same | no_data, against the stored verdict of the week before."""
    if lagging is None:
        return "no_data"
    before = bool(previous and previous["has_data"] and previous["lagging"])
    if lagging and not before:
        return "new"
    if before and not lagging:
        return "resolved"
    if previous is None or not previous["has_data"]:
        return "same"
    if lagging:
        before_reasons = len(json.loads(previous["reasons"] or "[]"))
        if reasons != before_reasons:
            return "worse" if reasons > before_reasons else "better"
    if composite is None or previous["composite"] is None:
        return "same"
    diff = composite - previous["composite"]
    if diff >= CHANGE_POINTS:
        return "better"
    if diff <= -CHANGE_POINTS:
        return "worse"
    return "same"


def _judge(db: sqlite_utils.Database, week: Week, units: list[dict], config: LagConfig,
           as_of: dt.datetime) -> list[UnitVerdict]:
    end = min(week.end, as_of)
    runs = week_runs(db, week.start, end)
    run_ids = [run["id"] for run in runs]
    site_ids = [site["site_id"] for unit in units for site in unit["sites"]]
    scored = latest_scored(db, run_ids, site_ids)
    findings = findings_of(db, [(row["run_id"], site_id) for site_id, row in scored.items()])
    availability = crawl_availability(db, runs, site_ids)
    availability.update(probe_availability(db, site_ids, week.start, end))
    previous = _previous_rows(db, [u["unit_id"] for u in units], week)
    previous_week = week.previous().label

    verdicts = []
    for unit in units:
        before = previous.get(unit["unit_id"])
        last_week = before if before and before["week"] == previous_week else None
        prev_composite = last_week["composite"] if last_week and last_week["has_data"] else None
        sites = []
        for site in unit["sites"]:
            got = scored.get(site["site_id"])
            if got is None:
                continue
            sites.append(SiteWeek(
                site_id=site["site_id"], url=site["url"], run_id=got["run_id"], composite=got["composite"],
                previous_composite=prev_composite,
                findings=tuple(findings.get((got["run_id"], site["site_id"]), ())),
                availability=availability.get(site["site_id"], Availability()),
            ))
        has_data = bool(sites)
        reasons = evaluate(sites, config.rules) if has_data else []
        lagging = bool(reasons) if has_data else None
        composite = min(s.composite for s in sites) if sites else None
        state = LadderState(before["level"], before["streak"], before["clean_streak"]) if before else LadderState()
        new_state, action = step(state, lagging, config.ladder)
        verdicts.append(UnitVerdict(
            unit=unit, has_data=has_data, lagging=lagging, level=new_state.level, previous_level=state.level,
            streak=new_state.streak, clean_streak=new_state.clean, composite=composite,
            previous_composite=prev_composite, change=classify_change(lagging, composite, len(reasons), last_week),
            run_ids=sorted({s.run_id for s in sites}), reasons=reasons, action=action,
        ))
    return verdicts


def _store(db: sqlite_utils.Database, week: Week, verdicts: list[UnitVerdict], config: LagConfig,
           as_of: dt.datetime) -> None:
    decided_on = as_of.astimezone(week.tz).date()
    status_rows, step_rows = [], []
    for v in verdicts:
        status_rows.append({
            "week": week.label, "unit_id": v.unit["unit_id"], "region_code": v.unit["region_code"],
            "as_of": utc_iso(as_of), "has_data": int(v.has_data),
            "lagging": None if v.lagging is None else int(v.lagging), "level": v.level,
            "previous_level": v.previous_level, "streak": v.streak, "clean_streak": v.clean_streak,
            "composite": v.composite, "previous_composite": v.previous_composite, "change": v.change,
            "run_ids": json.dumps(v.run_ids), "site_ids": json.dumps([s["site_id"] for s in v.unit["sites"]]),
            "reasons": json.dumps(v.reasons, ensure_ascii=False, sort_keys=True), "rules_digest": config.digest,
        })
        if v.action:
            deadline = None
            if v.action == "escalate":
                deadline = (decided_on + dt.timedelta(days=config.ladder.deadline_days[v.level - 1])).isoformat()
                why = v.reasons
            else:
                why = [{"rule": "fixed", "message_id": f"Tidak tertinggal selama {config.ladder.fixed_weeks} minggu "
                        "berturut-turut", "message_en": f"not lagging for {config.ladder.fixed_weeks} weeks",
                        "evidence": [], "values": {"fixed_weeks": config.ladder.fixed_weeks}}]
            v.step_row = {
                "unit_id": v.unit["unit_id"], "region_code": v.unit["region_code"], "week": week.label,
                "decided_on": decided_on.isoformat(), "action": v.action, "from_level": v.previous_level,
                "to_level": v.level, "reasons": json.dumps(why, ensure_ascii=False, sort_keys=True),
                "deadline": deadline, "letter_pdf": None, "letter_docx": None,
            }
            step_rows.append(v.step_row)
    unit_ids = [v.unit["unit_id"] for v in verdicts]
    stepped = {row["unit_id"] for row in step_rows}
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for chunk in _chunks(unit_ids):
            marks = ", ".join("?" * len(chunk))
            conn.execute(f"delete from weekly_status where week = ? and unit_id in ({marks})", [week.label, *chunk])
            gone = [unit_id for unit_id in chunk if unit_id not in stepped]
            if gone:
                conn.execute(f"delete from reprimands where week = ? and unit_id in ({', '.join('?' * len(gone))})",
                             [week.label, *gone])
        if status_rows:
            columns = list(status_rows[0])
            conn.executemany(f"insert into weekly_status ({', '.join(columns)}) "
                             f"values ({', '.join('?' * len(columns))})", [[r[c] for c in columns] for r in status_rows])
        if step_rows:
            # Keyed by (unit, week): judging a week again keeps the step's id, and its letters
            # unless the step itself changed.
            columns = [c for c in step_rows[0] if c not in ("letter_pdf", "letter_docx")]
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("unit_id", "week"))
            same = "reprimands.action = excluded.action and reprimands.to_level = excluded.to_level"
            conn.executemany(
                f"insert into reprimands ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                f"on conflict (unit_id, week) do update set {updates}, "
                f"letter_pdf = case when {same} then reprimands.letter_pdf end, "
                f"letter_docx = case when {same} then reprimands.letter_docx end",
                [[r[c] for c in columns] for r in step_rows])
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    for v in verdicts:
        if v.step_row is not None:
            stored = next(db.query("select id, letter_pdf, letter_docx from reprimands where unit_id = ? and week = ?",
                                   [v.unit["unit_id"], week.label]))
            v.step_row.update(stored)


def _catch_up(db: sqlite_utils.Database, week: Week, units: list[dict], config: LagConfig) -> list[str]:
    """Judge earlier weeks that have crawl data but no stored verdict, oldest first."""
    judged = []
    unit_ids = [u["unit_id"] for u in units]
    for back in range(CATCH_UP_WEEKS, 0, -1):
        earlier = week.shift(-back)
        if not week_runs(db, earlier.start, earlier.end):
            continue
        stored = set()
        for chunk in _chunks(unit_ids):
            stored |= {row["unit_id"] for row in db.query(
                f"select unit_id from weekly_status where week = ? and unit_id in ({', '.join('?' * len(chunk))})",
                [earlier.label, *chunk])}
        missing = [u for u in units if u["unit_id"] not in stored]
        if missing:
            _store(db, earlier, _judge(db, earlier, missing, config, earlier.end), config, earlier.end)
            judged.append(earlier.label)
    return judged


def judge_week(db: sqlite_utils.Database, week: Week, region: str | None, config: LagConfig,
               as_of: dt.datetime | None = None) -> list[UnitVerdict]:
    """Judge every unit of ``region`` (one pemda; None: every pemda) for ``week`` and store it.

    Earlier weeks with crawl data but no verdict are judged first (up to
    ``CATCH_UP_WEEKS`` back), because the ladder climbs week by week. Returns the
    verdicts, each with its stored reprimand step (``step_row``) when one was taken.
    """
    as_of = as_of or default_as_of(week)
    if as_of <= week.start:
        raise ValueError(f"as-of {utc_iso(as_of)} is before week {week.label} starts")
    units = units_of(db, region, config.units)
    if not units:
        raise LookupError(f"no units of kind {', '.join(config.units)} with an active site"
                          + (f" in region {region!r}" if region else ""))
    caught_up = _catch_up(db, week, units, config)
    if caught_up:
        logger.info("judged earlier weeks first: %s", ", ".join(caught_up))
    verdicts = _judge(db, week, units, config, as_of)
    _store(db, week, verdicts, config, as_of)
    return verdicts


def rank(verdicts: list[UnitVerdict]) -> list[UnitVerdict]:
    """Worst first: lagging units by reprimand level, streak, reasons and composite; then the
    rest by level and composite; units without data last, by level."""
    def key(v: UnitVerdict):
        if not v.has_data:
            return (2, -v.level, 0, 0, 0.0, v.unit["region_code"], v.unit["unit_name"])
        return (0 if v.lagging else 1, -v.level, -v.streak, -len(v.reasons), v.composite,
                v.unit["region_code"], v.unit["unit_name"])
    return sorted(verdicts, key=key)


def history(db: sqlite_utils.Database, unit_ids: list[int], week: Week, weeks: int) -> dict[int, list[dict]]:
    """unit id -> its stored verdicts of the ``weeks`` weeks up to ``week``, oldest first."""
    first = week.shift(-(weeks - 1)).label
    out: dict[int, list[dict]] = {unit_id: [] for unit_id in unit_ids}
    for chunk in _chunks(unit_ids):
        sql = ("select week, unit_id, has_data, lagging, level, composite from weekly_status where week >= ? "
               f"and week <= ? and unit_id in ({', '.join('?' * len(chunk))}) order by week")
        for row in db.query(sql, [first, week.label, *chunk]):
            out[row["unit_id"]].append(row)
    return out


def level_counts(db: sqlite_utils.Database, unit_ids: list[int], week: Week, weeks: int) -> list[dict]:
    """Per week (oldest first): units judged, lagging, and lagging units by level, for the summary chart."""
    rows = {}
    for unit_rows in history(db, unit_ids, week, weeks).values():
        for row in unit_rows:
            entry = rows.setdefault(row["week"], {"week": row["week"], "judged": 0, "lagging": 0, "levels": {}})
            if not row["has_data"]:
                continue
            entry["judged"] += 1
            if row["lagging"]:
                entry["lagging"] += 1
                entry["levels"][row["level"]] = entry["levels"].get(row["level"], 0) + 1
    labels = [week.shift(-back).label for back in range(weeks - 1, -1, -1)]
    return [rows.get(label, {"week": label, "judged": 0, "lagging": 0, "levels": {}}) for label in labels]
