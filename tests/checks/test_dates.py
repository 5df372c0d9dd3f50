"""checks.dates: dates as Indonesian sites write them, and bad input that must give no date.

Every row is (input, expected); expected None means "no date", never a guess.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from checks import dates, freshness
from checks.base import Page, SiteEvidence

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.timezone.utc)  # 10:00 WIB, Monday 23 November 2026
D = dt.date

WRITTEN = [
    # The primer's formats.
    ("Senin, 12 Januari 2024", D(2024, 1, 12)),
    ("12 Jan 2024", D(2024, 1, 12)),
    ("12-01-2024", D(2024, 1, 12)),
    ("12/01/2024", D(2024, 1, 12)),
    ("Diperbarui: 3 Juni 2024 10:15 WIB", D(2024, 6, 3)),
    # Every Indonesian month, written out.
    ("1 Januari 2025", D(2025, 1, 1)), ("28 Februari 2025", D(2025, 2, 28)), ("3 Maret 2025", D(2025, 3, 3)),
    ("4 April 2025", D(2025, 4, 4)), ("5 Mei 2025", D(2025, 5, 5)), ("6 Juni 2025", D(2025, 6, 6)),
    ("7 Juli 2025", D(2025, 7, 7)), ("17 Agustus 2025", D(2025, 8, 17)), ("9 September 2025", D(2025, 9, 9)),
    ("10 Oktober 2025", D(2025, 10, 10)), ("11 November 2025", D(2025, 11, 11)),
    ("25 Desember 2025", D(2025, 12, 25)),
    # Abbreviations and old spellings seen on pemda sites.
    ("7 Agu 2023", D(2023, 8, 7)), ("7 Agt 2023", D(2023, 8, 7)), ("7 Agust 2023", D(2023, 8, 7)),
    ("2 Okt 2023", D(2023, 10, 2)), ("31 Des 2023", D(2023, 12, 31)), ("1 Nop 2020", D(2020, 11, 1)),
    ("12 Peb 2021", D(2021, 2, 12)), ("9 Pebruari 2021", D(2021, 2, 9)), ("3 Nopember 2019", D(2019, 11, 3)),
    ("12 Jan. 2024", D(2024, 1, 12)), ("29 Februari 2024", D(2024, 2, 29)),
    ("Jum'at, 5 Juli 2024", D(2024, 7, 5)), ("SENIN, 12 JANUARI 2024", D(2024, 1, 12)),
    # Day first, whatever the separator; ISO and English too.
    ("03/04/2026", D(2026, 4, 3)), ("3.4.2026", D(2026, 4, 3)), ("2026-04-03", D(2026, 4, 3)),
    ("2026-04-03T09:00:00+07:00", D(2026, 4, 3)), ("January 12, 2024", D(2024, 1, 12)),
    ("Posted on March 5, 2025 by admin", D(2025, 3, 5)),
    # Impossible dates and things that only look like dates: no date.
    ("31 Februari 2024", None), ("29 Februari 2023", None), ("32 Januari 2024", None), ("0 Maret 2024", None),
    ("31 April 2024", None), ("12/13/2024", None), ("00/01/2024", None), ("31/06/2025", None),
    ("99/99/9999", None), ("2024-02-30", None), ("2024-13-01", None),
    ("Januari 2024", None), ("2024", None), ("© 2026 Diskominfo", None), ("12 Foo 2024", None),
    ("12 Marketing 2024", None), ("Sumatera 12, 2024", None), ("1/1/24", None), ("v1.12.01.2024", None),
    ("Nomor 12/01/2024/5", None), ("", None), ("garbage ☃ \x00 ]]>", None),
]


@pytest.mark.parametrize("text, expected", WRITTEN)
def test_written_dates(text, expected):
    assert dates.parse_text_date(text) == expected


RELATIVE = [
    ("2 hari yang lalu", D(2026, 11, 21)),
    ("2 hari lalu", D(2026, 11, 21)),
    ("kemarin", D(2026, 11, 22)),
    ("3 jam yang lalu", D(2026, 11, 23)),
    ("12 jam lalu", D(2026, 11, 22)),  # 22:00 WIB the day before
    ("1 minggu yang lalu", D(2026, 11, 16)),
    ("seminggu lalu", D(2026, 11, 16)),
    ("sebulan lalu", D(2026, 10, 23)),
    ("2 bulan lalu", D(2026, 9, 23)),  # the day of the month is kept, not reset to the 1st
    ("setahun yang lalu", D(2025, 11, 23)),
    ("5 days ago", D(2026, 11, 18)),
    ("Diunggah 45 menit yang lalu", D(2026, 11, 23)),
    ("9999 tahun lalu", None),  # before year 1
    ("lalu lintas", None),
    ("hari ini", None),
]


@pytest.mark.parametrize("text, expected", RELATIVE)
def test_relative_dates_count_back_from_the_given_instant(text, expected):
    moment = dates.parse_relative(text, NOW.astimezone(dates.WIB))
    assert (moment.date() if moment else None) == expected


def test_month_arithmetic_clamps_to_the_shorter_month():
    base = dt.datetime(2026, 3, 31, 10, tzinfo=dates.WIB)
    assert dates.parse_relative("1 bulan lalu", base).date() == D(2026, 2, 28)


PDF = [
    ("D:20260105093000+07'00'", dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))),
    ("D:20260105093000Z", dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)),
    ("D:20260105093000-03'30'", dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone(-dt.timedelta(hours=3, minutes=30)))),
    ("D:20260105", dt.datetime(2026, 1, 5)),
    ("20260105093000", dt.datetime(2026, 1, 5, 9, 30)),
    ("D:2026", None), ("D:202601", None),  # a year or a month is not a date
    ("D:20260231", None), ("D:20261301", None), ("D:20260105250000", None),
    ("D:20260105093000+99'00'", None), ("garbage", None), ("", None), (None, None), ("D:" + "9" * 500, None),
]


@pytest.mark.parametrize("raw, expected", PDF)
def test_pdf_dates(raw, expected):
    assert dates.parse_pdf_date(raw) == expected


INSTANTS = [
    ("2026-11-02T14:30:00+07:00", D(2026, 11, 2)),
    ("2026-08-31T18:30:00Z", D(2026, 9, 1)),  # 01:30 WIB on 1 September
    ("Tue, 14 Jul 2026 09:00:00 +0700", D(2026, 7, 14)),
    ("Thu, 14 Mar 2024 04:12:00 GMT", D(2024, 3, 14)),
    ("D:20260105093000+07'00'", D(2026, 1, 5)),
    ("Senin, 12 Januari 2024 10:15 WITA", D(2024, 1, 12)),
    ("Tue, 31 Feb 2024 10:00:00 GMT", None), ("2024-02-30", None), ("2024-13-01T00:00:00", None),
    ("2024", None), ("2024-01", None), ("tomorrow", None), ("x" * 10_000, None),
]


@pytest.mark.parametrize("raw, expected", INSTANTS)
def test_instants_from_feeds_headers_and_metadata(raw, expected):
    instant = dates.parse_instant(raw)
    assert (dates.local_date(instant) if instant else None) == expected


@pytest.mark.parametrize("name, years, period", [
    ("APBD 2024", (2024,), None),
    ("LKjIP_2023.pdf", (2023,), None),
    ("Renstra_2021-2026.pdf", (2021, 2026), (2021, 2026)),
    ("Rencana Strategis 2019 s.d. 2024", (2019, 2024), (2019, 2024)),
    ("DPA TA.2025 Dinas Kesehatan", (2025,), None),
    ("Perda No 5 Tahun 2023 tentang APBD 2024", (2023, 2024), None),
    ("Nomor 123456 tahun 20245", (), None),
    ("SOP Pelayanan Informasi", (), None),
    ("Renstra 2026-2021", (2026, 2021), None),  # a period cannot run backwards
    (None, (), None),
])
def test_years_in_document_names(name, years, period):
    assert (dates.years_in_name(name), dates.period_in_name(name)) == (years, period)


@pytest.mark.parametrize("date, verdict", [
    (D(2026, 11, 23), None),
    (D(2026, 11, 24), "in the future"),
    (D(1995, 1, 1), None),
    (D(1994, 12, 31), "before 1995"),
    (D(1970, 1, 1), "before 1995"),
])
def test_credible_dates_are_neither_future_nor_before_1995(date, verdict):
    assert dates.credible(date, NOW) == verdict


def test_tomorrow_in_papua_is_not_the_future_at_23_30_in_jakarta():
    late = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.timezone.utc)  # 23:30 WIB, 01:30 WIT on the 24th
    assert dates.credible(D(2026, 11, 24), late) is None


def test_find_text_dates_reports_impossible_ones_as_none_and_stops_at_the_limit():
    text = "Rapat 31 Februari 2024, lalu 3 Maret 2024. " * 100
    found = dates.find_text_dates(text, limit=5)
    assert found == [("31 Februari 2024", None), ("3 Maret 2024", D(2024, 3, 3)), ("31 Februari 2024", None),
                     ("3 Maret 2024", D(2024, 3, 3)), ("31 Februari 2024", None)]


# --- bad pages: no date and no crash -------------------------------------------------------

def _site(*pages: Page) -> SiteEvidence:
    return SiteEvidence(site={"id": 1, "url": "https://dinas.ujikab.go.id/", "role": "opd"}, pages=list(pages),
                        now=NOW)


def _html(body: str) -> Page:
    return Page(url="https://dinas.ujikab.go.id/", kind="home", status=200, content_type="text/html",
                text=f"<html><body>{body}</body></html>")


@pytest.mark.parametrize("label, body", [
    ("impossible dates only", "<article>" + "<p>Diposting 31 Februari 2024</p>" * 50 + "</article>"),
    ("garbage", "<article>" + "\x00\ufffd☃ 12//2024 --/--/---- 2024-99-99 ]]>" * 200 + "</article>"),
    ("a huge page of text without dates", "<article><p>" + "Lorem ipsum dolor sit amet 2024 " * 100_000
     + "</p></article>"),
    ("a huge page of impossible dates", "<article><p>" + "32/13/2024 " * 100_000 + "</p></article>"),
    ("a broken JSON-LD block", '<script type="application/ld+json">{"datePublished": "2024-01-</script>'),
])
def test_bad_pages_give_no_date_and_no_crash(label, body):
    started = time.perf_counter()
    [finding] = freshness.newest_content(_site(_html(body)))
    assert time.perf_counter() - started < 15, label
    assert (finding.passed, finding.message_id) == (False, "Tidak ditemukan tanggal konten yang dapat dipercaya")


def test_a_date_under_absurdly_deep_nesting_is_still_read():
    [finding] = freshness.newest_content(_site(_html("<div>" * 5_000 + "12 Januari 2024" + "</div>" * 5_000)))
    assert finding.detail["newest"] == "2024-01-12"


def test_a_huge_feed_and_sitemap_of_garbage_give_no_date():
    sitemap = Page(url="https://dinas.ujikab.go.id/sitemap.xml", kind="sitemap", status=200,
                   text="<urlset>" + "<url><loc>x</loc><lastmod>31 Februari 2024</lastmod></url>" * 20_000 + "</urlset>")
    feed = Page(url="https://dinas.ujikab.go.id/feed/", kind="feed", status=200,
                text="<rss><channel>" + "<item><pubDate>Tue, 99 Foo 2024</pubDate></item>" * 20_000 + "</channel></rss>")
    wp = Page(url="https://dinas.ujikab.go.id/wp-json/wp/v2/posts", kind="wp_json", status=200,
              text="[" + '{"date_gmt": "2024-02-30T00:00:00"},' * 10_000 + "{}]")
    [finding] = freshness.newest_content(_site(_html("<p>Selamat datang</p>"), sitemap, feed, wp))
    assert (finding.passed, finding.detail["dates_found"]) == (False, 0)
