"""Keep the crawl on registered hosts and off non-public addresses.

Every request (first requests, followed links, redirects) is checked before download:
its host must belong to a registered site (the site's host, a subdomain of it, or
the site's host without ``www.``) and must resolve to an address the guard permits.
A refused request fails with ``Refused`` carrying the outcome, so it is recorded as
a finding rather than silently dropped.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.errors import Outcome
from crawler.resolver import AddressGuard, NameLookupFailed, NameNotFound


class Refused(IgnoreRequest):
    """A request pantau would not send, with the outcome to record."""

    def __init__(self, outcome: Outcome, detail: str):
        super().__init__(f"{outcome.value}: {detail}")
        self.outcome = outcome
        self.detail = detail


def host_in_scope(host: str, registered: set[str]) -> bool:
    host = host.lower().rstrip(".")
    if host in registered:
        return True
    bare = host[4:] if host.startswith("www.") else host
    if bare in registered or f"www.{bare}" in registered:
        return True
    return any(host.endswith("." + r) for r in registered)


class RegistryScopeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.guard = AddressGuard.from_settings(crawler.settings)
        self._addresses: dict[str, str | Exception] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        host = urlparse_cached(request).hostname or ""
        registered = getattr(spider, "registered_hosts", None)
        if registered is not None and not host_in_scope(host, registered):
            self.stats.inc_value("scope/offsite")
            raise Refused(Outcome.BLOCKED, f"{host} is not a registered host")
        address = await self._resolve(host)
        if not self.guard.permitted(address):
            self.stats.inc_value("ssrf/blocked")
            raise Refused(Outcome.BLOCKED, f"{host} resolves to non-public address {address}")
        return None

    async def _resolve(self, host: str) -> str:
        if host not in self._addresses:
            try:
                self._addresses[host] = await maybe_deferred_to_future(deferToThread(self.guard.resolve, host))
            except (NameNotFound, NameLookupFailed) as exc:
                self._addresses[host] = exc
        result = self._addresses[host]
        if isinstance(result, NameNotFound):
            self.stats.inc_value("dns/nxdomain")
            raise Refused(Outcome.DNS_NXDOMAIN, str(result))
        if isinstance(result, NameLookupFailed):
            self.stats.inc_value("dns/error")
            raise Refused(Outcome.DNS_ERROR, str(result))
        return result
