"""Scoring glue: load a run's evidence from SQLite, run the checks, store findings and scores.

The checks themselves never touch the database; this module is the only place that
reads evidence and writes verdicts. Re-scoring a run replaces that run's findings and
scores in one transaction and leaves every other run's history alone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter

import sqlite_utils

from checks import CHECKS, Check
from checks.base import Page, SiteEvidence
from checks.runner import run_checks
from checks.scoring import site_scores
from storage.db import utcnow

logger = logging.getLogger(__name__)

SITE_SQL = """
select s.id, s.url, s.host, s.role, u.name as unit_name, u.short_name as unit_short,
       u.kind as unit_kind, u.region_code, r.name as region_name, r.parent as region_parent
from sites s left join units u on u.id = s.unit_id left join regions r on r.code = u.region_code
where s.id = ?
"""


def run_time(db: sqlite_utils.Database, run_id: int) -> dt.datetime:
    """When the run finished (or started): the "now" its evidence is judged against."""
    row = next(db.query("select started_at, finished_at from runs where id = ?", [run_id]), None)
    if row is None:
        raise LookupError(f"no run with id {run_id}")
    stamp = row["finished_at"] or row["started_at"]
    if not stamp:
        return dt.datetime.now(dt.timezone.utc)
    value = dt.datetime.fromisoformat(stamp)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def load_site_evidence(db: sqlite_utils.Database, run_id: int, site_id: int,
                       now: dt.datetime | None = None) -> SiteEvidence:
    """Everything run ``run_id`` stored about site ``site_id``, ready for the checks."""
    site = next(db.query(SITE_SQL, [site_id]), None)
    if site is None:
        raise LookupError(f"no site with id {site_id}")
    where = "run_id = ? and site_id = ?"
    pages = [Page.from_row(row) for row in db["pages"].rows_where(where, [run_id, site_id], order_by="id")]
    documents = list(db["documents"].rows_where(where, [run_id, site_id], order_by="id"))
    links = list(db["links"].rows_where(where, [run_id, site_id], order_by="rowid"))
    return SiteEvidence(site=site, pages=pages, documents=documents, links=links,
                        now=now or run_time(db, run_id))


def score_run(db: sqlite_utils.Database, run_id: int, now: dt.datetime | None = None,
              checks: dict[str, Check] = CHECKS, stats: Counter | None = None) -> int:
    """Score every site that has pages in run ``run_id``; return how many were scored.

    ``now`` defaults to the run's finish time, so re-scoring an old run judges it as it
    was. The run's previous findings and scores are replaced in one transaction.
    """
    now = now or run_time(db, run_id)
    stats = Counter() if stats is None else stats
    site_ids = [row["site_id"] for row in
                db.query("select distinct site_id from pages where run_id = ? order by site_id", [run_id])]
    scored_at = utcnow()
    finding_rows, score_rows = [], []
    for site_id in site_ids:
        evidence = load_site_evidence(db, run_id, site_id, now=now)
        findings = run_checks(evidence, checks, stats)
        finding_rows += [(run_id, site_id, f.check_id, f.dimension, f.severity, int(f.passed), f.message_id,
                          f.message_en, f.evidence_url, json.dumps(f.detail, ensure_ascii=False, default=str))
                         for f in findings]
        score_rows += [(run_id, site_id, dimension, score, scored_at)
                       for dimension, score in site_scores(findings).items()]
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("delete from findings where run_id = ?", [run_id])
        conn.execute("delete from scores where run_id = ?", [run_id])
        conn.executemany(
            "insert into findings (run_id, site_id, check_id, dimension, severity, passed, message_id, "
            "message_en, evidence_url, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", finding_rows)
        conn.executemany("insert into scores (run_id, site_id, dimension, score, scored_at) "
                         "values (?, ?, ?, ?, ?)", score_rows)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    errors = sum(count for key, count in stats.items() if key.endswith("/error"))
    logger.info("run %s: scored %d sites, %d findings, %d check errors", run_id, len(site_ids),
                len(finding_rows), errors)
    return len(site_ids)
