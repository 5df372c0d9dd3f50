"""Prometheus side of the deployment: scrape config, alert rules and their unit tests, and
`promtool check metrics` over a scrape that carries every family."""

from __future__ import annotations

import re
import subprocess
import threading

import pytest
import yaml
from stack import DEPLOY, REPO, require_tools

from exporter.metrics import metric_names
from exporter.server import make_server
from tests.exporter.metrics_fixture import build_metrics_db, enrich_metrics_db

PROMETHEUS = DEPLOY / "prometheus"
RUNBOOKS = REPO / "docs" / "runbooks.md"
ALERTS = {"PantauSiteDown", "PantauTlsCertExpiringSoon", "PantauContentStale", "PantauPpidItemsMissing",
          "PantauScoreDroppedSharply", "PantauOpdLagging", "PantauCrawlNotRun", "PantauProbeNotRun",
          "PantauExporterDown"}
# Indonesian words every summary or description uses somewhere; English ones must not appear.
ENGLISH = re.compile(r"\b(?:the|is|not|site|down|expires?|stale|missing|lagging|has)\b", re.IGNORECASE)


@pytest.fixture(scope="module", autouse=True)
def tools():
    require_tools()


def promtool(*args: str, cwd=PROMETHEUS, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["promtool", *args], cwd=cwd, capture_output=True, input=input, timeout=120)


def rules() -> list[dict]:
    groups = yaml.safe_load((PROMETHEUS / "rules" / "pantau.rules.yml").read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_the_scrape_config_and_its_rules_are_valid():
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"SUCCESS: 9 rules found" in result.stdout


def test_every_alert_passes_its_promtool_unit_tests():
    result = promtool("test", "rules", "tests/pantau.rules.test.yml", "tests/pantau.weekly.test.yml")
    assert result.returncode == 0, (result.stdout + result.stderr).decode()
    assert result.stdout.count(b"SUCCESS") == 2


def test_every_alert_has_a_unit_test_that_fires_it_and_one_that_keeps_it_silent():
    fired, silent = set(), set()
    for path in (PROMETHEUS / "tests").glob("*.yml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            for check in case.get("alert_rule_test", []):
                (fired if check["exp_alerts"] else silent).add(check["alertname"])
    assert fired == ALERTS and silent == ALERTS


def test_every_alert_speaks_indonesian_routes_by_region_and_unit_and_links_its_runbook():
    runbook_anchors = set(re.findall(r"^## (Pantau\w+)$", RUNBOOKS.read_text(encoding="utf-8"), flags=re.M))
    assert {rule["alert"] for rule in rules()} == ALERTS == runbook_anchors
    for rule in rules():
        annotations = rule["annotations"]
        assert set(annotations) == {"summary", "description", "runbook_url"}, rule["alert"]
        for key in ("summary", "description"):
            text = re.sub(r"\{\{.*?\}\}", "", annotations[key])
            assert not ENGLISH.search(text), (rule["alert"], key, ENGLISH.search(text))
        assert annotations["runbook_url"] == (
            f"https://github.com/pantau/pantau/blob/main/docs/runbooks.md#{rule['alert'].lower()}")
        assert rule["labels"]["severity"] in {"warning", "critical"}
        # Per-site and per-unit alerts keep the labels Alertmanager groups on.
        if "pantau_site_" in rule["expr"] or "pantau_unit_" in rule["expr"]:
            assert "on(unit) group_left(unit_name" in rule["expr"], rule["alert"]


def test_promtool_check_metrics_is_silent_on_a_scrape_with_every_family(tmp_path):
    path = enrich_metrics_db(build_metrics_db(tmp_path / "pantau.db"))
    server = make_server(str(path), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import urllib.request

        with urllib.request.urlopen(f"{server.url}metrics", timeout=10) as response:
            body = response.read()
    finally:
        server.shutdown()
        server.server_close()
    families = set(re.findall(rb"^# TYPE (pantau_\S+) gauge$", body, flags=re.M))
    assert {f.decode() for f in families} == set(metric_names())
    result = promtool("check", "metrics", input=body)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
