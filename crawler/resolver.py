"""Name resolution for the crawl: an optional hosts-file override and an address guard.

With ``PANTAU_HOSTS_FILE`` set, the file replaces DNS entirely: a name it does not list
does not resolve, so a test or a testbed run can never leak a query to the internet.
Without it, the system resolver is used. Either way an address in a loopback, private,
link-local or otherwise non-public range is refused unless
``PANTAU_ALLOW_PRIVATE_ADDRESSES`` is set.

A hosts file may write ``SERVFAIL`` in place of the address: the name then fails to
resolve the way a broken DNS server fails it (``dns_error``), not as a name that does
not exist (``dns_nxdomain``). A testbed uses it to simulate a DNS outage.
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawler.addresses import (  # noqa: F401  (re-exported: the crawl's public names)
    SERVFAIL,
    AddressGuard,
    HostsFileError,
    NameLookupFailed,
    NameNotFound,
    is_public_address,
    read_hosts_file,
)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, behind the hosts-file override and the address guard.

    This is what Twisted connects with, so no connection can reach a refused address
    even if a request slipped past ``RegistryScopeMiddleware``.
    """

    def __init__(self, reactor, cache_size, timeout, guard: AddressGuard):
        super().__init__(reactor, cache_size, timeout)
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler, reactor):
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), AddressGuard.from_settings(settings))

    def getHostByName(self, name, timeout=()):
        if self.guard.hosts is not None:
            try:
                d = defer.succeed(self.guard.resolve(name))
            except (NameNotFound, NameLookupFailed) as exc:
                return defer.fail(DNSLookupError(str(exc)))
        else:
            d = super().getHostByName(name, timeout)
        d.addCallback(self._refuse_non_public, name)
        return d

    def _refuse_non_public(self, address: str, name: str) -> str:
        if not self.guard.permitted(address):
            raise DNSLookupError(f"{name}: refused non-public address {address}")
        return address
