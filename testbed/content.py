"""What a testbed site says: its news, documents and pages, generated from the world.

``build_site`` turns one :class:`~testbed.world.SiteSpec` into a :class:`SiteModel` (the
dated facts: news items, documents, static pages). The ``render_*`` functions turn a model
into the bytes of one resource. Everything is a pure function of the world and of the URL
map (``Links``), so the same world served on the same ports gives the same bytes.

Dates: every date derives from the world's ``today`` minus day offsets; times are WIB.
The newest item of a site is dated exactly ``today - newest_days_ago``, and the sitemap,
the feed, ``Last-Modified`` and wp-json all report that same newest date. The /agenda page
lists upcoming events dated after the newest content (possibly after today), as real
agendas do: those are not publication dates, and a freshness check must not take them as such.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from testbed import a11y
from testbed import features as feature_markup
from testbed.documents import make_pdf
from testbed.world import Region, SiteSpec, World, region_short_name

WIB = dt.timezone(dt.timedelta(hours=7))
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
NEWS_PER_LIST_PAGE = 10
CATEGORY_LABEL = {
    "berkala": "Informasi Berkala",
    "serta_merta": "Informasi Serta Merta",
    "setiap_saat": "Informasi Setiap Saat",
}
CATEGORY_PATH = {
    "berkala": "/ppid/informasi-berkala",
    "serta_merta": "/ppid/informasi-serta-merta",
    "setiap_saat": "/ppid/informasi-setiap-saat",
}
# A 1x1 transparent GIF served for every image the pages reference.
PIXEL_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


# --- Indonesian dates -----------------------------------------------------------------


def tanggal_panjang(d: dt.date) -> str:
    """'Senin, 12 Januari 2024'."""
    return f"{HARI[d.weekday()]}, {d.day} {BULAN[d.month - 1]} {d.year}"


def tanggal_singkat(d: dt.date) -> str:
    """'12 Jan 2024'."""
    return f"{d.day} {BULAN_SINGKAT[d.month - 1]} {d.year}"


def tanggal_angka(d: dt.date) -> str:
    """'12/01/2024' (day first)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_tanggal(d: dt.date, style: str) -> str:
    return {"long": tanggal_panjang, "short": tanggal_singkat, "numeric": tanggal_angka}[style](d)


def http_date(moment: dt.datetime) -> str:
    return format_datetime(moment.astimezone(dt.timezone.utc), usegmt=True)


def slugify(text: str, limit: int = 80) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit + 1].rsplit("-", 1)[0]
    return slug


# --- the model ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsItem:
    number: int  # 1 = newest
    post_id: int
    slug: str
    title: str
    category: str
    author: str
    published: dt.datetime
    modified: dt.datetime
    paragraphs: tuple[str, ...]
    path: str


@dataclass(frozen=True)
class StaticPage:
    path: str
    title: str
    paragraphs: tuple[str, ...]
    modified: dt.datetime


@dataclass(frozen=True)
class DocumentItem:
    title: str
    category: str
    year: int
    file: str
    path: str
    uploaded: dt.datetime
    created: dt.datetime
    modified: dt.datetime
    author: str
    paragraphs: tuple[str, ...]

    def truth(self, base_url: str) -> dict:
        return {
            "title": self.title,
            "category": self.category,
            "year": self.year,
            "file": self.file,
            "url": base_url.rstrip("/") + self.path,
            "uploaded": self.uploaded.date().isoformat(),
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
        }


@dataclass
class SiteModel:
    spec: SiteSpec
    today: dt.date
    newest: dt.date
    title: str
    tagline: str
    head_title: str  # the person heading the unit, used in news
    address: str
    phone: str
    email: str
    whatsapp: str
    server: str
    powered_by: str | None
    visitors: tuple[int, int]
    news: list[NewsItem]
    pages: dict[str, StaticPage]  # path -> page, for every fixed page except news and lists
    list_pages: int
    documents: list[DocumentItem]
    html_paths: list[str] = field(default_factory=list)

    @property
    def wordpress(self) -> bool:
        return self.spec.wordpress

    def news_by_path(self, path: str) -> NewsItem | None:
        for item in self.news:
            if item.path == path:
                return item
        return None

    def document_by_path(self, path: str) -> DocumentItem | None:
        for doc in self.documents:
            if doc.path == path:
                return doc
        return None

    @property
    def newest_moment(self) -> dt.datetime:
        dates = [n.modified for n in self.news] + [d.uploaded for d in self.documents]
        dates += [p.modified for p in self.pages.values()]
        return max(dates)


class Links:
    """Where every testbed site lives (scheme://host[:port]/ base URLs) and who links to whom."""

    def __init__(self, world: World, base_urls: dict[str, str]):
        self._base = dict(base_urls)
        self.role_hosts: dict[tuple[str, str], str] = {}
        self.region_units: dict[str, list[tuple[str, str]]] = {}
        self.child_portals: dict[str, list[tuple[str, str]]] = {}
        for site in world.sites:
            code = site.region.code
            if site.role == "opd":
                self.region_units.setdefault(code, []).append((site.host, site.unit_name))
            else:
                self.role_hosts.setdefault((code, site.role), site.host)
            if site.role == "portal" and site.region.parent:
                self.child_portals.setdefault(site.region.parent, []).append((site.host, site.region.name))

    def base(self, host: str) -> str:
        return self._base.get(host, f"https://{host}/")

    def absolute(self, host: str, path: str) -> str:
        return self.base(host).rstrip("/") + path


# --- vocabulary -------------------------------------------------------------------------

_TOPICS = {
    "diskominfo": ["Keterbukaan Informasi Publik", "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
                   "Literasi Digital", "Keamanan Informasi", "Satu Data Indonesia"],
    "bappeda": ["Musrenbang RKPD", "Perencanaan Pembangunan Daerah", "Penurunan Kemiskinan Ekstrem",
                "Evaluasi RPJMD"],
    "bpkad": ["Pengelolaan Keuangan Daerah", "Penyusunan LKPD", "Aplikasi SIPD", "Penatausahaan Aset"],
    "bapenda": ["Pajak Kendaraan Bermotor", "Samsat Keliling", "Pemutihan Pajak", "Optimalisasi PAD"],
    "dinkes": ["Percepatan Penurunan Stunting", "Imunisasi Anak", "Pencegahan DBD", "Posyandu"],
    "disdik": ["PPDB", "Kurikulum Merdeka", "Asesmen Nasional", "Beasiswa Pendidikan"],
    "dukcapil": ["KTP Elektronik", "Identitas Kependudukan Digital", "Perekaman KTP-el",
                 "Jemput Bola Adminduk"],
    "dpmptsp": ["Perizinan Berusaha Berbasis Risiko", "OSS RBA", "Investasi Daerah", "Mal Pelayanan Publik"],
    "inspektorat": ["Sistem Pengendalian Intern Pemerintah", "Zona Integritas", "Pencegahan Korupsi",
                    "Reviu Laporan Keuangan"],
    "bpbd": ["Kesiapsiagaan Bencana", "Penanggulangan Karhutla", "Mitigasi Banjir", "Desa Tangguh Bencana"],
    "dlh": ["Pengelolaan Sampah", "Adipura", "Kualitas Udara", "Bank Sampah"],
    "dishub": ["Angkutan Lebaran", "Keselamatan Lalu Lintas", "Uji KIR", "Penertiban Parkir"],
    "bkpsdmd": ["Seleksi PPPK", "Manajemen ASN", "Disiplin Pegawai", "Pengembangan Kompetensi ASN"],
    "ppid": ["Keterbukaan Informasi Publik", "Uji Konsekuensi Informasi", "Monitoring dan Evaluasi KIP",
             "Layanan Permohonan Informasi"],
}
_GENERAL_TOPICS = ["Reformasi Birokrasi", "Pelayanan Publik", "Inovasi Daerah", "Pengendalian Inflasi",
                   "Penurunan Stunting", "Hari Jadi Daerah", "Peningkatan Kapasitas Aparatur"]
