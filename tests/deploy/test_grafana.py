"""pantau's Grafana provisioning and dashboards, checked against what the exporter emits.

Grafana itself is not installable here; the dashboards' PromQL runs against the real
Prometheus in test_stack_e2e.py.
"""

from __future__ import annotations

import re

import yaml
from grafana_queries import DASHBOARDS, dashboards, panel_targets

from deploy.grafana.build_dashboards import DASHBOARDS as BUILDERS
from deploy.grafana.build_dashboards import render
from exporter.metrics import metric_names

PROVISIONING = DASHBOARDS.parent / "provisioning"
PROMETHEUS_NAMES = {"up", "ALERTS"}
# PromQL keywords that are not followed by "(" and so look like metric names.
PROMQL_KEYWORDS = {"or", "and", "unless", "offset", "bool"}


def datasource():
    config = yaml.safe_load((PROVISIONING / "datasources" / "pantau.yml").read_text(encoding="utf-8"))
    (source,) = config["datasources"]
    return source


def metric_words(expr: str) -> set[str]:
    """Identifiers of ``expr`` outside label matchers, strings, ranges, label lists and function
    calls: its metric names."""
    bare = re.sub(r'"[^"]*"', '""', expr)
    bare = re.sub(r"\{[^}]*\}", "", bare)
    bare = re.sub(r"\[[^\]]*\]", "", bare)
    bare = re.sub(r"\b(?:by|on|group_left|group_right|without|ignoring)\s*\([^)]*\)", "", bare)
    words = re.findall(r"(?<![$\w.])([A-Za-z_:][A-Za-z0-9_:]*)(?!\s*\(|\w)", bare)
    return {w for w in words if w not in PROMQL_KEYWORDS}


def test_the_checked_in_dashboards_are_what_the_builder_writes():
    assert sorted(p.name for p in DASHBOARDS.glob("*.json")) == sorted(BUILDERS)
    for name, build in BUILDERS.items():
        assert (DASHBOARDS / name).read_text(encoding="utf-8") == render(build), (
            f"{name} differs: run python -m deploy.grafana.build_dashboards")


def test_the_provisioned_datasource_is_the_local_prometheus_every_panel_uses():
    source = datasource()
    assert (source["type"], source["uid"], source["url"]) == ("prometheus", "pantau-prometheus", "http://127.0.0.1:9090")
    provider = yaml.safe_load((PROVISIONING / "dashboards" / "pantau.yml").read_text(encoding="utf-8"))
    assert [p["type"] for p in provider["providers"]] == ["file"]
    ref = {"type": source["type"], "uid": source["uid"]}
    for name, dashboard in dashboards().items():
        for variable in dashboard["templating"]["list"]:
            assert variable["datasource"] == ref, (name, variable["name"])
        for panel in dashboard["panels"]:
            assert panel["datasource"] == ref, (name, panel["title"])
        for title, target in panel_targets(dashboard):
            assert target["datasource"] == ref, (name, title)


def test_every_query_uses_only_metrics_the_exporter_emits():
    emitted = set(metric_names()) | PROMETHEUS_NAMES
    used = set()
    for name, dashboard in dashboards().items():
        for title, target in panel_targets(dashboard):
            words = metric_words(target["expr"])
            assert words, (name, title, target["expr"])
            assert words <= emitted, (name, title, words - emitted)
            used |= words
    # The dashboards between them show every per-site and per-unit family.
    per_site = {n for n in metric_names() if n.startswith(("pantau_site_", "pantau_unit_"))}
    assert per_site <= used, per_site - used


def test_dashboards_are_complete_grafana_models_with_unique_ids_and_a_grid_that_does_not_overlap():
    uids = set()
    for name, dashboard in dashboards().items():
        assert dashboard["uid"] not in uids and dashboard["uid"] == name.removesuffix(".json")
        uids.add(dashboard["uid"])
        assert dashboard["schemaVersion"] >= 36 and dashboard["title"].startswith("pantau")
        cells = set()
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids))
        for panel in dashboard["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24, (name, panel["title"])
            mine = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                    for y in range(grid["y"], grid["y"] + grid["h"])}
            assert not mine & cells, (name, panel["title"])
            cells |= mine
            refs = [t["refId"] for t in panel["targets"]]
            assert len(refs) == len(set(refs)), (name, panel["title"])
        variables = {v["name"] for v in dashboard["templating"]["list"]}
        for title, target in panel_targets(dashboard):
            used = set(re.findall(r"\$(\w+)", target["expr"])) - {"__range", "__interval", "__rate_interval"}
            assert used <= variables, (name, title, used - variables)


def test_the_metric_name_reader_sees_through_labels_functions_and_joins():
    assert metric_words('count((pantau_site_up * on(region) group_left(province) '
                        'pantau_region_info{province=~"$province"}) == 0) or vector(0)') == {
        "pantau_site_up", "pantau_region_info"}
    assert metric_words("avg_over_time(pantau_site_up{region=\"$region\"}[$__range]) * on(site) "
                        "group_left(host) pantau_site_info") == {"pantau_site_up", "pantau_site_info"}
    assert metric_words('ALERTS{alertstate="firing",site="$site"}') == {"ALERTS"}
