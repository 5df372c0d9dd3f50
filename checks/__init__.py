"""Checks: pure functions from a site's evidence to findings, registered in one table.

Adding a check is one module with a function ``(SiteEvidence) -> list[Finding]`` and one
line in ``BUILTIN`` below. Another package registers its own the same way, with
``register(Check(...))``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checks import accessibility, availability, freshness, interaction
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
    Check("accessibility.basics", "accessibility", accessibility.basics,
          "WCAG level-A basics: html lang (3.1.1), page title (2.4.2), image alt text (1.1.1).",
          "Dasar WCAG tingkat A: bahasa halaman (3.1.1), judul halaman (2.4.2), teks alternatif gambar (1.1.1)."),
    Check("interaction.contact", "interaction", interaction.contact,
          "An email address or Indonesian telephone number is published.",
          "Situs mencantumkan alamat email atau nomor telepon."),
    Check("freshness.newest_content", "freshness", freshness.newest_content,
          "Age of the newest credible content date (sitemap, feed, WordPress API, meta, written dates).",
          "Umur konten terbaru yang tanggalnya dapat dipercaya (sitemap, RSS, API WordPress, metadata, tanggal tertulis)."),
)

for _check in BUILTIN:
    register(_check)

__all__ = ["CHECKS", "Check", "register"]
