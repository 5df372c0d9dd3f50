"""accessibility.basics: html lang (WCAG 3.1.1), title (2.4.2), image alt (1.1.1), per site."""

from __future__ import annotations

from checks import accessibility


def by_criterion(findings):
    return {f.detail["criterion"]: f for f in findings}


def test_a_site_meeting_the_basics_passes_all_three(build):
    body = ('<img src="/logo.png" alt="Logo Pemerintah Provinsi Jambi">'
            '<img src="/hiasan.png" alt="">'  # decorative: an empty alt is correct
            "<h1>Berita</h1>")
    findings = accessibility.basics(build.evidence(build.home(build.html(body)),
                                                   build.page("/berita", build.html("<p>Isi</p>"))))
    found = by_criterion(findings)
    assert sorted(found) == ["html_lang", "img_alt", "title"]
    assert all(f.passed and f.severity == "info" for f in findings)
    assert found["html_lang"].message_id == "Semua 2 halaman menyatakan bahasanya (WCAG 3.1.1)"
    assert found["img_alt"].detail["images"] == 2


def test_failures_are_aggregated_per_site_with_counts_and_examples(build):
    home = build.home(build.html('<img src="/banner.jpg"><img src="/logo.png" alt="Logo">'))
    berita = build.page("/berita/1", build.html('<img src="foto-rapat.jpg">', lang=None))
    profil = build.page("/profil", build.html("<p>Profil</p>", title="   "))
    kontak = build.page("/kontak", build.html("<p>Kontak</p>", lang=""))
    found = by_criterion(accessibility.basics(build.evidence(home, berita, profil, kontak)))

    lang = found["html_lang"]
    assert (lang.passed, lang.severity) == (False, "medium")
    assert lang.message_id == "2 dari 4 halaman tidak menyatakan bahasanya (atribut lang pada <html>) (WCAG 3.1.1)"
    assert lang.detail["examples"] == ["https://diskominfo.jambiprov.go.id/berita/1",
                                       "https://diskominfo.jambiprov.go.id/kontak"]
    assert lang.evidence_url == "https://diskominfo.jambiprov.go.id/berita/1"

    title = found["title"]
    assert title.message_id == "1 dari 4 halaman tidak memiliki judul (<title>) (WCAG 2.4.2)"
    assert title.evidence_url == "https://diskominfo.jambiprov.go.id/profil"

    alt = found["img_alt"]
    assert (alt.passed, alt.severity) == (False, "medium")
    assert alt.message_id == "2 dari 3 gambar tanpa teks alternatif (alt) di 2 halaman (WCAG 1.1.1)"
    assert alt.detail["image_examples"] == ["https://diskominfo.jambiprov.go.id/banner.jpg",
                                            "https://diskominfo.jambiprov.go.id/berita/foto-rapat.jpg"]


def test_most_images_without_alt_is_high(build):
    gallery = "".join(f'<img src="/galeri/{i}.jpg">' for i in range(9)) + '<img src="/x.jpg" alt="Rapat">'
    found = by_criterion(accessibility.basics(build.evidence(build.home(build.html(gallery)))))
    assert found["img_alt"].severity == "high"
    assert found["img_alt"].detail["failing"] == 9


def test_pages_that_are_not_html_or_failed_are_not_judged(build):
    failed = build.page("/rusak", None, status=500, error_class="http_5xx")
    sitemap = build.page("/sitemap.xml", "<urlset/>", kind="sitemap", content_type="application/xml")
    found = by_criterion(accessibility.basics(build.evidence(build.home(), failed, sitemap)))
    assert found["title"].detail["pages_checked"] == 1


def test_no_html_page_is_no_evidence_not_a_pass(build):
    [finding] = accessibility.basics(build.evidence(build.home(None, status=None, error_class="dns_nxdomain")))
    assert (finding.passed, finding.severity, finding.detail) == (False, "high", {"no_evidence": True})
