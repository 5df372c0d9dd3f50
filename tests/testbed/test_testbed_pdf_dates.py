"""The ``dates_only_in_pdfs`` site option: nothing but the PDFs' own metadata dates the site."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import yaml
from pypdf import PdfReader

from testbed.content import Links
from testbed.server import SiteResponder, default_base_urls, world_truth
from testbed.world import WorldError, world_from_dict

TODAY = dt.date(2026, 3, 10)
WORLD = f"""
seed: 3
today: {TODAY.isoformat()}
regions:
  - code: "15"
    name: Provinsi Jambi
    kind: provinsi
    domain: jambiprov.go.id
    portal: {{features: [email]}}
    ppid: false
    opds:
      - {{short: pdf, name: Dinas Bertanggal PDF, dates_only_in_pdfs: true, news: 0, newest_days_ago: 40,
         today_widget: true, footer_copyright_year: current}}
      - {{short: biasa, name: Dinas Biasa, newest_days_ago: 40}}
"""
HOST = "pdf.jambiprov.go.id"
DATE_WORDS = re.compile(r"\b\d{1,2}[ /](?:\d{2}|Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des|Januari|Februari|"
                        r"Maret|April|Juni|Juli|Agustus|September|Oktober|November|Desember)[a-z]*[ /]\d{4}\b")


@pytest.fixture(scope="module")
def site():
    world = world_from_dict(yaml.safe_load(WORLD))
    links = Links(world, default_base_urls(world))
    return world, SiteResponder(world, world.site(HOST), links)


def test_pages_sitemap_and_headers_carry_no_date(site):
    world, responder = site
    model = responder.model
    assert model.news == []
    for path in model.html_paths:
        reply = responder.respond("GET", path, {})
        assert reply.status == 200, path
        assert "Last-Modified" not in reply.headers, path
        text = reply.body.decode()
        # The header widget prints today's date: that is chrome, and the only date on any page.
        assert DATE_WORDS.findall(text) == ["10 Maret 2026"], path
        assert "rss.xml" not in text
    sitemap = responder.respond("GET", "/sitemap.xml", {}).body.decode()
    assert "<loc>" in sitemap and "<lastmod>" not in sitemap
    assert responder.respond("GET", "/rss.xml", {}).status == 404
    footer = responder.respond("GET", "/", {}).body.decode()
    assert f"&copy; {TODAY.year}" in footer


def test_the_newest_pdf_metadata_is_the_truths_newest_date(site):
    world, responder = site
    truth = world_truth(world)[HOST]
    assert truth["newest_date"] == (TODAY - dt.timedelta(days=40)).isoformat()
    modified = []
    for doc in responder.model.documents:
        reply = responder.respond("GET", doc.path, {})
        assert "Last-Modified" not in reply.headers
        info = PdfReader(io.BytesIO(reply.body)).metadata
        modified.append(info.modification_date.date())
    assert max(modified).isoformat() == truth["newest_date"]


def test_an_ordinary_site_keeps_its_dated_pages(site):
    world, _ = site
    links = Links(world, default_base_urls(world))
    ordinary = SiteResponder(world, world.site("biasa.jambiprov.go.id"), links)
    assert "Last-Modified" in ordinary.respond("GET", ordinary.model.documents[0].path, {}).headers
    assert "<lastmod>" in ordinary.respond("GET", "/sitemap.xml", {}).body.decode()


def test_the_option_refuses_news_items_which_carry_dates():
    data = yaml.safe_load(WORLD.replace("dates_only_in_pdfs: true, news: 0,", "dates_only_in_pdfs: true,"))
    with pytest.raises(WorldError, match=r"dates_only_in_pdfs needs news: 0 \(every news item carries its date\)"):
        world_from_dict(data)
