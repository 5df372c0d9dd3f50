"""Contact media: email address, telephone number, SMS number, WhatsApp.

The text patterns live here and ``checks.interaction`` (the ``interaction.contact`` check)
is built on these detectors.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from checks.features.base import Clues, FeatureResult, PageView, SiteView, snippet_at

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
# "humas [at] jambiprov [dot] go [dot] id", "humas(at)jambiprov.go.id": written to dodge harvesters.
_AT = r"\s*(?:[\[\(\{]\s*(?:at|et|@)\s*[\]\)\}]|\s@\s)\s*"
_DOT = r"(?:\s*[\[\(\{]\s*(?:dot|titik)\s*[\]\)\}]\s*|\.)"
OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])([A-Za-z0-9][\w.+-]*){_AT}([A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,24}})\b",
    re.IGNORECASE)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
NOT_EMAIL_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".js", ".css")
PLACEHOLDER_DOMAINS = {"example.com", "example.org", "example.net", "contoh.com", "contoh.go.id", "domain.com",
                       "domain.go.id", "yourdomain.com", "namadomain.go.id", "email.com"}

# Indonesian numbers: (0741) 123456, 0741-123456, 021 1234 5678, 0812-3456-7890, +62 741 123456.
_SEP = r"(?: ?[.-] ?| )?"
PHONE_PATTERN = (
    rf"\+62{_SEP}\(?0?\d{{2,4}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{2,5}}"
    rf"|\(0\d{{2,3}}\){_SEP}\d{{3,4}}{_SEP}\d{{2,4}}"
    rf"|08\d{{2}}{_SEP}\d{{3,4}}{_SEP}\d{{3,5}}"
    rf"|0[1-79]\d{{1,2}}{_SEP}\d{{3,4}}{_SEP}\d{{2,4}}"
)
PHONE_RE = re.compile(rf"(?<![\w+/.-])(?:{PHONE_PATTERN})(?![\w/]|[.-]\d)")
DATE_LIKE_RE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
# Numbers that look like telephone numbers but are labelled as something else.
NOT_PHONE_LABEL_RE = re.compile(
    r"\b(rekening|rek|no\.?\s*rek|npwp|nip|nik|nrp|nuptk|nidn|no\.?\s*surat|nomor\s+surat|isbn|issn|kode|"
    r"virtual\s+account|va|no\.?\s*reg|registrasi|sertifikat|seri|kk)\b",
    re.IGNORECASE)
FAX_LABEL_RE = re.compile(r"\b(fax|faks|faksimili|facsimile)\b", re.IGNORECASE)
VOICE_LABEL_RE = re.compile(r"\b(telp|telepon|telpon|tlp|phone|hp|call|hubungi|wa|whatsapp|hotline)\b",
                            re.IGNORECASE)
LABEL_WINDOW = 30


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


def label_before(text: str, at: int) -> str:
    """The words just before offset ``at``, back to the previous number at most."""
    window = text[max(0, at - LABEL_WINDOW):at]
    last_digit = max((i for i, ch in enumerate(window) if ch.isdigit()), default=-1)
    return window[last_digit + 1:]


def _normal_email(local: str, domain: str) -> str:
    return f"{local}@{'.'.join(part.strip() for part in _DOT_SPLIT.split(domain))}".lower()


def plausible_email(address: str) -> bool:
    address = address.lower()
    if address.endswith(NOT_EMAIL_SUFFIXES) or "@" not in address:
        return False
    return address.rsplit("@", 1)[1] not in PLACEHOLDER_DOMAINS


def emails_in(text: str) -> list[tuple[str, int]]:
    """Addresses written in ``text`` (plain or with [at]/[dot]), with their offsets."""
    found = [(m.group(0).lower(), m.start()) for m in EMAIL_RE.finditer(text)]
    found += [(_normal_email(m.group(1), m.group(2)), m.start()) for m in OBFUSCATED_EMAIL_RE.finditer(text)]
    return [(email, at) for email, at in found if plausible_email(email)]


def phones_in(text: str) -> list[tuple[str, int]]:
    """Indonesian telephone numbers written in ``text``, with their offsets.

    Numbers labelled as an account, tax, staff or letter number are left out.
    """
    out = []
    for m in PHONE_RE.finditer(text):
        if valid_phone(m.group(0)) and not NOT_PHONE_LABEL_RE.search(label_before(text, m.start())):
            out.append((m.group(0), m.start()))
    return out


def fax_only(text: str, at: int) -> bool:
    """The number at ``at`` is labelled as a fax and not also as a telephone ("Telp/Fax")."""
    label = label_before(text, at)
    return bool(FAX_LABEL_RE.search(label)) and not VOICE_LABEL_RE.search(label)


def cloudflare_email(encoded: str) -> str | None:
    """Decode Cloudflare's email protection (``data-cfemail``: a key byte XORed over the address)."""
    try:
        data = bytes.fromhex(encoded.strip())
    except ValueError:
        return None
    if len(data) < 4:
        return None
    address = bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace")
    return address.lower() if EMAIL_RE.fullmatch(address) else None


