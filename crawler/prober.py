"""The availability prober: every registered site's home URL, fetched at once with aiohttp.

The deep crawl runs daily or weekly; this answers "is it up, and if not, why?" every few
minutes. One probe fetches one URL, follows redirects itself (so a loop is told from a
merely long chain), reads the body up to a cap and sorts the result into exactly one
``Outcome``. Names go through the crawl's hosts-file override and private-address guard
(``crawler.addresses``); certificates are verified by OpenSSL against certifi's roots plus
an optional CA file, and judged with ``crawler.tls`` for the facts (expiry, issuer).

Timings, per probe (phases summed over the redirects, as blackbox_exporter does):
``dns_ms``, ``connect_ms`` (TCP handshake), ``tls_ms`` (TLS handshake); ``ttfb_ms`` is from
the start until the final response's headers, ``total_ms`` until its body is read.
"""

from __future__ import annotations

import asyncio
import codecs
import contextvars
import datetime as dt
import ipaddress
import socket
import ssl
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohappyeyeballs
import aiohttp
import certifi
from aiohttp.abc import AbstractResolver
from aiohttp.client_exceptions import (
    ClientConnectorCertificateError,
    ClientConnectorError,
    ClientConnectorSSLError,
)
from aiohttp.connector import cert_errors, ssl_errors
from aiohttp.helpers import ceil_timeout
from cryptography import x509
from yarl import URL

from crawler.addresses import AddressGuard, NameLookupFailed, NameNotFound, read_hosts_file
from crawler.errors import Outcome, status_outcome
from crawler.parked import may_be_parked_or_defaced, parked_or_defaced_signal
from crawler.tls import certificate_facts

USER_AGENT = "pantau/0.1 (+https://github.com/pantau; availability probe of public go.id websites)"
# Only this much of a body is kept for the parked/defaced test; the rest is counted, not stored.
KEEP_BODY_BYTES = 512 * 1024

# OpenSSL verify results (X509_V_ERR_*) and the outcome a browser's refusal amounts to.
_VERIFY_OUTCOMES = {
    10: Outcome.TLS_EXPIRED,  # CERT_HAS_EXPIRED
    18: Outcome.TLS_SELF_SIGNED,  # DEPTH_ZERO_SELF_SIGNED_CERT
    19: Outcome.TLS_SELF_SIGNED,  # SELF_SIGNED_CERT_IN_CHAIN
    62: Outcome.TLS_HOSTNAME_MISMATCH,  # HOSTNAME_MISMATCH
    64: Outcome.TLS_HOSTNAME_MISMATCH,  # IP_ADDRESS_MISMATCH
}
# Verify results meaning that no chain to a trusted root was found.
_CHAIN_ERRORS = {2, 7, 18, 19, 20, 21, 24, 27, 28}


@dataclass(frozen=True)
class ProbeSettings:
    """How hard and how long to probe. Timeouts in seconds."""

    concurrency: int = 200  # probes in flight at once
    per_host: int = 2  # probes in flight per host name
    connect_timeout: float = 10.0  # TCP and TLS handshakes
    read_timeout: float = 20.0  # silence while waiting for headers or body
    total_timeout: float = 30.0  # the whole probe, redirects and body included
    dns_timeout: float = 10.0  # system resolver only; a hosts file answers at once
    max_redirects: int = 10
    max_body_bytes: int = 10 * 1024 * 1024  # more than this is ``oversized``
    hosts_file: str | None = None  # resolve from this file only (a testbed's hosts.txt)
    allow_private: bool = False  # permit loopback and private addresses
    ca_file: str | None = None  # extra trusted CA certificates (PEM)
    user_agent: str = USER_AGENT

    def __post_init__(self):
        for name in ("concurrency", "per_host", "max_redirects", "max_body_bytes"):
            if getattr(self, name) < (0 if name == "max_redirects" else 1):
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("connect_timeout", "read_timeout", "total_timeout", "dns_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be more than 0 seconds, got {getattr(self, name)}")

    def guard(self) -> AddressGuard:
        hosts = read_hosts_file(self.hosts_file) if self.hosts_file else None
        return AddressGuard(hosts, self.allow_private)


