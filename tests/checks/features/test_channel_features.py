"""Live chat, complaint channel, social media accounts and links to other government institutions."""

from __future__ import annotations

import pytest

from checks.features import channels, widgets

SOCIAL_FOOTER = """
<footer class="site-footer"><p class="sosmed">
<a href="https://www.facebook.com/diskominfojambiprov" class="ikon"><i class="fa fa-facebook"></i></a>
<a href="https://www.instagram.com/diskominfo.jambiprov/" class="ikon"><i class="fa fa-instagram"></i></a>
<a href="https://x.com/kominfojambi" class="ikon"><i class="fa fa-twitter"></i></a>
<a href="https://www.youtube.com/@diskominfojambi" class="ikon"><i class="fa fa-youtube"></i></a>
<a href="https://www.tiktok.com/@diskominfojambi" class="ikon"><i class="fab fa-tiktok"></i></a>
</p></footer>"""
SHARE_BUTTONS = """
<article><p>Isi berita.</p>
<div class="share-buttons"><span>Bagikan:</span>
<a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fdiskominfo.jambiprov.go.id%2Fberita%2F1">
<i class="fa fa-facebook"></i></a>
<a href="https://twitter.com/intent/tweet?url=https%3A%2F%2Fdiskominfo.jambiprov.go.id%2Fberita%2F1"><i class="fa fa-x"></i></a>
</div>
<div class="addtoany_share_save_container"><a class="a2a_button_facebook" href="https://www.addtoany.com/add_to/facebook?linkurl=x">
Facebook</a></div></article>"""


def page(build, body: str, path: str = "/"):
    return build.evidence(build.home(build.html(body)) if path == "/" else build.page(path, build.html(body)))


# --- live chat -----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, vendor", [
    ('<script type="text/javascript">var Tawk_API=Tawk_API||{};(function(){var s1=document.createElement("script");'
     's1.src="https://embed.tawk.to/5f0c1a2b3c/default";})();</script>', "tawk.to"),
    ('<script src="//code.tidio.co/abcdefghijklmnop.js" async></script>', "Tidio"),
    ('<script>window.$crisp=[];window.CRISP_WEBSITE_ID="1234-5678";</script>', "Crisp"),
    ("<script>window.__lc = window.__lc || {}; window.__lc.license = 12345678;</script>", "LiveChat"),
    ('<div id="fb-customer-chat" class="fb-customerchat"></div>', "Facebook Messenger"),
    ('<a href="https://m.me/diskominfojambiprov"><i class="fab fa-facebook-messenger"></i> Chat</a>',
     "Facebook Messenger"),
])
def test_chat_widgets_of_each_vendor(build, body, vendor):
    assert widgets.live_chat(page(build, body)).values == [vendor]


@pytest.mark.parametrize("body", [
    '<!-- <script src="https://embed.tawk.to/5f0c1a2b3c/default"></script> -->',
    "<p>Diskominfo melatih operator memakai Tawk.to dan Tidio untuk layanan daring.</p>",
    '<div class="share"><a href="fb-messenger://share?link=https%3A%2F%2Fx.go.id">Messenger</a>'
    '<a href="https://www.facebook.com/dialog/send?link=x">Kirim</a></div>',
    '<script src="https://www.googletagmanager.com/gtag/js?id=G-XYZ"></script>',
])
def test_disabled_widgets_mentions_and_send_buttons_are_not_live_chat(build, body):
    assert not widgets.live_chat(page(build, body)).found


# --- complaint channel ---------------------------------------------------------------------------

@pytest.mark.parametrize("body, path", [
    ('<aside><a href="https://www.lapor.go.id/" class="banner-lapor"><img src="/lapor.png" alt="SP4N-LAPOR!"></a>'
     "</aside>", "/"),
    ('<a href="https://jambiprov.lapor.go.id/">Sampaikan aduan</a>', "/"),
    ('<li><a href="https://pengaduan.jambikota.go.id/">Layanan Pengaduan</a></li>', "/"),
    ('<main class="konten"><h1>Pengaduan Masyarakat</h1><form action="/pengaduan/kirim" method="post">'
     '<label for="n">Nama</label><input id="n" name="nama"><label for="i">Isi Pengaduan</label>'
     '<textarea id="i" name="isi"></textarea><button>Kirim</button></form></main>', "/pengaduan"),
    ('<main><h1>Pengaduan</h1><p>Sampaikan pengaduan ke <a href="mailto:aduan@jambiprov.go.id">aduan@jambiprov.go.id'
     "</a>.</p></main>", "/layanan/pengaduan-masyarakat"),
])
def test_complaint_channels(build, body, path):
    assert channels.complaint(page(build, body, path)).found


