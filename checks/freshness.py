"""Freshness: how old is the newest content a site shows?

Dates are gathered, each with its provenance (``Dated``: source, the URL it was seen at,
the raw text), from structured sources first (sitemap lastmod, RSS/Atom, the WordPress
REST API, schema.org JSON-LD and article meta tags, <time> elements), then from the
HTTP Last-Modified of pages and documents and from the documents' own metadata (PDF
/CreationDate and /ModDate, XMP), then from dates written in the content of HTML pages.
A date is credible when it is not in the future, not before 1995, and not page chrome:
the footer's copyright year and a header widget showing today's date are exactly what
makes a dead site look alive. A year alone (a footer's "(c) 2026", "APBD 2024" in a
title) is never a content date.

The age thresholds live in ``checks/rules/freshness.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

from bs4 import NavigableString, Tag
from lxml import etree

from checks import dates
from checks.base import Finding, Page, SiteEvidence
from checks.dates import WIB, Dated, parse_instant
from checks.freshness_config import rules

DIMENSION = "freshness"

# A Last-Modified this close to the fetch is the server stamping "now" on a dynamic page.
GENERATED_WITHIN = dt.timedelta(hours=1)
# A sitemap whose every lastmod is the same instant was stamped by its generator.
STAMPED_SITEMAP_MIN_URLS = 5
MAX_TEXT_DATES_PER_PAGE = 100
MAX_JSON_LD_BYTES = 200_000

# Higher wins a tie between equal dates: structured sources are preferred over written text.
SOURCES = {
    "wp_json": 11, "feed": 10, "sitemap": 9, "schema_org": 8, "meta": 7, "time_element": 6,
    "document_last_modified": 5, "pdf_metadata": 4, "last_modified": 3, "text": 2, "text_relative": 1,
}
SOURCE_NAMES_ID = {
    "wp_json": "API WordPress", "feed": "RSS/Atom", "sitemap": "peta situs (sitemap)",
    "schema_org": "data terstruktur schema.org", "meta": "metadata artikel", "time_element": "penanda waktu halaman",
    "document_last_modified": "tanggal berkas dokumen", "pdf_metadata": "metadata dokumen PDF",
    "last_modified": "header Last-Modified", "text": "tanggal tertulis di halaman",
    "text_relative": "tanggal relatif di halaman",
}
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")

# Page chrome: elements and class/id words whose dates describe the site, not its content.
CHROME_TAGS = {"header", "footer", "nav"}
_CHROME_WORDS = (r"(?<![a-z])(?:header|masthead|footer|copyright|navbar|topbar|top-bar|breadcrumbs?|"
                 r"clock|jam|today|hari-ini|date-now|tanggal-sekarang)(?![a-z])")
# Event lists say when something will happen, not when content was written.
_AGENDA_WORDS = r"(?<![a-z])(?:agenda|jadwal|kalender|calendar|events?)(?![a-z])"
_ARTICLE_WORDS = r"(?<![a-z])(?:post|entry|article|artikel|berita|news)(?![a-z])"
SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
META_DATE_NAMES = {"article:published_time", "article:modified_time", "og:updated_time",
                   "datepublished", "datemodified", "date", "dc.date", "dcterms.modified",
                   "dcterms.created", "pubdate", "publish_date"}
# Modification stamps a CMS may set to "now" on every request.
STAMPABLE_META = {"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"}
JSON_LD_DATE_KEYS = {"datePublished", "dateModified", "dateCreated", "uploadDate"}
PDF_DATE_KEYS = ("mod_date", "creation_date", "xmp_modify_date", "xmp_create_date", "xmp_metadata_date")

CHROME_WORDS = re.compile(_CHROME_WORDS, re.IGNORECASE)
AGENDA_WORDS = re.compile(_AGENDA_WORDS, re.IGNORECASE)
ARTICLE_WORDS = re.compile(_ARTICLE_WORDS, re.IGNORECASE)


def _as_utc(value: dt.datetime) -> dt.datetime:
    """HTTP dates and stored fetch times are UTC even when written without an offset."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _xml_root(page: Page):
    try:
        return etree.fromstring(page.text.encode("utf-8"),
                                parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local_name(element) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def _dated(raws: list[str], source: str, url: str, subject: str | None = None) -> list[Dated]:
    found = []
    for raw in raws:
        instant = parse_instant(raw)
        if instant is not None:
            found.append(Dated(dates.local_date(instant), source, url, raw, subject))
    return found


def sitemap_dates(page: Page) -> tuple[list[Dated], list[str]]:
    """lastmod of every <url> and <sitemap>; a sitemap stamped with one instant throughout is rejected."""
    root = _xml_root(page)
    if root is None:
        return [], []
    entries = []
    for element in root.iter():
        if _local_name(element) not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in element:
            if _local_name(child) == "loc" and child.text:
                loc = child.text.strip()
            elif _local_name(child) == "lastmod" and child.text:
                lastmod = child.text.strip()
        if lastmod:
            entries.append((lastmod, loc))
    raws = [raw for raw, _ in entries]
    if len(raws) >= STAMPED_SITEMAP_MIN_URLS and len(set(raws)) == 1:
        return [], [f"sitemap {page.url}: every lastmod is {raws[0]} (generator stamp)"]
    found = []
    for raw, loc in entries:
        found += _dated([raw], "sitemap", page.url, loc)
    return found, []


def feed_dates(page: Page) -> list[Dated]:
    """pubDate / dc:date of RSS items and published / updated of Atom entries (not the channel's build time)."""
    root = _xml_root(page)
    if root is None:
        return []
    found = []
    for item in root.iter():
        if _local_name(item) not in ("item", "entry"):
            continue
        link = None
        raws = []
        for child in item:
            name = _local_name(child)
            if name in ("pubdate", "date", "published", "updated") and child.text:
                raws.append(child.text.strip())
            elif name == "link":
                link = (child.text or child.get("href") or "").strip() or None
        found += _dated(raws, "feed", page.url, link)
    return found


def wp_json_dates(page: Page) -> list[Dated]:
    """date_gmt and modified_gmt of posts from /wp-json/wp/v2/posts."""
    try:
        data = json.loads(page.text)
    except (TypeError, ValueError, RecursionError):
        return []
    posts = data if isinstance(data, list) else [data]
    found = []
    for post in posts:
        if isinstance(post, dict):
            raws = [post[key] + "+00:00" for key in ("date_gmt", "modified_gmt")
                    if isinstance(post.get(key), str) and post[key]]
            link = post.get("link") if isinstance(post.get("link"), str) else None
            found += _dated(raws, "wp_json", page.url, link)
    return found


def _json_ld_values(node, out: list[str], depth: int = 0) -> None:
    if depth > 20 or len(out) > 100:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key in JSON_LD_DATE_KEYS and isinstance(value, str):
                out.append(value)
            elif isinstance(value, (dict, list)):
                _json_ld_values(value, out, depth + 1)
    elif isinstance(node, list):
        for value in node:
            _json_ld_values(value, out, depth + 1)


def json_ld_dates(page: Page) -> list[Dated]:
    """datePublished / dateModified / dateCreated / uploadDate of schema.org JSON-LD blocks."""
    found = []
    for script in page.soup.find_all("script", type="application/ld+json"):
        text = script.string or script.get_text() or ""
        if len(text) > MAX_JSON_LD_BYTES:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        raws: list[str] = []
        _json_ld_values(data, raws)
        found += _dated(raws, "schema_org", page.url)
    return found


def _names_of(element) -> str:
    return " ".join(element.get("class") or []) + " " + (element.get("id") or "")


def _is_article(element) -> bool:
    return element.name in ("article", "main", "time") or bool(ARTICLE_WORDS.search(_names_of(element)))


def _is_chrome(element) -> bool:
    """Site header, footer or navigation; an article's own header (its byline and date) is content."""
    if _is_article(element):
        return False
    return element.name in CHROME_TAGS or bool(CHROME_WORDS.search(_names_of(element)))


def _in_chrome(element) -> bool:
    for ancestor in [element, *element.parents]:
        if not ancestor.name or ancestor.name in ("body", "html", "[document]"):
            return False
        if _is_article(ancestor):
            return False
        if _is_chrome(ancestor):
            return True
    return False


def content_texts(page: Page) -> list[tuple[str, bool]]:
    """Text of the page outside its chrome and event lists, each with whether it sits inside an article."""
    if AGENDA_WORDS.search(urlsplit(page.url).path):
        return []
    body = page.soup.body or page.soup
    texts = []
    stack = [(body, False)]
    while stack:
        element, in_article = stack.pop()
        for child in reversed(list(element.children)):
            if type(child) is NavigableString:
                if child.strip():
                    texts.append((child.strip(), in_article))
            elif isinstance(child, Tag) and child.name not in SKIP_TAGS:
                if AGENDA_WORDS.search(_names_of(child)):
                    continue
                if in_article or not _is_chrome(child):
                    stack.append((child, in_article or _is_article(child)))
    return texts


def _stamped(instant: dt.datetime, fetched_at: str | None) -> bool:
    fetched = parse_instant(fetched_at) if fetched_at else None
    return fetched is not None and abs(_as_utc(fetched) - _as_utc(instant)) <= GENERATED_WITHIN


def html_dates(page: Page, now: dt.datetime, today: dt.date) -> tuple[list[Dated], list[str]]:
    """JSON-LD, meta tags, <time datetime> and written dates of one HTML page."""
    found = json_ld_dates(page)
    rejected = []
    for meta in page.soup.find_all("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in META_DATE_NAMES and meta.get("content"):
            for item in _dated([meta["content"]], "meta", page.url):
                instant = parse_instant(meta["content"])
                if name in STAMPABLE_META and _stamped(instant, page.fetched_at):
                    rejected.append(f"{page.url}: {name} {meta['content']} is the fetch time (dynamic page)")
                else:
                    found.append(item)
    for time in page.soup.find_all("time", datetime=True):
        if not _in_chrome(time.parent):
            found += _dated([time["datetime"]], "time_element", page.url)
    base = now.astimezone(WIB)
    seen = 0
    for text, in_article in content_texts(page):
        matches = [(raw, date, "text") for raw, date in dates.find_text_dates(text, MAX_TEXT_DATES_PER_PAGE)]
        for relative in dates.RELATIVE_DATE_RE.finditer(text):
            moment = dates.parse_relative(relative.group(0), base)
            matches.append((relative.group(0), moment.date() if moment else None, "text_relative"))
        for raw, date, source in matches:
            seen += 1
            if seen > MAX_TEXT_DATES_PER_PAGE:
                return found, rejected
            if date is None:
                continue  # an impossible date such as "31 Februari 2024"
            # Today's date outside an article is a clock or a "today" widget, not content.
            if date >= today and not in_article:
                rejected.append(f"{page.url}: '{raw}' is today's date outside an article")
                continue
            found.append(Dated(date, source, page.url, raw))
    return found, rejected


def pdf_metadata_of(document: dict) -> dict:
    """The stored PDF metadata of a documents row (``pdf_meta``), or {}."""
    raw = document.get("pdf_meta")
    if not raw:
        return {}
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _document_instants(document: dict) -> list[tuple[Dated, dt.datetime]]:
    url = document.get("url") or ""
    found = []
    instant = parse_instant(document.get("last_modified"))
    if instant is not None:
        found.append((Dated(dates.local_date(instant), "document_last_modified", url, document["last_modified"]),
                      instant))
    meta = pdf_metadata_of(document)
    for key in PDF_DATE_KEYS:
        raw = meta.get(key)
        if not isinstance(raw, str):
            continue
        instant = dates.parse_pdf_date(raw) if key in ("mod_date", "creation_date") else parse_instant(raw)
        if instant is not None:
            found.append((Dated(dates.local_date(instant), "pdf_metadata", url, f"{key} {raw}"), instant))
    return found


def document_dates(document: dict) -> list[Dated]:
    """Every date a document carries: HTTP Last-Modified and its PDF's own dates (Info and XMP)."""
    return [item for item, _ in _document_instants(document)]


def document_ok(document: dict) -> bool:
    return document.get("error_class") in (None, "ok") and (document.get("status") or 0) < 400


def last_modified_dates(evidence: SiteEvidence) -> tuple[list[Dated], list[str]]:
    """Last-Modified of pages and documents, and PDF metadata dates, unless they echo the fetch."""
    found, rejected = [], []
    for page in evidence.pages:
        if not (page.ok and page.kind in ("home", "page", "document")):
            continue
        instant = parse_instant(page.last_modified)
        if instant is None:
            continue
        if _stamped(instant, page.fetched_at or evidence.now.isoformat()):
            rejected.append(f"{page.url}: Last-Modified {page.last_modified} is the fetch time (dynamic page)")
            continue
        found.append(Dated(dates.local_date(instant), "last_modified", page.url, page.last_modified))
    for document in evidence.documents:
        if not document_ok(document):
            continue
        fetched_at = document.get("fetched_at") or evidence.now.isoformat()
        for item, instant in _document_instants(document):
            if _stamped(instant, fetched_at):
                what = "Last-Modified" if item.source == "document_last_modified" else "PDF date"
                rejected.append(f"{item.url}: {what} {item.raw} is the fetch time (generated on download)")
                continue
            found.append(item)
    return found, rejected


def gather(evidence: SiteEvidence) -> tuple[list[Dated], list[str]]:
    """Every credible date of a site, and why the others were rejected."""
    today = dates.local_date(evidence.now)
    found, rejected = [], []
    for page in evidence.pages:
        if not page.ok or not page.text:
            continue
        if page.kind == "sitemap":
            found_here, why = sitemap_dates(page)
            found += found_here
            rejected += why
        elif page.kind == "feed":
            found += feed_dates(page)
        elif page.kind == "wp_json":
            found += wp_json_dates(page)
        elif page.is_html and page.kind in ("home", "page"):
            found_here, why = html_dates(page, evidence.now, today)
            found += found_here
            rejected += why
    found_here, why = last_modified_dates(evidence)
    found += found_here
    rejected += why
    credible = []
    for item in found:
        problem = dates.credible(item.date, evidence.now)
        if problem:
            rejected.append(f"{item.url}: {item.raw} is {problem} ({item.source})")
        else:
            credible.append(item)
    return credible, rejected


def site_dates(evidence: SiteEvidence) -> tuple[list[Dated], list[str]]:
    """``gather(evidence)``, computed once per evidence and shared by every check that needs it."""
    cached = evidence.__dict__.get("_freshness_gathered")
    if cached is None:
        cached = gather(evidence)
        evidence.__dict__["_freshness_gathered"] = cached
    return cached


def newest_of(credible: list[Dated]) -> Dated | None:
    """The newest date; on a tie, the most structured source."""
    return max(credible, key=lambda item: (item.date, SOURCES[item.source])) if credible else None


def last_updated(evidence: SiteEvidence) -> Dated | None:
    """The site's "last updated": its newest credible content date, with provenance."""
    return newest_of(site_dates(evidence)[0])


def age_days(evidence: SiteEvidence, newest: Dated) -> int:
    return max(0, (dates.local_date(evidence.now) - newest.date).days)


def format_date_id(date: dt.date) -> str:
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"


def severity_for_age(days: int, age_days_rule: dict[str, int] | None = None) -> str | None:
    """The severity of content this many days old, or None when it is fresh enough."""
    severity = None
    for name, limit in sorted((age_days_rule or rules().freshness.age_days).items(), key=lambda item: item[1]):
        if days > limit:
            severity = name
    return severity


def has_content(evidence: SiteEvidence) -> bool:
    return any(p.ok and p.text for p in evidence.pages) or bool(evidence.documents)


def newest_content(evidence: SiteEvidence) -> list[Finding]:
    """The newest credible content date, judged against the ``age_days`` thresholds."""
    home = evidence.home
    home_url = home.url if home else evidence.site.get("url")
    if not has_content(evidence):
        return [Finding("freshness.newest_content", DIMENSION, False, "high",
                        "Tidak ada konten yang dapat diperiksa kebaruannya", "no content to date",
                        home_url, {"no_evidence": True})]
    credible, rejected = site_dates(evidence)
    detail = {"dates_found": len(credible), "rejected": rejected[:10], "rejected_count": len(rejected)}
    if not credible:
        return [Finding("freshness.newest_content", DIMENSION, False, "high",
                        "Tidak ditemukan tanggal konten yang dapat dipercaya",
                        "no credible content date found", home_url, detail)]
    newest = newest_of(credible)
    age = age_days(evidence, newest)
    detail.update(newest=newest.date.isoformat(), source=newest.source, raw=newest.raw, age_days=age,
                  by_source={source: max(d.date for d in credible if d.source == source).isoformat()
                             for source in sorted({d.source for d in credible})})
    when = format_date_id(newest.date)
    source_id = SOURCE_NAMES_ID[newest.source]
    severity = severity_for_age(age)
    if severity is None:
        return [Finding("freshness.newest_content", DIMENSION, True, "info",
                        f"Konten terbaru bertanggal {when} ({age} hari lalu, sumber: {source_id})",
                        f"newest content {newest.date.isoformat()} ({age} days ago, {newest.source})",
                        newest.url, detail)]
    return [Finding("freshness.newest_content", DIMENSION, False, severity,
                    f"Konten tidak diperbarui sejak {when} ({age} hari lalu, sumber: {source_id})",
                    f"no new content since {newest.date.isoformat()} ({age} days, {newest.source})",
                    newest.url, detail)]
