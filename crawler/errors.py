"""The closed set of fetch outcomes.

Every page, document and probe row carries exactly one of these. They are the only
low-cardinality label the exporter uses for failures, so never add free text here.
"""

from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    OK = "ok"
    DNS_NXDOMAIN = "dns_nxdomain"
    DNS_ERROR = "dns_error"
    CONNECT_REFUSED = "connect_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    TLS_EXPIRED = "tls_expired"
    TLS_SELF_SIGNED = "tls_self_signed"
    TLS_HOSTNAME_MISMATCH = "tls_hostname_mismatch"
    TLS_OTHER = "tls_other"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    EMPTY_BODY = "empty_body"
    PARKED_OR_DEFACED = "parked_or_defaced"
    OVERSIZED = "oversized"
    BLOCKED = "blocked"  # refused by pantau itself: private address or outside the registry
    NETWORK_ERROR = "network_error"

    @property
    def retryable(self) -> bool:
        return self in _RETRYABLE

    @property
    def is_failure(self) -> bool:
        """True when the target did not deliver a usable page."""
        return self not in (Outcome.OK, Outcome.OVERSIZED)


_RETRYABLE = {
    Outcome.DNS_ERROR,
    Outcome.CONNECT_TIMEOUT,
    Outcome.READ_TIMEOUT,
    Outcome.HTTP_5XX,
    Outcome.NETWORK_ERROR,
}

TLS_OUTCOMES = {
    Outcome.TLS_EXPIRED,
    Outcome.TLS_SELF_SIGNED,
    Outcome.TLS_HOSTNAME_MISMATCH,
    Outcome.TLS_OTHER,
}


def status_outcome(status: int, body_length: int | None = None) -> Outcome:
    """The outcome of an HTTP answer: 5xx, 4xx, an empty 200, or ok."""
    if status >= 500:
        return Outcome.HTTP_5XX
    if status >= 400:
        return Outcome.HTTP_4XX
    if status == 200 and body_length == 0:
        return Outcome.EMPTY_BODY
    return Outcome.OK
