"""checks.documents: categories from Indonesian titles and file names, required documents, broken links.

The clock is frozen at 10:00 WIB on 23 November 2026 (conftest.NOW): fiscal year 2026 is
current, 2025 the previous one.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checks import documents

BASE = "https://bpkad.jambiprov.go.id"
SITE = "https://diskominfo.jambiprov.go.id"  # where conftest's pages live


@pytest.mark.parametrize("title, url, pdf_title, category", [
    ("APBD Tahun Anggaran 2026", "/files/APBD_2026.pdf", None, "apbd"),
    ("Ringkasan RAPBD 2020", "/dok/ringkasan.pdf", None, "apbd"),
    ("Perda No. 1 Tahun 2026 tentang Anggaran Pendapatan dan Belanja Daerah", "/a.pdf", None, "apbd"),
    ("Perubahan APBD 2025", "/b.pdf", None, "apbd_p"),
    ("APBD-P 2025", "/c.pdf", None, "apbd_p"),
    (None, "/files/P-APBD_2024.pdf", None, "apbd_p"),
    ("KUA-PPAS Tahun Anggaran 2027", "/d.pdf", None, "kua_ppas"),
    ("Kebijakan Umum Anggaran dan Prioritas Plafon Anggaran Sementara 2026", "/e.pdf", None, "kua_ppas"),
    ("Rencana Kerja Pemerintah Daerah (RKPD) Tahun 2027", "/f.pdf", None, "rkpd"),
    ("RKA-SKPD Dinas Kesehatan 2026", "/g.pdf", None, "rka"),
    ("Rencana Kerja dan Anggaran 2026", "/h.pdf", None, "rka"),
    ("Dokumen Pelaksanaan Anggaran (DPA) Tahun Anggaran 2026", "/i.pdf", None, "dpa"),
    ("DPPA 2025", "/j.pdf", None, "dpa"),
    ("Laporan Keuangan Pemerintah Daerah (LKPD) Tahun 2025 Audited", "/k.pdf", None, "lkpd"),
    ("Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun 2025", "/l.pdf", None, "lkjip"),
    (None, "/files/LAKIP_2019.pdf", None, "lkjip"),
    ("Laporan Penyelenggaraan Pemerintahan Daerah (LPPD) Tahun 2025", "/m.pdf", None, "lppd"),
    ("Rencana Strategis Dinas Kesehatan 2021-2026", "/n.pdf", None, "renstra"),
    ("Renja Tahun 2027", "/o.pdf", None, "renja"),
    ("Rencana Kerja Dinas Pendidikan Tahun 2026", "/p.pdf", None, "renja"),
    ("Daftar Informasi Publik Tahun 2026", "/q.pdf", None, "dip"),
    ("SOP Pelayanan Informasi Publik", "/r.pdf", None, "sop"),
    ("Standar Operasional Prosedur Pengelolaan Arsip", "/s.pdf", None, "sop"),
    ("Laporan Layanan Informasi Publik Tahun 2025", "/t.pdf", None, "laporan_layanan_informasi"),
    ("Peraturan Bupati Nomor 12 Tahun 2024", "/u.pdf", None, "perda_perbup"),
    (None, "/files/Perwali_No_3_2022.pdf", None, "perda_perbup"),
    ("Laporan Realisasi Anggaran Semester I Tahun 2026", "/v.pdf", None, "other"),
    ("Perjanjian Kinerja Tahun 2026", "/w.pdf", None, "other"),
    ("Maklumat Pelayanan", "/x.pdf", None, "other"),
    ("Unduh", "/files/scan_0012.pdf", "DPA Dinas Kesehatan 2026", "dpa"),
    ("Dokumen", "/files/dokumen-2.pdf", None, "other"),
])
def test_category_from_title_file_name_or_pdf_title(title, url, pdf_title, category):
    meta = {"title": pdf_title} if pdf_title else {}
    assert documents.categorise(title, BASE + url, meta)[0] == category


def test_what_gave_the_category_away_is_kept():
    assert documents.categorise("Unduh", BASE + "/files/LKjIP_2023.pdf") == ("lkjip", "file")
    assert documents.categorise("LKjIP 2023", BASE + "/files/x.pdf") == ("lkjip", "title")
    assert documents.categorise("Unduh", BASE + "/x.pdf", {"title": "Renstra 2021-2026"}) == ("renstra", "pdf_title")
    assert documents.categorise("Unduh", BASE + "/x.pdf") == ("other", None)


@pytest.mark.parametrize("title, url, expected", [
    ("APBD Tahun Anggaran 2026", "/x.pdf", (2026, None, "title")),
    ("Unduh", "/files/LKjIP_2023.pdf", (2023, None, "file")),
    ("Renstra 2021-2026", "/x.pdf", (None, (2021, 2026), "title")),
    ("Perda Nomor 12 Tahun 2023 tentang APBD 2024", "/x.pdf", (2024, None, "title")),
    ("Perda No. 1 Tahun 2026 tentang APBD Tahun Anggaran 2026", "/x.pdf", (2026, None, "title")),
    ("Laporan Kinerja 2023 (revisi 2024)", "/x.pdf", (2023, None, "title")),
    ("DPA T.A. 2025", "/x.pdf", (2025, None, "title")),
    ("SOP Pelayanan", "/files/SOP.pdf", (None, None, None)),
    (None, "/files/APBD%202024.pdf", (2024, None, "file")),
])
def test_fiscal_year_from_title_or_file_name(title, url, expected):
    assert documents.fiscal_year(title, BASE + url) == expected


def doc(path, title=None, status=200, error_class="ok", **fields):
    return {"url": BASE + path, "page_url": BASE + "/dokumen", "title": title, "ext": "pdf", "status": status,
            "error_class": error_class, "bytes": 120_000, "content_type": "application/pdf", **fields}


def test_inventory_entries_carry_category_year_and_dated_provenance(build):
    rows = [doc("/files/DPA_2026.pdf", "DPA 2026", last_modified="Mon, 02 Feb 2026 03:00:00 GMT",
                pdf_meta=json.dumps({"mod_date": "D:20260201090000+07'00'", "title": "DPA 2026"})),
            doc("/files/SOP.pdf", "SOP Pelayanan", last_modified="Tue, 03 Mar 2026 03:00:00 GMT"),
            doc("/files/hilang.pdf", "RKA 2026", status=404, error_class="http_4xx")]
    entries = documents.inventory(build.evidence(build.home(), documents=rows))
    dpa, sop, rka = entries
    assert (dpa.category, dpa.category_label, dpa.fiscal_year, dpa.year_source, dpa.newest, dpa.published) == (
        "dpa", "DPA", 2026, "title", "2026-02-02", True)
    assert [(d["source"], d["date"]) for d in dpa.dates] == [("document_last_modified", "2026-02-02"),
                                                             ("pdf_metadata", "2026-02-01")]
    assert (sop.category, sop.fiscal_year, sop.year_source) == ("sop", 2026, "date")
    assert (rka.category, rka.published) == ("rka", False)


def test_a_link_showing_only_the_file_name_is_titled_by_the_pdf(build):
    row = doc("/files/Renja_2026.pdf", "Renja_2026.pdf", pdf_meta=json.dumps({"title": "Rencana Kerja Tahun 2026"}))
    [entry] = documents.inventory(build.evidence(build.home(), documents=[row]))
    assert (entry.title, entry.file, entry.category) == ("Rencana Kerja Tahun 2026", "Renja_2026.pdf", "renja")


def test_inventory_finding_counts_published_documents_by_category(build):
    rows = [doc("/a/DPA_2026.pdf", "DPA 2026"), doc("/a/DPA_2025.pdf", "DPA 2025"), doc("/a/RKA_2026.pdf", "RKA 2026"),
            doc("/a/x.pdf", "Brosur"), doc("/a/hilang.pdf", "Renja 2026", status=404, error_class="http_4xx")]
    [finding] = documents.documents_inventory(build.evidence(build.home(), documents=rows))
    assert (finding.check_id, finding.passed, finding.severity) == ("freshness.documents", True, "info")
    assert finding.message_id == "4 dokumen terbit ditemukan: 2 DPA, 1 Lainnya, 1 RKA"
    assert finding.detail["by_category"] == {"dpa": 2, "rka": 1, "other": 1}
    assert [d["file"] for d in finding.detail["documents"]] == [
        "DPA_2026.pdf", "DPA_2025.pdf", "RKA_2026.pdf", "x.pdf", "hilang.pdf"]
    assert finding.evidence_url == BASE + "/dokumen"


FRESH_OPD_DOCS = [
    doc("/f/RKA_2026.pdf", "RKA 2026"), doc("/f/DPA_2026.pdf", "DPA Tahun Anggaran 2026"),
    doc("/f/Renja_2026.pdf", "Rencana Kerja Tahun 2026"), doc("/f/Renstra_2021-2026.pdf", "Renstra 2021-2026"),
    doc("/f/DPA_2025.pdf", "DPA 2025"), doc("/f/LKjIP_2025.pdf", "LKjIP 2025"),
]


def fresh_home(build):
    return build.home(build.html('<article><p>Diposting 20 November 2026</p></article>'))


def test_an_opd_with_every_required_document_passes(build):
    evidence = build.evidence(fresh_home(build), documents=FRESH_OPD_DOCS)
    [none_missing] = documents.required_documents(evidence)
    assert (none_missing.passed, none_missing.message_id) == (
        True, "Tidak ada dokumen wajib yang belum dipublikasikan (6 diperiksa)")
    findings = documents.required_documents_by_year(evidence)
    assert [(f.passed, f.message_id) for f in findings] == [
        (True, "Semua dokumen wajib tahun 2026 tersedia (4 dokumen)"),
        (True, "Semua dokumen wajib tahun 2025 tersedia (2 dokumen)")]


def test_each_missing_document_is_a_finding_and_each_year_names_them(build):
    rows = [d for d in FRESH_OPD_DOCS if "RKA" not in d["url"] and "LKjIP" not in d["url"]
            and "DPA_2026" not in d["url"]]
    rows.append(doc("/f/DPA_2026_rusak.pdf", "DPA 2026", status=404, error_class="http_4xx"))  # a dead link is not published
    evidence = build.evidence(fresh_home(build), documents=rows)
    items = documents.required_documents(evidence)
    assert [(f.check_id, f.passed, f.severity, f.message_id) for f in items] == [
        ("freshness.missing_document", False, "info", "Dokumen wajib belum dipublikasikan: RKA 2026"),
        ("freshness.missing_document", False, "info", "Dokumen wajib belum dipublikasikan: DPA 2026"),
        ("freshness.missing_document", False, "info", "Dokumen wajib belum dipublikasikan: LKjIP/LAKIP 2025")]
    assert items[0].detail == {"category": "rka", "label": "RKA", "fiscal_year": 2026, "due": "2026-01-31",
                               "role": "opd"}
    by_year = documents.required_documents_by_year(evidence)
    assert [(f.check_id, f.passed, f.severity, f.message_id) for f in by_year] == [
        ("freshness.required_documents", False, "medium", "Dokumen wajib tahun 2026 belum dipublikasikan: RKA 2026, DPA 2026"),
        ("freshness.required_documents", False, "low", "Dokumen wajib tahun 2025 belum dipublikasikan: LKjIP/LAKIP 2025")]
    assert by_year[0].evidence_url == BASE + "/dokumen"


def test_a_stale_site_missing_this_years_documents_is_worse(build):
    home = build.home(build.html('<article><p>Diposting 2 Januari 2026</p></article>'))  # 325 days old
    rows = [d for d in FRESH_OPD_DOCS if "2026" not in d["url"] or "Renstra" in d["url"]]
    [current, previous] = documents.required_documents_by_year(build.evidence(home, documents=rows))
    assert (current.severity, current.detail["stale_site"]) == ("high", True)
    assert current.message_id == "Dokumen wajib tahun 2026 belum dipublikasikan: RKA 2026, DPA 2026, Renja 2026"
    assert previous.passed


def test_a_document_not_yet_due_is_not_missing(build):
    january = dt.datetime(2026, 1, 20, 3, 0, tzinfo=dt.timezone.utc)
    home = build.home(build.html('<article><p>Diposting 19 Januari 2026</p></article>'))
    evidence = build.evidence(home, documents=[doc("/f/DPA_2025.pdf", "DPA 2025")], now=january)
    # RKA, DPA, Renja and Renstra 2026 are due on 31 January and LKjIP 2025 on 31 March: only DPA 2025 is due.
    [finding] = documents.required_documents_by_year(evidence)
    assert (finding.passed, finding.message_id) == (True, "Semua dokumen wajib tahun 2025 tersedia (1 dokumen)")


def test_the_required_set_follows_the_role(build):
    portal = {**build.SITE, "role": "portal", "url": BASE + "/"}
    rows = [doc("/f/APBD_2026.pdf", "APBD 2026"), doc("/f/KUA-PPAS_2026.pdf", "KUA-PPAS 2026")]
    items = documents.required_documents(build.evidence(fresh_home(build), documents=rows, site=portal))
    assert [f.message_id.split(": ")[1] for f in items] == [
        "RKPD 2026", "APBD Perubahan 2026", "APBD 2025", "APBD Perubahan 2025", "LKPD 2025", "LKjIP/LAKIP 2025",
        "LPPD 2025"]
    ppid = {**build.SITE, "role": "ppid"}
    [finding] = documents.required_documents_by_year(build.evidence(fresh_home(build), documents=rows, site=ppid))
    assert (finding.passed, finding.message_id) == (
        True, "Tidak ada dokumen anggaran/perencanaan yang diwajibkan bagi situs ppid")


def test_a_crawl_that_saw_only_the_home_page_does_not_call_anything_missing(build):
    thin = build.evidence(fresh_home(build))
    [finding] = documents.required_documents_by_year(thin)
    assert (finding.passed, finding.detail) == (True, {"judged": False})
    assert finding.message_id == ("Dokumen wajib belum dapat dinilai: hanya 1 halaman terbaca dan tidak ada dokumen "
                                  "yang ditautkan; belum cukup untuk menyatakan sesuatu belum dipublikasikan")
    # Five pages read without a single document linked: now the absence counts.
    pages = [fresh_home(build), *(build.page(f"/p{n}", build.html("<p>Profil</p>")) for n in range(4))]
    [current, previous] = documents.required_documents_by_year(build.evidence(*pages))
    assert current.message_id == ("Dokumen wajib tahun 2026 belum dipublikasikan: "
                                  "RKA 2026, DPA 2026, Renja 2026, Renstra 2026")
    assert previous.message_id == "Dokumen wajib tahun 2025 belum dipublikasikan: DPA 2025, LKjIP/LAKIP 2025"


def test_a_site_that_could_not_be_read_gets_no_document_verdicts(build):
    evidence = build.evidence(build.home(None, status=None, error_class="connect_refused"))
    assert documents.required_documents(evidence) == []
    assert documents.required_documents_by_year(evidence) == []
    assert documents.broken_links(evidence) == []


def test_broken_documents_and_internal_pages_are_findings(build):
    rows = [doc("/f/ok.pdf"), doc("/f/hilang.pdf", status=404, error_class="http_4xx"),
            doc("/f/besar.zip", error_class="oversized", status=None),
            doc("/f/login.pdf", pdf_meta=json.dumps({"method": "none", "error": "not a pdf"}))]
    pages = [build.home(), build.page("/profil", build.html("<p>x</p>")),
             build.page("/berita/lama", status=404, error_class="http_4xx"),
             build.page("/layanan", status=None, error_class="read_timeout"),
             build.page("/admin/", status=None, error_class="blocked"),  # robots.txt: pantau's choice
             build.page("/feed/", kind="feed", status=404, error_class="http_4xx")]  # a probe, not a link
    [finding] = documents.broken_links(build.evidence(*pages, documents=rows))
    assert (finding.check_id, finding.dimension, finding.passed, finding.severity) == (
        "availability.broken_links", "availability", False, "medium")
    assert finding.message_id == f"4 tautan rusak (2 dokumen, 2 halaman), antara lain {BASE}/f/hilang.pdf"
    assert [(link["kind"], link["url"], link["error_class"]) for link in finding.detail["links"]] == [
        ("document", BASE + "/f/hilang.pdf", "http_4xx"), ("document", BASE + "/f/login.pdf", "not_a_pdf"),
        ("page", SITE + "/berita/lama", "http_4xx"), ("page", SITE + "/layanan", "read_timeout")]
    assert finding.evidence_url == BASE + "/f/hilang.pdf"


@pytest.mark.parametrize("count, passed, severity", [(0, True, "info"), (1, False, "low"), (2, False, "low"),
                                                     (3, False, "medium"), (9, False, "medium"), (10, False, "high")])
def test_broken_link_severity_grows_with_the_count(build, count, passed, severity):
    rows = [doc(f"/f/{n}.pdf", status=404, error_class="http_4xx") for n in range(count)]
    [finding] = documents.broken_links(build.evidence(build.home(), documents=rows))
    assert (finding.passed, finding.severity) == (passed, severity)
