"""Every failure Scrapy reports maps to exactly one outcome."""

import pytest
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest)

from crawler.classify import classify_failure, classify_status
from crawler.errors import Outcome
from crawler.middlewares.scope import Refused


@pytest.mark.parametrize("status, length, outcome", [
    (200, 10, Outcome.OK), (200, 0, Outcome.EMPTY_BODY), (304, 0, Outcome.OK), (404, 9, Outcome.HTTP_4XX),
    (403, 9, Outcome.HTTP_4XX), (500, 9, Outcome.HTTP_5XX), (503, 0, Outcome.HTTP_5XX),
])
def test_status_codes(status, length, outcome):
    assert classify_status(status, length) is outcome


@pytest.mark.parametrize("exc, outcome", [
    (CannotResolveHostError("x"), Outcome.DNS_NXDOMAIN),
    (DownloadConnectionRefusedError("refused"), Outcome.CONNECT_REFUSED),
    (DownloadTimeoutError("took longer than 20 seconds"), Outcome.READ_TIMEOUT),
    (DownloadCancelledError("maxsize"), Outcome.OVERSIZED),
    (DownloadFailedError("SSL routines: tlsv1 alert"), Outcome.TLS_OTHER),
    (DownloadFailedError("connection lost"), Outcome.NETWORK_ERROR),
    (Refused(Outcome.BLOCKED, "10.0.0.1"), Outcome.BLOCKED),
    (Refused(Outcome.REDIRECT_LOOP, "/ -> /masuk -> /"), Outcome.REDIRECT_LOOP),
])
def test_failures(exc, outcome):
    assert classify_failure(exc)[0] is outcome


def test_max_redirections_without_a_repeat_is_too_many_redirects():
    meta = {"redirect_urls": [f"http://a.go.id/{n}" for n in range(10)], "_pantau_current_url": "http://a.go.id/10"}
    assert classify_failure(IgnoreRequest("max redirections reached"), meta)[0] is Outcome.TOO_MANY_REDIRECTS


def test_outcomes_are_a_closed_set_marked_retryable_or_permanent():
    assert Outcome.HTTP_5XX.retryable and Outcome.CONNECT_TIMEOUT.retryable
    assert not Outcome.DNS_NXDOMAIN.retryable and not Outcome.TLS_EXPIRED.retryable
    assert {o.value for o in Outcome} >= {
        "dns_nxdomain", "dns_error", "connect_refused", "connect_timeout", "read_timeout", "tls_expired",
        "tls_self_signed", "tls_hostname_mismatch", "tls_other", "http_4xx", "http_5xx", "redirect_loop",
        "too_many_redirects", "empty_body", "parked_or_defaced", "ok"}