_EVENTS = ["Rapat Koordinasi", "Sosialisasi", "Bimbingan Teknis", "Forum Konsultasi Publik", "Monitoring dan Evaluasi",
           "Workshop", "Rapat Evaluasi", "Focus Group Discussion"]
_AUDIENCES = ["Perangkat Daerah", "Camat dan Lurah", "Kepala Desa", "Pelajar", "Pelaku UMKM", "Tenaga Kesehatan",
              "Operator Website OPD", "Masyarakat"]
_KECAMATAN = ["Telanaipura", "Kota Baru", "Jambi Selatan", "Alam Barajo", "Pasar Jambi", "Hamparan Rawang",
              "Muara Bulian", "Pemayung", "Rimbo Bujang", "Tebo Tengah", "Bangko", "Tabir", "Pauh",
              "Kuala Tungkal", "Muara Sabak Timur", "Sengeti", "Kumpeh", "Siulak", "Muara Bungo",
              "Gunung Kerinci", "Sarolangun", "Mendahara"]
_PLACES = ["Aula Kantor", "Ruang Rapat Utama", "Balai Pertemuan", "Rumah Dinas", "Gedung Serba Guna"]
_AWARDS = ["Penghargaan Keterbukaan Informasi Publik", "Opini WTP dari BPK RI", "Penghargaan Inovasi Pelayanan Publik",
           "Anugerah Kinerja Pemerintah Daerah", "Predikat Kepatuhan Pelayanan Publik"]
_GUESTS = ["Komisi Informasi Provinsi", "Ombudsman RI Perwakilan Jambi", "BPK RI Perwakilan Jambi",
           "Tim Kementerian Dalam Negeri", "Mahasiswa Universitas Jambi", "DPRD"]
_FIRST = ["Ahmad", "Budi", "Siti", "Dewi", "Rahmat", "Hendra", "Nurhayati", "Yusuf", "Fitri", "Agus", "Rina",
          "Zulkifli", "Syafril", "Helmi", "Novita", "Irwan", "Maryam", "Taufik", "Erwin", "Lestari"]
_LAST = ["Fauzi", "Santoso", "Rahmawati", "Hasibuan", "Saputra", "Lubis", "Nasution", "Harahap", "Kurniawan",
         "Syahputra", "Wahyuni", "Siregar", "Gunawan", "Pratama", "Susanti", "Hakim"]
_TITLES_BEFORE = ["", "", "Drs. ", "Dr. ", "Ir. ", "H. ", "Hj. "]
_TITLES_AFTER = ["", ", S.Kom", ", M.Si", ", S.STP, M.Si", ", S.E., M.M.", ", S.H., M.H.", ", M.Kes", ", S.T."]
_STREETS = ["Jl. Jenderal Ahmad Yani", "Jl. R.M. Noor Atmadibrata", "Jl. Jenderal Sudirman", "Jl. Slamet Riyadi",
            "Jl. Basuki Rahmat", "Jl. Prof. Dr. Sri Soedewi", "Jl. Kolonel Abunjani", "Jl. Lingkar Barat",
            "Jl. Pattimura", "Jl. Diponegoro"]
_LAYANAN = ["Standar Pelayanan", "Maklumat Pelayanan", "Jam Pelayanan", "Survei Kepuasan Masyarakat",
            "Prosedur Permohonan Informasi", "Prosedur Pengajuan Keberatan", "Pengaduan Masyarakat",
            "Tata Cara Penyelesaian Sengketa Informasi", "Whistleblowing System", "Layanan Konsultasi",
            "Inovasi Pelayanan", "Zona Integritas", "Daftar Informasi Dikecualikan", "Standar Biaya Layanan",
            "Pengumuman Pengadaan", "Informasi Kepegawaian", "Peringatan Dini dan Prosedur Evakuasi",
            "Regulasi dan Kebijakan", "Program dan Kegiatan", "Laporan Akses Informasi"]
_SERVERS = ["Apache/2.4.41 (Ubuntu)", "nginx/1.18.0 (Ubuntu)", "nginx", "LiteSpeed", "Apache",
            "nginx/1.24.0"]
_POWERED = ["PHP/7.4.33", "PHP/8.1.2-1ubuntu2.14", "PHP/5.6.40", None, None]


def server_header(world: World, spec: SiteSpec) -> str:
    return world.rng(spec.host, "server").choice(_SERVERS)


def _person(rng) -> str:
    return f"{rng.choice(_TITLES_BEFORE)}{rng.choice(_FIRST)} {rng.choice(_LAST)}{rng.choice(_TITLES_AFTER)}"


def _pemda_name(region: Region) -> str:
    prefix = {"provinsi": "Pemerintah Provinsi", "kabupaten": "Pemerintah Kabupaten", "kota": "Pemerintah Kota"}
    return f"{prefix[region.kind]} {region_short_name(region)}"


def _pemda_short(region: Region) -> str:
    return {"provinsi": "Pemprov", "kabupaten": "Pemkab", "kota": "Pemkot"}[region.kind] + " " + \
        region_short_name(region)


def _leaders(region: Region) -> list[str]:
    short = region_short_name(region)
    if region.kind == "provinsi":
        return [f"Gubernur {short}", f"Wakil Gubernur {short}", f"Sekda Provinsi {short}"]
    if region.kind == "kota":
        return [f"Wali Kota {short}", f"Wakil Wali Kota {short}", f"Sekda Kota {short}"]
    return [f"Bupati {short}", f"Wakil Bupati {short}", f"Sekda {short}"]


def unit_full_name(spec: SiteSpec) -> str:
    if spec.role == "portal":
        return _pemda_name(spec.region)
    if spec.role == "ppid":
        return f"PPID {spec.region.name}"
    return f"{spec.unit_name} {spec.region.name}"


def _unit_head(spec: SiteSpec) -> str:
    if spec.role == "portal":
        return _leaders(spec.region)[0]
    if spec.role == "ppid":
        return f"PPID Utama {region_short_name(spec.region)}"
    if spec.unit_name.lower().startswith("inspektorat"):
        return f"Inspektur {region_short_name(spec.region)}"
    return f"Kepala {spec.unit_name}"


# --- building a site ----------------------------------------------------------------------


def build_site(world: World, spec: SiteSpec) -> SiteModel:
    """The dated content of one site; deterministic in (world seed, host, today)."""
    rng = world.rng(spec.host, "content")
    region = spec.region
    newest = world.newest_date(spec)
    full = unit_full_name(spec)
    local = {"portal": "humas", "ppid": "ppid"}.get(spec.role, spec.unit_short.replace("-", ""))
    mobile = f"08{rng.randint(11, 13)}{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"
    model = SiteModel(
        spec=spec,
        today=world.today,
        newest=newest,
        title=full if spec.role != "portal" else f"Portal Resmi {full}",
        tagline={"portal": "Melayani dengan Sepenuh Hati",
                 "ppid": "Pejabat Pengelola Informasi dan Dokumentasi"}.get(
            spec.role, f"Website Resmi {spec.unit_name}"),
        head_title=_unit_head(spec),
        address=f"{rng.choice(_STREETS)} No. {rng.randint(1, 120)}, {region.capital} {36100 + rng.randint(0, 899)}",
        phone=f"({region.phone_area}) {rng.randint(20, 79)}{rng.randint(1000, 9999)}",
        email=f"{local}@{region.domain}",
        whatsapp=mobile,
        server=server_header(world, spec),
        powered_by=world.rng(spec.host, "powered-by").choice(_POWERED),
        visitors=(rng.randint(20, 900), rng.randint(20_000, 2_000_000)),
        news=[],
        pages={},
        list_pages=0,
        documents=[],
    )
    paths, n_news = _inventory(spec)
    model.news = _make_news(world, spec, model, n_news)
    model.list_pages = max(1, math.ceil(n_news / NEWS_PER_LIST_PAGE))
    model.documents = _make_documents(world, spec, model)
    model.pages = _make_static_pages(world, spec, model, paths)
    # With no news item, the newest date must still be carried by something the crawler sees.
    if not model.news and (not model.documents or model.documents[0].uploaded.date() != newest):
        page = model.pages["/profil"]
        moment = dt.datetime.combine(newest, dt.time(10, 0), WIB)
        model.pages["/profil"] = StaticPage(page.path, page.title, page.paragraphs, moment)
    model.html_paths = _html_paths(model, paths)
    return model


