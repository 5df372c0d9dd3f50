"""Certificates for the four HTTPS listeners of the testbed.

One certificate per variant carries the names of every host served on that listener:

- ``valid``: signed by the testbed CA, SANs for every valid-TLS host;
- ``expired``: signed by the CA, notAfter 30 days before the real clock;
- ``self_signed``: issuer == subject, not signed by the CA;
- ``wrong_host``: signed by the CA but only for ``salah.example.go.id``.

A variant with more than ``HOSTS_PER_CERT`` hosts gets one certificate per group of that
many, chosen by the client's SNI: a real site's certificate names a handful of hosts,
and one certificate naming 5,000 would make every handshake of a large generated world
cost what no real one does.

Validity is measured against the real clock, not the world's ``today``: a TLS client
compares notAfter with the time it runs.
"""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from testbed.world import WRONG_HOST_NAME

HTTPS_VARIANTS = ("valid", "expired", "self_signed", "wrong_host")
HOSTS_PER_CERT = 100
_ORG = "Testbed pantau"


@dataclass
class TlsMaterial:
    ca_cert_pem: bytes
    cert_pem: dict[str, bytes] = field(default_factory=dict)  # variant -> leaf certificate
    contexts: dict[str, ssl.SSLContext] = field(default_factory=dict)  # variant -> server context


def build_tls(hosts_by_variant: dict[str, list[str]], now: dt.datetime | None = None) -> TlsMaterial:
    """Create the CA and one server context for each variant that has hosts."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ca = trustme.CA(organization_name=_ORG)
    material = TlsMaterial(ca_cert_pem=ca.cert_pem.bytes())
    for variant in HTTPS_VARIANTS:
        all_hosts = sorted(hosts_by_variant.get(variant, []))
        if not all_hosts:
            continue
        groups = [all_hosts] if variant == "wrong_host" else [
            all_hosts[i:i + HOSTS_PER_CERT] for i in range(0, len(all_hosts), HOSTS_PER_CERT)]
        contexts: dict[str, ssl.SSLContext] = {}
        for hosts in groups:
            if variant == "valid":
                key_pem, cert_pem = _leaf(ca, hosts)
            elif variant == "expired":
                key_pem, cert_pem = _leaf(ca, hosts, not_before=now - dt.timedelta(days=400),
                                          not_after=now - dt.timedelta(days=30))
            elif variant == "wrong_host":
                key_pem, cert_pem = _leaf(ca, [WRONG_HOST_NAME])
            else:
                key_pem, cert_pem = _self_signed(hosts, now)
            context = _server_context(key_pem, cert_pem)
            if variant not in material.cert_pem:
                material.cert_pem[variant] = cert_pem
                material.contexts[variant] = context
            contexts.update(dict.fromkeys(hosts, context))
        if len(groups) > 1:
            material.contexts[variant].sni_callback = _pick_by_sni(contexts)
    return material


def _pick_by_sni(contexts: dict[str, ssl.SSLContext]):
    def pick(ssl_object: ssl.SSLObject, server_name: str | None, _context: ssl.SSLContext) -> None:
        chosen = contexts.get((server_name or "").lower())
        if chosen is not None:
            ssl_object.context = chosen
        return None

    return pick


def _leaf(ca: trustme.CA, hosts: list[str], **validity) -> tuple[bytes, bytes]:
    cert = ca.issue_cert(*hosts, common_name=hosts[0], organization_name=_ORG,
                         organization_unit_name="pemda", **validity)
    return cert.private_key_pem.bytes(), cert.cert_chain_pems[0].bytes()


def _self_signed(hosts: list[str], now: dt.datetime) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Daerah"),
        x509.NameAttribute(NameOID.COMMON_NAME, hosts[0]),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _server_context(key_pem: bytes, cert_pem: bytes) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    # ssl only loads certificates from files; they live just long enough to be read.
    with tempfile.TemporaryDirectory(prefix="pantau-tls-") as tmp:
        cert_file = Path(tmp) / "cert.pem"
        key_file = Path(tmp) / "key.pem"
        cert_file.write_bytes(cert_pem)
        key_file.write_bytes(key_pem)
        ctx.load_cert_chain(cert_file, key_file)
    return ctx