# --- email -------------------------------------------------------------------------------


def _page_emails(view: PageView, clues: Clues) -> None:
    for a in view.anchors:
        if a.scheme == "mailto":
            address = unquote(a.href.split(":", 1)[1].split("?")[0]).strip().lower()
            for one in address.split(","):
                if EMAIL_RE.fullmatch(one.strip()) and plausible_email(one.strip()):
                    clues.add(view.url, a.label or one.strip(), one.strip(), "mailto")
        elif "/cdn-cgi/l/email-protection#" in a.href:
            decoded = cloudflare_email(a.href.rsplit("#", 1)[1])
            if decoded and plausible_email(decoded):
                clues.add(view.url, lambda a=a: a.context, decoded, "cloudflare")
    for tag in view.all("@data-cfemail"):
        decoded = cloudflare_email(tag["data-cfemail"])
        if decoded and plausible_email(decoded):
            clues.add(view.url, decoded, decoded, "cloudflare")
    text = view.text
    for address, at in emails_in(text):
        clues.add(view.url, lambda at=at, address=address: snippet_at(text, at, len(address)), address, "text")


def email(site) -> FeatureResult:
    """An email address: mailto links, written addresses (also "nama [at] domain"), Cloudflare-protected ones."""
    site = SiteView.of(site)
    clues = Clues("email")
    for view in site.pages:
        _page_emails(view, clues)
    return clues.result()


# --- telephone ------------------------------------------------------------------------------


def _page_phones(view: PageView, clues: Clues) -> None:
    for a in view.anchors:
        if a.scheme == "tel":
            number = unquote(a.href.split(":", 1)[1]).strip()
            if valid_phone(number):
                clues.add(view.url, a.label or number, number, "tel", key=_canonical(number))
    text = view.text
    for number, at in phones_in(text):
        if not fax_only(text, at):
            clues.add(view.url, lambda at=at, number=number: snippet_at(text, at, len(number)), number, "text",
                      key=_canonical(number))


def _canonical(number: str) -> str:
    digits = _digits(number)
    return "0" + digits[2:].lstrip("0") if digits.startswith("62") else digits


def telephone(site) -> FeatureResult:
    """An Indonesian telephone number: tel: links and written numbers, not fax-only, dates or ID numbers."""
    site = SiteView.of(site)
    clues = Clues("telephone")
    for view in site.pages:
        _page_phones(view, clues)
    return clues.result()


# --- SMS ------------------------------------------------------------------------------------

SHORT_CODE = r"(?<![\d.,])(?!19\d\d\b|20\d\d\b)\d{4,5}(?![\d.,]\d)"
SMS_RE = re.compile(
    r"\bSMS\b(?:\s+(?:center|centre|gateway|pengaduan|aduan|layanan|only|saja))*\s*(?:/\s*(?:WA|WhatsApp)\s*)?"
    rf"[:.\-–]?\s*(?:(?:kirim\s+)?ke\s+|di\s+)?(?P<number>{PHONE_PATTERN}|{SHORT_CODE})",
    re.IGNORECASE)


