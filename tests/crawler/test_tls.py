"""Certificate facts judged by pantau from the leaf certificate."""

import datetime as dt

import pytest
import trustme
from cryptography import x509

from crawler.tls import certificate_facts, hostname_matches, tls_outcome

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


def leaf(ca, *names, not_after=None):
    cert = ca.issue_cert(*names, not_after=not_after)
    return x509.load_pem_x509_certificate(cert.cert_chain_pems[0].bytes())


def test_a_current_certificate_from_a_trusted_ca_is_ok(ca, tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    facts = certificate_facts(leaf(ca, "jambiprov.go.id"), "jambiprov.go.id", NOW, str(ca_file))
    assert facts["chain_valid"] is True and facts["hostname_match"] is True and facts["expired"] is False
    assert tls_outcome(facts) == "ok"


def test_an_issuer_pantau_cannot_see_leaves_the_chain_unknown_not_invalid(ca):
    facts = certificate_facts(leaf(ca, "jambiprov.go.id"), "jambiprov.go.id", NOW)
    assert facts["chain_valid"] is None
    assert tls_outcome(facts) == "ok"


def test_expired_certificate(ca, tmp_path):
    expired = leaf(ca, "jambiprov.go.id", not_after=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    facts = certificate_facts(expired, "jambiprov.go.id", NOW)
    assert facts["expired"] is True and facts["days_left"] < 0
    assert tls_outcome(facts) == "tls_expired"


def test_certificate_for_another_host(ca):
    facts = certificate_facts(leaf(ca, "salah.example.go.id"), "jambiprov.go.id", NOW)
    assert facts["hostname_match"] is False
    assert tls_outcome(facts) == "tls_hostname_mismatch"


def test_self_signed_certificate(ca):
    facts = certificate_facts(x509.load_pem_x509_certificate(ca.cert_pem.bytes()), "jambiprov.go.id", NOW)
    assert facts["self_signed"] is True and facts["chain_valid"] is False
    assert tls_outcome(facts) == "tls_self_signed"


@pytest.mark.parametrize("host, names, match", [
    ("ppid.jambiprov.go.id", ["*.jambiprov.go.id"], True),
    ("a.b.jambiprov.go.id", ["*.jambiprov.go.id"], False),
    ("jambiprov.go.id", ["*.jambiprov.go.id"], False),
    ("JAMBIPROV.GO.ID", ["jambiprov.go.id"], True),
])
def test_wildcards_cover_one_label_only(host, names, match):
    assert hostname_matches(host, names) is match
