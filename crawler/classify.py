"""Turn what Scrapy reports (a response or a failure) into one ``Outcome``."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as twisted_error

from crawler.errors import Outcome, status_outcome
from crawler.middlewares.scope import Refused


# One classification of HTTP answers for the crawler and the prober.
classify_status = status_outcome


def classify_failure(exc: BaseException, request_meta: dict | None = None) -> tuple[Outcome, str]:
    """Map an exception from Scrapy's downloader or middlewares to an outcome and a detail."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, Refused):
        return exc.outcome, exc.detail
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "max redirections" in text:
            urls = (request_meta or {}).get("redirect_urls", [])
            looped = len(set(urls)) < len(urls) or _revisits(request_meta)
            return (Outcome.REDIRECT_LOOP if looped else Outcome.TOO_MANY_REDIRECTS), text
        return Outcome.BLOCKED, text
    if isinstance(exc, (CannotResolveHostError, twisted_error.DNSLookupError)):
        if "non-public address" in str(exc):
            return Outcome.BLOCKED, detail
        if "SERVFAIL" in str(exc):  # crawler.resolver.NameLookupFailed: the name exists, DNS failed
            return Outcome.DNS_ERROR, detail
        return Outcome.DNS_NXDOMAIN, detail
    if isinstance(exc, (DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError)):
        return Outcome.CONNECT_REFUSED, detail
    if isinstance(exc, (twisted_error.TCPTimedOutError, twisted_error.TimeoutError)):
        return Outcome.CONNECT_TIMEOUT, detail
    if isinstance(exc, DownloadTimeoutError):
        return Outcome.READ_TIMEOUT, detail
    if isinstance(exc, DownloadCancelledError):
        return Outcome.OVERSIZED, detail
    if isinstance(exc, DownloadFailedError):
        text = str(exc).lower()
        if "ssl" in text or "tls" in text or "certificate" in text or "handshake" in text:
            return Outcome.TLS_OTHER, detail
        return Outcome.NETWORK_ERROR, detail
    return Outcome.NETWORK_ERROR, detail


def _revisits(meta: dict | None) -> bool:
    """A redirect chain that comes back to a URL it already visited is a loop."""
    if not meta:
        return False
    urls = list(meta.get("redirect_urls", []))
    current = meta.get("_pantau_current_url")
    return current in urls if current else False
