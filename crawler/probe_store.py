"""Probe rounds in the database: which sites to probe, and one ``probes`` row per result.

A round is a ``runs`` row of kind ``probe`` (the settings that shape results in
``settings``, the outcome counts in ``stats``); its probes point at it by ``run_id``.
Rows are written in batches, each in one immediate transaction, so readers (reports, the
exporter) never wait long and a round of 25,000 sites does not pay a commit per site.
"""

from __future__ import annotations

import dataclasses
import json

import sqlite_utils

from crawler.prober import ProbeResult, ProbeSettings, RoundStats, Target
from storage.db import utcnow

BATCH = 500
_COLUMNS = ("run_id", "site_id", "probed_at", "url", "final_url", "address", "status", "error_class",
            "error_detail", "dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "total_ms", "redirects", "bytes",
            "http_version", "tls_days_left", "tls_issuer", "tls_chain_valid", "tls", "http_to_https", "hsts")
_INSERT = f"INSERT INTO probes ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def probe_targets(db: sqlite_utils.Database, region: str | None = None, site_ids: list[int] | None = None,
                  limit: int | None = None) -> list[Target]:
    """Active registered sites, in id order; ``region`` 15 also takes 15.xx."""
    where, params = ["s.active = 1"], {}
    if region:
        where.append("(r.code = :region OR r.code LIKE :region || '.%')")
        params["region"] = region
    if site_ids:
        where.append(f"s.id IN ({', '.join(str(int(i)) for i in site_ids)})")
    sql = (f"SELECT s.id, s.url FROM sites s JOIN units u ON u.id = s.unit_id "
           f"JOIN regions r ON r.code = u.region_code WHERE {' AND '.join(where)} ORDER BY s.id")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [Target(url=row["url"], site_id=row["id"]) for row in db.query(sql, params)]


def start_round(db: sqlite_utils.Database, settings: ProbeSettings) -> int:
    shaping = {k: v for k, v in dataclasses.asdict(settings).items() if k != "user_agent"}
    with db.conn:
        return db["runs"].insert({"kind": "probe", "started_at": utcnow(), "status": "running",
                                  "settings": json.dumps(shaping, sort_keys=True)}).last_pk


def finish_round(db: sqlite_utils.Database, run_id: int, stats: RoundStats, status: str = "finished") -> None:
    with db.conn:
        db["runs"].update(run_id, {"finished_at": utcnow(), "status": status, "stats": json.dumps({
            "probes": stats.probes, "seconds": round(stats.seconds, 3),
            "outcomes": dict(sorted(stats.outcomes.items())), "peak_rss_mib": stats.peak_rss_mib},
            sort_keys=True)})


def probe_row(run_id: int, result: ProbeResult) -> tuple:
    tls = result.tls or {}
    chain = tls.get("chain_valid")
    values = {
        **{name: getattr(result, name) for name in _COLUMNS if hasattr(result, name)},
        "run_id": run_id,
        "tls_days_left": tls.get("days_left"),
        "tls_issuer": tls.get("issuer"),
        "tls_chain_valid": None if chain is None else int(chain),
        "tls": json.dumps(tls, sort_keys=True) if tls else None,
        "http_to_https": None if result.http_to_https is None else int(result.http_to_https),
    }
    return tuple(values[name] for name in _COLUMNS)


class ProbeWriter:
    """Collects results of one round and writes them in batches."""

    def __init__(self, db: sqlite_utils.Database, run_id: int, batch: int = BATCH):
        self.db = db
        self.run_id = run_id
        self.batch = batch
        self.pending: list[tuple] = []
        self.written = 0

    def __call__(self, result: ProbeResult) -> None:
        self.pending.append(probe_row(self.run_id, result))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(_INSERT, self.pending)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        self.written += len(self.pending)
        self.pending.clear()
