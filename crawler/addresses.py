"""Names and addresses: the hosts-file override and the private-address guard.

Used by the crawl (through ``crawler.resolver.GuardedResolver``, Scrapy's resolver) and by
the prober (through ``crawler.prober``, aiohttp's resolver), so both reach the same
addresses and refuse the same ones. Free of Scrapy and Twisted so the prober stays light.

With a hosts file, the file replaces DNS entirely: a name it does not list does not
resolve, so a test or a testbed run can never leak a query to the internet. Without it,
the system resolver is used. Either way an address in a loopback, private, link-local or
otherwise non-public range is refused unless private addresses are allowed.

A hosts file may write ``SERVFAIL`` in place of the address: the name then fails to
resolve the way a broken DNS server fails it (``dns_error``), not as a name that does
not exist (``dns_nxdomain``). A testbed uses it to simulate a DNS outage.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path


class HostsFileError(ValueError):
    pass


SERVFAIL = "SERVFAIL"


def read_hosts_file(path: str | Path) -> dict[str, str]:
    """Parse ``ADDRESS NAME [NAME...]`` lines; ``#`` starts a comment.

    ADDRESS may be ``SERVFAIL`` (any case): those names fail with a lookup error.
    """
    mapping: dict[str, str] = {}
    valid = {SERVFAIL}  # a testbed's file repeats one address 25,000 times: check it once
    for lineno, raw in enumerate(Path(path).read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise HostsFileError(f"{path}:{lineno}: expected 'ADDRESS NAME', got {raw!r}")
        address = SERVFAIL if parts[0].upper() == SERVFAIL else parts[0]
        if address not in valid:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise HostsFileError(f"{path}:{lineno}: {address!r} is not an IP address") from None
            valid.add(address)
        for name in parts[1:]:
            mapping[name.lower().rstrip(".")] = address
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
        if name and not name[-1].isalpha():  # a host name ends in a letter; try it as an address
            try:
                ipaddress.ip_address(name)
                return name
            except ValueError:
                pass
        if self.hosts is not None:
            if name not in self.hosts:
                raise NameNotFound(f"{name}: not in the hosts file")
            if self.hosts[name] == SERVFAIL:
                raise NameLookupFailed(f"{name}: SERVFAIL (marked so in the hosts file)")
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
