"""Feedback forms, polls and surveys, forums and comments: forms that carry a message somewhere."""

from __future__ import annotations

import pytest

from checks.features import forms

CONTACT_FORM = """
<h2>Kirim Pesan</h2>
<form class="form-kontak" action="/kontak/kirim" method="post">
  <label for="f-nama">Nama</label><input type="text" id="f-nama" name="nama">
  <label for="f-email">Email</label><input type="email" id="f-email" name="email">
  <label for="f-pesan">Pesan / Pengaduan</label><textarea id="f-pesan" name="pesan"></textarea>
  <button type="submit">Kirim</button>
</form>"""
# Contact Form 7 posts by script to an anchor of the same page.
CF7_FORM = """
<div class="wpcf7" id="wpcf7-f120-p45-o1"><form action="/kontak/#wpcf7-f120-p45-o1" method="post"
 class="wpcf7-form init" novalidate="novalidate">
 <p><label> Nama Anda<br><span class="wpcf7-form-control-wrap"><input type="text" name="your-name"></span></label></p>
 <p><label> Saran dan Masukan<br><textarea name="your-message" cols="40" rows="10"></textarea></label></p>
 <p><input type="submit" value="Kirim" class="wpcf7-submit"></p></form></div>"""
ELEMENTOR_FORM = """
<form class="elementor-form" method="post" name="Kontak">
 <input type="hidden" name="post_id" value="12">
 <div class="elementor-field-group"><input size="1" type="text" name="form_fields[name]" placeholder="Nama"></div>
 <div class="elementor-field-group"><input size="1" type="text" name="form_fields[message]"
   placeholder="Tulis kritik dan saran"></div>
 <button type="submit" class="elementor-button">Kirim</button></form>"""
SEARCH_FORM = """
<form class="pencarian" action="/cari" method="get"><label for="cari-q">Cari</label>
<input type="text" id="cari-q" name="q" placeholder="Cari..."><button type="submit">Cari</button></form>"""
WP_SEARCH = """<form role="search" method="get" class="search-form" action="https://bappeda.jambiprov.go.id/">
<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" name="s"></label>
<input type="submit" class="search-submit" value="Search"></form>"""
NEWSLETTER = """<div class="widget langganan"><h3>Berlangganan Berita</h3><form action="/langganan" method="post">
<label for="nl">Email</label><input type="email" id="nl" name="email"><button>Daftar</button></form></div>"""
STAFF_LOGIN = """<h1>Area Internal</h1><form method="post" action="/admin/login"><label for="u">Nama pengguna</label>
<input id="u" name="u"><label for="p">Kata sandi</label><input id="p" name="p" type="password"><button>Masuk</button>
</form>"""
NOWHERE = """<form><textarea name="pesan"></textarea><button type="button">Kirim</button></form>"""
POLL_WIDGET = """
<div class="widget polling"><h3>Jajak Pendapat</h3><form class="wp-polls-form" action="/polling" method="post">
<p>Bagaimana penilaian Anda terhadap pelayanan Dinas Kesehatan?</p>
<input type="radio" id="jp-1" name="jawaban" value="1"><label for="jp-1">Sangat baik</label>
<input type="radio" id="jp-2" name="jawaban" value="2"><label for="jp-2">Baik</label>
<input type="radio" id="jp-3" name="jawaban" value="3"><label for="jp-3">Kurang</label>
<button type="submit">Pilih</button></form></div>"""
SKM_FORM = """
<h2>Survei Kepuasan Masyarakat (SKM)</h2>
<form action="https://skm.jambikota.go.id/simpan" method="post">
 <label>Unsur 1: Persyaratan <select name="u1"><option>1</option><option>4</option></select></label>
 <label>Unsur 2: Prosedur <select name="u2"><option>1</option><option>4</option></select></label>
 <label>Saran <textarea name="saran"></textarea></label><button>Kirim Penilaian</button></form>"""
WP_COMMENTS = """
<div id="comments" class="comments-area"><h2 class="comments-title">2 tanggapan</h2>
<ol class="comment-list"><li class="comment"><p>Terima kasih infonya.</p></li><li class="comment"><p>Mantap.</p></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title">Tinggalkan Balasan</h3>
<form action="https://bappeda.jambiprov.go.id/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-form-comment"><label for="comment">Komentar</label><textarea id="comment" name="comment"></textarea></p>
<input type="hidden" name="comment_post_ID" value="45" id="comment_post_ID"><input type="submit" value="Kirim Komentar">
</form></div></div>"""


def evidence(build, *bodies: str, path: str = "/kontak"):
    pages = [build.page(path if i == 0 else f"{path}/{i}", build.html(body)) for i, body in enumerate(bodies)]
    return build.evidence(build.home(), *pages)


# --- feedback form -------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [CONTACT_FORM, CF7_FORM, ELEMENTOR_FORM,
                                  '<iframe src="https://docs.google.com/forms/d/e/1FAIpQLSf/viewform?embedded=true" '
                                  'title="Kotak Saran dan Masukan"></iframe>',
                                  '<a href="https://forms.gle/AbC123">Kritik &amp; Saran</a>'])
