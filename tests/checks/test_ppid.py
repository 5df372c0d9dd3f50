"""checks.ppid: PPID items present, missing or stale; the score and its KIP-style band, marked as an estimate.

The clock is frozen at 10:00 WIB on 23 November 2026 (conftest.NOW); periodic items older
than 183 days (before 24 May 2026) are stale.
"""

from __future__ import annotations

import pytest

from checks import ppid

PPID_SITE = {"id": 9, "url": "https://ppid.jambiprov.go.id/", "host": "ppid.jambiprov.go.id", "role": "ppid",
             "unit_name": "PPID Utama Provinsi Jambi", "unit_kind": "ppid", "region_code": "15",
             "region_name": "Provinsi Jambi"}
HOME_LINKS = """
<nav><ul>
  <li><a href="/ppid/informasi-berkala">Informasi Berkala</a></li>
  <li><a href="/ppid/informasi-serta-merta">Informasi Serta Merta</a></li>
  <li><a href="/ppid/informasi-setiap-saat">Informasi Setiap Saat</a></li>
  <li><a href="/formulir">Formulir Permohonan Informasi</a></li>
  <li><a href="/maklumat">Maklumat Pelayanan</a></li>
</ul></nav>
<main>
  <a href="/files/DIP_2026.pdf">Daftar Informasi Publik 2026</a>
  <a href="/files/SOP.pdf">SOP Pelayanan Informasi</a>
</main>
"""


def document(build, path, title, last_modified=None):
    return {"url": "https://diskominfo.jambiprov.go.id" + path, "title": title, "status": 200, "error_class": "ok",
            "ext": "pdf", "last_modified": last_modified}


def ppid_evidence(build):
    home = build.home(build.html(HOME_LINKS, title="PPID Provinsi Jambi"))
    report = build.page("/ppid/laporan-layanan", build.html("<h1>Laporan Layanan Informasi Publik Tahun 2024</h1>"),
                        last_modified="Fri, 10 Jan 2025 03:00:00 GMT")
    docs = [document(build, "/files/DIP_2026.pdf", "Daftar Informasi Publik 2026", "Thu, 01 Oct 2026 03:00:00 GMT"),
            document(build, "/files/SOP.pdf", "SOP Pelayanan Informasi"),
            document(build, "/files/LKjIP_2025.pdf", "Laporan Kinerja 2025", "Tue, 01 Sep 2026 03:00:00 GMT"),
            document(build, "/files/LK_2023.pdf", "Laporan Keuangan 2023", "Sat, 01 Jun 2024 03:00:00 GMT")]
    return build.evidence(home, report, documents=docs, site=PPID_SITE)


def test_each_item_is_present_undated_stale_or_missing(build):
    states = {s.item.id: s for s in ppid.item_states(ppid_evidence(build))}
    assert {i: s.state for i, s in states.items() if s.state != "missing"} == {
        "kinerja": "present", "keuangan": "stale", "laporan_layanan": "stale", "informasi_berkala": "undated",
        "informasi_serta_merta": "undated", "informasi_setiap_saat": "undated", "dip": "present",
        "formulir_permohonan": "undated", "maklumat": "undated", "sop": "undated"}
    assert sorted(i for i, s in states.items() if s.state == "missing") == [
        "formulir_keberatan", "informasi_dikecualikan", "kepegawaian", "pengadaan", "pengaduan_wewenang",
        "peringatan_dini", "profil", "program_kegiatan", "prosedur", "regulasi", "standar_layanan"]
    assert (states["dip"].newest.isoformat(), states["dip"].evidence_url) == (
        "2026-10-01", "https://diskominfo.jambiprov.go.id/files/DIP_2026.pdf")
    assert states["laporan_layanan"].newest.isoformat() == "2025-01-10"


def test_score_and_band_are_pantaus_estimate(build):
    [finding] = ppid.completeness(ppid_evidence(build))
    # Present weights 15 (seven items of weight 2, one of 1), stale 2 + 1 counted half: 16.5 of 31.
    assert finding.detail["score"] == 53.2
    assert (finding.check_id, finding.passed, finding.severity) == ("freshness.ppid", False, "medium")
    assert (finding.detail["category"], finding.detail["category_label"], finding.detail["estimate"]) == (
        "kurang_informatif", "Kurang Informatif", True)
    assert finding.message_id.startswith(
        "Skor PPID 53,2 dari 100, kategori Kurang Informatif (perkiraan pantau dari situs web saja, bukan "
        "penilaian resmi Komisi Informasi); belum ada: ")
    assert finding.message_id.endswith(
        "dan 5 lainnya; usang (lebih dari enam bulan): Ringkasan laporan keuangan, Laporan layanan informasi publik")
    assert (finding.detail["missing"], finding.detail["stale"], finding.detail["present"]) == (11, 2, 8)
    assert "not the Information Commission's assessment" in finding.message_en


def test_itemised_findings_for_missing_and_stale_items_carry_no_penalty(build):
    findings = ppid.items(ppid_evidence(build))
    assert len(findings) == 13
    assert {f.severity for f in findings} == {"info"} and not any(f.passed for f in findings)
    stale = [f for f in findings if f.detail["state"] == "stale"]
    assert [f.message_id for f in stale] == [
        "Informasi berkala usang: Ringkasan laporan keuangan (terakhir 1 Juni 2024)",
        "Informasi berkala usang: Laporan layanan informasi publik (terakhir 10 Januari 2025)"]
    assert stale[1].evidence_url == "https://diskominfo.jambiprov.go.id/ppid/laporan-layanan"


@pytest.mark.parametrize("states, score", [
    ({"present": 21}, 100.0),
    ({"missing": 21}, 0.0),
    ({"stale": 21}, 50.0),
])
def test_score_is_the_weighted_share_present(states, score):
    from checks.freshness_config import rules

    items = rules().ppid.items
    kind = next(iter(states))
    assert ppid.score_of([ppid.ItemState(i, kind, None, None, None) for i in items]) == score


def test_only_ppid_sites_are_judged(build):
    opd = ppid_evidence(build)
    opd.site = {**PPID_SITE, "role": "opd"}
    [score], [item] = ppid.completeness(opd), ppid.items(opd)
    assert (score.check_id, score.passed, score.detail) == ("freshness.ppid", True, {"applicable": False})
    assert score.message_id == "Kelengkapan informasi publik dinilai pada situs PPID, bukan pada situs ini"
    assert (item.check_id, item.passed) == ("freshness.ppid_item", True)
    down = build.evidence(build.home(None, status=None, error_class="connect_refused"), site=PPID_SITE)
    assert ppid.completeness(down) == [] and ppid.items(down) == []


def test_a_ppid_site_seen_only_by_its_home_page_is_not_judged(build):
    [finding] = ppid.completeness(build.evidence(build.home(build.html(HOME_LINKS)), site=PPID_SITE))
    assert (finding.passed, finding.detail) == (True, {"applicable": True, "judged": False})