@dataclass(frozen=True)
class Target:
    url: str
    site_id: int | None = None


@dataclass
class ProbeResult:
    """One probe of one URL: the row stored in ``probes``."""

    url: str
    site_id: int | None = None
    probed_at: str = ""
    final_url: str | None = None
    address: str | None = None
    status: int | None = None
    error_class: str = Outcome.NETWORK_ERROR.value
    error_detail: str | None = None
    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    ttfb_ms: float | None = None
    total_ms: float | None = None
    redirects: int = 0
    bytes: int | None = None
    http_version: str | None = None
    tls: dict[str, Any] | None = None
    http_to_https: bool | None = None
    hsts: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_class == Outcome.OK.value


class AddressRefused(Exception):
    """The name resolved to an address the guard does not permit (``blocked``)."""


@dataclass
class _Hop:
    """What the resolver and the connector saw of one request of a redirect chain."""

    phase: str = "dns"  # dns | connect | tls | request | body
    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    address: str | None = None
    peer_cert: bytes | None = None


_HOP: contextvars.ContextVar[_Hop | None] = contextvars.ContextVar("pantau_probe_hop", default=None)


def _ms(start: float, end: float | None = None) -> float:
    return ((end if end is not None else time.perf_counter()) - start) * 1000


class _GuardedResolver(AbstractResolver):
    """aiohttp's resolver hook, answering through the crawl's ``AddressGuard``."""

    def __init__(self, guard: AddressGuard, timeout: float):
        self.guard = guard
        self.timeout = timeout

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[dict[str, Any]]:
        hop = _HOP.get()
        start = time.perf_counter()
        try:
            if self.guard.hosts is not None:
                address = self.guard.resolve(host)
            else:
                loop = asyncio.get_running_loop()
                address = await asyncio.wait_for(loop.run_in_executor(None, self.guard.resolve, host), self.timeout)
        finally:
            if hop is not None:
                hop.dns_ms = _ms(start)
        if not self.guard.permitted(address):
            raise AddressRefused(f"{host}: refused non-public address {address}")
        if hop is not None:
            hop.address = address
            hop.phase = "connect"
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [{"hostname": host, "host": address, "port": port, "family": family, "proto": 0,
                 "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


class _TimedConnector(aiohttp.TCPConnector):
    """aiohttp's connector, timing the TCP and TLS handshakes apart and keeping the peer
    certificate. Mirrors ``TCPConnector._wrap_create_connection`` of aiohttp 3.14 (pinned)."""

    async def _wrap_create_connection(self, *args: Any, addr_infos, req, timeout,
                                      client_error: type[Exception] = ClientConnectorError, **kwargs: Any):
        hop = _HOP.get() or _Hop()
        try:
            async with ceil_timeout(timeout.sock_connect, ceil_threshold=timeout.ceil_threshold):
                hop.phase = "connect"
                start = time.perf_counter()
                sock = await aiohappyeyeballs.start_connection(
                    addr_infos=addr_infos, local_addr_infos=self._local_addr_infos,
                    happy_eyeballs_delay=self._happy_eyeballs_delay, interleave=self._interleave,
                    loop=self._loop, socket_factory=self._socket_factory)
                connected = time.perf_counter()
                hop.connect_ms = _ms(start, connected)
                if hop.address is None:
                    hop.address = sock.getpeername()[0]
                if kwargs.get("ssl"):
                    hop.phase = "tls"
                    if self._ssl_shutdown_timeout:
                        kwargs["ssl_shutdown_timeout"] = self._ssl_shutdown_timeout
                try:
                    transport, protocol = await self._loop.create_connection(*args, **kwargs, sock=sock)
                finally:
                    if kwargs.get("ssl"):
                        hop.tls_ms = _ms(connected)  # also when the handshake fails: how long it took
                if kwargs.get("ssl"):
                    ssl_object = transport.get_extra_info("ssl_object")
                    hop.peer_cert = ssl_object.getpeercert(binary_form=True) if ssl_object else None
                hop.phase = "request"
                return transport, protocol
        except cert_errors as exc:
            raise ClientConnectorCertificateError(req.connection_key, exc) from exc
        except ssl_errors as exc:
            raise ClientConnectorSSLError(req.connection_key, exc) from exc
        except OSError as exc:
            if exc.errno is None and isinstance(exc, asyncio.TimeoutError):
                raise
            raise client_error(req.connection_key, exc) from exc


def verify_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The client context: certifi's roots (as ``crawler.tls`` trusts) plus ``ca_file``."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def _verify_code(exc: BaseException) -> int | None:
    # aiohttp's ClientConnectorCertificateError is an SSLCertVerificationError without the
    # code; the one OpenSSL raised is its cause.
    if isinstance(exc, ssl.SSLCertVerificationError):
        return getattr(exc, "verify_code", None)
    return None


def classify_exception(exc: BaseException, phase: str) -> tuple[Outcome, str]:
    """The outcome of a probe that raised ``exc`` while in ``phase`` (see ``_Hop.phase``)."""
    detail = f"{type(exc).__name__}: {exc}"
    chain = _exception_chain(exc)
    for item in chain:
        code = _verify_code(item)
        if code is not None:
            outcome = _VERIFY_OUTCOMES.get(code, Outcome.TLS_OTHER)
            return outcome, f"certificate verify failed: {item.verify_message} (code {code})"
    for item in chain:
        if isinstance(item, AddressRefused):
            return Outcome.BLOCKED, str(item)
        if isinstance(item, NameNotFound):
            return Outcome.DNS_NXDOMAIN, str(item)
        if isinstance(item, NameLookupFailed):
            return Outcome.DNS_ERROR, str(item)
        if isinstance(item, ssl.SSLError):
            return Outcome.TLS_OTHER, f"TLS: {item}"
        if isinstance(item, ConnectionRefusedError):
            return Outcome.CONNECT_REFUSED, detail
    if any(isinstance(item, asyncio.TimeoutError) for item in chain):
        by_phase = {"dns": Outcome.DNS_ERROR, "connect": Outcome.CONNECT_TIMEOUT, "tls": Outcome.TLS_OTHER}
        outcome = by_phase.get(phase, Outcome.READ_TIMEOUT)
        what = {"dns": "name lookup", "connect": "TCP handshake", "tls": "TLS handshake"}.get(phase, "response")
        return outcome, f"{what} timed out"
    if phase == "tls":
        return Outcome.TLS_OTHER, f"TLS handshake failed: {detail}"
    return Outcome.NETWORK_ERROR, detail


def _is_ip(host: str) -> bool:
    if not host or host[-1].isalpha():  # a name ends in a letter (its top-level domain)
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def _host_key(url: str) -> str:
    """The host name of a registry URL (``scheme://host[:port]/...``), cheaply."""
    netloc = url.partition("//")[2].partition("/")[0]
    if "@" in netloc or netloc.startswith("["):
        return (urlsplit(url).hostname or "").lower()
    return netloc.partition(":")[0].lower()


def _url(text: str) -> URL:
    # Registry URLs are normalized ASCII; skipping yarl's IDNA pass saves ~0.1 ms a probe.
    return URL(text, encoded=True) if text.isascii() else URL(text)


def _charset(content_type: str | None) -> str:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip("\"'")).name
            except LookupError:  # a server naming a charset Python does not know
                break
    return "utf-8"


class Prober:
    """Probes URLs with one shared aiohttp session. Use as ``async with Prober(settings)``."""

    def __init__(self, settings: ProbeSettings, now: Callable[[], dt.datetime] | None = None):
        self.settings = settings
        self.guard = settings.guard()
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self._context = verify_context(settings.ca_file)
        # Loading a context's roots takes ~20 ms: build both once, not once per probe.
        self._unverified_context = ssl.create_default_context()
        self._unverified_context.check_hostname = False
        self._unverified_context.verify_mode = ssl.CERT_NONE
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Prober:
        s = self.settings
        connector = _TimedConnector(
            limit=s.concurrency, limit_per_host=0, force_close=True, ssl=self._context,
            resolver=_GuardedResolver(self.guard, s.dns_timeout), use_dns_cache=False)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None, connect=None, sock_connect=s.connect_timeout,
                                          sock_read=s.read_timeout),
            headers={"User-Agent": s.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
            cookie_jar=aiohttp.DummyCookieJar(), trust_env=False)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def probe(self, target: Target | str) -> ProbeResult:
        """Probe one URL; never raises for anything the network or the server does."""
        if isinstance(target, str):
            target = Target(target)
        started = self.now()
        result = ProbeResult(url=target.url, site_id=target.site_id,
                             probed_at=started.replace(microsecond=0).isoformat())
        hops: list[_Hop] = []
        start = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                await self._follow(_url(target.url), result, hops, start)
        except Exception as exc:  # every failure becomes an outcome, never an abort of the round
            phase = hops[-1].phase if hops else "dns"
            outcome, detail = classify_exception(exc, phase)
            result.error_class, result.error_detail = outcome.value, detail
            if outcome in _TLS_VERIFY_OUTCOMES or (outcome is Outcome.TLS_OTHER and hops and hops[-1].address):
                await self._judge_unverified_certificate(result, hops[-1], exc)
            elif hops and hops[-1].peer_cert:  # the handshake passed; what failed came later
                host = URL(result.final_url or target.url).raw_host or ""
                self._judge_certificate(result, hops[-1].peer_cert, host, verified=True)
        result.total_ms = _ms(start)
        for name in ("dns_ms", "connect_ms", "tls_ms"):
            values = [getattr(hop, name) for hop in hops if getattr(hop, name) is not None]
            setattr(result, name, sum(values) if values else None)
        if hops:
            result.address = next((hop.address for hop in hops if hop.address), None)
        return result

    async def _follow(self, url: URL, result: ProbeResult, hops: list[_Hop], start: float) -> None:
        assert self._session is not None
        first_scheme = url.scheme
        seen = {str(url)}
        if first_scheme == "http":
            result.http_to_https = False
        while True:
            hop = _Hop()
            hops.append(hop)
            result.final_url = str(url)
            result.status = result.http_version = None
            host = url.raw_host or ""
            if _is_ip(host):
                hop.address = host.strip("[]")
                if not self.guard.permitted(hop.address):
                    raise AddressRefused(f"{host}: refused non-public address")
            token = _HOP.set(hop)
            try:
                async with self._session.get(url, allow_redirects=False) as response:
                    hop.phase = "body"
                    result.ttfb_ms = _ms(start)
                    result.status = response.status
                    result.http_version = f"{response.version.major}.{response.version.minor}"
                    location = response.headers.get("Location")
                    if 300 <= response.status < 400 and location:
                        try:
                            target = url.join(URL(location))
                        except ValueError:
                            target = None
                        if target is not None and target.scheme in ("http", "https") and target.raw_host:
                            result.redirects += 1
                            if str(target) in seen:
                                result.final_url = str(target)
                                result.error_class = Outcome.REDIRECT_LOOP.value
                                result.error_detail = f"redirect {result.redirects} returns to {target}"
                                return
                            if result.redirects > self.settings.max_redirects:
                                result.final_url = str(target)
                                result.error_class = Outcome.TOO_MANY_REDIRECTS.value
                                result.error_detail = f"more than {self.settings.max_redirects} redirects"
                                return
                            seen.add(str(target))
                            if first_scheme == "http" and target.scheme == "https":
                                result.http_to_https = True
                            url = target
                            continue
                    if url.scheme == "https":
                        result.hsts = response.headers.get("Strict-Transport-Security")
                    await self._read_body(response, result)
            finally:
                _HOP.reset(token)
            if hop.peer_cert:
                self._judge_certificate(result, hop.peer_cert, url.raw_host or "", verified=True)
            return

    async def _read_body(self, response: aiohttp.ClientResponse, result: ProbeResult) -> None:
        kept: list[bytes] = []
        kept_bytes = received = 0
        cap = self.settings.max_body_bytes
        while True:
            chunk = await response.content.read(65536)
            if not chunk:
                break
            received += len(chunk)
            if kept_bytes < KEEP_BODY_BYTES:
                kept.append(chunk[:KEEP_BODY_BYTES - kept_bytes])
                kept_bytes += len(kept[-1])
            if received > cap:
                result.bytes = received
                result.error_class = Outcome.OVERSIZED.value
                result.error_detail = f"body larger than {cap} bytes"
                return
        result.bytes = received
        outcome = status_outcome(response.status, received)
        result.error_class = outcome.value
        if outcome is Outcome.OK:
            content_type = response.headers.get("Content-Type")
            if "html" in (content_type or "text/html"):
                body = b"".join(kept)
                charset = _charset(content_type)
                if charset.startswith(("utf-16", "utf-32")) or may_be_parked_or_defaced(body):
                    signal = parked_or_defaced_signal(body.decode(charset, "replace"))
                else:
                    signal = None
                if signal:
                    result.error_class = Outcome.PARKED_OR_DEFACED.value
                    result.error_detail = f"home page says {signal!r}"
        elif outcome is not Outcome.EMPTY_BODY:
            result.error_detail = f"HTTP {response.status}"

    def _judge_certificate(self, result: ProbeResult, der: bytes, host: str, verified: bool,
                           verify_code: int | None = None) -> None:
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            return
        facts = certificate_facts(cert, host, self.now(), self.settings.ca_file, verified=verified)
        if verify_code in _CHAIN_ERRORS:
            facts["chain_valid"] = False  # OpenSSL found no chain to a trusted root
        facts.pop("names", None)  # a shared certificate may list hundreds; not kept per probe
        result.tls = facts

    async def _judge_unverified_certificate(self, result: ProbeResult, hop: _Hop, exc: BaseException) -> None:
        """After a failed verification, fetch the certificate once more without verifying,
        so the probe still records whose it is and when it expires."""
        url = URL(result.final_url or result.url)
        if url.scheme != "https" or not hop.address or not url.raw_host:
            return
        code = next((_verify_code(item) for item in _exception_chain(exc) if _verify_code(item) is not None), None)
        writer = None
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                _, writer = await asyncio.open_connection(hop.address, url.port, ssl=self._unverified_context,
                                                          server_hostname=url.raw_host)
                der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            return
        finally:
            if writer is not None:
                writer.transport.abort()
        if der:
            self._judge_certificate(result, der, url.raw_host, verified=False, verify_code=code)


