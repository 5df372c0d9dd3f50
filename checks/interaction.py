"""Interaction: can a citizen reach the agency? (the "pematangan" stage of Inpres 3/2003)"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from checks.base import Finding, Page, SiteEvidence

DIMENSION = "interaction"
EXAMPLES = 3
SNIPPET = 40

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
# "humas [at] jambiprov [dot] go [dot] id", "humas(at)jambiprov.go.id": written to dodge harvesters.
_AT = r"\s*(?:[\[\(\{]\s*(?:at|et|@)\s*[\]\)\}]|\s@\s)\s*"
_DOT = r"(?:\s*[\[\(\{]\s*(?:dot|titik)\s*[\]\)\}]\s*|\.)"
OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])([A-Za-z0-9][\w.+-]*){_AT}([A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,24}})\b",
    re.IGNORECASE)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
NOT_EMAIL_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".js", ".css")

# Indonesian numbers: (0741) 123456, 0741-123456, 021 1234 5678, 0812-3456-7890, +62 741 123456.
_SEP = r"(?: ?[.-] ?| )?"
PHONE_RE = re.compile(
    r"(?<![\w+/.-])(?:"
    rf"\+62{_SEP}\(?0?\d{{2,4}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{2,5}}"
    rf"|\(0\d{{2,3}}\){_SEP}\d{{3,4}}{_SEP}\d{{2,4}}"
    rf"|08\d{{2}}{_SEP}\d{{3,4}}{_SEP}\d{{3,5}}"
    rf"|0[1-79]\d{{1,2}}{_SEP}\d{{3,4}}{_SEP}\d{{2,4}}"
    r")(?![\w/]|[.-]\d)"
)
DATE_LIKE_RE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def valid_phone(candidate: str) -> bool:
    """A plausible Indonesian subscriber number, not a date or a slice of an ID number."""
    if DATE_LIKE_RE.match(candidate.strip()):
        return False
    digits = _digits(candidate)
    if digits.startswith("62"):
        digits = "0" + digits[2:].lstrip("0")
    if digits.startswith("08"):
        return 10 <= len(digits) <= 13
    return digits.startswith("0") and 9 <= len(digits) <= 12


def _normal_email(local: str, domain: str) -> str:
    return f"{local}@{'.'.join(part.strip() for part in _DOT_SPLIT.split(domain))}".lower()


def emails_in(text: str) -> list[tuple[str, int]]:
    """Addresses written in ``text`` (plain or with [at]/[dot]), with their offsets."""
    found = [(m.group(0).lower(), m.start()) for m in EMAIL_RE.finditer(text)]
    found += [(_normal_email(m.group(1), m.group(2)), m.start()) for m in OBFUSCATED_EMAIL_RE.finditer(text)]
    return [(email, at) for email, at in found if not email.endswith(NOT_EMAIL_SUFFIXES)]


def phones_in(text: str) -> list[tuple[str, int]]:
    """Indonesian telephone numbers written in ``text``, with their offsets."""
    return [(m.group(0), m.start()) for m in PHONE_RE.finditer(text) if valid_phone(m.group(0))]


def _snippet(text: str, at: int) -> str:
    return text[max(0, at - SNIPPET):at + SNIPPET].strip()


def _contact_first(pages: list[Page]) -> list[Page]:
    """Home and contact pages first: their evidence is what a person would click."""
    def rank(page: Page) -> int:
        if page.kind == "home":
            return 0
        path = urlsplit(page.url).path.lower()
        return 1 if any(word in path for word in ("kontak", "contact", "hubungi")) else 2
    return sorted(pages, key=rank)


def _page_contacts(page: Page) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(email, snippet) and (phone, snippet) pairs of one page, links included."""
    emails, phones = [], []
    for a in page.soup.find_all("a", href=True):
        href = a["href"].strip()
        scheme, _, rest = href.partition(":")
        label = a.get_text(" ", strip=True) or href
        if scheme.lower() == "mailto" and "@" in rest:
            emails.append((unquote(rest.split("?")[0]).strip().lower(), label))
        elif scheme.lower() == "tel" and valid_phone(unquote(rest)):
            phones.append((unquote(rest).strip(), label))
    text = " ".join(page.soup.get_text(" ").split())
    emails += [(email, _snippet(text, at)) for email, at in emails_in(text)]
    phones += [(phone, _snippet(text, at)) for phone, at in phones_in(text)]
    return emails, phones


def contact(evidence: SiteEvidence) -> list[Finding]:
    """An email address or an Indonesian telephone number is published on some page."""
    pages = evidence.html_pages
    if not pages:
        url = evidence.home.url if evidence.home else evidence.site.get("url")
        return [Finding("interaction.contact", DIMENSION, False, "high",
                        "Tidak ada halaman HTML yang dapat diperiksa kontaknya", "no HTML page to check",
                        url, {"no_evidence": True})]
    emails: dict[str, dict] = {}
    phones: dict[str, dict] = {}
    for page in _contact_first(pages):
        page_emails, page_phones = _page_contacts(page)
        for found, into, key in ((page_emails, emails, str.lower), (page_phones, phones, _digits)):
            for value, snippet in found:
                if len(into) < EXAMPLES:
                    into.setdefault(key(value), {"value": value, "url": page.url, "snippet": snippet})
    detail = {"emails": list(emails.values()), "phones": list(phones.values()), "pages_checked": len(pages)}
    if not emails and not phones:
        return [Finding("interaction.contact", DIMENSION, False, "high",
                        f"Tidak ditemukan alamat email atau nomor telepon di {len(pages)} halaman yang diperiksa",
                        f"no email address or telephone number on {len(pages)} pages",
                        pages[0].url, detail)]
    first_email, first_phone = next(iter(emails.values()), None), next(iter(phones.values()), None)
    parts_id = ([f"email {first_email['value']}"] if first_email else []) + \
        ([f"telepon {first_phone['value']}"] if first_phone else [])
    return [Finding("interaction.contact", DIMENSION, True, "info",
                    "Kontak ditemukan: " + ", ".join(parts_id),
                    f"contact found: {len(emails)} email(s), {len(phones)} phone number(s)",
                    (first_email or first_phone)["url"], detail)]
