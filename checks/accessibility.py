"""Accessibility: the WCAG level-A basics a static reading of the HTML can prove."""

from __future__ import annotations

from urllib.parse import urljoin

from checks.base import Finding, Page, SiteEvidence

DIMENSION = "accessibility"
EXAMPLES = 5
# Missing alt on at least this share of at least this many images is a high-severity finding.
ALT_MAJORITY = (0.5, 10)


def _lang(page: Page) -> bool:
    html = page.soup.find("html")
    if html is None:
        return False
    return bool((html.get("lang") or html.get("xml:lang") or "").strip())


def _title(page: Page) -> bool:
    title = page.soup.find("title")
    return title is not None and bool(title.get_text(strip=True))


def _images_without_alt(page: Page) -> tuple[int, list[str]]:
    """How many images the page has, and the addresses of those without an alt attribute."""
    images = page.soup.find_all("img")
    # alt="" is the correct marking of a decorative image; only a missing attribute fails.
    return len(images), [urljoin(page.url, img.get("src") or "") for img in images if img.get("alt") is None]


# criterion, WCAG success criterion, page predicate, then the failing and passing wording (id, en).
PAGE_CRITERIA = (
    ("html_lang", "3.1.1", _lang, "tidak menyatakan bahasanya (atribut lang pada <html>)", "lack <html lang>",
     "menyatakan bahasanya", "declare a language"),
    ("title", "2.4.2", _title, "tidak memiliki judul (<title>)", "have no <title>",
     "memiliki judul", "have a title"),
)


def basics(evidence: SiteEvidence) -> list[Finding]:
    """html lang (WCAG 3.1.1), a non-empty title (2.4.2), alt on images (1.1.1), per site."""
    pages = evidence.html_pages
    if not pages:
        url = evidence.home.url if evidence.home else evidence.site.get("url")
        return [Finding("accessibility.basics", DIMENSION, False, "high",
                        "Tidak ada halaman HTML yang dapat diperiksa aksesibilitasnya",
                        "no HTML page to check", url, {"no_evidence": True})]
    findings = []
    n = len(pages)
    for criterion, wcag, predicate, fail_id, fail_en, pass_id, pass_en in PAGE_CRITERIA:
        failing = [p.url for p in pages if not predicate(p)]
        detail = {"criterion": criterion, "wcag": wcag, "failing": len(failing), "pages_checked": n,
                  "examples": failing[:EXAMPLES]}
        if failing:
            findings.append(Finding(
                "accessibility.basics", DIMENSION, False, "medium",
                f"{len(failing)} dari {n} halaman {fail_id} (WCAG {wcag})",
                f"{len(failing)} of {n} pages {fail_en} (WCAG {wcag})", failing[0], detail))
        else:
            findings.append(Finding(
                "accessibility.basics", DIMENSION, True, "info", f"Semua {n} halaman {pass_id} (WCAG {wcag})",
                f"all {n} pages {pass_en}", pages[0].url, detail))

    images = missing = 0
    pages_missing, image_examples = [], []
    for page in pages:
        total, lacking = _images_without_alt(page)
        images += total
        missing += len(lacking)
        if lacking:
            pages_missing.append(page.url)
            image_examples.extend(lacking[:EXAMPLES - len(image_examples)])
    detail = {"criterion": "img_alt", "wcag": "1.1.1", "images": images, "failing": missing,
              "pages_checked": n, "pages_failing": len(pages_missing), "examples": pages_missing[:EXAMPLES],
              "image_examples": image_examples}
    if missing:
        share, least = ALT_MAJORITY
        severity = "high" if images >= least and missing / images >= share else "medium"
        findings.append(Finding(
            "accessibility.basics", DIMENSION, False, severity,
            f"{missing} dari {images} gambar tanpa teks alternatif (alt) di {len(pages_missing)} halaman (WCAG 1.1.1)",
            f"{missing} of {images} images lack alt text on {len(pages_missing)} pages (WCAG 1.1.1)",
            pages_missing[0], detail))
    else:
        findings.append(Finding(
            "accessibility.basics", DIMENSION, True, "info",
            f"Tidak ada gambar tanpa teks alternatif ({images} gambar diperiksa, WCAG 1.1.1)",
            f"no image lacks alt text ({images} checked)", pages[0].url, detail))
    return findings