def test_feedback_forms_of_themes_plugins_and_google(build, body):
    result = forms.feedback_form(evidence(build, body))
    assert result.found
    assert result.evidence[0].url == "https://diskominfo.jambiprov.go.id/kontak"


def test_feedback_form_evidence_names_where_it_posts(build):
    [clue] = forms.feedback_form(evidence(build, CONTACT_FORM)).evidence
    assert clue.value == "https://diskominfo.jambiprov.go.id/kontak/kirim"
    assert clue.snippet.startswith("Kirim Pesan")


@pytest.mark.parametrize("body", [SEARCH_FORM, WP_SEARCH, NEWSLETTER, STAFF_LOGIN, NOWHERE, WP_COMMENTS, POLL_WIDGET])
def test_search_boxes_logins_newsletters_comments_and_polls_are_not_feedback_forms(build, body):
    assert not forms.feedback_form(evidence(build, body)).found


# --- polling / survey -----------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    POLL_WIDGET,
    SKM_FORM,
    '<h3>Survei Kepuasan Masyarakat</h3><iframe src="https://docs.google.com/forms/d/e/1FAIpQLSd/viewform?embedded=true"'
    ' title="Survei Kepuasan Masyarakat"></iframe>',
    '<a href="https://skm.jambiprov.go.id/survei/dinkes">Beri penilaian</a>',
    '<li><a href="https://ikm.jambikota.go.id/"><img src="/banner-ikm.png" alt="Indeks Kepuasan Masyarakat"></a></li>',
    '<a href="/survei-kepuasan">Isi Survei Kepuasan Masyarakat</a>',
])
def test_polls_and_satisfaction_surveys(build, body):
    assert forms.polling(evidence(build, body)).found


@pytest.mark.parametrize("body", [
    # A page that reports the survey results is not a survey.
    "<h1>Survei Kepuasan Masyarakat</h1><p>Hasil SKM semester I: IKM 82,50 (Baik).</p>",
    '<li><a href="/layanan/survei-kepuasan-masyarakat">Survei Kepuasan Masyarakat</a></li>',
    '<a href="/berita/hasil-survei-kepuasan-masyarakat-2026">Hasil Survei Kepuasan Masyarakat Tahun 2026 '
    "Diumumkan Bupati</a>",
    CONTACT_FORM,
    '<form action="/cari" method="get"><select name="kategori"><option>Berita</option><option>Survei</option>'
    '</select><input name="q"><button>Cari</button></form>',
])
def test_survey_reports_and_other_forms_are_not_polls(build, body):
    assert not forms.polling(evidence(build, body)).found


# --- forum / comments ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    WP_COMMENTS,
    '<div id="disqus_thread"></div><script>(function(){var d=document,s=d.createElement("script");'
    's.src="https://diskominfo-jambi.disqus.com/embed.js";(d.head||d.body).appendChild(s);})();</script>',
    '<div class="fb-comments" data-href="https://diskominfo.jambiprov.go.id/berita/1" data-numposts="5"></div>',
    '<nav><ul><li><a href="https://forum.jambiprov.go.id/">Forum</a></li></ul></nav>',
    '<a href="/forum">Forum Diskusi Warga</a>',
])
def test_comment_threads_and_forums(build, body):
    assert forms.forum(evidence(build, body, path="/berita/rapat")).found


@pytest.mark.parametrize("body", [
    '<p class="komentar-ditutup">Komentar ditutup.</p>',
    '<h3><a href="/berita/forum-konsultasi-publik-rkpd-2027">Forum Konsultasi Publik RKPD 2027 Digelar di Aula</a></h3>',
    "<p>Dinas Kesehatan menggelar Forum Group Discussion bersama kader posyandu.</p>",
    CONTACT_FORM,
])
def test_mentions_of_forums_and_closed_comments_are_not_a_forum(build, body):
    assert not forms.forum(evidence(build, body, path="/berita/rapat")).found


ENGLISH_PAGE = """
<nav class="navbar"><ul class="menu"><li><a href="/">Home</a></li><li><a href="#">Services</a><ul class="sub-menu">
<li><a href="https://eproc.jambiprov.go.id/">e-Procurement</a></li></ul></li></ul></nav>
<main><h2>Contact Us</h2><form action="/contact/send" method="post"><label for="n">Your Name</label><input id="n" name="name">
<label for="m">Your Message</label><textarea id="m" name="message"></textarea><button>Send</button></form>
<h2>Visitor Survey</h2><form action="/survey" method="post"><p>How satisfied are you with our service?</p>
<label><input type="radio" name="q1" value="5"> Very satisfied</label><label><input type="radio" name="q1" value="3"> Neutral</label>
<button>Submit</button></form></main>"""


def test_english_labels_and_links_in_menus_are_understood(build):
    from checks.features import detect_all

    found = {k for k, r in detect_all(evidence(build, ENGLISH_PAGE, path="/en")).items() if r.found}
    assert {"feedback_form", "polling", "e_services"} <= found
