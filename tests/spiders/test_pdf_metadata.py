"""Reading PDFs for their own dates: spiders.documents, and the spider doing it through `pantau crawl`."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re

import pytest
from aiohttp import web
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject
from sitefarm import FarmSite, SiteFarm, crawl, register_sites

from crawler.score import load_site_evidence
from checks import freshness
from spiders.documents import pdf_metadata
from storage.db import open_db
from testbed.documents import make_pdf

WIB = dt.timezone(dt.timedelta(hours=7))
CREATED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=WIB)
MODIFIED = dt.datetime(2026, 2, 6, 14, 30, tzinfo=WIB)


def small_pdf(title="APBD Tahun Anggaran 2026") -> bytes:
    return make_pdf(title, ["Ringkasan APBD."], created=CREATED, modified=MODIFIED, author="Setda")


def big_pdf(pages: int = 60) -> bytes:
    rng = random.Random(5)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(4000)]
    paragraphs = [" ".join(rng.choice(words) for _ in range(400)) for _ in range(pages)]
    return make_pdf("Laporan Keuangan Pemerintah Daerah 2025", paragraphs, created=CREATED, modified=MODIFIED,
                    author="BPKAD")


def xmp_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    packet = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
              b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2025-03-01T08:00:00+07:00">'
              b"<xmp:ModifyDate>2025-04-02T10:00:00+07:00</xmp:ModifyDate></rdf:Description></rdf:RDF>"
              b'</x:xmpmeta><?xpacket end="w"?>')
    stream = StreamObject()
    stream.set_data(packet)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_whole_pdf_is_read_with_pypdf():
    meta = pdf_metadata(small_pdf(), complete=True)
    assert meta == {"title": "APBD Tahun Anggaran 2026", "author": "Setda", "subject": "APBD Tahun Anggaran 2026",
                    "creator": "Microsoft® Word 2016", "producer": "Microsoft® Word 2016",
                    "creation_date": "D:20260105090000+07'00'", "mod_date": "D:20260206143000+07'00'",
                    "pages": 1, "method": "pypdf"}


def test_the_first_bytes_of_a_large_pdf_are_scanned():
    data = big_pdf()
    assert len(data) > 60_000
    meta = pdf_metadata(data[:4096], complete=False)
    assert (meta["method"], meta["mod_date"], meta["title"]) == (
        "scan", "D:20260206143000+07'00'", "Laporan Keuangan Pemerintah Daerah 2025")


def test_xmp_dates_are_kept_as_written():
    meta = pdf_metadata(xmp_pdf(), complete=True)
    assert (meta["xmp_create_date"], meta["xmp_modify_date"]) == ("2025-03-01T08:00:00+07:00",
                                                                   "2025-04-02T10:00:00+07:00")


@pytest.mark.parametrize("data, complete, expected", [
    (b"<html><body>Halaman tidak ditemukan</body></html>", True, {"method": "none", "error": "not a pdf"}),
    (b"", False, {"method": "none", "error": "not a pdf"}),
    (b"%PDF-1.4\n" + b"0" * 5000, True, {"method": "scan", "error": "unreadable"}),
    (b"%PDF-1.7\n" + b"\xff" * 3000, False, {"method": "scan", "error": "no metadata in the bytes read"}),
    (b"%PDF-1.4\n1 0 obj << /ModDate (D:20250101) /Title <FEFF0041005000420044> >> endobj", False,
     {"mod_date": "D:20250101", "title": "APBD", "method": "scan"}),
    (b"%PDF-1.4\n1 0 obj << /Title (Laporan \\(LKjIP\\) 2025\\051) >> endobj", False,
     {"title": "Laporan (LKjIP) 2025)", "method": "scan"}),
])
def test_truncated_broken_and_odd_files(data, complete, expected):
    assert pdf_metadata(data, complete) == expected


# --- through the real crawl ----------------------------------------------------------------------

READ = 20_000


def test_the_spider_reads_pdfs_once_heads_succeed_and_dates_a_site_by_them(tmp_path):
    small, big = small_pdf(), big_pdf()
    requests: list[tuple[str, str, str | None]] = []

    def serve(data: bytes, ranges: bool):
        async def handler(request):
            requests.append((request.method, request.path, request.headers.get("Range")))
            match = re.fullmatch(r"bytes=0-(\d+)", request.headers.get("Range", ""))
            if ranges and match and request.method == "GET" and int(match.group(1)) + 1 < len(data):
                end = int(match.group(1))
                return web.Response(status=206, body=data[:end + 1], content_type="application/pdf",
                                    headers={"Content-Range": f"bytes 0-{end}/{len(data)}"})
            return web.Response(body=data, content_type="application/pdf")
        return handler

    links = "".join(f'<a href="/unduh/{name}">{text}</a>' for name, text in (
        ("APBD_2026.pdf", "APBD 2026"), ("LKPD_2025.pdf", "LKPD 2025"), ("abai.pdf", "Abai"),
        ("hilang.pdf", "RKA 2026"), ("laporan.docx", "Laporan")))
    site = FarmSite("bpkad.ujikab.go.id", {
        "/": (200, "text/html", f'<html lang="id"><head><title>BPKAD</title></head><body>{links}</body></html>'),
        "/unduh/APBD_2026.pdf": serve(small, ranges=True),
        "/unduh/LKPD_2025.pdf": serve(big, ranges=True),
        "/unduh/abai.pdf": serve(big, ranges=False),  # ignores Range and is larger than the limit
        "/unduh/laporan.docx": serve(b"PK\x03\x04 not a pdf", ranges=True),
    })
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        [site_id] = register_sites(db_path, [farm.url(site.host)])
        hosts = tmp_path / "hosts.txt"
        hosts.write_text(f"127.0.0.1 {site.host}\n")
        crawl(db_path, hosts, "--set", f"PANTAU_PDF_READ_BYTES={READ}")
    db = open_db(db_path)
    docs = {d["url"].rsplit("/", 1)[1]: d for d in db.query("select * from documents")}

    apbd = docs["APBD_2026.pdf"]
    assert (apbd["status"], apbd["bytes"], apbd["read_bytes"], apbd["last_modified"]) == (200, len(small), len(small),
                                                                                         None)
    assert json.loads(apbd["pdf_meta"])["method"] == "pypdf"
    assert json.loads(apbd["pdf_meta"])["mod_date"] == "D:20260206143000+07'00'"

    lkpd = docs["LKPD_2025.pdf"]
    assert (lkpd["bytes"], lkpd["read_bytes"]) == (len(big), READ)
    assert json.loads(lkpd["pdf_meta"])["method"] == "scan"

    abai = docs["abai.pdf"]
    assert (abai["status"], abai["bytes"], abai["read_bytes"]) == (200, len(big), 0)
    assert json.loads(abai["pdf_meta"]) == {"method": "none", "error": "oversized"}

    assert (docs["hilang.pdf"]["status"], docs["hilang.pdf"]["pdf_meta"]) == (404, None)
    assert docs["laporan.docx"]["pdf_meta"] is None
    assert sorted(requests) == sorted([
        ("HEAD", "/unduh/APBD_2026.pdf", None), ("GET", "/unduh/APBD_2026.pdf", f"bytes=0-{READ - 1}"),
        ("HEAD", "/unduh/LKPD_2025.pdf", None), ("GET", "/unduh/LKPD_2025.pdf", f"bytes=0-{READ - 1}"),
        ("HEAD", "/unduh/abai.pdf", None), ("GET", "/unduh/abai.pdf", f"bytes=0-{READ - 1}"),
        ("HEAD", "/unduh/laporan.docx", None)])

    run_id = db.execute("select max(id) from runs").fetchone()[0]
    evidence = load_site_evidence(db, run_id, site_id)
    newest = freshness.last_updated(evidence)
    assert (newest.date, newest.source) == (dt.date(2026, 2, 6), "pdf_metadata")


def test_reading_can_be_switched_off(tmp_path):
    requests: list[str] = []

    async def pdf(request):
        requests.append(request.method)
        return web.Response(body=small_pdf(), content_type="application/pdf")

    site = FarmSite("dinas.ujikab.go.id", {
        "/": (200, "text/html", '<html><body><a href="/a.pdf">A</a></body></html>'), "/a.pdf": pdf})
    with SiteFarm([site]) as farm:
        db_path = tmp_path / "p.db"
        register_sites(db_path, [farm.url(site.host)])
        hosts = tmp_path / "hosts.txt"
        hosts.write_text(f"127.0.0.1 {site.host}\n")
        crawl(db_path, hosts, "--set", "PANTAU_PDF_READ_BYTES=0")
    [doc] = open_db(db_path).query("select * from documents")
    assert (requests, doc["status"], doc["pdf_meta"]) == (["HEAD"], 200, None)
