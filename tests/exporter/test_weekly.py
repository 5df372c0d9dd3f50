"""Judging a week from what the store holds: rules, ladder, changes, and what is stored."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from weekly_helpers import Store, down, healthy, stale

from crawler.lagconfig import load_config
from exporter.weekly import judge_week, rank
from exporter.weekly_ladder import Week
from exporter.weekly_report import build_report, write_report

W45, W46, W47 = (Week.parse(f"2026-W{n}") for n in (45, 46, 47))
WED = {45: "2026-11-04T03:00:00+00:00", 46: "2026-11-11T03:00:00+00:00", 47: "2026-11-18T03:00:00+00:00"}


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "pantau.db")
    s.unit("diskominfo", "Dinas Komunikasi dan Informatika")
    s.unit("disdik", "Dinas Pendidikan")
    s.unit("dlh", "Dinas Lingkungan Hidup")
    return s


def url(store: Store, short: str) -> str:
    return store.db["sites"].get(store.sites[short])["url"]


def by_short(verdicts) -> dict:
    return {v.unit["unit_short"]: v for v in verdicts}


def test_earlier_weeks_with_data_are_judged_first_so_the_ladder_climbs_week_by_week(store):
    s = store.sites
    for n in (45, 46, 47):
        store.run(WED[n], {s["diskominfo"]: healthy(url(store, "diskominfo")), s["disdik"]: down(url(store, "disdik")),
                           s["dlh"]: healthy(url(store, "dlh"))})
    verdicts = by_short(judge_week(store.db, W47, "15", load_config()))
    assert (verdicts["disdik"].level, verdicts["disdik"].streak, verdicts["disdik"].action) == (3, 3, "escalate")
    stored = [(r["week"], r["level"]) for r in store.db.query(
        "select week, level from weekly_status where unit_id = ? order by week", [verdicts["disdik"].unit["unit_id"]])]
    assert stored == [("2026-W45", 1), ("2026-W46", 2), ("2026-W47", 3)]


def test_probes_decide_availability_when_they_cover_the_week(store):
    s = store.sites
    store.run(WED[47], {s["diskominfo"]: healthy(url(store, "diskominfo")), s["disdik"]: healthy(url(store, "disdik")),
                        s["dlh"]: healthy(url(store, "dlh"))})
    run = store.db["runs"].insert({"kind": "probe", "started_at": WED[47], "finished_at": WED[47],
                                   "status": "finished"}).last_pk
    start = dt.datetime(2026, 11, 16, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    rows = []
    for i in range(10):  # disdik: 3 of 10 probes refused (30 %); diskominfo: 1 of 10 (10 %)
        at = (start + dt.timedelta(hours=12 * i)).astimezone(dt.timezone.utc).isoformat()
        rows.append({"run_id": run, "site_id": s["disdik"], "probed_at": at,
                     "error_class": "connect_refused" if i in (2, 3, 7) else "ok"})
        rows.append({"run_id": run, "site_id": s["diskominfo"], "probed_at": at,
                     "error_class": "read_timeout" if i == 5 else "ok"})
    rows.append({"run_id": run, "site_id": s["disdik"], "probed_at": "2026-11-23T01:00:00+00:00",
                 "error_class": "connect_refused"})  # the next week: not counted
    store.db["probes"].insert_all(rows, alter=True)
    verdicts = by_short(judge_week(store.db, W47, "15", load_config()))
    [reason] = verdicts["disdik"].reasons
    assert reason["message_id"] == ("Situs tidak dapat dibuka pada 3 dari 10 pemeriksaan ketersediaan minggu ini "
                                    "(30%; batas 20%)")
    assert [e["text"] for e in reason["evidence"]] == [
        "Situs tidak dapat dihubungi (koneksi ditolak), 2026-11-19 05:00 UTC",
        "Situs tidak dapat dihubungi (koneksi ditolak), 2026-11-17 05:00 UTC",
        "Situs tidak dapat dihubungi (koneksi ditolak), 2026-11-16 17:00 UTC"]
    assert verdicts["diskominfo"].lagging is False and verdicts["dlh"].lagging is False


def test_findings_of_other_checks_are_consumed_by_check_id(store):
    s = store.sites
    docs = healthy(url(store, "dlh"))
    docs.findings += [("freshness.missing_document", "info", False,
                       "Dokumen wajib belum dipublikasikan: RKA 2026", url(store, "dlh"), {}),
                      ("freshness.ppid", "high", False, "Skor PPID 35 (Tidak Informatif)", url(store, "dlh"),
                       {"missing": 1, "stale": 0}),
                      ("freshness.ppid_item", "info", False, "Informasi publik belum tersedia: DIP", url(store, "dlh"),
                       {"id": "dip", "state": "missing"})]
    store.run(WED[47], {s["dlh"]: docs})
    verdict = by_short(judge_week(store.db, W47, "15", load_config()))["dlh"]
    assert [(r["rule"], r["message_id"], [e["text"] for e in r["evidence"]]) for r in verdict.reasons] == [
        ("missing_documents", "1 dokumen wajib belum dipublikasikan", ["Dokumen wajib belum dipublikasikan: RKA 2026"]),
        ("ppid_incomplete", "Informasi publik (PPID) belum lengkap: 1 unsur bermasalah",
         ["Skor PPID 35 (Tidak Informatif)", "Informasi publik belum tersedia: DIP"]),
    ]


def test_a_unit_without_a_crawl_this_week_keeps_its_place_on_the_ladder(store):
    s = store.sites
    store.run(WED[46], {s["disdik"]: down(url(store, "disdik")), s["dlh"]: down(url(store, "dlh"))})
    store.run(WED[47], {s["dlh"]: down(url(store, "dlh"))})
    verdicts = by_short(judge_week(store.db, W47, "15", load_config()))
    disdik = verdicts["disdik"]
    assert (disdik.has_data, disdik.lagging, disdik.level, disdik.streak, disdik.change) == (False, None, 1, 1, "no_data")
    assert verdicts["dlh"].level == 2
    assert [v.unit["unit_short"] for v in rank(list(verdicts.values()))] == ["dlh", "disdik", "diskominfo"]


def test_changes_compare_with_the_week_before(store):
    s = store.sites
    worse = stale(url(store, "disdik"), 120, "2026-07-20", composite=70.0)
    store.run(WED[46], {s["diskominfo"]: healthy(url(store, "diskominfo"), composite=90.0),
                        s["disdik"]: worse, s["dlh"]: down(url(store, "dlh"))})
    better = stale(url(store, "dlh"), 200, "2026-05-01", composite=60.0)  # still lagging, one reason fewer
    store.run(WED[47], {s["diskominfo"]: healthy(url(store, "diskominfo"), composite=84.0),
                        s["disdik"]: stale(url(store, "disdik"), 127, "2026-07-20", composite=70.0),
                        s["dlh"]: better})
    verdicts = by_short(judge_week(store.db, W47, "15", load_config()))
    assert {k: v.change for k, v in verdicts.items()} == {"diskominfo": "worse", "disdik": "same", "dlh": "better"}
    assert verdicts["diskominfo"].previous_composite == 90.0


def test_a_sharp_fall_is_a_reason_of_its_own(store):
    s = store.sites
    store.run(WED[46], {s["diskominfo"]: healthy(url(store, "diskominfo"), composite=95.0)})
    store.run(WED[47], {s["diskominfo"]: healthy(url(store, "diskominfo"), composite=70.0)})
    verdict = by_short(judge_week(store.db, W47, "15", load_config()))["diskominfo"]
    assert [r["rule"] for r in verdict.reasons] == ["score_drop"]
    assert verdict.change == "new"


def test_only_runs_before_as_of_count(store):
    s = store.sites
    store.run(WED[47], {s["disdik"]: healthy(url(store, "disdik"))})
    store.run("2026-11-20T03:00:00+00:00", {s["disdik"]: down(url(store, "disdik"))})
    early = dt.datetime(2026, 11, 19, tzinfo=dt.timezone.utc)
    assert by_short(judge_week(store.db, W47, "15", load_config(), early))["disdik"].lagging is False
    assert by_short(judge_week(store.db, W47, "15", load_config()))["disdik"].lagging is True
    with pytest.raises(ValueError, match="as-of 2026-11-15T00:00:00\\+00:00 is before week 2026-W47 starts"):
        judge_week(store.db, W47, "15", load_config(), dt.datetime(2026, 11, 15, tzinfo=dt.timezone.utc))


def test_judging_again_after_new_data_replaces_the_step_and_forgets_its_letters(store, tmp_path):
    s = store.sites
    store.run(WED[47], {s["disdik"]: stale(url(store, "disdik"), 120, "2026-07-21")})
    config = load_config()
    report = build_report(store.db, W47, "15", config)
    write_report(store.db, report, tmp_path / "out", formats=("html",))
    [step] = list(store.db.query("select * from reprimands"))
    assert step["letter_pdf"].endswith("surat-teguran/teguran-I-15-disdik-2026-W47.pdf")
    write_report(store.db, build_report(store.db, W47, "15", config), tmp_path / "out", formats=("html",))
    assert list(store.db.query("select * from reprimands")) == [step]  # same step, same id, same letters
    store.run("2026-11-20T03:00:00+00:00", {s["disdik"]: healthy(url(store, "disdik"))})  # news on Friday
    judge_week(store.db, W47, "15", config)
    assert list(store.db.query("select * from reprimands")) == []
    assert store.db["weekly_status"].count == 3


def test_reset_ladder_and_unknown_scopes(store, tmp_path):
    rules = tmp_path / "reset.yaml"
    rules.write_text("ladder: {when_fixed: reset, fixed_weeks: 1}\nunits: [opd]\n", encoding="utf-8")
    s = store.sites
    store.run(WED[45], {s["dlh"]: down(url(store, "dlh"))})
    store.run(WED[46], {s["dlh"]: down(url(store, "dlh"))})
    store.run(WED[47], {s["dlh"]: healthy(url(store, "dlh"))})
    verdict = by_short(judge_week(store.db, W47, "15", load_config(rules)))["dlh"]
    assert (verdict.previous_level, verdict.level, verdict.action) == (2, 0, "reset")
    with pytest.raises(LookupError, match="unknown region '99'"):
        build_report(store.db, W47, "99", load_config())
    store.db["regions"].insert({"code": "16", "name": "Provinsi Sumatera Selatan", "kind": "provinsi", "parent": None})
    with pytest.raises(LookupError, match="no units of kind opd, ppid, portal with an active site in region '16'"):
        judge_week(store.db, W47, "16", load_config())


def test_the_national_roll_up_ranks_pemda_by_their_share_of_lagging_units(store, tmp_path):
    store.unit("disdik", "Dinas Pendidikan Kota Jambi", region="15.71")
    store.unit("dinkes", "Dinas Kesehatan Kota Jambi", region="15.71")
    s = store.sites
    store.run(WED[47], {s["diskominfo"]: healthy(url(store, "diskominfo")), s["disdik"]: down(url(store, "disdik")),
                        s["dlh"]: healthy(url(store, "dlh")), s["15.71/disdik"]: down("https://disdik.jambikota.go.id/"),
                        s["15.71/dinkes"]: stale("https://dinkes.jambikota.go.id/", 300, "2026-01-20", 75.0)})
    report = build_report(store.db, W47, None, load_config())
    assert [(r["region_code"], r["judged"], r["lagging"], r["lagging_share"], r["levels"]) for r in report.pemda] == [
        ("15.71", 2, 2, 100.0, {1: 2}), ("15", 3, 1, 33.3, {1: 1})]
    files = write_report(store.db, report, tmp_path / "out")
    assert files.html.name == "laporan-mingguan-2026-W47-nasional.html" and files.letters == []
    sheet = openpyxl.load_workbook(files.xlsx)["Pemda"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Peringkat", "Kode wilayah", "Pemda", "Unit", "Dinilai", "Tertinggal", "Persen tertinggal", "Baru", "Selesai",
         "Teguran I", "Teguran II", "Teguran III", "Rata-rata skor"],
        [1, "15.71", "Kota Jambi", 2, 2, 2, 100.0, 2, 0, 2, 0, 0, 37.5],
        [2, "15", "Provinsi Jambi", 3, 3, 1, 33.3, 1, 0, 1, 0, 0, 61.3],
    ]
    html = files.html.read_text(encoding="utf-8")
    assert "Rekap per pemda" in html and "5 unit paling tertinggal secara nasional" in html
    assert html.index("Dinas Pendidikan Kota Jambi") < html.index("Dinas Kesehatan Kota Jambi")


def test_reasons_are_stored_as_json_with_their_evidence(store):
    s = store.sites
    store.run(WED[47], {s["dlh"]: down(url(store, "dlh"))})
    judge_week(store.db, W47, "15", load_config())
    row = next(store.db.query("select * from weekly_status where unit_id = (select unit_id from sites where id = ?)",
                              [s["dlh"]]))
    assert (row["lagging"], row["level"], row["has_data"], row["change"], json.loads(row["run_ids"])) == (
        1, 1, 1, "new", [1])
    reasons = json.loads(row["reasons"])
    assert reasons[0] == {
        "rule": "downtime", "site_id": s["dlh"], "site_url": url(store, "dlh"),
        "message_id": "Situs tidak dapat dibuka pada 1 dari 1 perayapan minggu ini (100%; batas 20%)",
        "message_en": "site down in 1 of 1 crawl samples this week (100.0% > 20%)",
        "values": {"source": "crawl", "samples": 1, "down": 1, "down_percent": 100.0, "max_down_percent": 20},
        "evidence": [{"url": url(store, "dlh"), "text": "Situs tidak dapat dihubungi (koneksi ditolak)"}]}
    assert row["rules_digest"] == load_config().digest
