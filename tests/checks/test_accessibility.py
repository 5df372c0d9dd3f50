"""accessibility.wcag: the WCAG rules over a site's pages, one finding per failing rule, and the score."""

from __future__ import annotations

from pathlib import Path

from checks import CHECKS, accessibility
from checks.scoring import dimension_scores
from checks.wcag import RULES

BASE = "https://diskominfo.jambiprov.go.id"


def by_rule(findings):
    return {f.detail["rule"]: f for f in findings}


def good_page(build, heading="Berita", extra=""):
    return build.html(f'<h1>{heading}</h1><img src="/logo.png" alt="Logo Diskominfo"><img src="/garis.png" alt="">'
                      f'<p><a href="/berita">Indeks berita</a></p>{extra}')


def test_a_site_that_meets_every_rule_gets_only_its_score_of_100(build):
    evidence = build.evidence(build.home(good_page(build, "Beranda")), build.page("/berita", good_page(build)))
    [score] = accessibility.wcag(evidence)
    assert (score.check_id, score.passed, score.severity) == ("accessibility.wcag", True, "info")
    assert score.message_id == "Skor aksesibilitas 100,0 dari 100 (2 halaman diperiksa, 0 aturan WCAG dilanggar)"
    assert score.detail["score"] == score.detail["dimension_score"] == 100.0
    assert score.detail["rules_passed"] == ["html-has-lang", "html-lang-valid", "document-title", "image-alt",
                                            "link-name", "page-has-heading-one", "heading-order"]
    assert dimension_scores([score])["accessibility"] == 100.0


def test_failures_are_aggregated_per_rule_with_counts_pages_and_examples(build):
    home = build.home(build.html('<h2>Selamat Datang</h2><img src="/banner.jpg"><img src="/logo.png" alt="Logo">'
                                 '<p class="sosmed"><a href="https://facebook.com/x"><i class="fa fa-facebook"></i>'
                                 "</a></p>"))
    berita = build.page("/berita/1", build.html('<h1>Rapat</h1><img src="foto-rapat.jpg">', lang=None))
    profil = build.page("/profil", build.html("<h1>Profil</h1><p>Profil</p>", title="   "))
    kontak = build.page("/kontak", build.html("<h1>Kontak</h1><p>Kontak</p>", lang=""))
    found = by_rule(accessibility.wcag(build.evidence(home, berita, profil, kontak)))
    assert list(found) == ["html-has-lang", "document-title", "image-alt", "link-name", "page-has-heading-one",
                           "score"]

    lang = found["html-has-lang"]
    assert (lang.passed, lang.severity, lang.evidence_url) == (False, "medium", f"{BASE}/berita/1")
    assert lang.message_id == ("2 dari 4 halaman tidak menyatakan bahasanya (atribut lang pada <html>) "
                               "(WCAG 3.1.1)")
    assert lang.detail["failing_pages"] == [f"{BASE}/berita/1", f"{BASE}/kontak"]

    alt = found["image-alt"]
    assert alt.message_id == "2 gambar tanpa teks alternatif (alt) di 2 dari 4 halaman (WCAG 1.1.1)"
    assert alt.message_en == "2 images without alternative text on 2 of 4 pages (WCAG 1.1.1)"
    assert (alt.severity, alt.detail["impact"], alt.detail["count"], alt.detail["pages_applicable"]) == \
        ("high", "critical", 2, 2)
    assert alt.detail["examples"] == [
        {"url": f"{BASE}/", "selector": "html > body > img:nth-of-type(1)", "html": '<img src="/banner.jpg">'},
        {"url": f"{BASE}/berita/1", "selector": "html > body > img", "html": '<img src="foto-rapat.jpg">'},
    ]
    assert found["link-name"].severity == "low"  # serious, but on 1 page of 4
    assert found["link-name"].detail["examples"][0]["selector"] == "html > body > p > a"

    score = found["score"]
    assert score.detail["rules_failed"] == ["html-has-lang", "document-title", "image-alt", "link-name",
                                            "page-has-heading-one"]
    # berita/1 keeps 13 of 30 weight points: it fails lang (7) and image-alt (10) of lang, title, image-alt,
    # h1 and heading order (7 + 7 + 10 + 3 + 3)
    assert [(row["url"], row["score"]) for row in score.detail["pages"]] == [
        (f"{BASE}/berita/1", 43.3), (f"{BASE}/", 54.5), (f"{BASE}/kontak", 65.0), (f"{BASE}/profil", 74.1)]
    assert score.detail["score"] == round(sum(row["score"] for row in score.detail["pages"]) / 4, 1)
    assert dimension_scores(list(found.values()))["accessibility"] == score.detail["score"]


def test_five_hundred_images_without_alt_read_as_one_finding(build):
    gallery = "".join(f'<img src="/galeri/{i}.jpg">' for i in range(20))
    pages = [build.page(f"/galeri/{n}", build.html(f"<h1>Galeri {n}</h1>{gallery}")) for n in range(25)]
    [alt] = [f for f in accessibility.wcag(build.evidence(build.home(good_page(build)), *pages))
             if f.detail["rule"] == "image-alt"]
    assert alt.message_id == "500 gambar tanpa teks alternatif (alt) di 25 dari 26 halaman (WCAG 1.1.1)"
    assert [e["url"] for e in alt.detail["examples"]] == [f"{BASE}/galeri/{n}" for n in range(5)]
    assert len(alt.detail["failing_pages"]) == 5


def test_pages_that_are_not_html_or_failed_are_not_judged(build):
    failed = build.page("/rusak", None, status=500, error_class="http_5xx")
    sitemap = build.page("/sitemap.xml", "<urlset/>", kind="sitemap", content_type="application/xml")
    [score] = accessibility.wcag(build.evidence(build.home(good_page(build)), failed, sitemap))
    assert score.detail["pages_checked"] == 1


def test_no_html_page_is_no_evidence_not_a_pass(build):
    [finding] = accessibility.wcag(build.evidence(build.home(None, status=None, error_class="dns_nxdomain")))
    assert (finding.passed, finding.severity, finding.detail) == (False, "high", {"no_evidence": True})
    assert dimension_scores([finding])["accessibility"] == 65.0


def test_a_fetched_style_sheet_takes_part_in_the_contrast_rule(build):
    body = '<h1>Beranda</h1><div class="topbar"><span>Telp. (0741) 60012</span></div>'
    css = build.page("/assets/css/style.css", ".topbar{background:#0b3d6b;color:#1e4a78}", kind="page",
                     content_type="text/css")
    html = build.html(body, head='<link rel="stylesheet" href="/assets/css/style.css">')
    assert "color-contrast" not in by_rule(accessibility.wcag(build.evidence(build.home(html))))
    contrast = by_rule(accessibility.wcag(build.evidence(build.home(html), css)))["color-contrast"]
    assert contrast.message_id == "1 teks dengan kontras warna kurang di 1 dari 1 halaman (WCAG 1.4.3)"


def test_the_check_is_registered_and_every_rule_is_documented():
    assert CHECKS["accessibility.wcag"].func is accessibility.wcag
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"`{rule.id}`" in readme, rule.id