def _page_sms(view: PageView, clues: Clues) -> None:
    for a in view.anchors:
        if a.scheme == "sms":
            number = unquote(a.href.split(":", 1)[1]).split("?")[0].strip()
            if valid_phone(number) or re.fullmatch(r"\d{4,5}", number):
                clues.add(view.url, lambda a=a: a.context, _canonical(number), "sms")
    text = view.text
    for m in SMS_RE.finditer(text):
        number = m.group("number")
        if len(_digits(number)) <= 5 or valid_phone(number):
            clues.add(view.url, lambda m=m: snippet_at(text, m.start(), len(m.group(0))), _canonical(number), "text")


def sms(site) -> FeatureResult:
    """An SMS number or short code: sms: links, or a number written after an SMS label."""
    site = SiteView.of(site)
    clues = Clues("sms")
    for view in site.pages:
        _page_sms(view, clues)
    return clues.result()


# --- WhatsApp -------------------------------------------------------------------------------

WA_LINK_RE = re.compile(r"(?:https?:)?//(?:wa\.me|(?:api|web)\.whatsapp\.com|chat\.whatsapp\.com)/[^\s'\"<>)]*"
                        r"|whatsapp://send\?[^\s'\"<>)]*", re.IGNORECASE)
WA_TEXT_RE = re.compile(
    r"\b(?:whats\s?app|WA)\b(?:\s+(?:center|centre|admin|resmi|hotline|pengaduan|layanan|only|saja))*"
    r"\s*[:.\-–]?\s*(?P<number>(?:\+62|62|0)\s?8\d{1,3}[ .-]?\d{3,4}[ .-]?\d{3,5})(?!\d)",
    re.IGNORECASE)
WA_WIDGET_RE = re.compile(r"joinchat|whats\s?app|click-to-chat|\bwa[-_]|wpp", re.IGNORECASE)
JOINCHAT_PHONE_RE = re.compile(r'"(?:telephone|phone|number)"\s*:\s*"\+?(\d{9,15})"')


def whatsapp_number(url: str) -> str | None:
    """The number a WhatsApp link opens a chat with; None for share links ("send?text=" only)."""
    parts = urlsplit(url if "//" in url else url.replace("whatsapp://", "whatsapp://x/"))
    host = (parts.hostname or "").lower()
    if host == "chat.whatsapp.com":
        return "group:" + parts.path.strip("/") if parts.path.strip("/") else None
    if host == "wa.me":
        digits = parts.path.strip("/").split("/")[0]
    else:
        digits = (parse_qs(parts.query).get("phone") or [""])[0]
    digits = _digits(digits)
    return _canonical(digits) if len(digits) >= 9 else None


def _page_whatsapp(view: PageView, clues: Clues) -> None:
    for a in view.anchors:
        if WA_LINK_RE.match(a.url) or a.scheme == "whatsapp":
            number = whatsapp_number(a.url)
            if number:
                clues.add(view.url, lambda a=a: a.context, number, "link")
    # Floating chat buttons of page builders keep the number in data attributes or click handlers.
    for tag in view.all("@data-settings"):
        if not WA_WIDGET_RE.search(" ".join(tag.get("class") or []) + tag["data-settings"]):
            continue
        for digits in JOINCHAT_PHONE_RE.findall(tag["data-settings"]):
            clues.add(view.url, "tombol WhatsApp melayang", _canonical(digits), "widget")
    for tag in view.all("@onclick"):
        if tag.name != "a" and WA_LINK_RE.search(tag["onclick"]):
            for link in WA_LINK_RE.findall(tag["onclick"]):
                number = whatsapp_number(link)
                if number:
                    clues.add(view.url, tag.get_text(" ") or "tombol WhatsApp", number, "widget")
    text = view.text
    for m in WA_TEXT_RE.finditer(text):
        clues.add(view.url, lambda m=m: snippet_at(text, m.start(), len(m.group(0))), _canonical(m.group("number")),
                  "text")


def whatsapp(site) -> FeatureResult:
    """A WhatsApp contact: wa.me / api.whatsapp.com chat links with a number (not share links),
    floating chat buttons, or a mobile number written after a WhatsApp label."""
    site = SiteView.of(site)
    clues = Clues("whatsapp")
    for view in site.pages:
        _page_whatsapp(view, clues)
    return clues.result()
