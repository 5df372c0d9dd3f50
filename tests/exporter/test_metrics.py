"""The exporter's collector: what a scrape of a known store says, sample by sample."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from metrics_fixture import build_metrics_db
from prometheus_client import CollectorRegistry, generate_latest

from exporter.metrics import (
    DURATION_FAMILY,
    FAMILIES,
    ExporterSettings,
    PantauCollector,
    SchemaError,
    metric_names,
    render,
)
from storage.db import open_db

EXPECTED_SAMPLES = r"""
pantau_site_up{region="15",site="10",unit="1"} 1.0
pantau_site_up{region="15",site="11",unit="2"} 0.0
pantau_site_up{region="15.71",site="12",unit="3"} 0.0
pantau_site_probe_duration_seconds{region="15",site="10",unit="1"} 0.25
pantau_site_probe_duration_seconds{region="15",site="11",unit="2"} 1.2
pantau_site_probe_duration_seconds{region="15.71",site="12",unit="3"} 0.0035
pantau_site_http_status_code{region="15",site="10",unit="1"} 200.0
pantau_site_http_status_code{region="15",site="11",unit="2"} 503.0
pantau_site_http_status_code{region="15.71",site="12",unit="3"} 0.0
pantau_site_tls_cert_expiry_timestamp_seconds{region="15",site="10",unit="1"} 1.7987616e+09
pantau_site_score_ratio{dimension="accessibility",region="15",site="10",unit="1"} 0.8
pantau_site_score_ratio{dimension="availability",region="15",site="10",unit="1"} 1.0
pantau_site_score_ratio{dimension="composite",region="15",site="10",unit="1"} 0.9
pantau_site_score_ratio{dimension="freshness",region="15",site="10",unit="1"} 0.75
pantau_site_score_ratio{dimension="interaction",region="15",site="10",unit="1"} 1.0
pantau_site_score_ratio{dimension="accessibility",region="15",site="11",unit="2"} 0.55
pantau_site_score_ratio{dimension="availability",region="15",site="11",unit="2"} 0.35
pantau_site_score_ratio{dimension="composite",region="15",site="11",unit="2"} 0.305
pantau_site_score_ratio{dimension="freshness",region="15",site="11",unit="2"} 0.0
pantau_site_score_ratio{dimension="interaction",region="15",site="11",unit="2"} 0.65
pantau_site_score_ratio{dimension="accessibility",region="15.71",site="12",unit="3"} 0.0
pantau_site_score_ratio{dimension="availability",region="15.71",site="12",unit="3"} 0.0
pantau_site_score_ratio{dimension="composite",region="15.71",site="12",unit="3"} 0.0
pantau_site_score_ratio{dimension="freshness",region="15.71",site="12",unit="3"} 0.0
pantau_site_score_ratio{dimension="interaction",region="15.71",site="12",unit="3"} 0.0
pantau_site_last_content_update_timestamp_seconds{region="15",site="10",unit="1"} 1.7951076e+09
pantau_site_last_content_update_timestamp_seconds{region="15",site="11",unit="2"} 1.7173476e+09
pantau_unit_lagging{region="15",unit="1"} 0.0
pantau_unit_lagging{region="15",unit="2"} 1.0
pantau_unit_lagging{region="15.71",unit="3"} 1.0
pantau_crawl_last_finished_timestamp_seconds 1.7954028e+09
pantau_crawl_last_duration_seconds 7200.0
pantau_site_info{host="bappeda.jambiprov.go.id",region="15",role="opd",site="10",unit="1"} 1.0
pantau_site_info{host="disdik.jambiprov.go.id",region="15",role="opd",site="11",unit="2"} 1.0
pantau_site_info{host="ppid.jambikota.go.id",region="15.71",role="ppid",site="12",unit="3"} 1.0
pantau_site_info{host="baru.jambiprov.go.id",region="15",role="opd",site="14",unit="1"} 1.0
pantau_unit_info{region="15",unit="1",unit_kind="opd",unit_name="Badan Perencanaan Pembangunan Daerah",unit_short="bappeda"} 1.0
pantau_unit_info{region="15",unit="2",unit_kind="opd",unit_name="Dinas \"Pendidikan\" \\ Uji",unit_short="disdik"} 1.0
pantau_unit_info{region="15.71",unit="3",unit_kind="ppid",unit_name="PPID Kota Jambi",unit_short="ppid"} 1.0
pantau_region_info{parent_region="",province="15",region="15",region_kind="provinsi",region_name="Provinsi Jambi"} 1.0
pantau_region_info{parent_region="15",province="15",region="15.71",region_kind="kota",region_name="Kota Jambi"} 1.0
pantau_config_lagging_threshold_ratio 0.6
pantau_config_content_stale_after_seconds 7.776e+06
pantau_exporter_collect_duration_seconds <seconds>
""".lstrip()


@pytest.fixture
def store(tmp_path):
    return build_metrics_db(tmp_path / "pantau.db")


def scrape_text(path, settings=None) -> str:
    return "".join(render(PantauCollector(path, settings).iter_families()))


def samples(text: str) -> str:
    """Sample lines only, with the collect duration (the one value a clock decides) masked."""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    return re.sub(rf"^({DURATION_FAMILY}) \S+$", r"\1 <seconds>", "".join(lines), flags=re.M)


def sample_map(text: str) -> dict[str, str]:
    return dict(line.rsplit(" ", 1) for line in samples(text).splitlines())


def test_a_scrape_reports_each_active_sites_newest_scored_results(store):
    # Sites 10 and 11 come from run 2, the down site 12 from run 1 (run 2 did not cover it);
    # run 3 is still running and unscored; site 13 is retired; site 14 was never crawled, so it
    # has only its info series. Names appear only on the *_info families.
    assert samples(scrape_text(store)) == EXPECTED_SAMPLES


def test_every_family_has_help_and_type_lines_before_its_samples(store):
    text = scrape_text(store)
    helps = dict(re.findall(r"^# HELP (\S+) (.+)$", text, flags=re.M))
    spec_help = {spec.name: spec.help for spec in FAMILIES}
    emitted = re.findall(r"^# TYPE (\S+) gauge$", text, flags=re.M)
    assert emitted == [name for name in metric_names() if name in helps]
    for name in emitted:
        assert helps[name] == spec_help.get(name, helps[name]) and len(helps[name]) > 20
        block = text.split(f"# TYPE {name} gauge\n", 1)[1]
        assert block.startswith(name)


def test_the_fast_text_is_byte_for_byte_what_prometheus_client_writes(store):
    registry = CollectorRegistry()
    registry.register(PantauCollector(store))
    standard = generate_latest(registry).decode("utf-8")
    assert samples(scrape_text(store)) == samples(standard)
    strip = lambda text: re.sub(rf"({DURATION_FAMILY}) \S+", r"\1 X", text)  # noqa: E731
    assert strip(scrape_text(store)) == strip(standard)


def test_a_unit_lags_below_the_configured_composite_score(store):
    # Unit 2's site scores 30.5 and unit 3's 0.0: with the bar at 25 only unit 3 lags.
    text = scrape_text(store, ExporterSettings(lagging_below=25))
    lagging = {k: v for k, v in sample_map(text).items() if k.startswith("pantau_unit_lagging")}
    assert lagging == {'pantau_unit_lagging{region="15",unit="1"}': "0.0",
                       'pantau_unit_lagging{region="15",unit="2"}': "0.0",
                       'pantau_unit_lagging{region="15.71",unit="3"}': "1.0"}
    assert sample_map(text)["pantau_config_lagging_threshold_ratio"] == "0.25"


def test_stored_weekly_verdicts_replace_the_threshold(store):
    db = open_db(store)
    db["weekly_status"].insert_all([
        {"week": "2026-W46", "unit_id": 1, "region_code": "15", "has_data": 1, "lagging": 1, "level": 1},
        {"week": "2026-W47", "unit_id": 1, "region_code": "15", "has_data": 1, "lagging": 0, "level": 1},
        {"week": "2026-W47", "unit_id": 2, "region_code": "15", "has_data": 1, "lagging": 1, "level": 3},
        # A week without data: the flag is unknown, the ladder stays where it was.
        {"week": "2026-W47", "unit_id": 3, "region_code": "15.71", "has_data": 0, "lagging": None, "level": 2},
    ])
    db.close()
    got = {k: v for k, v in sample_map(scrape_text(store)).items() if k.startswith("pantau_unit_")
           and not k.startswith("pantau_unit_info")}
    assert got == {
        'pantau_unit_lagging{region="15",unit="1"}': "0.0",
        'pantau_unit_lagging{region="15",unit="2"}': "1.0",
        'pantau_unit_reprimand_level{region="15",unit="1"}': "1.0",
        'pantau_unit_reprimand_level{region="15",unit="2"}': "3.0",
        'pantau_unit_reprimand_level{region="15.71",unit="3"}': "2.0",
    }


def test_once_the_prober_has_run_availability_comes_from_each_sites_newest_probe(store):
    db = open_db(store)
    db["runs"].insert_all([
        {"id": 10, "kind": "probe", "started_at": "2026-11-23T10:00:00+00:00",
         "finished_at": "2026-11-23T10:00:40+00:00", "status": "finished"},
        {"id": 11, "kind": "probe", "started_at": "2026-11-23T10:05:00+00:00",
         "finished_at": "2026-11-23T10:05:30+00:00", "status": "finished"},
    ])
    tls = json.dumps({"not_after": "2026-12-01T00:00:00+00:00"})
    db["probes"].insert_all([
        {"run_id": 10, "site_id": 10, "probed_at": "2026-11-23T10:00:01+00:00", "status": 200, "error_class": "ok",
         "total_ms": 120.0, "tls": tls},
        {"run_id": 11, "site_id": 10, "probed_at": "2026-11-23T10:05:01+00:00", "status": None,
         "error_class": "connect_timeout", "total_ms": 10000.0, "tls": None},
        {"run_id": 10, "site_id": 12, "probed_at": "2026-11-23T10:00:02+00:00", "status": 200, "error_class": "ok",
         "total_ms": 80.0, "tls": tls},
    ])
    db.close()
    got = sample_map(scrape_text(store))
    availability = {k: v for k, v in got.items() if k.split("{")[0] in {
        "pantau_site_up", "pantau_site_probe_duration_seconds", "pantau_site_http_status_code",
        "pantau_site_tls_cert_expiry_timestamp_seconds"}}
    # Site 11 was never probed: it has no availability series at all once probes exist.
    assert availability == {
        'pantau_site_up{region="15",site="10",unit="1"}': "0.0",
        'pantau_site_up{region="15.71",site="12",unit="3"}': "1.0",
        'pantau_site_probe_duration_seconds{region="15",site="10",unit="1"}': "10.0",
        'pantau_site_probe_duration_seconds{region="15.71",site="12",unit="3"}': "0.08",
        'pantau_site_http_status_code{region="15",site="10",unit="1"}': "0.0",
        'pantau_site_http_status_code{region="15.71",site="12",unit="3"}': "200.0",
        'pantau_site_tls_cert_expiry_timestamp_seconds{region="15.71",site="12",unit="3"}': "1.7960832e+09",
    }
    assert got["pantau_probe_last_finished_timestamp_seconds"] == "1.79542833e+09"
    assert got["pantau_probe_last_duration_seconds"] == "30.0"


def test_stage_and_new_score_dimensions_appear_as_the_checks_store_them(store):
    db = open_db(store)
    db["findings"].insert_all([
        {"run_id": 2, "site_id": 10, "check_id": "interaction.stage", "dimension": "interaction", "severity": "info",
         "passed": 1, "detail": json.dumps({"stage": 3, "stage_key": "pemantapan", "score": 80})},
        {"run_id": 1, "site_id": 12, "check_id": "interaction.stage", "dimension": "interaction",
         "severity": "medium", "passed": 0, "detail": json.dumps({"no_evidence": True, "stage": None})},
        # An older run's stage is history, not the site's stage.
        {"run_id": 1, "site_id": 11, "check_id": "interaction.stage", "dimension": "interaction",
         "severity": "info", "passed": 1, "detail": json.dumps({"stage": 2})},
    ])
    db["scores"].insert({"run_id": 2, "site_id": 11, "dimension": "ppid", "score": 42.0, "scored_at": "x"})
    db.close()
    got = sample_map(scrape_text(store))
    assert {k: v for k, v in got.items() if k.startswith("pantau_site_egov_stage")} == {
        'pantau_site_egov_stage{region="15",site="10",unit="1"}': "3.0"}
    assert got['pantau_site_score_ratio{dimension="ppid",region="15",site="11",unit="2"}'] == "0.42"


def test_a_store_without_results_exports_only_what_it_has(tmp_path):
    path = tmp_path / "kosong.db"
    db = open_db(path)
    db["regions"].insert({"code": "15", "name": "Provinsi Jambi", "kind": "provinsi", "parent": None})
    db.close()
    text = scrape_text(path)
    assert re.findall(r"^# TYPE (\S+)", text, flags=re.M) == [
        "pantau_region_info", "pantau_config_lagging_threshold_ratio",
        "pantau_config_content_stale_after_seconds", DURATION_FAMILY]


def test_a_scrape_reads_one_snapshot_even_when_a_crawl_commits_midway(store):
    families = PantauCollector(store).iter_families(lazy=True)
    text = "".join(render([next(families)]))  # pantau_site_up, read before the writer commits
    writer = sqlite3.connect(store)
    writer.execute("update scores set score = 100 where site_id = 11")
    writer.execute("update sites set active = 0 where id = 10")
    writer.commit()
    writer.execute("begin immediate")  # and a writer holding the lock does not block the scrape
    try:
        text += "".join(render(families))
    finally:
        writer.rollback()
        writer.close()
    assert samples(text) == EXPECTED_SAMPLES
    after = sample_map(scrape_text(store))
    assert after['pantau_site_score_ratio{dimension="composite",region="15",site="11",unit="2"}'] == "1.0"
    assert not any('site="10"' in key for key in after)


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "no such database"),
    (lambda p: p.write_bytes(b"this is not sqlite at all" * 100), "not a pantau database"),
    (lambda p: sqlite3.connect(p).executescript(
        "create table _migrations (name text, applied_at text);"
        "insert into _migrations values ('m001_registry', 'x');").close(),
     "schema is out of date; run `pantau db migrate"),
])
def test_a_store_the_exporter_cannot_read_is_an_error_before_any_output(tmp_path, make, message):
    path = tmp_path / "x.db"
    make(path)
    with pytest.raises(SchemaError, match=re.escape(message)):
        next(PantauCollector(path).iter_families())


@pytest.mark.parametrize("kwargs, message", [
    ({"lagging_below": 101}, "lagging_below must be a score from 0 to 100, not 101"),
    ({"lagging_below": -1}, "lagging_below must be a score from 0 to 100, not -1"),
    ({"stale_after_days": 0}, "stale_after_days must be at least 1, not 0"),
])
def test_bad_settings_are_refused_with_their_reason(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ExporterSettings(**kwargs)


def test_document_counts_come_from_the_required_documents_and_ppid_findings(store):
    db = open_db(store)
    finding = {"dimension": "freshness", "severity": "info", "passed": 0, "message_id": "-", "message_en": "-"}
    db["findings"].insert_all([
        # Two fiscal years owed by site 10: 2 + 1 missing; a third year complete.
        {**finding, "run_id": 2, "site_id": 10, "check_id": "freshness.required_documents",
         "detail": json.dumps({"fiscal_year": 2026, "missing": [{"category": "apbd"}, {"category": "rkpd"}]})},
        {**finding, "run_id": 2, "site_id": 10, "check_id": "freshness.required_documents",
         "detail": json.dumps({"fiscal_year": 2025, "missing": [{"category": "lkjip"}]})},
        {**finding, "run_id": 2, "site_id": 10, "check_id": "freshness.required_documents", "passed": 1,
         "detail": json.dumps({"fiscal_year": 2024, "missing": []})},
        # Site 11 owes nothing yet this year; site 12 could not be judged.
        {**finding, "run_id": 2, "site_id": 11, "check_id": "freshness.required_documents", "passed": 1,
         "detail": json.dumps({"judged": True, "due": 0})},
        {**finding, "run_id": 1, "site_id": 12, "check_id": "freshness.required_documents", "passed": 1,
         "detail": json.dumps({"judged": False})},
        {**finding, "run_id": 1, "site_id": 12, "check_id": "freshness.ppid",
         "detail": json.dumps({"score": 55.0, "missing": 4, "stale": 2, "items": []})},
        # Not a PPID site: judged elsewhere, no PPID sample.
        {**finding, "run_id": 2, "site_id": 10, "check_id": "freshness.ppid", "passed": 1,
         "detail": json.dumps({"applicable": False})},
        # History: run 1's count for site 10 is not the current one.
        {**finding, "run_id": 1, "site_id": 10, "check_id": "freshness.required_documents",
         "detail": json.dumps({"fiscal_year": 2026, "missing": [{"category": "dpa"}] * 7})},
    ])
    db.close()
    got = {k: v for k, v in sample_map(scrape_text(store)).items()
           if "documents" in k or "ppid_items" in k}
    assert got == {
        'pantau_site_mandatory_documents_missing{region="15",site="10",unit="1"}': "3.0",
        'pantau_site_mandatory_documents_missing{region="15",site="11",unit="2"}': "0.0",
        'pantau_site_ppid_items_missing{region="15.71",site="12",unit="3"}': "4.0",
        'pantau_site_stale_documents{region="15.71",site="12",unit="3"}': "2.0",
    }


def test_the_checks_the_exporter_reads_are_registered_under_those_ids():
    # A renamed check would silently empty its family: rename it in exporter/metrics.py too.
    from checks import CHECKS
    from exporter import metrics

    for check_id in (metrics.FRESHNESS_CHECK, metrics.STAGE_CHECK, metrics.REQUIRED_DOCUMENTS_CHECK,
                     metrics.PPID_CHECK):
        assert check_id in CHECKS, check_id


def test_the_series_per_site_are_what_docs_metrics_md_says(store):
    from pathlib import Path

    from metrics_fixture import enrich_metrics_db

    doc = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    per_https_site = int(re.search(r"\*\*(\d+)\s+series per https site\*\*", doc).group(1))
    per_unit = int(re.search(r"info: \*\*(\d+) series\*\*", doc).group(1))
    text = samples(scrape_text(enrich_metrics_db(store)))
    # Site 10 is an https OPD site with every kind of result; unit 2 has a weekly verdict.
    assert len(re.findall(r'^pantau_\w+\{[^}]*site="10"', text, flags=re.M)) == per_https_site
    assert len(re.findall(r'^pantau_unit_\w+\{[^}]*unit="2"[,}]', text, flags=re.M)) == per_unit
