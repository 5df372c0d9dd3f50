"""Freshness: how old is the newest content a site shows?

Dates are gathered from structured sources first (sitemap lastmod, RSS/Atom, the
WordPress REST API, article meta tags, <time> elements), then from the HTTP
Last-Modified of pages and documents, then from dates written in the content of
HTML pages. A date is credible when it is not in the future, not before 1995, and
not page chrome: the footer's copyright year and a header widget showing today's
date are exactly what makes a dead site look alive.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import dateparser
from bs4 import NavigableString, Tag
from lxml import etree

from checks.base import Finding, Page, SiteEvidence

DIMENSION = "freshness"

# Newest content older than this many days raises a finding of that severity (the largest exceeded wins).
AGE_DAYS = {"low": 30, "medium": 90, "high": 180, "critical": 365}
EARLIEST = dt.date(1995, 1, 1)
WIB = dt.timezone(dt.timedelta(hours=7))
WIT = dt.timezone(dt.timedelta(hours=9))
# A Last-Modified this close to the fetch is the server stamping "now" on a dynamic page.
GENERATED_WITHIN = dt.timedelta(hours=1)
# A sitemap whose every lastmod is the same instant was stamped by its generator.
STAMPED_SITEMAP_MIN_URLS = 5
MAX_TEXT_DATES_PER_PAGE = 100

# Higher wins a tie between equal dates: structured sources are preferred over written text.
SOURCES = {
    "wp_json": 9, "feed": 8, "sitemap": 7, "meta": 6, "time_element": 5,
    "document_last_modified": 4, "last_modified": 3, "text": 2, "text_relative": 1,
}
SOURCE_NAMES_ID = {
    "wp_json": "API WordPress", "feed": "RSS/Atom", "sitemap": "peta situs (sitemap)",
    "meta": "metadata artikel", "time_element": "penanda waktu halaman",
    "document_last_modified": "tanggal berkas dokumen", "last_modified": "header Last-Modified",
    "text": "tanggal tertulis di halaman", "text_relative": "tanggal relatif di halaman",
}
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")

DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first",
                       "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
_MONTH_WORDS = (
    r"januari|january|jan|februari|pebruari|february|feb|peb|maret|march|mar|april|apr|mei|may|"
    r"juni|june|jun|juli|july|jul|agustus|august|agust|agu|agt|aug|september|sept|sep|"
    r"oktober|october|okt|oct|november|nopember|nov|nop|desember|december|des|dec"
)
TEXT_DATE_RE = re.compile(
    rf"\b\d{{1,2}}\s+(?:{_MONTH_WORDS})\.?,?\s+\d{{4}}\b"
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
RELATIVE_DATE_RE = re.compile(r"\b\d{1,3}\s+(?:menit|jam|hari|minggu|bulan)\s+(?:yang\s+)?lalu\b|\bkemarin\b",
                              re.IGNORECASE)
# Page chrome: elements and class/id words whose dates describe the site, not its content.
CHROME_TAGS = {"header", "footer", "nav"}
CHROME_WORDS = re.compile(r"(?<![a-z])(?:header|masthead|footer|copyright|navbar|topbar|top-bar|breadcrumbs?|"
                          r"clock|jam|today|hari-ini|date-now|tanggal-sekarang)(?![a-z])", re.IGNORECASE)
# Event lists say when something will happen, not when content was written.
AGENDA_WORDS = re.compile(r"(?<![a-z])(?:agenda|jadwal|kalender|calendar|events?)(?![a-z])", re.IGNORECASE)
ARTICLE_WORDS = re.compile(r"(?<![a-z])(?:post|entry|article|artikel|berita|news)(?![a-z])", re.IGNORECASE)
SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
META_DATE_NAMES = {"article:published_time", "article:modified_time", "og:updated_time",
                   "datepublished", "datemodified", "date", "dc.date", "dcterms.modified",
                   "dcterms.created", "pubdate", "publish_date"}


@dataclass(frozen=True)
class Dated:
    """One dated piece of evidence."""

    date: dt.date
    source: str
    url: str
    raw: str


def _local_date(value: dt.datetime) -> dt.date:
    """The calendar date in western Indonesia (WIB) of an instant; a naive value is already local."""
    if value.tzinfo is None:
        return value.date()
    return value.astimezone(WIB).date()


def parse_instant(value: str | None) -> dt.datetime | None:
    """ISO-8601 (sitemaps, Atom, meta tags, WordPress) or RFC 822 (RSS, HTTP headers)."""
    if not value:
        return None
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    # Only a full written date: a bare "2024" or "2024-01" would be completed with an invented day.
    match = TEXT_DATE_RE.search(value)
    return _parse_absolute(match.group(0)) if match else None


@lru_cache(maxsize=4096)
def _parse_absolute(text: str) -> dt.datetime | None:
    return dateparser.parse(text, languages=["id", "en"], settings=DATEPARSER_SETTINGS)


def parse_written(text: str, base: dt.datetime) -> dt.datetime | None:
    """A date as Indonesian sites write it, day first; relative forms count back from ``base``."""
    if not RELATIVE_DATE_RE.fullmatch(text):
        return _parse_absolute(text)
    return dateparser.parse(text, languages=["id", "en"],
                            settings={**DATEPARSER_SETTINGS, "RELATIVE_BASE": base.replace(tzinfo=None)})


def _xml_root(page: Page):
    try:
        return etree.fromstring(page.text.encode("utf-8"),
                                parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local_name(element) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def sitemap_dates(page: Page) -> tuple[list[Dated], list[str]]:
    """lastmod of every <url> and <sitemap>; a sitemap stamped with one instant throughout is rejected."""
    root = _xml_root(page)
    if root is None:
        return [], []
    raws = [(el.text or "").strip() for el in root.iter() if _local_name(el) == "lastmod" and el.text]
    if len(raws) >= STAMPED_SITEMAP_MIN_URLS and len(set(raws)) == 1:
        return [], [f"sitemap {page.url}: every lastmod is {raws[0]} (generator stamp)"]
    return _dated(raws, "sitemap", page.url), []


def feed_dates(page: Page) -> list[Dated]:
    """pubDate / dc:date of RSS items and published / updated of Atom entries (not the channel's build time)."""
    root = _xml_root(page)
    if root is None:
        return []
    raws = []
    for item in root.iter():
        if _local_name(item) not in ("item", "entry"):
            continue
        for child in item:
            if _local_name(child) in ("pubdate", "date", "published", "updated") and child.text:
                raws.append(child.text.strip())
    return _dated(raws, "feed", page.url)


def wp_json_dates(page: Page) -> list[Dated]:
    """date_gmt and modified_gmt of posts from /wp-json/wp/v2/posts."""
    try:
        data = json.loads(page.text)
    except (TypeError, ValueError):
        return []
    posts = data if isinstance(data, list) else [data]
    raws = []
    for post in posts:
        if isinstance(post, dict):
            raws += [post[key] + "+00:00" for key in ("date_gmt", "modified_gmt")
                     if isinstance(post.get(key), str) and post[key]]
    return _dated(raws, "wp_json", page.url)


def _dated(raws: list[str], source: str, url: str) -> list[Dated]:
    found = []
    for raw in raws:
        instant = parse_instant(raw)
        if instant is not None:
            found.append(Dated(_local_date(instant), source, url, raw))
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


def html_dates(page: Page, now: dt.datetime, today: dt.date) -> tuple[list[Dated], list[str]]:
    """Meta tags, <time datetime> and written dates of one HTML page."""
    found = []
    for meta in page.soup.find_all("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in META_DATE_NAMES and meta.get("content"):
            found += _dated([meta["content"]], "meta", page.url)
    for time in page.soup.find_all("time", datetime=True):
        if not _in_chrome(time.parent):
            found += _dated([time["datetime"]], "time_element", page.url)
    rejected = []
    seen = 0
    for text, in_article in content_texts(page):
        for regex, source in ((TEXT_DATE_RE, "text"), (RELATIVE_DATE_RE, "text_relative")):
            for match in regex.finditer(text):
                seen += 1
                if seen > MAX_TEXT_DATES_PER_PAGE:
                    return found, rejected
                parsed = parse_written(match.group(0), now.astimezone(WIB))
                if parsed is None:
                    continue
                date = parsed.date()
                # Today's date outside an article is a clock or a "today" widget, not content.
                if date >= today and not in_article:
                    rejected.append(f"{page.url}: '{match.group(0)}' is today's date outside an article")
                    continue
                found.append(Dated(date, source, page.url, match.group(0)))
    return found, rejected


def _as_utc(value: dt.datetime) -> dt.datetime:
    """HTTP dates and stored fetch times are UTC even when written without an offset."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def last_modified_dates(evidence: SiteEvidence) -> tuple[list[Dated], list[str]]:
    """Last-Modified of pages and documents, unless it merely echoes the moment of the fetch."""
    found, rejected = [], []
    candidates = [(p.last_modified, p.fetched_at, p.url, "last_modified") for p in evidence.pages
                  if p.ok and p.kind in ("home", "page", "document")]
    candidates += [(d.get("last_modified"), d.get("fetched_at"), d.get("url"), "document_last_modified")
                   for d in evidence.documents
                   if d.get("error_class") in (None, "ok") and (d.get("status") or 0) < 400]
    for header, fetched_at, url, source in candidates:
        instant = parse_instant(header)
        if instant is None:
            continue
        fetched = parse_instant(fetched_at) or evidence.now
        if abs(_as_utc(fetched) - _as_utc(instant)) <= GENERATED_WITHIN:
            rejected.append(f"{url}: Last-Modified {header} is the fetch time (dynamic page)")
            continue
        found.append(Dated(_local_date(instant), source, url, header))
    return found, rejected


def gather(evidence: SiteEvidence) -> tuple[list[Dated], list[str]]:
    """Every credible date of a site, and why the others were rejected."""
    today = _local_date(evidence.now)
    latest_allowed = evidence.now.astimezone(WIT).date()
    found, rejected = [], []
    for page in evidence.pages:
        if not page.ok or not page.text:
            continue
        if page.kind == "sitemap":
            dates, why = sitemap_dates(page)
            found += dates
            rejected += why
        elif page.kind == "feed":
            found += feed_dates(page)
        elif page.kind == "wp_json":
            found += wp_json_dates(page)
        elif page.is_html and page.kind in ("home", "page"):
            dates, why = html_dates(page, evidence.now, today)
            found += dates
            rejected += why
    dates, why = last_modified_dates(evidence)
    found += dates
    rejected += why
    credible = []
    for item in found:
        if item.date > latest_allowed:
            rejected.append(f"{item.url}: {item.raw} is in the future ({item.source})")
        elif item.date < EARLIEST:
            rejected.append(f"{item.url}: {item.raw} is before {EARLIEST.year} ({item.source})")
        else:
            credible.append(item)
    return credible, rejected


def format_date_id(date: dt.date) -> str:
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"


def severity_for_age(days: int) -> str | None:
    """The severity of content this many days old, or None when it is fresh enough."""
    severity = None
    for name, limit in sorted(AGE_DAYS.items(), key=lambda item: item[1]):
        if days > limit:
            severity = name
    return severity


def newest_content(evidence: SiteEvidence) -> list[Finding]:
    """The newest credible content date, judged against ``AGE_DAYS``."""
    home = evidence.home
    home_url = home.url if home else evidence.site.get("url")
    if not any(p.ok and p.text for p in evidence.pages) and not evidence.documents:
        return [Finding("freshness.newest_content", DIMENSION, False, "high",
                        "Tidak ada konten yang dapat diperiksa kebaruannya", "no content to date",
                        home_url, {"no_evidence": True})]
    credible, rejected = gather(evidence)
    detail = {"dates_found": len(credible), "rejected": rejected[:10], "rejected_count": len(rejected)}
    if not credible:
        return [Finding("freshness.newest_content", DIMENSION, False, "high",
                        "Tidak ditemukan tanggal konten yang dapat dipercaya",
                        "no credible content date found", home_url, detail)]
    newest = max(credible, key=lambda item: (item.date, SOURCES[item.source]))
    age = max(0, (_local_date(evidence.now) - newest.date).days)
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
