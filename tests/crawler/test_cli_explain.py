"""`pantau explain SITE`: the stage, each rule, each feature with its evidence, and what the next stage needs."""

from __future__ import annotations

import json
import zlib

import pytest
from click.testing import CliRunner

from checks.base import Page, SiteEvidence
from checks.stages import stage
from crawler.cli import main

HOME = """<!DOCTYPE html><html lang="id"><head><title>Beranda | Pemerintah Kota Jambi</title></head><body>
<header><nav><a href="/">Beranda</a><a href="/kontak">Kontak</a></nav></header>
<main><h1>Selamat datang</h1></main>
<aside><ul><li><a href="https://ppid.jambikota.go.id/">PPID Kota Jambi</a></li>
<li><a href="https://lpse.jambikota.go.id/eproc4">LPSE Kota Jambi</a></li></ul></aside>
<footer><p>Telepon: <a href="tel:0741416299">(0741) 416299</a></p></footer></body></html>"""
PERSIAPAN = "<!DOCTYPE html><html lang='id'><head><title>Beranda</title></head><body><p>Selamat datang</p></body></html>"


@pytest.fixture
def db_path(tmp_path):
    from storage.db import open_db

    path = tmp_path / "pantau.db"
    db = open_db(path)
    db["regions"].insert({"code": "15.71", "name": "Kota Jambi", "kind": "kota", "parent": "15"})
    db["units"].insert_all([{"id": 1, "region_code": "15.71", "name": "Pemerintah Kota Jambi", "short_name": "portal",
                             "kind": "portal"},
                            {"id": 2, "region_code": "15.71", "name": "Inspektorat", "short_name": "inspektorat",
                             "kind": "opd"}])
    db["sites"].insert_all([{"id": 4, "unit_id": 1, "url": "https://jambikota.go.id/", "host": "jambikota.go.id",
                             "role": "portal", "domain_status": "confirmed", "active": 1},
                            {"id": 5, "unit_id": 2, "url": "https://inspektorat.jambikota.go.id/",
                             "host": "inspektorat.jambikota.go.id", "role": "opd", "domain_status": "confirmed",
                             "active": 1}])
    db["runs"].insert_all([{"id": 1, "kind": "crawl", "started_at": "2026-11-23T01:00:00+00:00",
                            "finished_at": "2026-11-23T03:00:00+00:00", "status": "finished"},
                           {"id": 2, "kind": "crawl", "started_at": "2026-11-24T01:00:00+00:00",
                            "finished_at": "2026-11-24T03:00:00+00:00", "status": "finished"}])
    for run in (1, 2):
        for site_id, url, body in ((4, "https://jambikota.go.id/", HOME),
                                   (5, "https://inspektorat.jambikota.go.id/", PERSIAPAN)):
            db["pages"].insert({"run_id": run, "site_id": site_id, "url": url, "final_url": url, "kind": "home",
                                "status": 200, "error_class": "ok", "content_type": "text/html",
                                "body": zlib.compress(body.encode())})
    # Run 1 was scored; run 2 was not.
    evidence = SiteEvidence(site={"id": 4, "host": "jambikota.go.id", "url": "https://jambikota.go.id/"},
                            pages=[Page("https://jambikota.go.id/", "home", 200, content_type="text/html", text=HOME)])
    [finding] = stage(evidence)
    db["findings"].insert({"run_id": 1, "site_id": 4, "check_id": "interaction.stage", "dimension": "interaction",
                           "severity": "info", "passed": 1, "message_id": finding.message_id,
                           "message_en": finding.message_en, "evidence_url": finding.evidence_url,
                           "detail": json.dumps(finding.detail)})
    db.close()
    return path


def explain(db_path, *args):
    result = CliRunner().invoke(main, ["explain", "--db", str(db_path), *args])
    return result


def test_explains_the_stored_stage_rule_by_rule_with_evidence(db_path):
    result = explain(db_path, "jambikota.go.id", "--run", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "Situs #4 https://jambikota.go.id/ — Pemerintah Kota Jambi (portal), Kota Jambi",
        "Perayapan #1 (23 November 2026), 1 halaman diperiksa",
        "",
        "Tahap 3 Pemantapan (Inpres 3/2003) · skor interaksi 26/100",
    ]
    text = result.output
    assert "  [x] 2 Pematangan: ada sarana interaksi dengan pengunjung dan tautan ke instansi lain" in text
    assert " — ada: nomor telepon" in text
    assert "[x] tautan ke instansi pemerintah lain — ada: 2 situs, mis. ppid.jambikota.go.id, lpse.jambikota.go.id" \
        in text
    assert "[x] layanan publik elektronik (LPSE" in text and "— ada: LPSE (pengadaan elektronik)" in text
    assert "  [ ] 4 Pemanfaatan:" in text
    assert "  [x] nomor telepon (10):\n        0741416299: «(0741) 416299» (https://jambikota.go.id/)" in text
    assert "  [ ] alamat email (10): tidak ditemukan" in text
    assert text.endswith(
        "Untuk naik ke tahap 4 Pemanfaatan dibutuhkan:\n"
        "  - layanan elektronik untuk warga, dunia usaha dan antarinstansi (G2C, G2B dan G2G); belum ada G2C "
        "(misalnya Administrasi kependudukan daring (SIAK/Dukcapil), LARASITA (layanan pertanahan)); G2G "
        "(misalnya e-Planning, e-Budgeting)\n"
        "  - layanan terintegrasi (satu akun/single sign-on)\n")


def test_an_unscored_run_is_explained_from_its_stored_pages(db_path):
    result = explain(db_path, "https://www.inspektorat.jambikota.go.id/profil")
    assert result.exit_code == 0, result.output
    assert "Perayapan #2 (24 November 2026), belum dinilai: tahap dihitung dari halaman tersimpan" in result.output
    assert "Tahap 1 Persiapan (Inpres 3/2003) · skor interaksi 0/100" in result.output
    assert result.output.endswith(
        "Untuk naik ke tahap 2 Pematangan dibutuhkan:\n"
        "  - sarana interaksi (email, telepon, SMS, WhatsApp, formulir, polling, forum, obrolan, kanal pengaduan "
        "atau media sosial)\n"
        "  - tautan ke instansi pemerintah lain\n")


@pytest.mark.parametrize("site, message", [
    ("99", "no site with id 99"),
    ("dinkes.jambikota.go.id", "no registered site with host dinkes.jambikota.go.id"),
])
def test_unknown_sites_are_errors(db_path, site, message):
    result = explain(db_path, site)
    assert result.exit_code == 1 and message in result.output


def test_the_default_run_is_the_latest_that_fetched_the_site(db_path):
    assert "Perayapan #2 (24 November 2026)" in explain(db_path, "4").output