_REQUIRED = ["/", "/profil", "/kontak", "/berita", "/dokumen", "/ppid"]
_OPTIONAL = ["/profil/visi-misi", "/ppid/informasi-berkala", "/ppid/informasi-serta-merta",
             "/ppid/informasi-setiap-saat", "/profil/struktur-organisasi", "/profil/tugas-dan-fungsi",
             "/agenda", "/layanan"]


def _inventory(spec: SiteSpec) -> tuple[list[str], int]:
    """The fixed page paths and the news count so that the site has exactly ``pages`` pages."""
    required = list(_REQUIRED) + (["/perangkat-daerah"] if spec.role == "portal" else [])
    extra = feature_markup.extra_paths(spec)  # placed last so the other pages' dates keep their draws
    budget = spec.pages - len(required) - len(extra)
    n_news = min(spec.news, budget)
    while n_news and n_news + max(0, math.ceil(n_news / NEWS_PER_LIST_PAGE) - 1) > budget:
        n_news -= 1
    remaining = budget - n_news - max(0, math.ceil(n_news / NEWS_PER_LIST_PAGE) - 1)
    paths = required + _OPTIONAL[:remaining]
    remaining -= len(_OPTIONAL[:remaining])
    for i in range(remaining):
        name = _LAYANAN[i] if i < len(_LAYANAN) else f"Informasi Layanan {i + 1}"
        paths.append(f"/layanan/{slugify(name)}")
    return paths + extra, n_news


def _html_paths(model: SiteModel, paths: list[str]) -> list[str]:
    out = list(paths)
    out += [f"/berita?page={n}" for n in range(2, model.list_pages + 1)]
    out += [item.path for item in model.news]
    return out


def _make_news(world: World, spec: SiteSpec, model: SiteModel, count: int) -> list[NewsItem]:
    rng = world.rng(spec.host, "news")
    region = spec.region
    topics = _TOPICS.get(spec.unit_short, []) + _GENERAL_TOPICS
    leaders = _leaders(region)
    unit = {"portal": _pemda_short(region), "ppid": "PPID " + region_short_name(region)}.get(
        spec.role, spec.unit_name)
    items: list[NewsItem] = []
    day = model.newest
    used: set[str] = set()
    for number in range(1, count + 1):
        if number > 1:
            day -= dt.timedelta(days=rng.randint(1, 12))
        topic = rng.choice(topics)
        pattern = rng.randrange(7)
        who = rng.choice([model.head_title, *leaders])
        year = day.year
        if pattern == 0:
            title = f"{who} Buka {rng.choice(_EVENTS)} {topic} Tahun {year}"
        elif pattern == 1:
            title = f"{unit} Gelar {rng.choice(_EVENTS)} {topic} bagi {rng.choice(_AUDIENCES)}"
        elif pattern == 2:
            title = f"{unit} Terima Kunjungan {rng.choice(_GUESTS)}"
        elif pattern == 3:
            title = f"{_pemda_short(region)} Raih {rng.choice(_AWARDS)} Tahun {year}"
        elif pattern == 4:
            title = f"{who} Pimpin Apel Pagi, Tekankan Pentingnya {topic}"
        elif pattern == 5:
            title = f"Monitoring {topic} di Kecamatan {rng.choice(_KECAMATAN)}"
        else:
            title = f"{rng.choice(_EVENTS)} {topic} Digelar di {rng.choice(_PLACES)} {unit}"
        slug = slugify(title)
        if slug in used:
            slug = f"{slug}-{number}"
        used.add(slug)
        published = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), WIB)
        # Edits happen the same day, so the modified date never runs past the newest date.
        modified = published + dt.timedelta(minutes=rng.choice([0, 0, 0, 15, 40, 90]))
        place = rng.choice(_PLACES)
        paragraphs = (
            f"{region.capital.upper()} – {who} menghadiri kegiatan {topic} yang berlangsung di "
            f"{place} pada {HARI[day.weekday()]} ({day.day}/{day.month}/{day.year}). Kegiatan ini diikuti "
            f"oleh {rng.choice(_AUDIENCES).lower()} dari seluruh wilayah {region.name}.",
            f"Dalam sambutannya, {who} menyampaikan bahwa {topic} merupakan bagian dari upaya "
            f"{_pemda_name(region)} untuk meningkatkan kualitas pelayanan kepada masyarakat.",
            "\"Kami berharap seluruh pihak dapat berkolaborasi agar program ini berjalan dengan baik "
            "dan memberikan manfaat yang nyata,\" ujarnya.",
            f"Sebanyak {rng.randint(25, 400)} peserta hadir dalam kegiatan tersebut. Kegiatan ditutup "
            f"dengan sesi tanya jawab dan penandatanganan komitmen bersama.",
        )
        post_id = 100 + (count - number) * 7 + rng.randint(0, 6)
        path = (f"/{day.year}/{day.month:02d}/{day.day:02d}/{slug}/" if spec.wordpress
                else f"/berita/{slug}")
        items.append(NewsItem(number, post_id, slug, title, rng.choice(["Berita", "Kegiatan", "Pengumuman"]),
                              rng.choice(["Admin", "Humas", f"Tim Redaksi {unit}", _person(rng)]),
                              published, modified, paragraphs, path))
    return items


# (title pattern, category, file pattern, how the fiscal year follows from the upload date)
_DOC_TEMPLATES_UNIT = [
    ("Rencana Strategis {unit} {y0}-{y1}", "setiap_saat", "Renstra_{y0}-{y1}.pdf", "period"),
    ("Laporan Kinerja Instansi Pemerintah (LKjIP) Tahun {y}", "berkala", "LKjIP_{y}.pdf", "previous"),
    ("Rencana Kerja (Renja) Tahun {y}", "berkala", "Renja_{y}.pdf", "next"),
    ("Dokumen Pelaksanaan Anggaran (DPA) Tahun Anggaran {y}", "berkala", "DPA_{y}.pdf", "current"),
    ("Perjanjian Kinerja Tahun {y}", "berkala", "Perjanjian_Kinerja_{y}.pdf", "current"),
    ("Daftar Informasi Publik Tahun {y}", "setiap_saat", "DIP_{y}.pdf", "current"),
    ("Laporan Realisasi Anggaran Semester I Tahun {y}", "berkala", "LRA_Semester_I_{y}.pdf", "current"),
    ("SOP Pelayanan Informasi Publik", "setiap_saat", "SOP_Pelayanan_Informasi_{y}.pdf", "current"),
    ("Maklumat Pelayanan", "setiap_saat", "Maklumat_Pelayanan_{y}.pdf", "current"),
    ("Prosedur Peringatan Dini dan Evakuasi Keadaan Darurat", "serta_merta", "Prosedur_Evakuasi_{y}.pdf",
     "current"),
    ("Laporan Layanan Informasi Publik Tahun {y}", "berkala", "Laporan_Layanan_Informasi_{y}.pdf", "previous"),
]
_DOC_TEMPLATES_PEMDA = [
    ("APBD Tahun Anggaran {y}", "berkala", "APBD_{y}.pdf", "budget"),
    ("KUA-PPAS Tahun Anggaran {y}", "berkala", "KUA-PPAS_{y}.pdf", "next"),
    ("Rencana Kerja Pemerintah Daerah (RKPD) Tahun {y}", "berkala", "RKPD_{y}.pdf", "next"),
    ("Laporan Keuangan Pemerintah Daerah (LKPD) Tahun {y} Audited", "berkala", "LKPD_{y}_Audited.pdf", "previous"),
    ("Laporan Penyelenggaraan Pemerintahan Daerah (LPPD) Tahun {y}", "berkala", "LPPD_{y}.pdf", "previous"),
    ("Peringatan Dini Cuaca Ekstrem dan Karhutla", "serta_merta", "Peringatan_Dini_Karhutla_{y}.pdf", "current"),
]


