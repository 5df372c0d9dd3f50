"""Dates as Indonesian government sites write them, parsed strictly.

Every parser here returns ``None`` rather than guess: an impossible date ("31 Februari
2024", "12/13/2024" read day first), garbage, or a year-only value gives no date. The
written forms are parsed by this module's own table of Indonesian and English month
names (dateparser completes partial input with invented parts and swaps day and month
when the month would exceed 12; see FIELD-NOTES.md). Relative forms ("2 hari yang lalu",
"kemarin") count back from a base instant given by the caller, never from the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
from dataclasses import dataclass

WIB = dt.timezone(dt.timedelta(hours=7))
WITA = dt.timezone(dt.timedelta(hours=8))
WIT = dt.timezone(dt.timedelta(hours=9))
EARLIEST = dt.date(1995, 1, 1)
LATEST_YEAR = 2100
# Anything longer is not a date field; parsing it would only cost time.
MAX_FIELD_LENGTH = 200

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agust", "agus", "agst", "agt", "agu", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_NAMES = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|" \
             r"saturday|sunday)"

# "12 Januari 2024", "12 Jan. 2024", "12 Agu, 2023"
_DAY_MONTH_YEAR = rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_ALT})\.?,?\s+(?P<y1>\d{{4}})"
# "January 12, 2024"
_MONTH_DAY_YEAR = rf"\b(?P<m2>{_MONTH_ALT})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
# "12/01/2024", "12-01-2024", "12.01.2024": always day first
_NUMERIC = r"(?P<d3>\d{1,2})(?P<sep>[./-])(?P<m3>\d{1,2})(?P=sep)(?P<y3>\d{4})"
_ISO = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
TEXT_DATE_RE = re.compile(
    rf"(?<![\d/.-])(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_NUMERIC}|{_ISO})(?!\d|[./-]\d)",
    re.IGNORECASE,
)
_UNITS = r"detik|menit|jam|hari|minggu|pekan|bulan|tahun|seconds?|minutes?|hours?|days?|weeks?|months?|years?"
RELATIVE_DATE_RE = re.compile(
    rf"\b(?:(?P<n>\d{{1,4}})\s+|se)(?P<unit>{_UNITS})\s+(?:yang\s+)?(?:lalu|ago)\b"
    r"|\b(?P<word>kemarin|yesterday)\b",
    re.IGNORECASE,
)
_UNIT_NAMES = {
    "detik": "seconds", "second": "seconds", "seconds": "seconds",
    "menit": "minutes", "minute": "minutes", "minutes": "minutes",
    "jam": "hours", "hour": "hours", "hours": "hours",
    "hari": "days", "day": "days", "days": "days",
    "minggu": "weeks", "pekan": "weeks", "week": "weeks", "weeks": "weeks",
    "bulan": "months", "month": "months", "months": "months",
    "tahun": "years", "year": "years", "years": "years",
}
_PDF_DATE_RE = re.compile(
    r"^(?:D:)?(?P<Y>\d{4})(?P<M>\d{2})?(?P<D>\d{2})?(?P<h>\d{2})?(?P<m>\d{2})?(?P<s>\d{2})?"
    r"(?:\.\d+)?\s*(?P<tz>[Zz]|[+-]\d{2}(?:'?\d{2}'?)?)?"
)
# A year in a title or file name: "APBD 2024", "LKjIP_2023.pdf", "TA.2025", "Renstra 2021-2026".
_YEAR_RE = re.compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)")
_PERIOD_RE = re.compile(r"(?<!\d)(19[9]\d|20\d\d)\s*(?:-|–|—|s\.?\s*d\.?|sampai|s/d|to)\s*(19[9]\d|20\d\d)(?!\d)",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Dated:
    """One dated piece of evidence: when, from which kind of source, seen where, as written.

    ``subject`` is the URL the date is about when that differs from ``url`` (a sitemap's
    ``lastmod`` is seen in the sitemap but describes the page it lists).
    """

    date: dt.date
    source: str
    url: str
    raw: str
    subject: str | None = None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_from_match(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    if groups["d1"]:
        return _make_date(int(groups["y1"]), MONTHS[groups["m1"].lower()], int(groups["d1"]))
    if groups["d2"]:
        return _make_date(int(groups["y2"]), MONTHS[groups["m2"].lower()], int(groups["d2"]))
    if groups["d3"]:
        return _make_date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    return _make_date(int(groups["y4"]), int(groups["m4"]), int(groups["d4"]))


def find_text_dates(text: str, limit: int = 100) -> list[tuple[str, dt.date | None]]:
    """Every written absolute date in ``text`` as (as written, date or None when impossible)."""
    found = []
    for match in TEXT_DATE_RE.finditer(text):
        found.append((match.group(0), _date_from_match(match)))
        if len(found) >= limit:
            break
    return found


def parse_text_date(text: str | None) -> dt.date | None:
    """The first written date in a short text ("Senin, 12 Januari 2024", "12/01/2024"), or None."""
    if not text or len(text) > MAX_FIELD_LENGTH:
        return None
    match = TEXT_DATE_RE.search(text)
    return _date_from_match(match) if match else None


def _months_back(moment: dt.datetime, months: int) -> dt.datetime:
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    if year < 1:
        raise OverflowError("before year 1")
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def parse_relative(text: str | None, base: dt.datetime) -> dt.datetime | None:
    """ "2 hari yang lalu", "sebulan lalu", "3 jam lalu", "kemarin" counted back from ``base``."""
    if not text or len(text) > MAX_FIELD_LENGTH:
        return None
    match = RELATIVE_DATE_RE.search(text)
    if match is None:
        return None
    if match.group("word"):
        return base - dt.timedelta(days=1)
    count = int(match.group("n") or 1)
    unit = _UNIT_NAMES[match.group("unit").lower()]
    try:
        if unit == "months":
            return _months_back(base, count)
        if unit == "years":
            return _months_back(base, 12 * count)
        return base - dt.timedelta(**{unit: count})
    except (OverflowError, ValueError):
        return None


def parse_pdf_date(raw: str | None) -> dt.datetime | None:
    """A PDF date ("D:20260105093000+07'00'", "20260105"); None when malformed or without a day."""
    if not raw or len(raw) > MAX_FIELD_LENGTH:
        return None
    match = _PDF_DATE_RE.match(raw.strip())
    if match is None:
        return None
    parts = match.groupdict()
    if not parts["D"]:
        return None  # "D:2026" or "D:202601": a year or a month is not a date
    try:
        moment = dt.datetime(int(parts["Y"]), int(parts["M"] or 1), int(parts["D"] or 1), int(parts["h"] or 0),
                             int(parts["m"] or 0), int(parts["s"] or 0))
    except ValueError:
        return None
    zone = parts["tz"]
    if zone:
        if zone in "Zz":
            return moment.replace(tzinfo=dt.timezone.utc)
        digits = zone[1:].replace("'", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 14 or minutes > 59:
            return None
        offset = dt.timedelta(hours=hours, minutes=minutes)
        return moment.replace(tzinfo=dt.timezone(offset if zone[0] == "+" else -offset))
    return moment


def parse_instant(value: str | None) -> dt.datetime | None:
    """ISO-8601 (sitemaps, Atom, meta tags, WordPress), RFC 822 (RSS, HTTP headers), a PDF
    date, or a full written date; None for anything else, including a bare year or month."""
    if not value or len(value) > MAX_FIELD_LENGTH:
        return None
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    if value.startswith("D:"):
        return parse_pdf_date(value)
    date = parse_text_date(value)
    # A written date is the calendar date its writer saw, whatever zone follows it (WIB, WITA, WIT).
    return dt.datetime.combine(date, dt.time()) if date else None


def local_date(value: dt.datetime) -> dt.date:
    """The calendar date in western Indonesia (WIB) of an instant; a naive value is already local."""
    if value.tzinfo is None:
        return value.date()
    return value.astimezone(WIB).date()


def latest_credible(now: dt.datetime) -> dt.date:
    """The newest date that is not in the future anywhere in Indonesia (WIT is UTC+9)."""
    return now.astimezone(WIT).date()


def credible(date: dt.date, now: dt.datetime) -> str | None:
    """None when ``date`` can be content evidence at ``now``; else why not ("future", "before 1995")."""
    if date > latest_credible(now):
        return "in the future"
    if date < EARLIEST:
        return f"before {EARLIEST.year}"
    return None


def years_in_name(text: str | None) -> tuple[int, ...]:
    """Years (1990-2099) in a document title or file name, in order, without repeats."""
    if not text:
        return ()
    return tuple(dict.fromkeys(int(y) for y in _YEAR_RE.findall(text[:1000])))


def period_in_name(text: str | None) -> tuple[int, int] | None:
    """A plan period written in a title or file name ("2021-2026", "2019 s.d. 2024"), or None."""
    if not text:
        return None
    match = _PERIOD_RE.search(text[:1000])
    if match is None:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if start < end <= start + 10 else None
