"""The per-site page budget."""

from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.middlewares.budget import SitePageBudgetMiddleware


def budget(pages=3, documents=1, stylesheets=1):
    crawler = get_crawler(settings_dict={"PANTAU_MAX_PAGES_PER_SITE": pages,
                                         "PANTAU_MAX_DOCUMENTS_PER_SITE": documents,
                                         "PANTAU_MAX_STYLESHEETS_PER_SITE": stylesheets})
    crawler.stats.open_spider()
    return SitePageBudgetMiddleware.from_crawler(crawler), crawler.stats


def req(path, site=1, **meta):
    return Request(f"http://dinas.go.id{path}", meta={"site_id": site, **meta})


def test_each_site_gets_its_own_page_budget():
    mw, stats = budget(pages=2)
    assert [mw.admit(req(f"/{n}")) for n in range(3)] == [True, True, False]
    assert mw.admit(req("/0", site=2)) and mw.admit(req("/1", site=2))
    assert stats.get_value("budget/dropped/page") == 1


def test_duplicates_of_admitted_requests_spend_nothing():
    mw, _ = budget(pages=2)
    assert mw.admit(req("/a")) and mw.admit(req("/a")) and mw.admit(req("/b"))


def test_a_refused_request_stays_refused_when_linked_again():
    mw, stats = budget(pages=1)
    assert mw.admit(req("/a"))
    assert not mw.admit(req("/b"))
    assert not mw.admit(req("/b"))
    assert stats.get_value("budget/dropped/page") == 2


def test_documents_have_their_own_budget_and_companions_none():
    mw, _ = budget(pages=1, documents=1)
    assert mw.admit(req("/a"))
    assert mw.admit(req("/x.pdf", kind="document"))
    assert not mw.admit(req("/y.pdf", kind="document"))
    assert mw.admit(req("/sitemap.xml", budgeted=False)) and mw.admit(req("/feed/", budgeted=False))


def test_style_sheets_have_their_own_budget():
    mw, stats = budget(pages=1, stylesheets=1)
    assert mw.admit(req("/a"))
    assert mw.admit(req("/gaya.css", kind="stylesheet"))
    assert not mw.admit(req("/lain.css", kind="stylesheet"))
    assert stats.get_value("budget/dropped/stylesheet") == 1
