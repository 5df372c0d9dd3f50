"""Interaction: can a citizen reach the agency? (the "pematangan" stage of Inpres 3/2003)

``contact`` is the quick verdict on the two basic media, built on the email and
telephone detectors of ``checks.features.contact`` (where the text patterns live);
``checks.stages`` weighs every medium and decides the stage.
"""

from __future__ import annotations

from checks.base import Finding, SiteEvidence
from checks.features.base import SiteView
from checks.features.contact import (  # the patterns, re-exported for callers of this module
    EMAIL_RE,
    OBFUSCATED_EMAIL_RE,
    PHONE_RE,
    email,
    emails_in,
    phones_in,
    telephone,
    valid_phone,
)

__all__ = ["EMAIL_RE", "OBFUSCATED_EMAIL_RE", "PHONE_RE", "contact", "emails_in", "phones_in", "valid_phone"]

DIMENSION = "interaction"
EXAMPLES = 3


def _examples(result) -> list[dict]:
    return [{"value": c.value, "url": c.url, "snippet": c.snippet} for c in result.evidence[:EXAMPLES]]


def contact(evidence: SiteEvidence) -> list[Finding]:
    """An email address or an Indonesian telephone number (not a fax-only one) is published on some page."""
    pages = evidence.html_pages
    if not pages:
        url = evidence.home.url if evidence.home else evidence.site.get("url")
        return [Finding("interaction.contact", DIMENSION, False, "high",
                        "Tidak ada halaman HTML yang dapat diperiksa kontaknya", "no HTML page to check",
                        url, {"no_evidence": True})]
    view = SiteView.of(evidence)
    emails, phones = email(view), telephone(view)
    detail = {"emails": _examples(emails), "phones": _examples(phones), "pages_checked": len(pages)}
    if not emails.found and not phones.found:
        return [Finding("interaction.contact", DIMENSION, False, "high",
                        f"Tidak ditemukan alamat email atau nomor telepon di {len(pages)} halaman yang diperiksa",
                        f"no email address or telephone number on {len(pages)} pages",
                        pages[0].url, detail)]
    first_email = detail["emails"][0] if detail["emails"] else None
    first_phone = detail["phones"][0] if detail["phones"] else None
    parts_id = ([f"email {first_email['value']}"] if first_email else []) + \
        ([f"telepon {first_phone['value']}"] if first_phone else [])
    return [Finding("interaction.contact", DIMENSION, True, "info",
                    "Kontak ditemukan: " + ", ".join(parts_id),
                    f"contact found: {emails.count} email(s), {phones.count} phone number(s)",
                    (first_email or first_phone)["url"], detail)]
