"""A page budget, a document budget and a style-sheet budget per site.

Scrapy's CLOSESPIDER_PAGECOUNT is global; an audit needs every site bounded on its
own so one endless calendar cannot eat the crawl. Requests beyond the budget are
dropped and counted under ``budget/dropped``.
"""

from __future__ import annotations

from collections import Counter

from scrapy import Request
from scrapy.exceptions import NotConfigured


class SitePageBudgetMiddleware:
    def __init__(self, crawler, max_pages: int):
        self.stats = crawler.stats
        self.limits = {"page": max_pages, "document": crawler.settings.getint("PANTAU_MAX_DOCUMENTS_PER_SITE"),
                       "stylesheet": crawler.settings.getint("PANTAU_MAX_STYLESHEETS_PER_SITE")}
        self.scheduled: Counter[tuple[int, str]] = Counter()
        self.fingerprinter = crawler.request_fingerprinter
        self.admitted: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler):
        max_pages = crawler.settings.getint("PANTAU_MAX_PAGES_PER_SITE")
        if max_pages <= 0:
            raise NotConfigured
        return cls(crawler, max_pages)

    def admit(self, request: Request) -> bool:
        """Count ``request`` against its site; False when over budget."""
        if not request.meta.get("budgeted", True):
            return True
        site_id = request.meta.get("site_id")
        if site_id is None:
            return True
        fingerprint = None
        if not request.dont_filter:
            # A duplicate of an admitted request will be dropped by the scheduler: it
            # must not spend budget (nor pass when its first copy was refused).
            fingerprint = self.fingerprinter.fingerprint(request)
            if fingerprint in self.admitted:
                return True
        kind = request.meta.get("kind")
        pool = kind if kind in ("document", "stylesheet") else "page"
        key = (site_id, pool)
        if self.scheduled[key] >= self.limits[pool]:
            self.stats.inc_value(f"budget/dropped/{pool}")
            return False
        self.scheduled[key] += 1
        if fingerprint is not None:
            self.admitted.add(fingerprint)
        return True

    async def process_start(self, start):
        async for item_or_request in start:
            if not isinstance(item_or_request, Request) or self.admit(item_or_request):
                yield item_or_request

    async def process_spider_output_async(self, response, result, spider=None):
        async for item_or_request in result:
            if not isinstance(item_or_request, Request) or self.admit(item_or_request):
                yield item_or_request

    def process_spider_output(self, response, result, spider=None):
        for item_or_request in result:
            if not isinstance(item_or_request, Request) or self.admit(item_or_request):
                yield item_or_request
