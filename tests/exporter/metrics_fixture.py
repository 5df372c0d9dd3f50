"""A small store filled row by row for the exporter tests, so every exported value is known."""

from __future__ import annotations

import json
from pathlib import Path

from storage.db import open_db

DIMENSIONS = ("availability", "accessibility", "interaction", "freshness")

REGIONS = [
    {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None},
    {"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15"},
]
UNITS = [
    {"id": 1, "region_code": "15", "name": "Badan Perencanaan Pembangunan Daerah", "short_name": "bappeda",
     "kind": "opd"},
    {"id": 2, "region_code": "15", "name": 'Dinas "Pendidikan" \\ Uji', "short_name": "disdik", "kind": "opd"},
    {"id": 3, "region_code": "15.71", "name": "PPID Kota Jambi", "short_name": "ppid", "kind": "ppid"},
]
SITES = [
    # id, unit, url, role, active
    (10, 1, "https://bappeda.jambiprov.go.id/", "opd", 1),
    (11, 2, "http://disdik.jambiprov.go.id/", "opd", 1),
    (12, 3, "https://ppid.jambikota.go.id/", "ppid", 1),
    (13, 3, "https://lama.jambikota.go.id/", "ppid", 0),  # retired: never exported
    (14, 1, "https://baru.jambiprov.go.id/", "opd", 1),  # registered, never crawled
]
RUNS = [
    {"id": 1, "kind": "crawl", "started_at": "2026-11-16T01:00:00+00:00", "finished_at": "2026-11-16T02:00:00+00:00",
     "status": "finished"},
    # The newest run covered only two sites (a crawl of one region, say).
    {"id": 2, "kind": "crawl", "started_at": "2026-11-23T01:00:00+00:00", "finished_at": "2026-11-23T03:00:00+00:00",
     "status": "finished"},
    {"id": 3, "kind": "crawl", "started_at": "2026-11-24T01:00:00+00:00", "status": "running"},
]
TLS_10 = {"not_after": "2027-01-01T00:00:00+00:00", "days_left": 39, "expired": False}
# run, site, status, error_class, elapsed_ms, tls
HOMES = [
    (1, 10, 200, "ok", 900.0, TLS_10),
    (1, 11, 200, "ok", 2600.0, None),
    (1, 12, None, "connect_refused", 3.5, None),
    (2, 10, 200, "ok", 250.0, TLS_10),
    (2, 11, 503, "http_5xx", 1200.0, None),
]
# run, site, newest content date (WIB)
NEWEST = [(1, 10, "2026-11-01"), (1, 11, "2024-06-03"), (2, 10, "2026-11-20"), (2, 11, "2024-06-03")]
# run, site, composite, (availability, accessibility, interaction, freshness)
SCORES = [
    (1, 10, 82.5, (100, 70, 100, 50)),
    (1, 11, 45.2, (70, 55, 65, 0)),
    (1, 12, 0.0, (0, 0, 0, 0)),
    (2, 10, 90.0, (100, 80, 100, 75)),
    (2, 11, 30.5, (35, 55, 65, 0)),
]


def build_metrics_db(path: Path) -> Path:
    db = open_db(path)
    db["regions"].insert_all(REGIONS)
    db["units"].insert_all(UNITS)
    db["sites"].insert_all([{"id": sid, "unit_id": unit, "url": url, "host": url.split("/")[2], "role": role,
                             "domain_status": "confirmed", "active": active}
                            for sid, unit, url, role, active in SITES])
    db["runs"].insert_all(RUNS)
    db["pages"].insert_all([
        {"run_id": run, "site_id": site, "url": next(s[2] for s in SITES if s[0] == site), "kind": "home",
         "status": status, "error_class": error, "elapsed_ms": elapsed, "tls": json.dumps(tls) if tls else None,
         "fetched_at": "2026-11-23T01:00:00+00:00"}
        for run, site, status, error, elapsed, tls in HOMES
    ] + [
        # Another page of the same run: never mistaken for the home page.
        {"run_id": 2, "site_id": 10, "url": "https://bappeda.jambiprov.go.id/berita", "kind": "page", "status": 404,
         "error_class": "http_4xx", "elapsed_ms": 5000.0},
    ])
    db["findings"].insert_all([
        {"run_id": run, "site_id": site, "check_id": "freshness.newest_content", "dimension": "freshness",
         "severity": "info", "passed": 1, "message_id": "-", "message_en": "-", "evidence_url": None,
         "detail": json.dumps({"newest": newest, "source": "feed"})}
        for run, site, newest in NEWEST
    ] + [
        # The down site's freshness finding has no date at all.
        {"run_id": 1, "site_id": 12, "check_id": "freshness.newest_content", "dimension": "freshness",
         "severity": "high", "passed": 0, "message_id": "-", "message_en": "-", "evidence_url": None,
         "detail": json.dumps({"no_evidence": True})},
    ])
    rows = []
    for run, site, composite, dims in SCORES:
        rows.append({"run_id": run, "site_id": site, "dimension": "composite", "score": composite,
                     "scored_at": "2026-11-23T04:00:00+00:00"})
        rows += [{"run_id": run, "site_id": site, "dimension": d, "score": float(s),
                  "scored_at": "2026-11-23T04:00:00+00:00"} for d, s in zip(DIMENSIONS, dims)]
    db["scores"].insert_all(rows)
    db.close()
    return path


def enrich_metrics_db(path: Path) -> Path:
    """Add what other parts of pantau store (probes, stages, documents, weekly verdicts), so a
    scrape carries every family the exporter knows."""
    db = open_db(path)
    db["runs"].insert({"id": 20, "kind": "probe", "started_at": "2026-11-23T10:00:00+00:00",
                       "finished_at": "2026-11-23T10:00:40+00:00", "status": "finished"})
    db["probes"].insert_all([
        {"run_id": 20, "site_id": site, "probed_at": "2026-11-23T10:00:01+00:00", "status": status,
         "error_class": error, "total_ms": ms, "tls": json.dumps(TLS_10) if site == 10 else None}
        for site, status, error, ms in ((10, 200, "ok", 120.0), (11, 200, "ok", 900.0),
                                        (12, None, "connect_refused", 2.0))])
    finding = {"dimension": "freshness", "severity": "info", "passed": 0, "message_id": "-", "message_en": "-"}
    db["findings"].insert_all([
        {**finding, "run_id": 2, "site_id": 10, "check_id": "interaction.stage", "dimension": "interaction",
         "detail": json.dumps({"stage": 2})},
        {**finding, "run_id": 2, "site_id": 10, "check_id": "freshness.required_documents",
         "detail": json.dumps({"fiscal_year": 2026, "missing": [{"category": "apbd"}]})},
        {**finding, "run_id": 1, "site_id": 12, "check_id": "freshness.ppid",
         "detail": json.dumps({"missing": 3, "stale": 1})},
    ])
    db["weekly_status"].insert_all([
        {"week": "2026-W47", "unit_id": unit, "region_code": region, "has_data": 1, "lagging": lagging,
         "level": level} for unit, region, lagging, level in ((1, "15", 0, 0), (2, "15", 1, 2), (3, "15.71", 1, 1))])
    db.close()
    return path
