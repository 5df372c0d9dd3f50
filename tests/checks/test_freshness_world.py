"""Freshness and documents on the default Jambi world, against the testbed's ground truth.

The session's one crawl of the whole default world (tests/conftest.py; 12 pages a site, enough to reach every site's document
list: the testbed links it from the menu and the sitemap), scored by the real `pantau crawl`. Every expectation comes from truth.json and
from the rule tables, never from numbers copied from a run:

- each site's "last updated" is truth's newest_date within one day, including sites whose
  footer shows the current year, sites with a today's-date widget, and sites dated only by
  the metadata inside their PDFs;
- for every stale OPD, the lag list names the current year's missing required documents,
  and those are exactly the required ones truth's document files do not contain.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest

from checks.freshness_config import rules
from exporter.lag import lag_rows
from sitefarm import run_pantau

STALE_DAYS = 180
# How the testbed names each category's files (testbed/content.py templates): independent
# of the categoriser under test.
FILE_PREFIX = {"rka": "RKA_", "dpa": "DPA_", "renja": "Renja_", "renstra": "Renstra_", "lkjip": "LKjIP_",
               "apbd": "APBD_", "kua_ppas": "KUA-PPAS_", "rkpd": "RKPD_", "lkpd": "LKPD_", "lppd": "LPPD_",
               "apbd_p": "APBD-P_"}


@pytest.fixture(scope="module")
def world(default_world):
    return default_world


def finding(world, host, check_id):
    rows = list(world["db"].query("select * from findings where run_id = ? and site_id = ? and check_id = ?",
                                  [world["run_id"], world["sites"][host]["id"], check_id]))
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows


def test_every_sites_last_updated_is_the_truths_newest_date_within_a_day(world):
    dated = {h: t for h, t in world["truth"].items() if t["newest_date"]}
    assert len(dated) > 100
    wrong = {}
    for host, truth in dated.items():
        [newest] = finding(world, host, "freshness.newest_content")
        got = newest["detail"].get("newest")
        expected = dt.date.fromisoformat(truth["newest_date"])
        if got is None or abs((dt.date.fromisoformat(got) - expected).days) > 1:
            wrong[host] = (truth["newest_date"], got, newest["detail"].get("source"))
    assert wrong == {}


def test_the_traps_are_in_the_world_and_do_not_fool_it(world):
    truth, today = world["truth"], world["today"]
    footer_now = [h for h, t in truth.items() if t["newest_date"] and t["footer_copyright_year"] == today.year
                  and dt.date.fromisoformat(t["newest_date"]).year < today.year]
    widget = [h for h, t in truth.items() if t["newest_date"] and t["today_widget"]
              and (today - dt.date.fromisoformat(t["newest_date"])).days > 30]
    pdf_only = [h for h, t in truth.items() if t["newest_date"] and t.get("dates_only_in_pdfs")]
    assert footer_now and widget and pdf_only
    for host in footer_now + widget:
        [newest] = finding(world, host, "freshness.newest_content")
        assert newest["detail"]["newest"] == truth[host]["newest_date"], host
        assert not newest["passed"], host
    for host in pdf_only:
        [newest] = finding(world, host, "freshness.newest_content")
        assert newest["detail"]["source"] == "pdf_metadata", host
        assert urlsplit(newest["evidence_url"]).path.endswith(".pdf")


def _published(truth_documents: list[dict], category: str, year: int) -> bool:
    prefix = FILE_PREFIX[category]
    for doc in truth_documents:
        name = doc["file"]
        if not name.startswith(prefix):
            continue
        period = re.match(re.escape(prefix) + r"(\d{4})-(\d{4})", name)
        if period and int(period.group(1)) <= year <= int(period.group(2)):
            return True
        if re.match(re.escape(prefix) + str(year) + r"(?!\d)", name):
            return True
    return False


def test_the_lag_list_names_the_missing_current_year_documents_of_every_stale_opd(world):
    today = world["today"]
    doc_rules = rules().documents
    labels = {c.id: c.label for c in doc_rules.categories}
    due_now = [r for r in doc_rules.required["opd"] if r.fiscal_year == 0 and (today.month, today.day) >= r.due]
    stale = [h for h, t in world["truth"].items()
             if t["role"] == "opd" and t["fault"] == "none"
             and (today - dt.date.fromisoformat(t["content_newest_date"])).days > STALE_DAYS]
    assert len(stale) >= 5
    rows = {urlsplit(r["url"]).hostname: r for r in lag_rows(world["db"], world["run_id"])}
    for host in stale:
        expected = [f"{labels[r.category]} {today.year}" for r in due_now
                    if not _published(world["truth"][host]["documents"], r.category, today.year)]
        assert expected, f"{host}: the testbed published every required document"
        reason = [r["message_id"] for r in rows[host]["reasons"] if r["check_id"] == "freshness.required_documents"]
        assert reason == [f"Dokumen wajib tahun {today.year} belum dipublikasikan: {', '.join(expected)}"], host


def test_the_freshness_report_lists_sites_units_and_pemda(world):
    result = run_pantau("report", "freshness", "--db", str(world["db_path"]), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_host = {s["host"]: s for s in report["sites"]}
    assert set(by_host) == set(world["sites"])
    for host, truth in world["truth"].items():
        if truth["newest_date"]:
            assert by_host[host]["last_updated"] is not None, host
            assert 0 <= by_host[host]["score"] <= 100
    assert len(report["pemda"]) == len({t["region_code"] for t in world["truth"].values()})
    ppid_rows = [s for s in report["sites"] if s["role"] == "ppid" and s["ppid"]]
    assert ppid_rows and all(s["ppid"]["estimate"] for s in ppid_rows)