_TLS_VERIFY_OUTCOMES = {Outcome.TLS_EXPIRED, Outcome.TLS_SELF_SIGNED, Outcome.TLS_HOSTNAME_MISMATCH}


@dataclass
class RoundStats:
    """What one probe round did."""

    probes: int = 0
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    peak_rss_mib: list[float] = field(default_factory=list)  # per process, when measured

    @property
    def per_second(self) -> float:
        return self.probes / self.seconds if self.seconds else 0.0


async def probe_all(targets: Iterable[Target], settings: ProbeSettings,
                    on_result: Callable[[ProbeResult], None] | None = None,
                    prober: Prober | None = None) -> RoundStats:
    """Probe every target, at most ``settings.concurrency`` at once and ``settings.per_host``
    per host name; hand each result to ``on_result`` as soon as it is known."""
    stats = RoundStats()
    queue: asyncio.Queue[Target] = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target)
    host_slots: dict[str, asyncio.Semaphore] = {}

    async def worker(active: Prober) -> None:
        while True:
            try:
                target = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            host = _host_key(target.url)
            slot = host_slots.get(host)
            if slot is None:
                slot = host_slots[host] = asyncio.Semaphore(settings.per_host)
            async with slot:
                result = await active.probe(target)
            stats.probes += 1
            stats.outcomes[result.error_class] += 1
            if on_result is not None:
                on_result(result)

    start = time.perf_counter()
    if prober is not None:
        await asyncio.gather(*(worker(prober) for _ in range(min(settings.concurrency, queue.qsize()))))
    else:
        async with Prober(settings) as active:
            await asyncio.gather(*(worker(active) for _ in range(min(settings.concurrency, queue.qsize()))))
    stats.seconds = time.perf_counter() - start
    return stats
