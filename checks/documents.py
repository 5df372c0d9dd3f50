"""Documents: what a site publishes, of which kind and year, and what it should but does not.

Every linked document (pdf, doc/docx, xls/xlsx, ppt, zip, ...) becomes an inventory
entry with its title, URL, size, type, dates (each with provenance) and a category from
the rule table in ``checks/rules/documents.yaml`` (APBD, APBD-P, RKA, DPA, KUA-PPAS, RKPD,
LKPD, LKjIP/LAKIP, LPPD, Renstra, Renja, DIP, SOP, laporan layanan informasi,
perda/perkada, other), matched on the Indonesian title, the file name and the PDF's own
title. The fiscal year comes from the title or file name ("APBD 2024", "LKjIP_2023.pdf",
"Renstra 2021-2026" covers a period), else from the document's newest date.

Checks:

- ``freshness.documents``: the inventory itself (always passes; the list is its detail).
- ``freshness.missing_document``: one finding per required document (per site role and
  fiscal year) that is not published; itemised, so it carries no penalty of its own.
- ``freshness.required_documents``: per fiscal year, the missing documents by name, with
  the severity of the rule table (worse when the site is stale too).
- ``availability.broken_links``: linked documents and internal pages that answer 404,
  5xx or nothing.

Absence is only evidence when the crawl saw enough of the site: required documents are
judged when a document is linked or ``min_pages_to_judge`` HTML pages were read.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from dataclasses import asdict, dataclass
from urllib.parse import unquote, urlsplit

from checks import dates
from checks.base import Finding, SiteEvidence
from checks.freshness import age_days, document_dates, document_ok, has_content, last_updated, pdf_metadata_of
from checks.freshness_config import DocumentRules, Requirement, rules

OTHER = "other"
OTHER_LABEL = "Lainnya"
# Outcomes that are pantau's own choice or a partial success, not a broken link.
NOT_BROKEN = {"ok", "blocked", "oversized"}
_SEPARATORS = re.compile(r"[_\-.+]+")
_YEAR = r"(19[9]\d|20\d\d)\b"
# Most telling first: "Tahun Anggaran 2026" / "TA 2026"; then the year of what a regulation is
# about ("Perda Nomor 12 Tahun 2023 tentang APBD 2024" is the 2024 budget); then "Tahun 2026".
_FISCAL_YEAR = (re.compile(r"\b(?:tahun anggaran|t\s?a|fy)\s*" + _YEAR), re.compile(r"\btentang\b.*?\b" + _YEAR),
                re.compile(r"\btahun\s*" + _YEAR))
MAX_LISTED = 50


def normalise(text: str | None) -> str:
    """Lower-cased, with "_", "-", "." and "+" read as spaces: "LKjIP_2023.pdf" -> "lkjip 2023 pdf"."""
    if not text:
        return ""
    return " ".join(_SEPARATORS.sub(" ", text.lower()).split())


def file_name(url: str | None) -> str:
    """The last path segment of a URL, URL-decoded ("APBD%202024.pdf" -> "APBD 2024.pdf")."""
    if not url:
        return ""
    return unquote(posixpath.basename(urlsplit(url).path))


def categorise(title: str | None, url: str | None, pdf_meta: dict | None = None,
               doc_rules: DocumentRules | None = None) -> tuple[str, str | None]:
    """The category of a document and what gave it away (title | file | pdf_title), or ("other", None)."""
    doc_rules = doc_rules or rules().documents
    pdf_meta = pdf_meta or {}
    sources = [("title", normalise(title)), ("file", normalise(file_name(url))),
               ("pdf_title", normalise(" ".join(str(pdf_meta.get(k) or "") for k in ("title", "subject"))))]
    combined = " | ".join(text for _, text in sources if text)
    for category in doc_rules.categories:
        if any(p.search(combined) for p in category.patterns):
            for source, text in sources:
                if text and any(p.search(text) for p in category.patterns):
                    return category.id, source
            return category.id, "combined"
    return OTHER, None


def fiscal_year(title: str | None, url: str | None, pdf_meta: dict | None = None
                ) -> tuple[int | None, tuple[int, int] | None, str | None]:
    """(fiscal year, plan period, where it was read) from the title, file name or PDF title."""
    pdf_meta = pdf_meta or {}
    for source, text in (("title", title), ("file", file_name(url)), ("pdf_title", pdf_meta.get("title"))):
        if not text or not isinstance(text, str):
            continue
        period = dates.period_in_name(text)
        if period:
            return None, period, source
        normalised = normalise(text)
        for pattern in _FISCAL_YEAR:
            named = pattern.search(normalised)
            if named:
                return int(named.group(1)), None, source
        years = dates.years_in_name(text)
        if years:
            return years[0], None, source
    return None, None, None


@dataclass(frozen=True)
class DocumentEntry:
    """One linked document as the inventory lists it."""

    url: str
    title: str | None
    file: str
    ext: str | None
    bytes: int | None
    content_type: str | None
    status: int | None
    error_class: str | None
    category: str
    category_label: str
    matched_on: str | None
    fiscal_year: int | None
    period: tuple[int, int] | None
    year_source: str | None  # title | file | pdf_title | date
    dates: tuple[dict, ...]
    newest: str | None  # ISO date of the newest credible date
    page_url: str | None
    published: bool  # reachable: the link works

    def covers(self, year: int) -> bool:
        if self.period:
            return self.period[0] <= year <= self.period[1]
        return self.fiscal_year == year

    def name_id(self) -> str:
        return self.title or self.file


def inventory(evidence: SiteEvidence, doc_rules: DocumentRules | None = None) -> list[DocumentEntry]:
    """Every document the crawl found linked from the site, categorised and dated."""
    doc_rules = doc_rules or rules().documents
    labels = {c.id: c.label for c in doc_rules.categories}
    entries = []
    for row in evidence.documents:
        url = row.get("url") or ""
        meta = pdf_metadata_of(row)
        category, matched_on = categorise(row.get("title"), url, meta, doc_rules)
        year, period, year_source = fiscal_year(row.get("title"), url, meta)
        credible = [d for d in document_dates(row) if dates.credible(d.date, evidence.now) is None]
        newest = max((d.date for d in credible), default=None)
        if year is None and period is None and newest is not None:
            year, year_source = newest.year, "date"
        title = row.get("title")
        if (not title or normalise(title) == normalise(file_name(url))) and isinstance(meta.get("title"), str):
            title = meta["title"]  # the link showed only the file name: the PDF names itself better
        entries.append(DocumentEntry(
            url=url, title=title, file=file_name(url), ext=row.get("ext"), bytes=row.get("bytes"),
            content_type=row.get("content_type"), status=row.get("status"), error_class=row.get("error_class"),
            category=category, category_label=labels.get(category, OTHER_LABEL), matched_on=matched_on,
            fiscal_year=year, period=period, year_source=year_source,
            dates=tuple({"date": d.date.isoformat(), "source": d.source, "raw": d.raw} for d in credible),
            newest=newest.isoformat() if newest else None, page_url=row.get("page_url"),
            published=document_ok(row) and not soft_404(row),
        ))
    return entries


def soft_404(row: dict) -> bool:
    """A .pdf link answered 200 with something that is not a PDF (an error page, a login form)."""
    return row.get("ext") == "pdf" and pdf_metadata_of(row).get("error") == "not a pdf"


def _listing_url(evidence: SiteEvidence) -> str | None:
    """Where the site lists its documents: the page most of them are linked from, else home."""
    pages = Counter(d.get("page_url") for d in evidence.documents if d.get("page_url"))
    if pages:
        return pages.most_common(1)[0][0]
    home = evidence.home
    return home.url if home else evidence.site.get("url")


def documents_inventory(evidence: SiteEvidence) -> list[Finding]:
    """The document inventory: always passes; the entries are the detail."""
    if not has_content(evidence):
        return []
    entries = inventory(evidence)
    counts = Counter(e.category_label for e in entries if e.published)
    summary = ", ".join(f"{n} {label}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    message_id = (f"{sum(counts.values())} dokumen terbit ditemukan: {summary}" if counts
                  else "Tidak ada dokumen yang ditautkan dari situs")
    detail = {"count": len(entries), "published": sum(counts.values()),
              "by_category": dict(Counter(e.category for e in entries if e.published)),
              "documents": [_entry_dict(e) for e in entries]}
    return [Finding("freshness.documents", "freshness", True, "info", message_id,
                    f"{len(entries)} linked documents", _listing_url(evidence), detail)]


def _entry_dict(entry: DocumentEntry) -> dict:
    data = asdict(entry)
    data["dates"] = list(entry.dates)
    data["period"] = list(entry.period) if entry.period else None
    return data


@dataclass(frozen=True)
class Missing:
    requirement: Requirement
    year: int
    label: str
    due: dt.date

    @property
    def name(self) -> str:
        return f"{self.label} {self.year}"


def judgeable(evidence: SiteEvidence, doc_rules: DocumentRules | None = None) -> tuple[bool, str]:
    """Whether the crawl saw enough of the site to call something missing, and why (Indonesian)."""
    doc_rules = doc_rules or rules().documents
    pages = len([p for p in evidence.html_pages if p.kind in ("home", "page")])
    if evidence.documents or pages >= doc_rules.min_pages_to_judge:
        return True, ""
    return False, (f"hanya {pages} halaman terbaca dan tidak ada dokumen yang ditautkan; "
                   f"belum cukup untuk menyatakan sesuatu belum dipublikasikan")


def missing_documents(evidence: SiteEvidence, entries: list[DocumentEntry] | None = None,
                      doc_rules: DocumentRules | None = None) -> tuple[list[Missing], list[Requirement]]:
    """The required documents (by the site's role) that are due and not published, and all that were due.

    Both lists are empty when the crawl saw too little of the site to judge (``judgeable``).
    """
    doc_rules = doc_rules or rules().documents
    if not judgeable(evidence, doc_rules)[0]:
        return [], []
    entries = inventory(evidence, doc_rules) if entries is None else entries
    today = dates.local_date(evidence.now)
    missing, due = [], []
    for requirement in doc_rules.required.get(evidence.site.get("role") or "", ()):
        deadline = _deadline(today.year, requirement)
        if today < deadline:
            continue
        due.append(requirement)
        year = today.year + requirement.fiscal_year
        if not any(e.published and e.category == requirement.category and e.covers(year) for e in entries):
            category = doc_rules.category(requirement.category)
            missing.append(Missing(requirement, year, category.label if category else requirement.category,
                                   deadline))
    return missing, due


def _deadline(year: int, requirement: Requirement) -> dt.date:
    month, day = requirement.due
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 in a common year
        return dt.date(year, month, day - 1)


def _not_judged(evidence: SiteEvidence, check_id: str) -> list[Finding] | None:
    """The passing finding of a check that cannot judge this site, or None when it can."""
    doc_rules = rules().documents
    judged, why = judgeable(evidence, doc_rules)
    if judged and doc_rules.required.get(evidence.site.get("role") or ""):
        return None
    home = evidence.home
    url = home.url if home else evidence.site.get("url")
    if not judged:
        return [Finding(check_id, "freshness", True, "info", f"Dokumen wajib belum dapat dinilai: {why}",
                        "required documents not judged: too little of the site was read", url,
                        {"judged": False})]
    return [Finding(check_id, "freshness", True, "info",
                    f"Tidak ada dokumen anggaran/perencanaan yang diwajibkan bagi situs {evidence.site.get('role')}",
                    "no documents are required of this kind of site", url, {"judged": False, "required": 0})]


def required_documents(evidence: SiteEvidence) -> list[Finding]:
    """One finding per required document that is missing (itemised; the penalty is per fiscal year)."""
    if not has_content(evidence):
        return []
    skipped = _not_judged(evidence, "freshness.missing_document")
    if skipped is not None:
        return skipped
    missing, due = missing_documents(evidence)
    url = _listing_url(evidence)
    if not missing:
        return [Finding("freshness.missing_document", "freshness", True, "info",
                        f"Tidak ada dokumen wajib yang belum dipublikasikan ({len(due)} diperiksa)",
                        f"no required document missing ({len(due)} checked)", url, {"judged": True, "due": len(due)})]
    return [Finding("freshness.missing_document", "freshness", False, "info",
                    f"Dokumen wajib belum dipublikasikan: {m.name}",
                    f"required document missing: {m.requirement.category} {m.year}", url,
                    {"category": m.requirement.category, "label": m.label, "fiscal_year": m.year,
                     "due": m.due.isoformat(), "role": evidence.site.get("role")})
            for m in missing]


def required_documents_by_year(evidence: SiteEvidence) -> list[Finding]:
    """Per fiscal year, the required documents not published, by name; passes when none is missing."""
    if not has_content(evidence):
        return []
    skipped = _not_judged(evidence, "freshness.required_documents")
    if skipped is not None:
        return skipped
    doc_rules = rules().documents
    missing, due = missing_documents(evidence, doc_rules=doc_rules)
    url = _listing_url(evidence)
    if not due:
        return [Finding("freshness.required_documents", "freshness", True, "info",
                        "Belum ada dokumen wajib yang jatuh tempo", "no required document is due yet", url,
                        {"judged": True, "due": 0})]
    this_year = dates.local_date(evidence.now).year
    newest = last_updated(evidence)
    stale = newest is None or age_days(evidence, newest) > doc_rules.stale_site_days
    findings = []
    for year in sorted({this_year + r.fiscal_year for r in due}, reverse=True):
        of_year = [m for m in missing if m.year == year]
        expected = [r for r in due if this_year + r.fiscal_year == year]
        detail = {"fiscal_year": year, "expected": [r.category for r in expected],
                  "missing": [{"category": m.requirement.category, "label": m.label, "due": m.due.isoformat()}
                              for m in of_year]}
        if not of_year:
            findings.append(Finding("freshness.required_documents", "freshness", True, "info",
                                    f"Semua dokumen wajib tahun {year} tersedia ({len(expected)} dokumen)",
                                    f"all {len(expected)} required documents of {year} published", url, detail))
            continue
        current = year == this_year
        severity = doc_rules.severity["current" if current else "previous"]
        if current and stale:
            severity = doc_rules.severity["stale_site"]
        detail["stale_site"] = current and stale
        names = ", ".join(m.name for m in of_year)
        findings.append(Finding(
            "freshness.required_documents", "freshness", False, severity,
            f"Dokumen wajib tahun {year} belum dipublikasikan: {names}",
            f"{len(of_year)} required documents of {year} missing: "
            + ", ".join(f"{m.requirement.category} {m.year}" for m in of_year),
            url, detail))
    return findings


def broken_links(evidence: SiteEvidence) -> list[Finding]:
    """Linked documents and internal pages that answer 4xx/5xx or nothing at all."""
    if not has_content(evidence):
        return []
    broken = []
    for row in evidence.documents:
        if row.get("error_class") not in NOT_BROKEN or (row.get("status") or 0) >= 400 or soft_404(row):
            broken.append({"url": row.get("url"), "kind": "document", "status": row.get("status"),
                           "error_class": "not_a_pdf" if soft_404(row) else row.get("error_class"),
                           "linked_from": row.get("page_url")})
    for page in evidence.pages:
        if page.kind == "page" and (page.error_class not in NOT_BROKEN or (page.status or 0) >= 400):
            broken.append({"url": page.url, "kind": "page", "status": page.status, "error_class": page.error_class,
                           "linked_from": None})
    home = evidence.home
    if not broken:
        return [Finding("availability.broken_links", "availability", True, "info",
                        "Tidak ada tautan dokumen atau halaman yang rusak", "no broken links",
                        home.url if home else evidence.site.get("url"), {"broken": 0})]
    thresholds = rules().documents.broken_links
    severity = None
    for name, count in sorted(thresholds.items(), key=lambda kv: kv[1]):
        if len(broken) >= count:
            severity = name
    documents = sum(1 for b in broken if b["kind"] == "document")
    pages = len(broken) - documents
    detail = {"broken": len(broken), "documents": documents, "pages": pages, "links": broken[:MAX_LISTED]}
    parts = [f"{documents} dokumen" if documents else "", f"{pages} halaman" if pages else ""]
    message_id = f"{len(broken)} tautan rusak ({', '.join(p for p in parts if p)}), antara lain {broken[0]['url']}"
    message_en = f"{len(broken)} broken links ({documents} documents, {pages} pages)"
    if severity is None:
        return [Finding("availability.broken_links", "availability", True, "info", message_id, message_en,
                        broken[0]["url"], detail)]
    return [Finding("availability.broken_links", "availability", False, severity, message_id, message_en,
                    broken[0]["url"], detail)]
