"""The whole pipeline on the default Jambi world: testbed -> import -> crawl -> score -> lag list.

The session's one crawl of the default world (tests/conftest.py); every assertion compares with the
testbed's own ground truth (truth.json), never with numbers copied from a run.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest

from exporter.lag import lag_rows
from sitefarm import run_pantau

STALE_DAYS = 365

HOME_OUTCOME = {
    "down": "connect_refused",
    "nxdomain": "dns_nxdomain",
    "http_500": "http_5xx",
    "http_403": "http_4xx",
    "http_404_home": "http_4xx",
    "redirect_loop": "redirect_loop",
    "empty_body": "empty_body",
    "parked": "parked_or_defaced",
}
TLS_PROBLEM = {"expired": "expired", "self_signed": "self_signed", "wrong_host": "hostname_mismatch"}


@pytest.fixture(scope="module")
def world(default_world):
    return default_world


def findings_of(world, host, check_id):
    return list(world["db"].query(
        "select * from findings where run_id = ? and site_id = ? and check_id = ?",
        [world["run_id"], world["sites"][host]["id"], check_id]))


def home_page(world, host):
    return next(world["db"].query("select * from pages where run_id = ? and site_id = ? and kind = 'home'",
                                  [world["run_id"], world["sites"][host]["id"]]))


def hosts_with(world, **attrs):
    return [h for h, t in world["truth"].items() if all(t.get(k) == v for k, v in attrs.items())]


@pytest.mark.parametrize("fault", sorted(HOME_OUTCOME))
def test_each_home_fault_is_recorded_as_its_outcome_and_a_critical_finding(world, fault):
    hosts = hosts_with(world, fault=fault)
    assert hosts, f"the default world has no {fault} site"
    for host in hosts:
        [finding] = findings_of(world, host, "availability.home")
        assert not finding["passed"] and finding["severity"] == "critical"
        assert json.loads(finding["detail"])["error_class"] == HOME_OUTCOME[fault]
        if fault != "parked":
            assert home_page(world, host)["error_class"] == HOME_OUTCOME[fault]
        assert urlsplit(finding["evidence_url"]).hostname == host


@pytest.mark.parametrize("variant", sorted(TLS_PROBLEM))
def test_each_broken_certificate_is_a_tls_finding_while_content_is_still_audited(world, variant):
    hosts = hosts_with(world, tls=variant)
    assert hosts
    for host in hosts:
        [finding] = findings_of(world, host, "availability.tls")
        assert not finding["passed"]
        assert TLS_PROBLEM[variant] in json.loads(finding["detail"])["problems"]
        assert home_page(world, host)["status"] == 200


def test_valid_certificates_from_the_testbed_ca_pass(world):
    for host in hosts_with(world, tls="valid", fault="none"):
        [finding] = findings_of(world, host, "availability.tls")
        assert finding["passed"], finding["message_en"]


def test_a_slow_site_is_a_latency_finding(world):
    for host in hosts_with(world, fault="slow"):
        [finding] = findings_of(world, host, "availability.latency")
        assert not finding["passed"]
        assert json.loads(finding["detail"])["elapsed_ms"] >= world["truth"][host]["slow_ms"]


def test_robots_disallowed_paths_are_never_fetched(world):
    for host, truth in world["truth"].items():
        for path in truth.get("robots_disallow") or []:
            fetched = list(world["db"].query(
                "select url from pages where run_id = ? and site_id = ? and status is not null and url like ?",
                [world["run_id"], world["sites"][host]["id"], f"%{path}%"]))
            assert fetched == [], host


def test_the_calendar_trap_is_bounded_by_the_page_budget(world):
    [host] = hosts_with(world, calendar_trap=True)
    count = world["db"].execute(
        "select count(*) from pages where run_id = ? and site_id = ? and kind in ('home', 'page')",
        [world["run_id"], world["sites"][host]["id"]]).fetchone()[0]
    assert count == 12


def test_the_lag_list_puts_down_broken_and_stale_sites_last_with_their_reasons(world):
    today = dt.date.fromisoformat(world["db"].execute("select finished_at from runs where id = ?",
                                                      [world["run_id"]]).fetchone()[0][:10])
    bad = set()
    for host, truth in world["truth"].items():
        newest = truth.get("content_newest_date")
        stale = newest and (today - dt.date.fromisoformat(newest)).days > STALE_DAYS
        if truth["fault"] in HOME_OUTCOME or stale:
            bad.add(host)
    rows = lag_rows(world["db"], world["run_id"])
    assert len(rows) == len(world["sites"])
    worst = {urlsplit(row["url"]).hostname for row in rows[: len(bad)]}
    assert worst == bad
    for row in rows[: len(bad)]:
        assert row["reasons"], row
        host = urlsplit(row["url"]).hostname
        for reason in row["reasons"]:
            assert reason["message_id"]
            assert urlsplit(reason["evidence_url"]).hostname == host


def test_every_failed_finding_links_the_page_it_came_from(world):
    rows = list(world["db"].query(
        "select f.check_id, f.evidence_url, s.host from findings f join sites s on s.id = f.site_id "
        "where f.run_id = ? and f.passed = 0", [world["run_id"]]))
    assert rows
    for row in rows:
        assert row["evidence_url"], row
        assert urlsplit(row["evidence_url"]).hostname == row["host"], row


def test_the_lag_command_writes_an_indonesian_html_report(world, tmp_path):
    html_path = tmp_path / "lag.html"
    result = run_pantau("report", "lag", "--db", str(world["db_path"]), "--html", str(html_path), "--top", "5")
    assert result.returncode == 0, result.stderr
    assert f"report: {html_path}" in result.stdout
    html = html_path.read_text()
    assert "Daftar Keterlambatan OPD" in html
    for host in hosts_with(world, fault="down"):
        assert host in html
