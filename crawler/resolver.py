"""Name resolution for the crawl: an optional hosts-file override and an address guard.

With ``PANTAU_HOSTS_FILE`` set, the file replaces DNS entirely: a name it does not list
does not resolve, so a test or a testbed run can never leak a query to the internet.
Without it, the system resolver is used. Either way an address in a loopback, private,
link-local or otherwise non-public range is refused unless
``PANTAU_ALLOW_PRIVATE_ADDRESSES`` is set.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class HostsFileError(ValueError):
    pass


def read_hosts_file(path: str | Path) -> dict[str, str]:
    """Parse ``ADDRESS NAME [NAME...]`` lines; ``#`` starts a comment."""
    mapping: dict[str, str] = {}
    for lineno, raw in enumerate(Path(path).read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise HostsFileError(f"{path}:{lineno}: expected 'ADDRESS NAME', got {raw!r}")
        try:
            ipaddress.ip_address(parts[0])
        except ValueError:
            raise HostsFileError(f"{path}:{lineno}: {parts[0]!r} is not an IP address") from None
        for name in parts[1:]:
            mapping[name.lower().rstrip(".")] = parts[0]
    return mapping


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


class NameNotFound(Exception):
    """The name does not exist (NXDOMAIN)."""


class NameLookupFailed(Exception):
    """The lookup failed for another reason (timeout, server failure)."""


class AddressGuard:
    """Resolves names the way the crawl will, and says whether an address may be fetched."""

    def __init__(self, hosts: dict[str, str] | None, allow_private: bool):
        self.hosts = hosts
        self.allow_private = allow_private

    @classmethod
    def from_settings(cls, settings) -> AddressGuard:
        path = settings.get("PANTAU_HOSTS_FILE")
        hosts = read_hosts_file(path) if path else None
        return cls(hosts, settings.getbool("PANTAU_ALLOW_PRIVATE_ADDRESSES"))

    def resolve(self, name: str) -> str:
        """Blocking resolution of ``name`` to one IPv4/IPv6 address string."""
        name = name.lower().rstrip(".")
        try:
            ipaddress.ip_address(name)
            return name
        except ValueError:
            pass
        if self.hosts is not None:
            if name not in self.hosts:
                raise NameNotFound(f"{name}: not in the hosts file")
            return self.hosts[name]
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                raise NameNotFound(f"{name}: {exc.strerror}") from exc
            raise NameLookupFailed(f"{name}: {exc.strerror}") from exc
        return infos[0][4][0]

    def permitted(self, address: str) -> bool:
        return self.allow_private or is_public_address(address)


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
            except NameNotFound as exc:
                return defer.fail(DNSLookupError(str(exc)))
        else:
            d = super().getHostByName(name, timeout)
        d.addCallback(self._refuse_non_public, name)
        return d

    def _refuse_non_public(self, address: str, name: str) -> str:
        if not self.guard.permitted(address):
            raise DNSLookupError(f"{name}: refused non-public address {address}")
        return address
