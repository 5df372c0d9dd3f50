"""`pantau report stages`: seed 000's Table 3 for the nation, a province, or the agencies of one pemda."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.cli import main
from exporter.stages import render_table, stages_report
from storage.db import open_db

REGIONS = [
    ("15", "Provinsi Jambi", "provinsi", None),
    ("15.01", "Kabupaten Kerinci", "kabupaten", "15"),
    ("15.02", "Kabupaten Merangin", "kabupaten", "15"),
    ("15.03", "Kabupaten Sarolangun", "kabupaten", "15"),
    ("15.71", "Kota Jambi", "kota", "15"),
    ("16", "Provinsi Sumatera Selatan", "provinsi", None),
    ("16.71", "Kota Palembang", "kota", "16"),
    ("31", "Provinsi DKI Jakarta", "provinsi", None),
]
# site id, region, role, unit name, host, stage (None: crawled but unreadable), score, missing for the next stage
SITES = [
    (1, "15", "portal", "Pemerintah Provinsi Jambi", "jambiprov.go.id", 2, 54, ["e_service"]),
    (2, "15.01", "portal", "Pemerintah Kabupaten Kerinci", "kerincikab.go.id", 1, 6, ["interaction_medium"]),
    (3, "15.02", "portal", "Pemerintah Kabupaten Merangin", "meranginkab.go.id", None, None, []),
    (4, "15.71", "portal", "Pemerintah Kota Jambi", "jambikota.go.id", 3, 76, ["all_audiences", "integrated"]),
    (5, "15.71", "opd", "Dinas Kesehatan", "dinkes.jambikota.go.id", 2, 26, ["e_service"]),
    (6, "15.71", "opd", "Dinas Kependudukan dan Pencatatan Sipil", "dukcapil.jambikota.go.id", 3, 36,
     ["all_audiences", "integrated"]),
    (7, "15.71", "ppid", "PPID Utama Kota Jambi", "ppid.jambikota.go.id", 2, 50, ["e_service"]),
    (8, "16.71", "portal", "Pemerintah Kota Palembang", "palembang.go.id", 2, 40, ["e_service"]),
    (9, "16", "portal", "Pemerintah Provinsi Sumatera Selatan", "sumselprov.go.id", 4, 92, []),
]
NAMES = {1: "Persiapan", 2: "Pematangan", 3: "Pemantapan", 4: "Pemanfaatan"}


def detail(stage, score, missing):
    if stage is None:
        return {"no_evidence": True, "stage": None, "score": None}
    nxt = {"stage": stage + 1, "stage_name": NAMES[stage + 1], "missing": missing} if stage < 4 else None
    return {"stage": stage, "stage_name": NAMES[stage], "score": score, "next": nxt}


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "pantau.db"
    db = open_db(path)
    db["regions"].insert_all([dict(zip(("code", "name", "kind", "parent"), r)) for r in REGIONS])
    db["runs"].insert_all([
        {"id": 1, "kind": "crawl", "started_at": "2026-11-23T01:00:00+00:00",
         "finished_at": "2026-11-23T03:00:00+00:00", "status": "finished"},
        {"id": 2, "kind": "crawl", "started_at": "2026-11-24T01:00:00+00:00",
         "finished_at": "2026-11-24T03:00:00+00:00", "status": "finished"},
    ])
    for sid, region, role, name, host, stage, score, missing in SITES:
        db["units"].insert({"id": sid, "region_code": region, "name": name, "short_name": f"u{sid}", "kind": role})
        db["sites"].insert({"id": sid, "unit_id": sid, "url": f"https://{host}/", "host": host, "role": role,
                            "domain_status": "confirmed", "active": 1})
        db["findings"].insert({"run_id": 1, "site_id": sid, "check_id": "interaction.stage",
                               "dimension": "interaction", "severity": "info", "passed": int(bool(stage and stage > 1)),
                               "message_id": "-", "message_en": "-", "evidence_url": f"https://{host}/",
                               "detail": json.dumps(detail(stage, score, missing))})
    db.close()
    return path


def report(db_path, **kwargs) -> str:
    return stages_report(open_db(db_path, readonly=True), run_id=1, **kwargs)


def test_the_nation_has_one_row_per_assessed_province_and_a_total(db_path):
    assert report(db_path) == (
        "Tahap e-government situs pemerintah daerah (Inpres 3/2003), perayapan #1, 23 November 2026\n"
        "Cakupan: nasional\n"
        "\n"
        "Provinsi          Pemda  Persiapan  Pematangan  Pemantapan  Pemanfaatan  Tidak dinilai\n"
        "Jambi                 5          1           1           1            0              2\n"
        "Sumatera Selatan      2          0           1           0            1              0\n"
        "Total                 7          1           2           1            1              2\n"
        "\n"
        "1 provinsi lain belum dinilai pada perayapan ini.\n")


def test_a_province_lists_its_pemda_with_their_portals(db_path):
    assert report(db_path, province="15") == (
        "Tahap e-government situs pemerintah daerah (Inpres 3/2003), perayapan #1, 23 November 2026\n"
        "Cakupan: Provinsi Jambi (15)\n"
        "\n"
        "Provinsi  Pemda  Persiapan  Pematangan  Pemantapan  Pemanfaatan  Tidak dinilai\n"
        "Jambi         5          1           1           1            0              2\n"
        "\n"
        "Pemda                 Situs              Tahap          Skor  Belum ada untuk tahap berikutnya\n"
        "Provinsi Jambi        jambiprov.go.id    2 Pematangan     54  layanan publik elektronik\n"
        "Kabupaten Kerinci     kerincikab.go.id   1 Persiapan       6  sarana interaksi\n"
        "Kabupaten Merangin    meranginkab.go.id  Tidak dinilai\n"
        "Kabupaten Sarolangun  -                  Tidak dinilai\n"
        "Kota Jambi            jambikota.go.id    3 Pemantapan     76  layanan G2C, G2B dan G2G, integrasi (satu "
        "akun/SSO)\n")


def test_a_pemda_lists_its_agencies(db_path):
    text = report(db_path, pemda="15.71")
    assert text.splitlines()[1] == "Cakupan: Kota Jambi (15.71), per perangkat daerah"
    assert "Pemda       Unit  Persiapan  Pematangan  Pemantapan  Pemanfaatan\n" \
           "Kota Jambi     3          0           2           1            0\n" in text
    rows = text.split("\n\n")[2].splitlines()
    assert rows[0].split() == ["Unit", "Peran", "Situs", "Tahap", "Skor", "Belum", "ada", "untuk", "tahap",
                               "berikutnya"]
    assert [r.split("  ")[0] for r in rows[1:]] == ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan",
                                                    "PPID Utama Kota Jambi"]
    assert " jambikota.go.id " not in text  # the portal is the pemda's, not an agency


def test_an_unscored_run_and_an_unknown_region_are_errors(db_path):
    db = open_db(db_path, readonly=True)
    with pytest.raises(LookupError, match=r"run 2 has no e-government stages yet; run `pantau score --run 2` first"):
        stages_report(db)
    with pytest.raises(LookupError, match="unknown region '99'"):
        stages_report(db, run_id=1, province="99")


def test_the_command_prints_the_table(db_path):
    runner = CliRunner()
    result = runner.invoke(main, ["report", "stages", "--db", str(db_path), "--run", "1", "--province", "15"])
    assert result.exit_code == 0, result.output
    assert "Jambi         5          1           1           1            0              2" in result.output
    both = runner.invoke(main, ["report", "stages", "--db", str(db_path), "--province", "15", "--pemda", "15.71"])
    assert both.exit_code == 2 and "give either --province or --pemda, not both" in both.output
    unscored = runner.invoke(main, ["report", "stages", "--db", str(db_path)])
    assert unscored.exit_code == 1 and "run 2 has no e-government stages yet" in unscored.output


def test_render_table_aligns_numbers_right_and_text_left():
    assert render_table(["a", "n"], [["xyz", 5], ["q", 120]], numeric={1}) == "a      n\nxyz    5\nq    120"
