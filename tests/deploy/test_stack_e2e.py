"""End to end: a testbed crawl with one lagging OPD, scraped by the real Prometheus, whose
lagging alert reaches the real Alertmanager with the OPD's labels.

Debian's prometheus 2.42 and prometheus-alertmanager 0.25 run on loopback with the shipped
configuration (deploy/), with intervals cut to a second; `pantau serve` is the real command.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import urllib.request

import pytest
from stack import (
    WebhookSink,
    alertmanager_test_config,
    http_get,
    prom_query,
    require_tools,
    start_alertmanager,
    start_exporter,
    start_prometheus,
    wait_for,
)

from crawler.cli_demo import start_testbed, stop_testbed
from exporter.metrics import metric_names
from sitefarm import run_pantau
from storage.db import open_db

# One pemda: a portal and three OPDs, one of which (Dinas Lingkungan Hidup) is down, so its
# composite score is 0 and it is the one unit below the lagging bar.
WORLD = """\
seed: 11
today: null
defaults: {pages: 8, news: 3, documents: 2, features: [email, phone]}
regions:
  - code: "15"
    name: Provinsi Jambi
    kind: provinsi
    parent: null
    domain: jambiprov.go.id
    capital: Jambi
    portal: {tls: valid, features: [email, phone, social, lapor]}
    ppid: false
    opds:
      - {short: diskominfo, name: Dinas Komunikasi dan Informatika, tls: valid}
      - {short: bappeda, name: Badan Perencanaan Pembangunan Daerah}
      - {short: dlh, name: Dinas Lingkungan Hidup, fault: down}
