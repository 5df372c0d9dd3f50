"""Electronic public services and single sign-on."""

from __future__ import annotations

import pytest

from checks.features import services

OPD_DIRECTORY = """
<main class="konten"><h1>Perangkat Daerah</h1><ul class="daftar-opd">
<li><a href="https://dukcapil.kerincikab.go.id/">Dinas Kependudukan dan Pencatatan Sipil</a></li>
<li><a href="https://dpmptsp.kerincikab.go.id/">Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu</a></li>
<li><a href="https://bappeda.kerincikab.go.id/">Badan Perencanaan Pembangunan Daerah</a></li>
</ul></main>"""
NEWS_LIST = """
<aside class="sidebar"><div class="widget berita-terbaru"><h3>Berita Terbaru</h3><ul>
<li><a href="/berita/monitoring-oss-rba-di-kecamatan-sarolangun">Monitoring OSS RBA di Kecamatan Sarolangun</a></li>
<li><a href="/berita/workshop-aplikasi-sipd">Workshop Aplikasi SIPD</a></li>
<li><a href="/2026/11/20/satu-data/">Satu Data Indonesia</a></li>
</ul></div></aside>"""
CITIZEN_LOGIN = """
<main><h2>Masuk ke Layanan Online</h2><p>Gunakan akun pemohon untuk mengajukan permohonan layanan.</p>
<form action="/layanan-online/masuk" method="post"><label for="nik">NIK</label><input id="nik" name="nik">
<label for="pw">Kata sandi</label><input id="pw" name="kata_sandi" type="password"><button>Masuk</button></form></main>"""
PERMOHONAN = """
<main><h2>Formulir Permohonan Informasi Publik</h2><form action="/ppid/permohonan" method="post"
 enctype="multipart/form-data"><label for="a">Nama</label><input id="a" name="nama">
<label for="b">Nomor Induk Kependudukan</label><input id="b" name="no_ktp">
<label for="c">Rincian informasi</label><textarea id="c" name="rincian"></textarea>
<label for="d">Scan KTP</label><input id="d" name="ktp" type="file"><button>Ajukan</button></form></main>"""
STAFF_LOGIN = """<main><h1>Area Internal</h1><p>Silakan masuk menggunakan akun pegawai.</p>
<form method="post" action="/admin/login"><input name="u"><input name="p" type="password"><button>Masuk</button>
</form></main>"""
WP_LOGIN = """<form name="loginform" id="loginform" action="https://bappeda.jambiprov.go.id/wp-login.php" method="post">
<input type="text" name="log"><input type="password" name="pwd"><input type="submit" value="Log In"></form>"""


def services_of(build, body: str, path: str = "/"):
    page = build.home(build.html(body)) if path == "/" else build.page(path, build.html(body))
    return services.e_services(build.evidence(page))


@pytest.mark.parametrize("body, key", [
    ('<a href="https://lpse.jambiprov.go.id/eproc4">LPSE Provinsi Jambi</a>', "lpse"),
    ('<a href="https://spse.inaproc.id/jambiprov"><img src="/lpse.png" alt=""></a>', "lpse"),
    ('<a href="https://oss.go.id/">Perizinan Berusaha (OSS)</a>', "perizinan"),
    ('<a href="https://sicantik.go.id/">Perizinan Online</a>', "perizinan"),
    ('<a href="https://siak.kerincikab.go.id/">Layanan Kependudukan</a>', "siak"),
    ('<a href="https://eplanning.jambikota.go.id/">e-Planning</a>', "e_planning"),
    ('<a href="https://sipd.kemendagri.go.id/">SIPD</a>', "e_planning"),
    ('<a href="https://ebudgeting.jambikota.go.id/"><i class="fa fa-money"></i></a>', "e_budgeting"),
    ('<a href="https://jdih.jambiprov.go.id/">Produk Hukum</a>', "jdih"),
    ('<a href="/jdih">JDIH</a>', "jdih"),
    ('<a href="https://data.jambiprov.go.id/">Portal Data</a>', "satu_data"),
    ('<a href="https://layanan.jambikota.go.id/">Layanan Online</a>', "online_app"),
])
def test_service_links_by_host_path_or_label(build, body, key):
    result = services_of(build, body)
    assert result.values == [key]


@pytest.mark.parametrize("body, path", [(CITIZEN_LOGIN, "/layanan-online"), (PERMOHONAN, "/ppid/permohonan")])
def test_online_applications_a_citizen_logs_in_to_or_submits(build, body, path):
    result = services_of(build, body, path)
    assert result.values == ["online_app"]
    assert result.evidence[0].url == f"https://diskominfo.jambiprov.go.id{path}"


@pytest.mark.parametrize("body", [
    OPD_DIRECTORY,  # the agencies that run services are not the services
    NEWS_LIST,  # news about a service is not the service
    STAFF_LOGIN,
    WP_LOGIN,
    '<a href="/layanan-online">Layanan Online</a>',  # an own page we could not see
    "<p>Pemanfaatan aplikasi SIPD, e-Budgeting dan Satu Data terus didorong.</p>",
    '<form class="pencarian" action="/cari" method="get"><input name="q"><button>Cari</button></form>',
])
def test_agencies_news_staff_logins_and_mentions_are_not_services(build, body):
    assert not services_of(build, body).found


def test_one_clue_per_kind_of_service_and_their_audiences(build):
    body = ('<a href="https://lpse.jambiprov.go.id/eproc4">LPSE</a><a href="https://lpse.jambiprov.go.id/">LPSE</a>'
            '<a href="https://jdih.jambiprov.go.id/">JDIH</a><a href="https://eplanning.jambiprov.go.id/">e-Planning</a>')
    result = services_of(build, body)
    assert result.values == ["lpse", "jdih", "e_planning"]
    assert services.audiences(result) == {"G2B", "G2C", "G2G"}


@pytest.mark.parametrize("body, found", [
    ('<a href="https://sso.jambiprov.go.id/login">Masuk</a>', True),
    ('<a href="https://akun.jambikota.go.id/">Akun Warga</a>', True),
    ('<a href="/masuk">Satu Akun untuk Semua Layanan</a>', True),
    ('<form action="/login" method="post"><p>Masuk dengan Single Sign-On (SSO) Pemprov</p><input name="u">'
     '<input name="p" type="password"><button>Masuk</button></form>', True),
    (CITIZEN_LOGIN, False),
    ('<a href="/berita/sosialisasi-sso-bagi-operator-opd-se-provinsi-jambi">Sosialisasi SSO bagi Operator OPD '
     "se-Provinsi Jambi Tahun 2026</a>", False),
])
def test_single_sign_on(build, body, found):
    assert services.integration(build.evidence(build.home(build.html(body)))).found is found