def _fiscal_year(rule: str, uploaded: dt.date) -> int:
    if rule == "previous":
        return uploaded.year - 1
    if rule == "next":
        return uploaded.year + 1
    if rule == "budget":  # an APBD is passed in December for the coming year
        return uploaded.year + 1 if uploaded.month == 12 else uploaded.year
    return uploaded.year


def _make_documents(world: World, spec: SiteSpec, model: SiteModel) -> list[DocumentItem]:
    rng = world.rng(spec.host, "documents")
    author = unit_full_name(spec) if spec.role != "portal" else f"Sekretariat Daerah {spec.region.name}"
    templates = list(_DOC_TEMPLATES_UNIT)
    if spec.role in ("portal", "ppid"):
        templates = _DOC_TEMPLATES_PEMDA + templates
    rng.shuffle(templates)
    specs: list[tuple[str, str, int, str, dt.date]] = []
    newest = model.newest
    if isinstance(spec.documents, int):
        day = newest - dt.timedelta(days=rng.randint(0, 3))
        if spec.dates_only_in_pdfs:
            day = newest  # the newest PDF is what dates such a site
        for i in range(spec.documents):
            if i:
                day -= dt.timedelta(days=rng.randint(10, 90))
            title_t, category, file_t, rule = templates[i % len(templates)]
            y = _fiscal_year(rule, day)
            y0 = 2021 + ((day.year - 2022) // 5) * 5  # five-year plans aligned with the 2021-2026 RPJMD
            values = {"y": y, "y0": y0, "y1": y0 + 5, "unit": spec.unit_name if spec.role == "opd" else
                      spec.region.name}
            specs.append((title_t.format(**values), category, y, file_t.format(**values), day))
    else:
        for doc in spec.documents:
            day = newest - dt.timedelta(days=rng.randint(0, 120))
            if doc.days_ago is not None:
                day = min(world.today - dt.timedelta(days=doc.days_ago), newest)
            specs.append((doc.title, doc.category, doc.year, doc.file, day))

    docs: list[DocumentItem] = []
    files: set[str] = set()
    for title, category, year, file, day in specs:
        if file in files:
            stem = file[:-4]
            n = 2
            while f"{stem}_{n}.pdf" in files:
                n += 1
            file = f"{stem}_{n}.pdf"
        files.add(file)
        uploaded = dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)), WIB)
        created = uploaded - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
        modified = uploaded - dt.timedelta(hours=rng.randint(1, 6))
        path = (f"/wp-content/uploads/{day.year}/{day.month:02d}/{file}" if spec.wordpress
                else f"/files/dokumen/{file}")
        paragraphs = (
            f"{author.upper()}",
            f"Dokumen ini memuat {title} yang disusun sebagai bentuk akuntabilitas dan keterbukaan "
            f"informasi publik sesuai Undang-Undang Nomor 14 Tahun 2008.",
            f"Ditetapkan di {spec.region.capital} pada tanggal {created.day} {BULAN[created.month - 1]} "
            f"{created.year}.",
            "BAB I PENDAHULUAN",
            "Latar belakang, maksud dan tujuan, landasan hukum, serta sistematika penyusunan dokumen.",
            "BAB II GAMBARAN UMUM",
            f"Tugas pokok, fungsi dan struktur organisasi {author}.",
        )
        docs.append(DocumentItem(title, category, year, file, path, uploaded, created, modified, author,
                                 paragraphs))
    docs.sort(key=lambda d: d.uploaded, reverse=True)
    return docs


def _make_static_pages(world: World, spec: SiteSpec, model: SiteModel, paths: list[str]) -> dict[str, StaticPage]:
    rng = world.rng(spec.host, "pages")
    full = unit_full_name(spec)
    region = spec.region

    def when() -> dt.datetime:
        day = model.newest - dt.timedelta(days=rng.randint(20, 700))
        return dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), WIB)

    texts: dict[str, tuple[str, tuple[str, ...]]] = {
        "/profil": ("Profil", (
            f"{full} dibentuk berdasarkan Peraturan Daerah Nomor {rng.randint(1, 15)} Tahun "
            f"{rng.choice([2016, 2019, 2021])} tentang Pembentukan dan Susunan Perangkat Daerah.",
            f"{full} berkedudukan di {region.capital} dan dipimpin oleh {model.head_title} yang berada di bawah "
            f"dan bertanggung jawab kepada {_leaders(region)[0]} melalui Sekretaris Daerah.",
        )),
        "/profil/visi-misi": ("Visi dan Misi", (
            f"Visi: \"Terwujudnya {region.name} yang Maju, Sejahtera, Berbudaya dan Berdaya Saing\".",
            "Misi: 1. Meningkatkan kualitas sumber daya manusia; 2. Mewujudkan tata kelola pemerintahan yang "
            "bersih dan melayani; 3. Meningkatkan pembangunan infrastruktur yang merata; 4. Mendorong "
            "pertumbuhan ekonomi kerakyatan.",
        )),
        "/profil/struktur-organisasi": ("Struktur Organisasi", tuple(
            f"{role}: {_person(rng)}" for role in
            (model.head_title, "Sekretaris", "Kepala Bidang Pelayanan", "Kepala Bidang Program",
             "Kepala Sub Bagian Umum dan Kepegawaian", "Kepala Sub Bagian Keuangan")
        )),
        "/profil/tugas-dan-fungsi": ("Tugas dan Fungsi", (
            f"{full} mempunyai tugas membantu {_leaders(region)[0]} melaksanakan urusan pemerintahan yang "
            "menjadi kewenangan daerah dan tugas pembantuan.",
            "Fungsi: perumusan kebijakan teknis; pelaksanaan kebijakan; evaluasi dan pelaporan; "
            "pelaksanaan administrasi dinas; dan fungsi lain yang diberikan oleh pimpinan.",
        )),
        "/kontak": ("Kontak", (f"Alamat: {model.address}",)),
        "/dokumen": ("Dokumen Publik", ("Daftar dokumen yang dapat diunduh oleh masyarakat.",)),
        "/ppid": ("PPID", (
            f"Pejabat Pengelola Informasi dan Dokumentasi (PPID) {region.name if spec.role == 'ppid' else full} "
            "bertugas memberikan pelayanan "
            "informasi publik sesuai Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik.",
        )),
        "/ppid/informasi-berkala": ("Informasi Berkala", (
            "Informasi yang wajib disediakan dan diumumkan secara berkala, sekurang-kurangnya setiap enam bulan.",)),
        "/ppid/informasi-serta-merta": ("Informasi Serta Merta", (
            "Informasi yang dapat mengancam hajat hidup orang banyak dan ketertiban umum.",)),
        "/ppid/informasi-setiap-saat": ("Informasi Setiap Saat", (
            "Informasi yang wajib tersedia setiap saat dan dapat diminta oleh pemohon informasi publik.",)),
        "/agenda": ("Agenda Kegiatan", ("Jadwal kegiatan pimpinan dan perangkat daerah.",)),
        "/layanan": ("Layanan", ("Informasi layanan publik yang tersedia.",)),
        "/perangkat-daerah": ("Perangkat Daerah", (f"Daftar perangkat daerah di lingkungan {_pemda_name(region)}.",)),
    }
    pages: dict[str, StaticPage] = {}
    for path in paths:
        if path == "/" or path == "/berita":
            continue
        if path in texts:
            title, paragraphs = texts[path]
        else:
            name = title = _layanan_title(path)
            paragraphs = (
                f"{name} pada {full} disusun untuk memberikan kepastian kepada masyarakat pengguna layanan.",
                "Informasi lebih lanjut dapat diperoleh melalui loket pelayanan pada hari kerja pukul "
                "08.00 - 15.00 WIB.",
            )
        pages[path] = StaticPage(path, title, paragraphs, when())
    return pages


