"""The audit spider: one spider, every registered site, bounded per site.

For each site it queues, all at once, the home page, sitemap.xml, the conventional
feed and the WordPress posts API; follows internal links to ``DEPTH_LIMIT`` within the
site's page budget; checks linked documents with HEAD; records outbound links without
following them. Every URL it tries becomes a page (or document) item, failures
included: a broken site is a finding, never a crash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse

from crawler.classify import classify_failure, classify_status
from crawler.errors import Outcome
from crawler.middlewares.scope import host_in_scope
from crawler.tls import certificate_facts
from spiders.documents import pdf_read_request, unread_document, with_pdf_metadata
from storage.db import open_db

DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "odt", "ods"}
# Companion resources every site is asked for at once with its home page.
COMPANIONS = {
    "sitemap": "sitemap.xml",
    "feed": "feed/",
    "wp_json": "wp-json/wp/v2/posts?per_page=10",
}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "whatsapp:", "sms:", "data:")


def document_extension(url: str) -> str | None:
    ext = posixpath.splitext(urlsplit(url).path)[1].lower().lstrip(".")
    return ext if ext in DOCUMENT_EXTENSIONS else None


def site_hosts(host: str) -> set[str]:
    bare = host[4:] if host.startswith("www.") else host
    return {bare, f"www.{bare}"}


class AuditSpider(scrapy.Spider):
    name = "audit"

    def __init__(self, *args, region: str | None = None, sites: str | None = None, limit: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.site_ids = {int(s) for s in sites.split(",")} if sites else None
        self.limit = int(limit) if limit else None
        self.sites: list[dict] = []
        self.registered_hosts: set[str] = set()

    def load_sites(self) -> None:
        db = open_db(self.settings.get("PANTAU_DB"))
        where, params = "sites.active = 1 and sites.url is not null", []
        if self.region:
            where += " and (regions.code = ? or regions.parent = ? or regions.code like ?)"
            params += [self.region, self.region, self.region + ".%"]
        sql = ("select sites.id, sites.url, sites.host, sites.role from sites "
               "join units on units.id = sites.unit_id join regions on regions.code = units.region_code "
               f"where {where} order by sites.id")
        sites = list(db.query(sql, params))
        if self.site_ids is not None:
            sites = [s for s in sites if s["id"] in self.site_ids]
        self.sites = sites[: self.limit] if self.limit else sites
        self.registered_hosts = {row["host"].lower() for row in db.query("select distinct host from sites")}
        db.close()

    async def start(self):
        self.load_sites()
        self.crawler.stats.set_value("pantau/sites", len(self.sites))
        for site in self.sites:
            root = site["url"] if site["url"].endswith("/") else site["url"] + "/"
            meta = {"site_id": site["id"], "site_host": urlsplit(root).hostname}
            yield self.page_request(root, meta, kind="home")
            for kind, path in COMPANIONS.items():
                yield Request(
                    urljoin(root, path),
                    callback=self.parse_companion,
                    errback=self.on_error,
                    meta={**meta, "kind": kind, "budgeted": False},
                )

    def page_request(self, url: str, meta: dict, kind: str = "page") -> Request:
        return Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            meta={"site_id": meta["site_id"], "site_host": meta["site_host"], "kind": kind},
        )

    # -- callbacks ---------------------------------------------------------------------

    def parse_page(self, response: Response):
        yield self.page_item(response)
        if not isinstance(response, TextResponse) or response.status >= 400:
            return
        if "html" not in response.headers.get("Content-Type", b"text/html").decode("latin-1").lower():
            return
        yield from self.follow_links(response)

    def parse_companion(self, response: Response):
        yield self.page_item(response)
        if response.meta["kind"] == "sitemap" and response.status < 400 and isinstance(response, TextResponse):
            yield from self.follow_sitemap(response)

    def parse_document(self, response: Response):
        if response.status in (405, 501) and response.request.method == "HEAD":
            # Servers that refuse HEAD: ask for the first bytes only.
            yield response.request.replace(method="GET", headers={"Range": "bytes=0-65535"}, dont_filter=True)
            return
        item = self.document_item(response.meta, response=response)
        if response.request.method == "GET":
            item = with_pdf_metadata(item, response)
        # A PDF is then read (its first bytes, or all of a small one) for its own dates.
        yield pdf_read_request(self, response, item, self.parse_document_bytes) or item

    def parse_document_bytes(self, response: Response):
        yield with_pdf_metadata(response.meta["pending_document"], response)

    def on_error(self, failure):
        request = failure.request
        meta = {**request.meta, "_pantau_current_url": request.url}
        outcome, detail = classify_failure(failure.value, meta)
        if "pending_document" in request.meta:
            return [unread_document(request.meta["pending_document"], outcome)]
        if request.meta.get("kind") == "document":
            return [self.document_item(request.meta, outcome=outcome, url=request.url)]
        return [self.failed_page_item(request, outcome, detail)]

    # -- link extraction ---------------------------------------------------------------

    def follow_links(self, response: TextResponse):
        meta = response.meta
        own_hosts = site_hosts(meta["site_host"])
        feeds = response.xpath(
            '//link[@rel="alternate"][contains(@type, "rss") or contains(@type, "atom")]/@href'
        ).getall()
        for href in feeds:
            url = urldefrag(response.urljoin(href))[0]
            if (urlsplit(url).hostname or "") in own_hosts:
                yield Request(url, callback=self.parse_companion, errback=self.on_error,
                              meta={**self.base_meta(meta), "kind": "feed", "budgeted": False})
        # The site's own style sheets: colour contrast is judged with the CSS a browser applies.
        for href in response.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " stylesheet ")]/@href').getall():
            url = urldefrag(response.urljoin(href))[0]
            if (urlsplit(url).hostname or "") in own_hosts:
                yield Request(url, callback=self.parse_companion, errback=self.on_error,
                              meta={**self.base_meta(meta), "kind": "stylesheet"})
        seen: set[str] = set()
        for anchor in response.xpath("//a[@href]"):
            href = anchor.attrib["href"].strip()
            if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
                continue
            url = urldefrag(response.urljoin(href))[0]
            if url in seen or not url.startswith(("http://", "https://")):
                continue
            seen.add(url)
            host = (urlsplit(url).hostname or "").lower()
            text = " ".join(anchor.xpath("normalize-space(string(.))").get("").split())[:200]
            if host not in own_hosts:
                yield {"_type": "link", "site_id": meta["site_id"], "page_url": response.url,
                       "url": url, "host": host, "text": text}
                continue
            if document_extension(url):
                yield Request(url, method="HEAD", callback=self.parse_document, errback=self.on_error,
                              meta={**self.base_meta(meta), "kind": "document", "title": text,
                                    "page_url": response.url})
            else:
                yield self.page_request(url, meta)

    def follow_sitemap(self, response: TextResponse):
        response.selector.remove_namespaces()
        own_hosts = site_hosts(response.meta["site_host"])
        for loc in response.xpath("//sitemap/loc/text()").getall():
            url = loc.strip()
            if (urlsplit(url).hostname or "") in own_hosts:
                yield Request(url, callback=self.parse_companion, errback=self.on_error,
                              meta={**self.base_meta(response.meta), "kind": "sitemap", "budgeted": False})
        for loc in response.xpath("//url/loc/text()").getall():
            url = loc.strip()
            if (urlsplit(url).hostname or "") in own_hosts and not document_extension(url):
                yield self.page_request(url, response.meta)

    @staticmethod
    def base_meta(meta: dict) -> dict:
        return {"site_id": meta["site_id"], "site_host": meta["site_host"]}

    # -- items -------------------------------------------------------------------------

    def page_item(self, response: Response) -> dict:
        meta = response.meta
        body = response.body or b""
        headers = response.headers
        outcome = classify_status(response.status, len(body))
        text = None
        if isinstance(response, TextResponse) and outcome is not Outcome.EMPTY_BODY:
            text = response.text[: self.settings.getint("PANTAU_MAX_BODY_STORED")]
        redirect_urls = meta.get("redirect_urls", [])
        return {
            "_type": "page",
            "site_id": meta["site_id"],
            "url": redirect_urls[0] if redirect_urls else response.url,
            "final_url": response.url,
            "kind": meta.get("kind", "page"),
            "depth": meta.get("depth", 0),
            "status": response.status,
            "error_class": outcome.value,
            "error_detail": None,
            "fetched_at": _now_iso(),
            "elapsed_ms": round(meta.get("download_latency", 0) * 1000, 1),
            "bytes": len(body),
            "content_type": _header(headers, b"Content-Type"),
            "last_modified": _header(headers, b"Last-Modified"),
            "etag": _header(headers, b"ETag"),
            "server": _header(headers, b"Server"),
            "content_hash": hashlib.sha256(body).hexdigest() if body else None,
            "redirects": len(redirect_urls),
            "tls": self.tls_facts(response),
            "text": text,
        }

    def failed_page_item(self, request: Request, outcome: Outcome, detail: str) -> dict:
        meta = request.meta
        redirect_urls = meta.get("redirect_urls", [])
        return {
            "_type": "page",
            "site_id": meta.get("site_id"),
            "url": redirect_urls[0] if redirect_urls else request.url,
            "final_url": request.url,
            "kind": meta.get("kind", "page"),
            "depth": meta.get("depth", 0),
            "status": None,
            "error_class": outcome.value,
            "error_detail": detail[:500],
            "fetched_at": _now_iso(),
            "redirects": len(redirect_urls),
        }

    def document_item(self, meta: dict, response: Response | None = None, outcome: Outcome | None = None,
                      url: str | None = None) -> dict:
        item = {
            "_type": "document",
            "site_id": meta["site_id"],
            "url": (meta.get("redirect_urls") or [url or (response.url if response else None)])[0],
            "page_url": meta.get("page_url"),
            "title": meta.get("title"),
            "ext": document_extension(url or response.url),
        }
        if response is not None:
            outcome = classify_status(response.status)
            length = _header(response.headers, b"Content-Length")
            content_range = _header(response.headers, b"Content-Range")
            if content_range and "/" in content_range:
                length = content_range.rsplit("/", 1)[1]
            item.update(
                status=response.status,
                bytes=int(length) if length and length.isdigit() else None,
                content_type=_header(response.headers, b"Content-Type"),
                last_modified=_header(response.headers, b"Last-Modified"),
            )
        item["error_class"] = outcome.value if outcome else Outcome.OK.value
        return item

    def tls_facts(self, response: Response) -> dict | None:
        certificate = getattr(response, "certificate", None)
        if certificate is None or not response.url.startswith("https://"):
            return None
        cert = certificate.original.to_cryptography()
        return certificate_facts(cert, urlsplit(response.url).hostname or "", dt.datetime.now(dt.timezone.utc),
                                 self.settings.get("PANTAU_CA_FILE"))


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
