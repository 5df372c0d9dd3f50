"""Checks: pure functions from a site's evidence to findings, registered in one table.

Adding a check is one module with a function ``(SiteEvidence) -> list[Finding]`` and one
line in ``BUILTIN`` below. Another package registers its own the same way, with
``register(Check(...))``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checks import accessibility, availability, freshness, interaction
from checks import stages
from checks import documents, freshness_score, ppid
from checks.base import DIMENSIONS, Finding, SiteEvidence


@dataclass(frozen=True)
class Check:
    id: str
    dimension: str
    func: Callable[[SiteEvidence], list[Finding]]
    description_en: str
    description_id: str


CHECKS: dict[str, Check] = {}


def register(check: Check, registry: dict[str, Check] = CHECKS) -> Check:
    """Add ``check`` to ``registry``; ids are unique and dimensions are the four known ones."""
    if check.dimension not in DIMENSIONS:
        raise ValueError(f"check {check.id!r}: unknown dimension {check.dimension!r}")
    if check.id in registry:
        raise ValueError(f"check {check.id!r} is already registered")
    registry[check.id] = check
    return check


BUILTIN = (
    Check("availability.home", "availability", availability.home,
          "Home page reachable with HTTP status below 400; the failure class otherwise.",
          "Halaman utama dapat dibuka (status HTTP di bawah 400); jenis kegagalan bila tidak."),
    Check("availability.tls", "availability", availability.tls,
          "HTTPS used, certificate valid for the host and not expiring within 14 days.",
          "Situs memakai HTTPS dengan sertifikat sah untuk domainnya dan tidak segera kedaluwarsa."),
    Check("availability.latency", "availability", availability.latency,
          "Home page response time within thresholds.",
          "Waktu muat halaman utama dalam batas wajar."),
    Check("accessibility.wcag", "accessibility", accessibility.wcag,
          "WCAG 2.1 rules on every HTML page (checks/wcag: language, title, alt text, labels, names, headings, zoom, frames, tables, PDF links, autoplay, contrast), one finding per failing rule, and the 0-100 accessibility score.",
          "Aturan WCAG 2.1 pada setiap halaman HTML (bahasa, judul, teks alternatif, label, nama tautan dan tombol, heading, zoom, iframe, tabel, tautan PDF, putar otomatis, kontras), satu temuan per aturan yang dilanggar, dan skor aksesibilitas 0-100."),
    Check("interaction.contact", "interaction", interaction.contact,
          "An email address or Indonesian telephone number is published.",
          "Situs mencantumkan alamat email atau nomor telepon."),
    Check("interaction.stage", "interaction", stages.stage, "Inpres 3/2003 e-government stage and interaction score 0-100 from the features found (checks/stages.py).", "Tahap e-government Inpres 3/2003 dan skor interaksi 0-100 dari fitur yang ditemukan."),
    Check("freshness.newest_content", "freshness", freshness.newest_content,
          "Age of the newest credible content date (sitemap, feed, WordPress API, meta, written dates).",
          "Umur konten terbaru yang tanggalnya dapat dipercaya (sitemap, RSS, API WordPress, metadata, tanggal tertulis)."),
    Check("freshness.documents", "freshness", documents.documents_inventory, "Every linked document with its category (rule table), fiscal year, size, type and dates (checks/documents.py).", "Daftar semua dokumen yang ditautkan beserta kategori, tahun anggaran, ukuran, jenis dan tanggalnya."),
    Check("freshness.missing_document", "freshness", documents.required_documents, "One itemised finding per required document of the current or previous fiscal year that is not published (no penalty of its own).", "Satu temuan untuk setiap dokumen wajib tahun anggaran berjalan atau sebelumnya yang belum dipublikasikan."),
    Check("freshness.required_documents", "freshness", documents.required_documents_by_year, "Per fiscal year, the required documents (checks/rules/documents.yaml) not published, by name; worse when the site is stale.", "Per tahun anggaran, dokumen wajib yang belum dipublikasikan, disebut namanya."),
    Check("availability.broken_links", "availability", documents.broken_links, "Linked documents and internal pages that answer 404, 5xx or nothing.", "Tautan dokumen dan halaman internal yang rusak (404, 5xx, tidak menjawab)."),
    Check("freshness.ppid", "freshness", ppid.completeness, "PPID items present, missing or stale (checks/rules/ppid.yaml), score 0-100 and KIP-style category: pantau's estimate from the website alone.", "Kelengkapan informasi publik PPID (ada, belum ada, usang), skor 0-100 dan kategori gaya KIP: perkiraan pantau dari situs web saja."),
    Check("freshness.ppid_item", "freshness", ppid.items, "One itemised finding per missing or stale PPID item (no penalty of its own).", "Satu temuan untuk setiap unsur informasi publik PPID yang belum ada atau usang."),
    Check("freshness.score", "freshness", freshness_score.freshness_score, "Freshness score 0-100 from the age of the newest content and the share of missing or stale required items (informational).", "Skor kebaruan 0-100 dari umur konten terbaru dan porsi dokumen/unsur wajib yang belum ada atau usang."),
)

for _check in BUILTIN:
    register(_check)

__all__ = ["CHECKS", "Check", "register"]