"""
LAGGING_SHORT = "dlh"
LAGGING_BELOW = "1"  # only a site that scores 0 (down) lags, whatever the other checks find


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    require_tools()
    out = tmp_path_factory.mktemp("stack")
    world = out / "world.yaml"
    world.write_text(WORLD, encoding="utf-8")
    testbed_dir = out / "testbed"
    testbed_dir.mkdir()
    proc = start_testbed(testbed_dir, str(world))
    db_path = out / "pantau.db"
    try:
        imported = run_pantau("sites", "import", str(testbed_dir / "registry.csv"), "--db", str(db_path))
        assert imported.returncode == 0, imported.stderr
        crawl = run_pantau("crawl", "--db", str(db_path), "--hosts-file", str(testbed_dir / "hosts.txt"),
                           "--ca-file", str(testbed_dir / "ca.pem"), "--allow-private", "--no-progress",
                           "--max-pages", "8", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "LOG_LEVEL=ERROR",
                           "--set", "DOWNLOAD_TIMEOUT=5", timeout=300)
        assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    finally:
        stop_testbed(proc)
    db = open_db(db_path)
    unit = next(db.query("select id, name, region_code from units where short_name = ?", [LAGGING_SHORT]))
    db.close()
    return {"dir": out, "db": db_path, "lagging_unit": unit}


@pytest.fixture(scope="module")
def stack(crawled):
    work = crawled["dir"]
    started = []
    sink = WebhookSink()
    try:
        exporter, exporter_url = start_exporter(crawled["db"], work, "--lagging-below", LAGGING_BELOW)
        started.append(exporter)
        alertmanager, am_url = start_alertmanager(work, alertmanager_test_config(sink))
        started.append(alertmanager)
        prometheus, prom_url = start_prometheus(work, exporter_url, am_url)
        started.append(prometheus)
        yield {"exporter": exporter_url, "alertmanager": am_url, "prometheus": prom_url, "sink": sink,
               "processes": started, **crawled}
    finally:
        for process in reversed(started):
            process.stop()
        sink.stop()


def am_alerts(am_url: str, **filters) -> list[dict]:
    _, body = http_get(f"{am_url}/api/v2/alerts")
    alerts = json.loads(body)
    return [a for a in alerts if all(a["labels"].get(k) == v for k, v in filters.items())]


def test_the_lagging_opds_alert_reaches_alertmanager_with_its_labels(stack):
    unit = stack["lagging_unit"]
    alerts = wait_for(lambda: am_alerts(stack["alertmanager"], alertname="PantauOpdLagging"), 90,
                      "PantauOpdLagging in Alertmanager")
    assert [a["labels"] for a in alerts] == [{
        "alertname": "PantauOpdLagging", "severity": "warning", "region": unit["region_code"],
        "unit": str(unit["id"]), "unit_name": unit["name"], "unit_kind": "opd",
        "instance": stack["exporter"].split("//")[1].rstrip("/"), "job": "pantau", "monitor": "pantau",
    }]
    assert alerts[0]["status"]["state"] == "active"
    assert alerts[0]["annotations"]["summary"] == "Dinas Lingkungan Hidup masuk daftar keterlambatan"
    assert alerts[0]["annotations"]["runbook_url"].endswith("/docs/runbooks.md#pantauopdlagging")
    # Routed by the shipped tree: to the Sekda's secretariat and on to the pemda's Diskominfo.
    received = wait_for(lambda: {path for path, body in stack["sink"].received
                                 if any(a["labels"]["alertname"] == "PantauOpdLagging" for a in body["alerts"])}
                        >= {"/sekretariat-daerah", "/diskominfo-jambi"} and stack["sink"].received, 30,
                        "the lag notification at both receivers")
    lag_paths = sorted({path for path, body in received
                        if any(a["labels"]["alertname"] == "PantauOpdLagging" for a in body["alerts"])})
    assert lag_paths == ["/diskominfo-jambi", "/sekretariat-daerah"]


def test_the_down_site_alerts_and_no_healthy_site_does(stack):
    unit = stack["lagging_unit"]
    alerts = wait_for(lambda: am_alerts(stack["alertmanager"], alertname="PantauSiteDown"), 60,
                      "PantauSiteDown in Alertmanager")
    assert [(a["labels"]["unit"], a["labels"]["host"]) for a in alerts] == [(str(unit["id"]), "dlh.jambiprov.go.id")]


def test_prometheus_scrapes_the_exporter_and_sees_every_family_it_emits(stack):
    prom = stack["prometheus"]
    up = wait_for(lambda: prom_query(prom, 'up{job="pantau"} == 1')["data"]["result"], 30, "a successful scrape")
    assert len(up) == 1
    _, body = http_get(f"{stack['exporter']}metrics")
    emitted = set(re.findall(r"^# TYPE (pantau_\S+) gauge$", body.decode(), flags=re.M))
    assert emitted <= set(metric_names())
    assert {"pantau_site_up", "pantau_site_score_ratio", "pantau_site_last_content_update_timestamp_seconds",
            "pantau_unit_lagging", "pantau_crawl_last_finished_timestamp_seconds", "pantau_site_info",
            "pantau_unit_info", "pantau_region_info"} <= emitted
    names = prom_query(prom, 'group by (__name__) ({__name__=~"pantau_.+"})')["data"]["result"]
    assert {r["metric"]["__name__"] for r in names} == emitted
    # The world's four sites: a portal and three OPDs.
    assert prom_query(prom, "count(pantau_site_up)")["data"]["result"][0]["value"][1] == "4"


def test_promtool_check_metrics_finds_nothing_to_say_about_a_real_scrape(stack):
    status, body = http_get(f"{stack['exporter']}metrics")
    assert status == 200
    result = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_a_down_site_inhibits_its_staleness_alert_in_the_shipped_alertmanager_config(stack):
    am = stack["alertmanager"]
    now = dt.datetime.now(dt.timezone.utc)
    ends = (now + dt.timedelta(minutes=10)).isoformat()
    base = {"region": "99", "unit": "9001", "severity": "warning"}
    alerts = [
        {"labels": {**base, "alertname": "PantauSiteDown", "site": "9001", "severity": "critical"}, "endsAt": ends},
        {"labels": {**base, "alertname": "PantauContentStale", "site": "9001"}, "endsAt": ends},
        {"labels": {**base, "alertname": "PantauContentStale", "site": "9002"}, "endsAt": ends},
    ]
    request = urllib.request.Request(f"{am}/api/v2/alerts", data=json.dumps(alerts).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200

    def states():
        found = {(a["labels"]["alertname"], a["labels"]["site"]): a["status"] for a in am_alerts(am, region="99")}
        return found if len(found) == 3 and found[("PantauContentStale", "9001")]["state"] == "suppressed" else None

    found = wait_for(states, 30, "the inhibition to apply")
    assert found[("PantauContentStale", "9001")]["inhibitedBy"]
    assert found[("PantauContentStale", "9002")]["state"] == "active"
    assert found[("PantauSiteDown", "9001")]["state"] == "active"


def test_no_process_of_the_stack_died(stack):
    for process in stack["processes"]:
        assert process.proc.poll() is None, f"{process.name} exited:\n{process.log_text()}"
        assert not re.search(r"level=error", process.log_text()), process.log_text()


# Panels that a fresh crawl of WORLD leaves empty: no probe has run, no weekly lag list was
# judged, no alert is firing for a healthy site, no PPID site, and whether documents are due
# depends on the date.
MAY_BE_EMPTY = {"Pemeriksaan (probe) terakhir", "Temuan: peringatan yang sedang aktif", "Butir PPID belum ada",
                "Informasi berkala usang", "Dokumen wajib belum terbit", "OPD tertinggal dan tingkat teguran"}


def test_every_dashboard_query_runs_on_the_real_prometheus(stack):
    from grafana_queries import dashboards, grafana_regex, panel_targets, query_result_texts, substitute

    prom = stack["prometheus"]
    wait_for(lambda: prom_query(prom, "pantau_unit_lagging")["data"]["result"], 30, "scraped series")
    db = open_db(stack["db"])
    site = str(next(db.query("select s.id from sites s join units u on u.id = s.unit_id "
                             "where u.short_name = 'diskominfo'"))["id"])
    db.close()
    variables = {"province": "15", "region": "15", "site": site}

    # The variables' own queries offer the values used below.
    _, body = http_get(f"{prom}/api/v1/label/province/values?match[]=pantau_region_info")
    assert json.loads(body)["data"] == ["15"]
    for name, dashboard in dashboards().items():
        for variable in dashboard["templating"]["list"]:
            query = variable["query"]["query"]
            match = re.fullmatch(r"query_result\((.+)\)", query)
            if not match:
                continue
            texts = query_result_texts(prom_query(prom, match.group(1))["data"]["result"])
            pattern = grafana_regex(variable["regex"])
            values = {m.group("value"): m.group("text") for t in texts if (m := pattern.search(t))}
            assert variables[variable["name"]] in values, (name, variable["name"], texts[:2])

    empty = set()
    for name, dashboard in dashboards().items():
        for title, target in panel_targets(dashboard):
            expr = substitute(target["expr"], variables)
            answer = prom_query(prom, expr)
            assert answer["status"] == "success", (name, title, expr, answer)
            if not answer["data"]["result"]:
                empty.add(title)
    assert empty <= MAY_BE_EMPTY, empty - MAY_BE_EMPTY
