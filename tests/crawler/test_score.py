"""crawler.score: evidence loaded from SQLite, findings and scores stored, history kept."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter

import pytest

from checks import CHECKS, Check
from crawler.score import load_site_evidence, score_run
from exporter.lag import lag_rows
from storage.db import open_db

FINISHED_1 = "2026-11-16T03:00:00+00:00"
FINISHED_2 = "2026-11-23T03:00:00+00:00"
GOOD_TLS = {"not_after": "2027-02-01T00:00:00+00:00", "issuer": "CN=R11", "subject": "CN=x", "self_signed": False,
            "hostname_match": True, "days_left": 70, "chain_valid": True}

HEALTHY = """<!DOCTYPE html><html lang="id"><head><title>Bappeda Provinsi Jambi</title></head><body>
<main><article class="post"><h1>Musrenbang RKPD 2027</h1><span class="posted-on">Kamis, 12 November 2026</span>
<img src="/musrenbang.jpg" alt="Suasana Musrenbang"></article></main>
<footer>Telp. (0741) 60012 &middot; bappeda@jambiprov.go.id</footer></body></html>"""
STALE = """<!DOCTYPE html><html><head><title></title></head><body>
<article><p>Diposting 3 Juni 2024</p><img src="/kegiatan.jpg"></article></body></html>"""


def z(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"))


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "pantau.db")
    db["regions"].insert_all([
        {"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None},
        {"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15"},
    ])
    db["units"].insert_all([
        {"id": 1, "region_code": "15", "name": "Badan Perencanaan Pembangunan Daerah", "short_name": "bappeda",
         "kind": "opd"},
        {"id": 2, "region_code": "15", "name": "Dinas Pendidikan", "short_name": "disdik", "kind": "opd"},
        {"id": 3, "region_code": "15.71", "name": "PPID Kota Jambi", "short_name": "ppid", "kind": "ppid"},
    ])
    db["sites"].insert_all([
        {"id": 10, "unit_id": 1, "url": "https://bappeda.jambiprov.go.id/", "host": "bappeda.jambiprov.go.id",
         "role": "opd", "domain_status": "confirmed", "active": 1},
        {"id": 11, "unit_id": 2, "url": "http://disdik.jambiprov.go.id/", "host": "disdik.jambiprov.go.id",
         "role": "opd", "domain_status": "confirmed", "active": 1},
        {"id": 12, "unit_id": 3, "url": "https://ppid.jambikota.go.id/", "host": "ppid.jambikota.go.id",
         "role": "ppid", "domain_status": "confirmed", "active": 1},
    ])
    db["runs"].insert_all([
        {"id": 1, "kind": "crawl", "started_at": "2026-11-16T01:00:00+00:00", "finished_at": FINISHED_1,
         "status": "finished"},
        {"id": 2, "kind": "crawl", "started_at": "2026-11-23T01:00:00+00:00", "finished_at": FINISHED_2,
         "status": "finished"},
    ])
    return db


def add_pages(db, run_id: int, ppid_up: bool) -> None:
    fetched = "2026-11-23T02:00:00+00:00"
    rows = [
        {"site_id": 10, "url": "https://bappeda.jambiprov.go.id/", "kind": "home", "status": 200,
         "error_class": "ok", "elapsed_ms": 350.0, "content_type": "text/html; charset=UTF-8",
         "tls": json.dumps(GOOD_TLS), "body": z(HEALTHY), "fetched_at": fetched},
        {"site_id": 11, "url": "http://disdik.jambiprov.go.id/", "kind": "home", "status": 200, "error_class": "ok",
         "elapsed_ms": 2600.0, "content_type": "text/html", "body": z(STALE), "fetched_at": fetched},
        {"site_id": 11, "url": "http://disdik.jambiprov.go.id/sitemap.xml", "kind": "sitemap", "status": 404,
         "error_class": "http_4xx", "fetched_at": fetched},
    ]
    if ppid_up:
        rows.append({"site_id": 12, "url": "https://ppid.jambikota.go.id/", "kind": "home", "status": 200,
                     "error_class": "ok", "elapsed_ms": 400.0, "content_type": "text/html",
                     "tls": json.dumps(GOOD_TLS), "body": z(HEALTHY.replace("Bappeda", "PPID")),
                     "fetched_at": fetched})
    else:
        rows.append({"site_id": 12, "url": "https://ppid.jambikota.go.id/", "kind": "home",
                     "error_class": "connect_refused", "error_detail": "Connection was refused by other side",
                     "fetched_at": fetched})
    db["pages"].insert_all([{**row, "run_id": run_id, "final_url": row["url"], "depth": 0} for row in rows])


def scores_of(db, run_id: int) -> dict[int, dict[str, float]]:
    result: dict[int, dict[str, float]] = {}
    for row in db.query("select site_id, dimension, score from scores where run_id = ?", [run_id]):
        result.setdefault(row["site_id"], {})[row["dimension"]] = row["score"]
    return result


def findings_of(db, run_id: int) -> list[tuple]:
    return [tuple(row.values()) for row in db.query(
        "select site_id, check_id, dimension, severity, passed, message_id, message_en, evidence_url, detail "
        "from findings where run_id = ? order by site_id, check_id, message_en", [run_id])]


def test_load_site_evidence_decompresses_pages_and_joins_the_registry(db):
    add_pages(db, 1, ppid_up=False)
    evidence = load_site_evidence(db, 1, 11)
    assert evidence.site == {"id": 11, "url": "http://disdik.jambiprov.go.id/", "host": "disdik.jambiprov.go.id",
                             "role": "opd", "unit_name": "Dinas Pendidikan", "unit_short": "disdik",
                             "unit_kind": "opd", "region_code": "15", "region_name": "Provinsi Jambi",
                             "region_parent": None}
    assert [p.kind for p in evidence.pages] == ["home", "sitemap"]
    assert (evidence.home.text, evidence.home.fetched_at) == (STALE, "2026-11-23T02:00:00+00:00")
    assert evidence.now == dt.datetime.fromisoformat(FINISHED_1)
    assert load_site_evidence(db, 1, 10).home.tls == GOOD_TLS


def test_score_run_stores_findings_and_scores_per_site(db):
    add_pages(db, 1, ppid_up=False)
    assert score_run(db, 1) == 3
    scores = scores_of(db, 1)
    assert scores[12] == {"availability": 0.0, "accessibility": 0.0, "interaction": 0.0, "freshness": 0.0,
                          "composite": 0.0}
    assert scores[10]["composite"] == 100.0
    assert 0 < scores[11]["composite"] < 100
    down = next(db.query("select * from findings where run_id = 1 and site_id = 12 and check_id = 'availability.home'"))
    assert (down["severity"], down["passed"], down["message_id"]) == (
        "critical", 0, "Situs tidak dapat dihubungi (koneksi ditolak)")
    assert json.loads(down["detail"])["error_class"] == "connect_refused"
    assert down["evidence_url"] == "https://ppid.jambikota.go.id/"
    stale = next(db.query("select * from findings where run_id = 1 and site_id = 11 "
                          "and check_id = 'freshness.newest_content'"))
    # judged at the run's finish (16 November 2026), not at the time the test runs
    assert stale["message_id"] == ("Konten tidak diperbarui sejak 3 Juni 2024 (896 hari lalu, "
                                   "sumber: tanggal tertulis di halaman)")


def test_rescoring_a_run_replaces_its_rows_without_duplicates(db):
    add_pages(db, 1, ppid_up=False)
    score_run(db, 1)
    first_findings, first_scores = findings_of(db, 1), scores_of(db, 1)
    assert score_run(db, 1) == 3
    assert findings_of(db, 1) == first_findings
    assert scores_of(db, 1) == first_scores
    assert db["scores"].count == 15


def test_two_runs_keep_separate_history(db):
    add_pages(db, 1, ppid_up=False)
    add_pages(db, 2, ppid_up=True)
    score_run(db, 1)
    run_1 = findings_of(db, 1), scores_of(db, 1)
    score_run(db, 2)
    score_run(db, 2)
    assert (findings_of(db, 1), scores_of(db, 1)) == run_1
    assert scores_of(db, 1)[12]["composite"] == 0.0
    assert scores_of(db, 2)[12]["composite"] == 100.0


def test_a_run_without_pages_scores_nothing_and_an_unknown_run_is_an_error(db):
    assert score_run(db, 2) == 0
    with pytest.raises(LookupError, match="no run with id 99"):
        score_run(db, 99)


def test_scored_run_feeds_the_lag_list_worst_first(db):
    add_pages(db, 1, ppid_up=False)
    score_run(db, 1)
    rows = lag_rows(db, 1)
    assert [(r["rank"], r["site_id"]) for r in rows] == [(1, 12), (2, 11), (3, 10)]
    assert rows[0]["reasons"][0]["message_id"] == "Situs tidak dapat dihubungi (koneksi ditolak)"


def test_a_broken_check_is_stored_as_an_error_finding_not_a_crash(db):
    def broken(evidence):
        raise RuntimeError("parser exploded")

    add_pages(db, 1, ppid_up=True)
    checks = {**CHECKS, "freshness.newest_content": Check("freshness.newest_content", "freshness", broken, "", "")}
    stats = Counter()
    assert score_run(db, 1, checks=checks, stats=stats) == 3
    errors = list(db.query("select site_id, severity, message_en from findings where run_id = 1 "
                           "and check_id = 'freshness.newest_content' order by site_id"))
    assert errors == [{"site_id": s, "severity": "medium", "message_en": "check failed: RuntimeError: parser exploded"}
                      for s in (10, 11, 12)]
    assert stats["checks/freshness.newest_content/error"] == 3
    assert scores_of(db, 1)[10]["freshness"] == 85.0
