"""Contact media: email, telephone, SMS and WhatsApp, in the markup pemda sites really use."""

from __future__ import annotations

import pytest

from checks.features import contact


def detect(build, detector, body: str, path: str = "/"):
    page = build.home(build.html(body)) if path == "/" else build.page(path, build.html(body))
    return detector(build.evidence(page))


# --- email ------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, address", [
    ('<footer><a href="mailto:diskominfo@jambiprov.go.id">Surel kami</a></footer>', "diskominfo@jambiprov.go.id"),
    ("<p>Email: humas [at] jambiprov [dot] go [dot] id</p>", "humas@jambiprov.go.id"),
    ("<p>E-mail : bappeda(at)jambiprov.go.id</p>", "bappeda@jambiprov.go.id"),
    ("<p>Surel: ppid [at] jambikota [titik] go [titik] id</p>", "ppid@jambikota.go.id"),
    # Cloudflare's email protection, as every site behind Cloudflare serves it.
    ('<p><a href="/cdn-cgi/l/email-protection#6d0518000c1e2d070c000f041d1f021b430a02430409">'
     '<span class="__cf_email__" data-cfemail="6d0518000c1e2d070c000f041d1f021b430a02430409">[email&#160;protected]'
     "</span></a></p>", "humas@jambiprov.go.id"),
    ('<a href="mailto:%64inkes@jambiprov.go.id?subject=Tanya">Kirim surel</a>', "dinkes@jambiprov.go.id"),
])
def test_email_is_found_in_every_written_form(build, body, address):
    result = detect(build, contact.email, body)
    assert result.found and result.values == [address]
    assert result.evidence[0].url == "https://diskominfo.jambiprov.go.id/"


@pytest.mark.parametrize("body", [
    '<img src="/assets/logo@2x.png" alt="Logo">',
    '<form><input type="email" name="email" placeholder="nama@contoh.com"></form>',
    "<p>Tulis alamat surel Anda, misalnya nama@example.com</p>",
    '<p><span class="__cf_email__" data-cfemail="zz">[email&#160;protected]</span></p>',
    "<p>Kirim surel kepada kami melalui formulir di bawah.</p>",
    # A commented-out address is not shown to anyone.
    "<!-- humas@jambiprov.go.id --><p>Hubungi kami</p>",
])
def test_no_email_where_there_is_only_a_lookalike(build, body):
    assert not detect(build, contact.email, body).found


def test_email_evidence_keeps_one_clue_per_address_and_counts_them_all(build):
    body = "".join(f'<p><a href="mailto:{n}@jambiprov.go.id">{n}@jambiprov.go.id</a></p>'
                   for n in ("a", "b", "c", "d", "a"))
    result = detect(build, contact.email, body)
    assert (result.count, len(result.evidence)) == (4, 3)


# --- telephone -----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, number", [
    ("<p>Telp. (0741) 7552333</p>", "(0741) 7552333"),
    ('<a href="tel:+62741123456"><i class="fa fa-phone"></i></a>', "+62741123456"),
    ("<li>Call Center: 0812-7400-1234</li>", "0812-7400-1234"),
    ("<p>Telp/Fax: 0741-61234</p>", "0741-61234"),
    ("<p>Hotline +62 812 3456 7890</p>", "+62 812 3456 7890"),
])
def test_telephone_numbers_in_indonesian_formats(build, body, number):
    result = detect(build, contact.telephone, body)
    assert result.values == [number]


@pytest.mark.parametrize("body", [
    "<p>Diposting 05-06-2024 oleh Admin</p>",
    "<p>Senin, 12/01/2024 08:00 WIB</p>",
    "<p>Kepala Dinas: Drs. H. Ahmad, M.Si<br>NIP. 19780512 200501 1 003</p>",
    "<p>NIP 197805122005011003</p>",
    "<p>NIK 1571020101900001</p>",
    "<p>Fax. (0741) 7552334</p>",
    "<p>Pembayaran melalui rekening Bank Jambi No. 0123456789 a.n. Kas Daerah</p>",
    "<p>NPWP 01.234.567.8-331.000</p>",
    "<p>Nomor: 061/1234/Diskominfo/2024</p>",
    "<p>Jam pelayanan 08.00 - 16.00 WIB</p>",
    "<p>Jl. Jend. Ahmad Yani No. 1, Telanaipura 36122</p>",
])
def test_dates_staff_numbers_fax_and_accounts_are_not_telephones(build, body):
    assert not detect(build, contact.telephone, body).found


# --- SMS -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, value", [
    ("<p>SMS Center: 0811-7400-123</p>", "08117400123"),
    ("<p>Kirim SMS ke 1708 dengan format LAPOR</p>", "1708"),
    ('<a href="sms:+628117401234?body=ADUAN"><i class="fas fa-sms"></i> SMS Pengaduan</a>', "08117401234"),
    ("<p>SMS/WA: 0852-6600-1234</p>", "085266001234"),
])
def test_sms_numbers_and_short_codes(build, body, value):
    assert detect(build, contact.sms, body).values == [value]


@pytest.mark.parametrize("body", [
    "<p>Layanan SMS Blast peringatan dini tahun 2026 menjangkau 3.000 warga.</p>",
    "<p>SMS 2024: sosialisasi pemilu</p>",
    "<p>Telp. (0741) 7552333</p>",
    "<p>Aplikasi SMS Gateway sedang dikembangkan.</p>",
])
def test_sms_needs_a_number_after_the_label(build, body):
    assert not detect(build, contact.sms, body).found


# --- WhatsApp ------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, value", [
    ('<a href="https://wa.me/6281234567890"><i class="fab fa-whatsapp"></i></a>', "081234567890"),
    ('<a href="https://api.whatsapp.com/send?phone=6285266001234&text=Halo">Chat</a>', "085266001234"),
    ("<p>WhatsApp Center: 0812-7400-5678</p>", "081274005678"),
    ('<div class="joinchat joinchat--right" data-settings=\'{"telephone":"6281377001234","mobile_only":false}\'>'
     '<div class="joinchat__button"></div></div>', "081377001234"),
    ('<button class="btn-wa" onclick="window.open(\'https://wa.me/6281122223333\')">Hubungi kami</button>',
     "081122223333"),
])
def test_whatsapp_chat_links_widgets_and_labelled_numbers(build, body, value):
    assert detect(build, contact.whatsapp, body).values == [value]


@pytest.mark.parametrize("body", [
    # "Share this article" buttons open WhatsApp without a number.
    '<div class="share-buttons"><a href="https://api.whatsapp.com/send?text=Berita%20https%3A%2F%2Fx.go.id">'
    '<i class="fa fa-whatsapp"></i></a></div>',
    '<a href="https://wa.me/?text=Baca%20berita%20ini">Bagikan</a>',
    "<p>Warga diimbau waspada hoaks yang beredar lewat WhatsApp.</p>",
    '<div class="elementor-widget" data-settings=\'{"phone":"6281234567890"}\'></div>',
])
def test_share_buttons_and_mentions_are_not_a_whatsapp_contact(build, body):
    assert not detect(build, contact.whatsapp, body).found
