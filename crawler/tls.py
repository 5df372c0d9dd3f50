"""Facts about a server certificate, judged by pantau rather than by the TLS stack.

The crawl downloads with certificate verification off so the content of a site with
a broken certificate is still audited; these facts make the broken certificate a
finding. Only the leaf is available from Scrapy, so the chain is judged as: issued
directly by a trusted certificate (valid), self-signed and untrusted (invalid), or
issued by an intermediate pantau did not see (unknown, ``None``).
"""

from __future__ import annotations

import datetime as dt
import warnings
from functools import lru_cache
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID


@lru_cache(maxsize=8)
def trust_store(extra_ca_file: str | None = None) -> tuple[x509.Certificate, ...]:
    pem = Path(certifi.where()).read_bytes()
    if extra_ca_file:
        pem += b"\n" + Path(extra_ca_file).read_bytes()
    with warnings.catch_warnings():
        # certifi still carries a root with a non-positive serial number; it loads fine.
        warnings.simplefilter("ignore")
        return tuple(x509.load_pem_x509_certificates(pem))


@lru_cache(maxsize=8)
def _store_by_subject(extra_ca_file: str | None = None) -> dict[x509.Name, list[x509.Certificate]]:
    # The prober judges thousands of certificates a minute: find issuers by name, not by scan.
    index: dict[x509.Name, list[x509.Certificate]] = {}
    for cert in trust_store(extra_ca_file):
        index.setdefault(cert.subject, []).append(cert)
    return index


def _names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        return [n.lower() for n in san.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        return [a.value.lower() for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def hostname_matches(host: str, names: list[str]) -> bool:
    host = host.lower().rstrip(".")
    for name in names:
        if name == host:
            return True
        if name.startswith("*.") and host.count(".") == name.count(".") and host.endswith(name[1:]):
            return True
    return False


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, Exception):
        return False


def certificate_facts(
    cert: x509.Certificate, host: str, now: dt.datetime, extra_ca_file: str | None = None, *,
    verified: bool = False,
) -> dict:
    """JSON-ready facts: expiry, issuer, self-signed, hostname match, chain validity.

    ``verified``: the TLS stack has already checked the chain and the host name (the
    prober's handshakes do), so neither is judged again and ``names`` is left out (None).
    """
    not_after = cert.not_valid_after_utc
    self_signed = cert.issuer == cert.subject
    names: list[str] | None = None
    if verified:
        chain_valid: bool | None = True
        hostname_match = True
    else:
        candidates = _store_by_subject(extra_ca_file).get(cert.issuer, [])
        if any(_issued_by(cert, c) for c in candidates):
            chain_valid = True
        elif self_signed:
            chain_valid = False
        else:
            chain_valid = None
        names = _names(cert)
        hostname_match = hostname_matches(host, names)
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": not_after.isoformat(),
        "days_left": (not_after - now).days,
        "expired": not_after < now,
        "self_signed": self_signed,
        "names": names,
        "hostname_match": hostname_match,
        "chain_valid": chain_valid,
    }


def tls_outcome(facts: dict) -> str:
    """The outcome a browser would show for these facts ('ok' when none applies)."""
    if facts.get("expired"):
        return "tls_expired"
    if facts.get("self_signed") and not facts.get("chain_valid"):
        return "tls_self_signed"
    if not facts.get("hostname_match"):
        return "tls_hostname_mismatch"
    if facts.get("chain_valid") is False:
        return "tls_other"
    return "ok"