def _layanan_title(path: str) -> str:
    slug = path.rsplit("/", 1)[-1]
    for name in _LAYANAN:
        if slugify(name) == slug:
            return name
    return slug.replace("-", " ").title()


# --- HTML ---------------------------------------------------------------------------------


@dataclass
class PageParts:
    title: str
    body: str
    head: str = ""
    breadcrumb: bool = True


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _img(model: SiteModel, src: str, alt: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    if "img_no_alt" in model.spec.a11y_defects:
        return f'<img src="{_attr(src)}"{cls}>'
    return f'<img src="{_attr(src)}" alt="{_attr(alt)}"{cls}>'


def _icon_link(model: SiteModel, href: str, icon: str, label: str) -> str:
    if "empty_link" in model.spec.a11y_defects:
        return f'<a href="{_attr(href)}" class="ikon"><i class="fa fa-{icon}"></i></a>'
    return f'<a href="{_attr(href)}" class="ikon" aria-label="{_attr(label)}"><i class="fa fa-{icon}"></i></a>'


def _email_html(model: SiteModel) -> str:
    if feature_markup.email_html(model):
        return feature_markup.email_html(model)
    if model.spec.email_style == "obfuscated":
        user, domain = model.email.split("@", 1)
        return f"<span class=\"email\">{escape(user)} [at] {escape(domain)}</span>"
    return f'<a href="mailto:{_attr(model.email)}">{escape(model.email)}</a>'


def _date_html(model: SiteModel, moment: dt.datetime) -> str:
    if model.spec.dates_only_in_pdfs:
        return ""
    return f'<span class="tanggal">{escape(format_tanggal(moment.date(), model.spec.date_style))}</span>'


def _nav(model: SiteModel) -> str:
    have = set(model.html_paths)

    def item(path: str, label: str, children: list[tuple[str, str]] = ()) -> str:
        subs = [f'<li><a href="{p}">{escape(lbl)}</a></li>' for p, lbl in children if p in have]
        sub = f'<ul class="sub-menu">{"".join(subs)}</ul>' if subs else ""
        return f'<li><a href="{path}">{escape(label)}</a>{sub}</li>'

    layanan = [(p, model.pages[p].title) for p in model.html_paths if p.startswith("/layanan/")]
    entries = [
        item("/", "Beranda"),
        item("/profil", "Profil", [("/profil/visi-misi", "Visi dan Misi"),
                                   ("/profil/struktur-organisasi", "Struktur Organisasi"),
                                   ("/profil/tugas-dan-fungsi", "Tugas dan Fungsi")]),
        item("/berita", "Berita"),
        item("/ppid", "PPID", [(p, CATEGORY_LABEL[c]) for c, p in CATEGORY_PATH.items()]),
        item("/dokumen", "Dokumen"),
    ]
    if "/perangkat-daerah" in have:
        entries.append(item("/perangkat-daerah", "Perangkat Daerah"))
    if "/agenda" in have:
        entries.append(item("/agenda", "Agenda"))
    if "/layanan" in have:
        entries.append(item("/layanan", "Layanan", layanan))
    entries += feature_markup.nav_entries(have)
    entries.append(item("/kontak", "Kontak"))
    return '<nav class="menu-utama"><ul>' + "".join(entries) + "</ul></nav>"


def _search_form(model: SiteModel) -> str:
    if "unlabeled_form" in model.spec.a11y_defects:
        field_html = '<input type="text" name="q" placeholder="Cari...">'
    else:
        field_html = '<label for="cari-q">Cari</label><input type="text" id="cari-q" name="q" placeholder="Cari...">'
    return f'<form class="pencarian" action="/cari" method="get">{field_html}{a11y.search_button(model.spec)}</form>'


def _links_block(model: SiteModel, links: Links) -> str:
    spec = model.spec
    region = spec.region
    items: list[str] = []
    for other_role, label in (("portal", f"Portal {_pemda_name(region)}"), ("ppid", f"PPID {region.name}")):
        if spec.role == other_role:
            continue
        host = links.role_hosts.get((region.code, other_role))
        if host:
            items.append(f'<li><a href="{_attr(links.base(host))}">{escape(label)}</a></li>')
    if spec.has("lapor"):
        items.append('<li><a href="https://www.lapor.go.id/" class="banner-lapor">SP4N-LAPOR! Layanan Aspirasi '
                     'dan Pengaduan Online Rakyat</a></li>')
    if spec.has("lpse"):
        items.append(f'<li><a href="https://lpse.{region.domain}/eproc4">LPSE {escape(region.name)}</a></li>')
    if spec.has("perizinan"):
        items.append('<li><a href="https://oss.go.id/">Perizinan Berusaha (OSS)</a></li>')
        items.append(f'<li><a href="https://sicantik.go.id/">Perizinan Online SiCantik {escape(region.name)}</a></li>')
    items += feature_markup.link_items(model, links)
    if not items:
        return ""
    return '<div class="widget tautan"><h3>Tautan</h3><ul>' + "".join(items) + "</ul></div>"


def _sidebar(model: SiteModel, links: Links) -> str:
    parts = ['<aside class="sidebar">']
    if model.news:
        parts.append('<div class="widget berita-terbaru"><h3>Berita Terbaru</h3><ul>')
        for item in model.news[:5]:
            parts.append(f'<li><a href="{_attr(item.path)}">{escape(item.title)}</a> {_date_html(model, item.published)}</li>')
        parts.append("</ul></div>")
    if model.spec.calendar_trap:
        month = model.today.strftime("%Y-%m")
        parts.append(f'<div class="widget kalender"><h3>Kalender Kegiatan</h3>'
                     f'<a href="/agenda/kalender?bulan={month}">Lihat kalender</a></div>')
    parts.append(_links_block(model, links))
    parts.append(feature_markup.sidebar_extras(model))
    visitors_today, visitors_total = model.visitors
    parts.append(f'<div class="widget statistik"><h3>Statistik Pengunjung</h3><p>Hari ini: {visitors_today}'
                 f'<br>Total: {visitors_total:,}</p></div>'.replace(",", "."))
    parts.append("</aside>")
    return "".join(parts)


def _footer(model: SiteModel) -> str:
    spec = model.spec
    if feature_markup.builder(model):
        return feature_markup.builder_footer(model)
    year = spec.footer_copyright_year or model.newest.year
    lines = [f"<p>{escape(model.title)}</p>", f"<p>{escape(model.address)}</p>"]
    if spec.has("phone"):
        tel = re.sub(r"\D", "", model.phone)
        lines.append(f'<p>Telepon: <a href="tel:{tel}">{escape(model.phone)}</a></p>')
    if spec.has("email"):
        lines.append(f"<p>Email: {_email_html(model)}</p>")
    if spec.has("whatsapp"):
        lines.append(f'<p>WhatsApp: <a href="https://wa.me/62{model.whatsapp[1:]}">{model.whatsapp[:4]}-'
                     f"{model.whatsapp[4:8]}-{model.whatsapp[8:]}</a></p>")
    if spec.has("social"):
        handle = spec.host.split(".")[0] + spec.region.domain.split(".")[0]
        lines.append('<p class="sosmed">'
                     + _icon_link(model, f"https://www.facebook.com/{handle}", "facebook", "Facebook")
                     + _icon_link(model, f"https://www.instagram.com/{handle}", "instagram", "Instagram")
                     + _icon_link(model, f"https://www.youtube.com/@{handle}", "youtube", "YouTube")
                     + _icon_link(model, f"https://x.com/{handle}", "twitter", "X (Twitter)")
                     + "</p>")
    lines += feature_markup.footer_lines(model)
    for path in spec.robots_disallow:
        label = path.strip("/").replace("/", " ").replace("-", " ").title() or "Internal"
        lines.append(f'<p class="internal"><a href="{_attr(path)}">{escape(label)}</a></p>')
    lines.append(f"<p>&copy; {year} {escape(unit_full_name(spec))}. Hak Cipta Dilindungi.</p>")
    lines.append(_icon_link(model, "#atas", "chevron-up", "Kembali ke atas"))
    return '<footer class="site-footer">' + "".join(lines) + "</footer>"


def render_html(model: SiteModel, links: Links, parts: PageParts) -> bytes:
    spec = model.spec
    lang = a11y.html_lang_attribute(spec)
    title = "" if "missing_title" in spec.a11y_defects else \
        f"<title>{escape(parts.title)} | {escape(model.title)}</title>"
    head = [
        '<meta charset="utf-8">',
        a11y.viewport_meta(spec),
        title,
        f'<meta name="description" content="{_attr(model.title)} - {_attr(model.tagline)}">',
        '<link rel="stylesheet" href="/assets/css/style.css">',
        a11y.head_style(spec),
    ]
    if model.wordpress:
        head.append('<meta name="generator" content="WordPress 6.6.2">')
        head.append(f'<link rel="https://api.w.org/" href="{_attr(links.absolute(spec.host, "/wp-json/"))}">')
        head.append(f'<link rel="alternate" type="application/rss+xml" title="{_attr(model.title)} &raquo; Feed" '
                    f'href="{_attr(links.absolute(spec.host, "/feed/"))}">')
    elif not spec.dates_only_in_pdfs:
        head.append(f'<link rel="alternate" type="application/rss+xml" title="RSS {_attr(model.title)}" '
                    f'href="/rss.xml">')
    head.append(parts.head)
    widget = ""
    if spec.today_widget:
        widget = f'<span class="tanggal-hari-ini">{escape(tanggal_panjang(model.today))}</span>'
    contact_bits = []
    if spec.has("phone"):
        contact_bits.append(f'<span class="telepon">{escape(model.phone)}</span>')
    if spec.has("email"):
        contact_bits.append(_email_html(model))
    body = [
        f'<div class="topbar" id="atas">{widget}{"".join(contact_bits)}</div>',
        '<header class="site-header">',
        f'<a href="/" class="logo">{_img(model, "/assets/img/logo.png", "Logo " + unit_full_name(spec))}</a>',
        f'<div class="brand"><p class="site-title">{escape(model.title)}</p>'
        f'<p class="tagline">{escape(model.tagline)}</p></div>',
        _search_form(model),
        "</header>",
        _nav(model),
        '<div class="container"><main class="konten">',
        f"<h1>{escape(parts.title)}</h1>" if parts.breadcrumb else "",
        parts.body,
        "</main>",
        _sidebar(model, links),
        "</div>",
        _footer(model),
        feature_markup.body_end(model),
    ]
    html = ("<!DOCTYPE html>\n"
            f"<html{lang}>\n<head>\n" + "\n".join(h for h in head if h) + "\n</head>\n<body>\n"
            + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")
    return html.encode("utf-8")


def _news_list_items(model: SiteModel, items: list[NewsItem]) -> str:
    out = ['<ul class="daftar-berita">']
    for item in items:
        image = _img(model, f"/assets/img/berita/{item.post_id}.jpg", item.title, "thumb")
        lead = item.paragraphs[0][:160].rsplit(" ", 1)[0] + "..."
        out.append(f'<li class="berita">{image}<h3><a href="{_attr(item.path)}">{escape(item.title)}</a></h3>'
                   f'<p class="meta">{_date_html(model, item.published)} &middot; {escape(item.author)}</p>'
                   f"<p>{escape(lead)}</p></li>")
    out.append("</ul>")
    return "".join(out)


def page_home(model: SiteModel, links: Links) -> PageParts:
    spec = model.spec
    body = [f'<section class="sambutan"><h2>Selamat Datang di {escape(model.title)}</h2>'
            f"<p>{escape(model.pages['/profil'].paragraphs[0])}</p></section>"]
    if spec.role == "ppid":
        body.append('<section class="kategori-informasi"><h2>Informasi Publik</h2><ul>')
        for category, path in CATEGORY_PATH.items():
            body.append(f'<li><a href="{path}">{CATEGORY_LABEL[category]}</a></li>')
        body.append("</ul></section>")
    if model.news:
        body.append('<section class="berita-terkini"><h2>Berita Terkini</h2>')
        body.append(_news_list_items(model, model.news[:5]))
        body.append('<p><a href="/berita">Indeks Berita</a></p></section>')
    if model.documents:
        body.append('<section class="dokumen-terbaru"><h2>Dokumen Terbaru</h2><ul>')
        for doc in model.documents[:3]:
            body.append(f'<li><a href="{_attr(doc.path)}">{escape(doc.title)}</a></li>')
        body.append('</ul><p><a href="/dokumen">Semua dokumen</a></p></section>')
    body.insert(0, a11y.announcement(model))
    body.append(a11y.home_widgets(model))
    return PageParts(title="Beranda", body="".join(body), breadcrumb=False)


def page_news_list(model: SiteModel, page: int) -> PageParts:
    start = (page - 1) * NEWS_PER_LIST_PAGE
    items = model.news[start:start + NEWS_PER_LIST_PAGE]
    body = [_news_list_items(model, items) if items else "<p>Belum ada berita.</p>", '<div class="paginasi">']
    if page > 1:
        prev = "/berita" if page == 2 else f"/berita?page={page - 1}"
        body.append(f'<a href="{prev}" rel="prev">&laquo; Sebelumnya</a> ')
    if page < model.list_pages:
        body.append(f'<a href="/berita?page={page + 1}" rel="next">Berikutnya &raquo;</a>')
    body.append("</div>")
    if page == 1:
        body.insert(0, a11y.announcement(model))
    title = "Berita" if page == 1 else f"Berita - Halaman {page}"
    return PageParts(title=title, body="".join(body))


def page_article(model: SiteModel, item: NewsItem) -> PageParts:
    idx = item.number - 1
    related = [n for n in model.news if n is not item]
    related = (related[idx:] + related[:idx])[:3]
    published_iso = item.published.isoformat()
    head = (f'<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{_attr(item.title)}">\n'
            f'<meta property="article:published_time" content="{published_iso}">\n'
            f'<meta property="article:modified_time" content="{item.modified.isoformat()}">')
    if model.wordpress:
        head += f'\n<link rel="shortlink" href="/?p={item.post_id}">'
    meta = (f'<p class="meta">{escape(tanggal_panjang(item.published.date()))} '
            f'{item.published.strftime("%H:%M")} WIB &middot; Oleh {escape(item.author)} &middot; '
            f'{escape(item.category)}</p>')
    if item.modified != item.published:
        meta += (f'<p class="diperbarui">Diperbarui: {item.modified.day} {BULAN[item.modified.month - 1]} '
                 f'{item.modified.year} {item.modified.strftime("%H:%M")} WIB</p>')
    body = [f'<article class="berita-detail">{meta}', a11y.share_block(model, "atas", _icon_link),
            _img(model, f"/assets/img/berita/{item.post_id}.jpg", item.title, "gambar-utama")]
    body += [f"<p>{escape(p)}</p>" for p in item.paragraphs]
    body.append(a11y.share_block(model, "bawah", _icon_link))
    body.append("</article>")
    body += feature_markup.article_extras(model, item)
    nav = ['<div class="navigasi-berita">']
    if idx + 1 < len(model.news):
        older = model.news[idx + 1]
        nav.append(f'<a href="{_attr(older.path)}" rel="prev">&laquo; {escape(older.title)}</a> ')
    if idx > 0:
        newer = model.news[idx - 1]
        nav.append(f'<a href="{_attr(newer.path)}" rel="next">{escape(newer.title)} &raquo;</a>')
    nav.append("</div>")
    body += nav
    if related:
        body.append('<div class="berita-terkait"><h3>Berita Terkait</h3><ul>')
        body += [f'<li><a href="{_attr(n.path)}">{escape(n.title)}</a></li>' for n in related]
        body.append("</ul></div>")
    return PageParts(title=item.title, body="".join(body), head=head)


def _document_table(model: SiteModel, docs: list[DocumentItem]) -> str:
    if not docs:
        return "<p>Belum ada dokumen.</p>"
    rows = ['<table class="tabel-dokumen"><thead><tr><th>No</th><th>Judul Dokumen</th><th>Kategori</th>'
            "<th>Tahun</th><th>Diunggah</th><th>Unduh</th></tr></thead><tbody>"]
    for n, doc in enumerate(docs, 1):
        rows.append(f"<tr><td>{n}</td><td>{escape(doc.title)}</td><td>{CATEGORY_LABEL[doc.category]}</td>"
                    f"<td>{doc.year}</td><td>{_date_html(model, doc.uploaded)}</td>"
                    f'<td><a href="{_attr(doc.path)}">{escape(doc.file)}</a></td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


def page_static(model: SiteModel, links: Links, page: StaticPage) -> PageParts:
    spec = model.spec
    body = [f"<p>{escape(p)}</p>" for p in page.paragraphs]
    path = page.path
    if path == "/profil/struktur-organisasi":
        body.insert(0, _img(model, "/assets/img/bagan-struktur.png", "Bagan struktur organisasi"))
    elif path == "/kontak":
        if spec.has("phone"):
            body.append(f"<p>Telepon: {escape(model.phone)}</p>")
        if spec.has("email"):
            body.append(f"<p>Email: {_email_html(model)}</p>")
        if spec.has("whatsapp"):
            body.append(f'<p>WhatsApp: <a href="https://wa.me/62{model.whatsapp[1:]}">{model.whatsapp}</a></p>')
        body.append("<p>Jam pelayanan: Senin - Kamis 08.00 - 16.00 WIB, Jumat 08.00 - 16.30 WIB.</p>")
        if spec.has("feedback_form"):
            if "unlabeled_form" in spec.a11y_defects:
                fields = ('<input type="text" name="nama" placeholder="Nama">'
                          '<input type="email" name="email" placeholder="Email">'
                          '<textarea name="pesan" placeholder="Pesan"></textarea>')
            else:
                fields = ('<label for="f-nama">Nama</label><input type="text" id="f-nama" name="nama">'
                          '<label for="f-email">Email</label><input type="email" id="f-email" name="email">'
                          '<label for="f-pesan">Pesan / Pengaduan</label><textarea id="f-pesan" name="pesan">'
                          "</textarea>")
            body.append('<h2>Kirim Pesan</h2><form class="form-kontak" action="/kontak/kirim" method="post">'
                        f'{fields}<button type="submit">Kirim</button></form>')
    elif path == "/dokumen":
        body.append(_document_table(model, model.documents))
    elif path == "/ppid":
        body.append("<ul>")
        for category, cpath in CATEGORY_PATH.items():
            count = sum(1 for d in model.documents if d.category == category)
            target = cpath if cpath in model.pages else "/dokumen"
            body.append(f'<li><a href="{target}">{CATEGORY_LABEL[category]}</a> ({count} dokumen)</li>')
        body.append("</ul>")
        if spec.role == "ppid":
            body.append(_ppid_pelaksana(model, links))
    elif path in CATEGORY_PATH.values():
        category = next(c for c, p in CATEGORY_PATH.items() if p == path)
        body.append(_document_table(model, [d for d in model.documents if d.category == category]))
    elif path == "/agenda":
        body.append(_agenda_list(model))
    elif path == "/layanan":
        body.append("<ul>")
        for p in model.html_paths:
            if p.startswith("/layanan/"):
                body.append(f'<li><a href="{p}">{escape(model.pages[p].title)}</a></li>')
        body.append("</ul>")
    elif path == "/perangkat-daerah":
        body.append(_opd_directory(model, links))
    body += feature_markup.page_extras(model, links, path)
    body.append(a11y.static_page_widgets(model, path))
    modified = page.modified
    if not model.spec.dates_only_in_pdfs:
        body.append(f'<p class="diperbarui">Terakhir diperbarui: {_date_html(model, modified)}</p>')
    return PageParts(title=page.title, body="".join(body))


def _opd_directory(model: SiteModel, links: Links) -> str:
    region = model.spec.region
    out = ['<ul class="daftar-opd">']
    for host, name in links.region_units.get(region.code, []):
        out.append(f'<li><a href="{_attr(links.base(host))}">{escape(name)}</a></li>')
    out.append("</ul>")
    children = links.child_portals.get(region.code, [])
    if children:
        out.append('<h2>Kabupaten/Kota</h2><ul class="daftar-kabkota">')
        out += [f'<li><a href="{_attr(links.base(host))}">{escape(name)}</a></li>' for host, name in children]
        out.append("</ul>")
    return "".join(out)


def _ppid_pelaksana(model: SiteModel, links: Links) -> str:
    out = ["<h2>PPID Pelaksana</h2><ul>"]
    for host, name in links.region_units.get(model.spec.region.code, []):
        out.append(f'<li><a href="{_attr(links.absolute(host, "/ppid"))}">PPID {escape(name)}</a></li>')
    out.append("</ul>")
    return "".join(out)


def _agenda_list(model: SiteModel) -> str:
    rng_base = sum(ord(c) for c in model.spec.host)
    out = ['<ul class="agenda">']
    for i in range(4):
        day = model.newest + dt.timedelta(days=3 + i * 5 + rng_base % 3)
        out.append(f"<li>{_date_html(model, dt.datetime.combine(day, dt.time(9), WIB))} - "
                   f"{escape(_EVENTS[(rng_base + i) % len(_EVENTS)])} {escape(_GENERAL_TOPICS[(rng_base + i) % 7])}</li>")
    out.append("</ul>")
    if model.spec.calendar_trap:
        out.append(f'<p><a href="/agenda/kalender?bulan={model.today.strftime("%Y-%m")}">Kalender kegiatan</a></p>')
    return "".join(out)


def page_calendar(model: SiteModel, year: int, month: int) -> PageParts:
    """One month of the endless agenda calendar: every month links to the next and previous."""
    prev_y, prev_m = (year - 1, 12) if month == 1 else (year, month - 1)
    next_y, next_m = (year + 1, 1) if month == 12 else (year, month + 1)
    first = dt.date(year, month, 1)
    days = (dt.date(next_y, next_m, 1) - first).days
    cells = []
    for d in range(1, days + 1):
        mark = " ada-kegiatan" if (d * 7 + month) % 9 == 0 else ""
        cells.append(f'<td class="hari{mark}">{d}</td>')
    rows = ["<tr>" + "".join(cells[i:i + 7]) + "</tr>" for i in range(0, len(cells), 7)]
    body = (f'<div class="kalender-nav"><a href="/agenda/kalender?bulan={prev_y:04d}-{prev_m:02d}">&laquo; '
            f'{BULAN[prev_m - 1]} {prev_y}</a> <strong>{BULAN[month - 1]} {year}</strong> '
            f'<a href="/agenda/kalender?bulan={next_y:04d}-{next_m:02d}">{BULAN[next_m - 1]} {next_y} &raquo;</a>'
            f'</div><table class="kalender">{"".join(rows)}</table>')
    return PageParts(title=f"Kalender Kegiatan {BULAN[month - 1]} {year}", body=body)


def page_not_found(model: SiteModel) -> PageParts:
    return PageParts(title="Halaman Tidak Ditemukan",
                     body='<p>Maaf, halaman yang Anda cari tidak ditemukan.</p><p><a href="/">Kembali ke Beranda</a></p>')


def page_internal(model: SiteModel, path: str) -> PageParts:
    return PageParts(title="Area Internal",
                     body=f'<p>Halaman internal {escape(path)}. Silakan masuk menggunakan akun pegawai.</p>'
                          '<form method="post" action="/admin/login"><label for="u">Nama pengguna</label>'
                          '<input id="u" name="u"><label for="p">Kata sandi</label>'
                          '<input id="p" name="p" type="password"><button>Masuk</button></form>')


def page_search(model: SiteModel, query: str) -> PageParts:
    q = query.lower().strip()
    hits = [n for n in model.news if q and q in n.title.lower()][:10]
    body = f"<p>Hasil pencarian untuk &quot;{escape(query)}&quot;: {len(hits)} berita.</p>"
    if hits:
        body += _news_list_items(model, hits)
    return PageParts(title="Pencarian", body=body)


PARKED_HTML = (
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{host}</title></head>\n"
    "<body><div class=\"parking\"><h1>{host}</h1><p>This domain may be for sale. Domain ini sedang tidak "
    "aktif.</p><p>Related searches: Pinjaman Online, Hosting Murah, Slot Online</p>"
    "<script src=\"/js/parking.js\"></script></div></body></html>\n"
)

# A hijacked home page: gambling spam ("judi online", judol) injected over a pemda site.
DEFACED_HTML = (
    "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
    "<title>SLOT GACOR HARI INI - Situs Slot Online Gampang Maxwin</title>"
    "<meta name=\"description\" content=\"Daftar situs slot gacor terpercaya, RTP live tertinggi hari ini.\">"
    "</head>\n<body><h1>SLOT GACOR MAXWIN &#8211; {host}</h1>"
    "<p>Link alternatif resmi: <a href=\"https://gacor-maxwin.example/daftar\">DAFTAR SEKARANG</a></p>"
    "<p>Bocoran RTP live, pola gacor dan jam hoki hari ini.</p></body></html>\n"
)


# --- machine-readable resources --------------------------------------------------------------


def render_robots(model: SiteModel, links: Links) -> bytes:
    lines = ["User-agent: *"]
    disallow = list(model.spec.robots_disallow)
    if model.wordpress:
        disallow = ["/wp-admin/", *disallow]
    lines += [f"Disallow: {p}" for p in disallow] or ["Disallow:"]
    if model.wordpress:
        lines.append("Allow: /wp-admin/admin-ajax.php")
    lines += ["", f"Sitemap: {links.absolute(model.spec.host, '/sitemap.xml')}", ""]
    return "\n".join(lines).encode()


def robots_disallowed(model: SiteModel) -> list[str]:
    return (["/wp-admin/"] if model.wordpress else []) + list(model.spec.robots_disallow)


def path_lastmod(model: SiteModel, path: str) -> dt.datetime:
    """When the page at ``path`` last changed: lists change with their newest entry."""
    item = model.news_by_path(path)
    if item:
        return item.modified
    if path == "/":
        return model.newest_moment
    if path == "/berita" or path.startswith("/berita?"):
        return model.news[0].modified if model.news else model.newest_moment
    page = model.pages[path]
    listed = [d.uploaded for d in model.documents if path in ("/dokumen", "/ppid", CATEGORY_PATH[d.category])]
    return max([page.modified, *listed])


def render_sitemap(model: SiteModel, links: Links) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in model.html_paths:
        if "?" in path:
            continue
        lastmod = path_lastmod(model, path)
        stamp = "" if model.spec.dates_only_in_pdfs else f"<lastmod>{lastmod.isoformat()}</lastmod>"
        out.append(f"<url><loc>{xml_escape(links.absolute(model.spec.host, path))}</loc>{stamp}</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode()


def render_feed(model: SiteModel, links: Links) -> bytes:
    host = model.spec.host
    feed_path = "/feed/" if model.wordpress else "/rss.xml"
    last = model.news[0].modified if model.news else model.newest_moment
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">', "<channel>",
           f"<title>{xml_escape(model.title)}</title>",
           f"<link>{xml_escape(links.base(host))}</link>",
           f'<atom:link href="{xml_escape(links.absolute(host, feed_path))}" rel="self" type="application/rss+xml"/>',
           f"<description>{xml_escape(model.tagline)}</description>",
           "<language>id</language>",
           f"<lastBuildDate>{format_datetime(last)}</lastBuildDate>"]
    for item in model.news[:10]:
        url = links.absolute(host, item.path)
        out += ["<item>", f"<title>{xml_escape(item.title)}</title>", f"<link>{xml_escape(url)}</link>",
                f'<guid isPermaLink="true">{xml_escape(url)}</guid>',
                f"<pubDate>{format_datetime(item.published)}</pubDate>",
                f"<category>{xml_escape(item.category)}</category>",
                f"<description>{xml_escape(item.paragraphs[0])}</description>", "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out).encode()


def _wp_time(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def wp_post(model: SiteModel, links: Links, item: NewsItem) -> dict:
    host = model.spec.host
    utc = dt.timezone.utc
    return {
        "id": item.post_id,
        "date": _wp_time(item.published),
        "date_gmt": _wp_time(item.published.astimezone(utc)),
        "guid": {"rendered": links.absolute(host, f"/?p={item.post_id}")},
        "modified": _wp_time(item.modified),
        "modified_gmt": _wp_time(item.modified.astimezone(utc)),
        "slug": item.slug,
        "status": "publish",
        "type": "post",
        "link": links.absolute(host, item.path),
        "title": {"rendered": escape(item.title)},
        "content": {"rendered": "".join(f"<p>{escape(p)}</p>\n" for p in item.paragraphs), "protected": False},
        "excerpt": {"rendered": f"<p>{escape(item.paragraphs[0][:150])} [&hellip;]</p>\n", "protected": False},
        "author": 1,
        "categories": [1],
        "tags": [],
    }


def render_wp_index(model: SiteModel, links: Links) -> bytes:
    data = {"name": model.title, "description": model.tagline, "url": links.base(model.spec.host).rstrip("/"),
            "home": links.base(model.spec.host).rstrip("/"), "gmt_offset": "7", "timezone_string": "Asia/Jakarta",
            "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"], "routes": {"/wp/v2/posts": {}}}
    return json.dumps(data, ensure_ascii=False).encode()


def render_pdf(doc: DocumentItem) -> bytes:
    return make_pdf(doc.title, list(doc.paragraphs), created=doc.created, modified=doc.modified,
                    author=doc.author, subject=CATEGORY_LABEL[doc.category])


def render_css() -> bytes:
    return (b"body{font-family:Arial,sans-serif;margin:0;color:#222}.topbar{background:#0b3d6b;color:#fff;"
            b"padding:4px 12px;font-size:12px}.menu-utama ul{list-style:none;display:flex;gap:12px}"
            b".container{display:flex;gap:24px;padding:12px}.konten{flex:3}.sidebar{flex:1}"
            b".site-footer{background:#eee;padding:12px;font-size:13px}\n")
