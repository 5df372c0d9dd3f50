"""interaction.contact: a published email address or Indonesian telephone number."""

from __future__ import annotations

import pytest

from checks import interaction

FOOTER = """
<footer class="site-footer">
  <p>Jl. Jend. Ahmad Yani No. 1, Telanaipura, Kota Jambi 36122</p>
  <p>Telp. (0741) 7552333 &middot; Fax. (0741) 7552334</p>
  <p>&copy; 2026 Diskominfo Provinsi Jambi</p>
</footer>
"""


@pytest.mark.parametrize("text, phone", [
    ("Telp. (0741) 7552333", "(0741) 7552333"),
    ("Hubungi 0741-123456 pada jam kerja", "0741-123456"),
    ("Telepon: 0741 - 7552333", "0741 - 7552333"),
    ("Jakarta 021 1234 5678", "021 1234 5678"),
    ("WA 0812-3456-7890", "0812-3456-7890"),
    ("HP. 0852 6600 1234", "0852 6600 1234"),
    ("SMS center 081234567890", "081234567890"),
    ("WhatsApp +62 812 3456 7890", "+62 812 3456 7890"),
    ("Call center +62 (741) 123456", "+62 (741) 123456"),
])
def test_indonesian_phone_numbers_are_found(text, phone):
    assert [found for found, _ in interaction.phones_in(text)] == [phone]


@pytest.mark.parametrize("text", [
    "Diposting 12-01-2024",
    "Tanggal 01-12-2024 dan 05.06.2024",
    "12/01/2024 08:00",
    "NIP. 19780512 200501 1 003",
    "NIP 197805122005011003",
    "NIK 1571020101900001",
    "Jam layanan 08.00 - 16.00 WIB",
    "Kode pos 36122",
    "Nomor surat 061/2024",
    "Nomor 0812345678901234",
    "ISBN 978-602-1234-56-7",
])
def test_dates_and_id_numbers_are_not_phones(text):
    assert interaction.phones_in(text) == []


@pytest.mark.parametrize("text, email", [
    ("Email: humas@jambiprov.go.id.", "humas@jambiprov.go.id"),
    ("surel diskominfo [at] jambiprov [dot] go [dot] id", "diskominfo@jambiprov.go.id"),
    ("ppid(at)jambiprov.go.id", "ppid@jambiprov.go.id"),
    ("Kirim ke info @ bappeda.jambiprov.go.id", "info@bappeda.jambiprov.go.id"),
])
def test_emails_plain_and_written_to_dodge_harvesters(text, email):
    assert [found for found, _ in interaction.emails_in(text)] == [email]


def test_retina_image_names_are_not_emails():
    assert interaction.emails_in('<img src="logo@2x.png">') == []


def test_phone_in_the_footer_passes_with_url_and_snippet(build):
    [finding] = interaction.contact(build.evidence(build.home(build.html("<h1>Beranda</h1>" + FOOTER))))
    assert (finding.passed, finding.severity) == (True, "info")
    assert finding.message_id == "Kontak ditemukan: telepon (0741) 7552333"
    # The fax number beside it is not a way to talk to the agency.
    [phone] = finding.detail["phones"]
    assert phone["value"] == "(0741) 7552333"
    assert phone["url"] == "https://diskominfo.jambiprov.go.id/"
    assert "Telp. (0741) 7552333" in phone["snippet"]
    assert finding.detail["emails"] == []


def test_a_fax_number_alone_is_no_contact_but_telp_fax_is(build):
    [fax_only] = interaction.contact(build.evidence(build.home(build.html("<p>Fax. (0741) 7552334</p>"))))
    assert (fax_only.passed, fax_only.detail["phones"]) == (False, [])
    [both] = interaction.contact(build.evidence(build.home(build.html("<p>Telp/Fax: (0741) 7552334</p>"))))
    assert [p["value"] for p in both.detail["phones"]] == ["(0741) 7552334"]


def test_mailto_on_the_contact_page_is_the_evidence(build):
    berita = build.page("/berita/rapat", build.html("<p>Rapat koordinasi 12-01-2024</p>"))
    kontak = build.page("/kontak", build.html(
        '<p>Silakan kirim surel ke <a href="mailto:diskominfo@jambiprov.go.id?subject=Pertanyaan">kami</a></p>'))
    [finding] = interaction.contact(build.evidence(build.home(), berita, kontak))
    assert finding.passed
    assert finding.evidence_url == "https://diskominfo.jambiprov.go.id/kontak"
    assert finding.message_id == "Kontak ditemukan: email diskominfo@jambiprov.go.id"
    assert finding.detail["emails"][0]["snippet"] == "kami"


def test_site_with_only_dates_and_nip_has_no_contact(build):
    body = ("<article><p>Diposting 12-01-2024 oleh Admin</p>"
            "<p>Kepala Dinas: Drs. H. Ahmad, M.Si, NIP. 19780512 200501 1 003</p>"
            "<p>Jam layanan 08.00 - 16.00 WIB</p></article>")
    [finding] = interaction.contact(build.evidence(build.home(build.html(body))))
    assert (finding.passed, finding.severity) == (False, "high")
    assert finding.message_id == "Tidak ditemukan alamat email atau nomor telepon di 1 halaman yang diperiksa"
    assert finding.detail["phones"] == [] and finding.detail["emails"] == []


def test_tel_link_counts(build):
    [finding] = interaction.contact(build.evidence(build.home(build.html(
        '<a href="tel:+6281234567890">Hubungi kami via WhatsApp</a>'))))
    assert finding.detail["phones"][0]["value"] == "+6281234567890"


def test_down_site_is_no_evidence(build):
    [finding] = interaction.contact(build.evidence(build.home(None, status=None, error_class="connect_refused")))
    assert (finding.passed, finding.detail) == (False, {"no_evidence": True})