@pytest.mark.parametrize("body, path", [
    # The procedure described in words, with the site's usual footer around it, is no channel.
    ('<main class="konten"><h1>Pengaduan Masyarakat</h1><p>Pengaduan disampaikan melalui loket pelayanan pada hari '
     'kerja pukul 08.00 - 15.00 WIB.</p></main><footer><p>Telp. (0741) 7552333</p><a href="mailto:humas@x.go.id">'
     "humas@x.go.id</a></footer>", "/layanan/pengaduan-masyarakat"),
    ('<a href="/berita/laporan-kinerja-2025">Laporan Kinerja Instansi Pemerintah Tahun 2025</a>', "/"),
    ('<main><h1>Pengaduan</h1><form class="pencarian" action="/cari" method="get"><input name="q">'
     "<button>Cari</button></form></main>", "/pengaduan"),
    ('<a href="/pengaduan">Pengaduan</a>', "/"),
])
def test_procedure_pages_reports_and_internal_links_are_not_complaint_channels(build, body, path):
    assert not channels.complaint(page(build, body, path)).found


# --- social media accounts -------------------------------------------------------------------------

def test_account_links_including_icon_only_ones(build):
    result = channels.social_media(page(build, SOCIAL_FOOTER))
    assert result.values == ["facebook:diskominfojambiprov", "instagram:diskominfo.jambiprov", "x:kominfojambi",
                             "youtube:@diskominfojambi", "tiktok:@diskominfojambi"]
    assert result.evidence[0].snippet == "facebook"  # an icon's class is all the label it has


def test_follow_icons_in_a_row_a_theme_calls_social_share_are_still_accounts(build):
    body = ('<div class="header-social-share"><a href="https://www.instagram.com/pemkabtebo/">'
            '<i class="fab fa-instagram"></i></a></div>')
    assert channels.social_media(page(build, body)).values == ["instagram:pemkabtebo"]


def test_share_buttons_of_an_article_are_not_accounts(build):
    assert not channels.social_media(page(build, SHARE_BUTTONS, "/berita/1")).found


@pytest.mark.parametrize("url", [
    "https://www.instagram.com/p/Cx1AbCdEf/",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://www.facebook.com/diskominfojambiprov/posts/1234567890",
    "https://x.com/kominfojambi/status/1790000000000000000",
    "https://www.tiktok.com/@diskominfojambi/video/7300000000000000000",
    "https://www.facebook.com/",
    "https://www.facebook.com/hashtag/jambi",
])
def test_posts_videos_and_bare_platform_links_are_not_accounts(url):
    assert channels.account_of(url) is None


@pytest.mark.parametrize("url, account", [
    ("https://web.facebook.com/profile.php?id=100064123456789", ("facebook", "id:100064123456789")),
    ("https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.facebook.com%2Fpemprovjambi&tabs=timeline",
     ("facebook", "pemprovjambi")),
    ("https://www.youtube.com/channel/UC1234567890abcdef", ("youtube", "channel/UC1234567890abcdef")),
    ("https://twitter.com/Humas_Jambi", ("x", "humas_jambi")),
])
def test_account_forms(url, account):
    assert channels.account_of(url) == account


# --- links to other government institutions -----------------------------------------------------------

def test_links_to_other_go_id_hosts_count_once_per_host(build):
    body = ('<ul><li><a href="https://jambiprov.go.id/">Portal Provinsi Jambi</a></li>'
            '<li><a href="https://ppid.jambiprov.go.id/">PPID</a></li>'
            '<li><a href="https://jambiprov.go.id/berita">Berita Pemprov</a></li>'
            '<li><a href="https://kemkes.go.id/">Kementerian Kesehatan</a></li></ul>')
    result = channels.gov_links(page(build, body))
    assert result.values == ["jambiprov.go.id", "ppid.jambiprov.go.id", "kemkes.go.id"]


def test_recorded_outbound_links_count_when_no_stored_page_shows_them(build):
    evidence = page(build, "<p>Selamat datang</p>")
    evidence.links = [{"page_url": "https://diskominfo.jambiprov.go.id/profil", "url": "https://bappeda.jambiprov.go.id/",
                       "host": "bappeda.jambiprov.go.id", "text": "Bappeda"}]
    assert channels.gov_links(evidence).values == ["bappeda.jambiprov.go.id"]


@pytest.mark.parametrize("body", [
    '<a href="https://diskominfo.jambiprov.go.id/profil">Profil</a><a href="/kontak">Kontak</a>',
    '<a href="http://www.diskominfo.jambiprov.go.id/">Beranda</a>',
    '<a href="https://www.bankjambi.co.id/">Bank Jambi</a><a href="https://unja.ac.id/">Universitas Jambi</a>',
    '<a href="mailto:humas@jambiprov.go.id">humas@jambiprov.go.id</a>',
])
def test_own_pages_non_government_sites_and_email_domains_are_not_institution_links(build, body):
    assert not channels.gov_links(page(build, body)).found
