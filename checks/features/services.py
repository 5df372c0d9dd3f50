"""Electronic public services: links to or pages of LPSE, online licensing, population
administration, e-planning, e-budgeting, JDIH, open data, and online applications a citizen
logs in to or submits; plus single sign-on, the sign of integrated services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.features.base import Anchor, Clues, FeatureResult, Form, PageView, SiteView
from checks.features.forms import is_comment_form, is_login, is_search, posts_somewhere, short_label


@dataclass(frozen=True)
class Service:
    key: str
    name: str  # Indonesian, for reports
    audience: str  # G2C | G2B | G2G
    host_labels: tuple[str, ...]  # first label of the service host: lpse.jambiprov.go.id
    hosts: tuple[str, ...]  # national services, matched as the host or its parent domain
    paths: tuple[str, ...]  # first path segment: /jdih, /eproc4
    label: str  # regular expression over a short link label


SERVICES = (
    Service("lpse", "LPSE (pengadaan elektronik)", "G2B",
            ("lpse", "spse", "eproc", "e-proc", "eprocurement"), ("inaproc.id",), ("eproc", "eproc4", "spse"),
            r"\blpse\b|e-?procurement|\be-?proc\b|pengadaan (secara )?elektronik|\bspse\b"),
    Service("perizinan", "Perizinan daring (OSS, SiCantik)", "G2B",
            ("sicantik", "perizinan", "izin", "eperizinan", "e-perizinan", "oss"), ("oss.go.id", "sicantik.go.id"),
            ("perizinan-online", "eperizinan"),
            r"\boss\b|perizinan (online|daring|berusaha|elektronik)|izin (online|daring)|sicantik|e-?perizinan"),
    Service("siak", "Administrasi kependudukan daring (SIAK/Dukcapil)", "G2C",
            ("siak", "siakonline", "adminduk", "dukcapilonline"), (), ("siak",),
            r"\bsiak\b|(dukcapil|adminduk|kependudukan) (online|daring)|layanan (online|daring) (dukcapil|"
            r"kependudukan|adminduk)|e-?ktp online"),
    Service("larasita", "LARASITA (layanan pertanahan)", "G2C", ("larasita",), (), ("larasita",), r"\blarasita\b"),
    Service("e_planning", "e-Planning", "G2G",
            ("eplanning", "e-planning", "sipd", "emusrenbang", "e-musrenbang", "simrenda"), ("sipd.kemendagri.go.id",),
            ("eplanning", "e-planning"), r"e-?planning|\bsipd\b|e-?musrenbang"),
    Service("e_budgeting", "e-Budgeting", "G2G",
            ("ebudgeting", "e-budgeting", "simda", "sipkd"), (), ("ebudgeting", "e-budgeting"),
            r"e-?budgeting|\bsimda\b|\bsipkd\b"),
    Service("jdih", "JDIH (dokumentasi hukum)", "G2C", ("jdih",), ("jdihn.go.id",), ("jdih",),
            r"\bjdih\b|jaringan dokumentasi (dan )?informasi hukum"),
    Service("satu_data", "Satu Data / data terbuka", "G2C",
            ("data", "satudata", "opendata", "open-data"), ("data.go.id",), ("satudata", "opendata", "open-data"),
            r"satu data|open ?data|data terbuka|portal data"),
    Service("online_app", "Aplikasi layanan daring (formulir atau akun)", "G2C", (), (), (),
            r"(layanan|pelayanan|pendaftaran|permohonan|pengajuan|aplikasi) (online|daring)|\be-?layanan\b|"
            r"\be-?services?\b"),
)
SERVICE_BY_KEY = {s.key: s for s in SERVICES}
OWN_LABEL_WORDS = 4
ARTICLE_PATH = re.compile(r"^/(berita|news|artikel|article|post|read|baca|detail|kegiatan|pengumuman|agenda|"
                          r"galeri|blog)\b|^/\d{4}/\d{2}/", re.IGNORECASE)
_LABELS = {s.key: re.compile(s.label, re.IGNORECASE) for s in SERVICES}

STAFF_WORDS = re.compile(r"admin|administrator|pegawai|operator|\bstaf|staff|wp-login|wp-admin|cpanel|webmail|"
                         r"intranet|karyawan|internal", re.IGNORECASE)
CITIZEN_WORDS = re.compile(r"layanan|pelayanan|permohonan|pendaftaran|pengajuan|registrasi|daftar|pemohon|"
                           r"masyarakat|warga|perizinan|izin|akun|pengguna layanan|online|daring", re.IGNORECASE)
IDENTITY_FIELD = re.compile(r"\bnik\b|no[_ .-]?ktp|nomor induk kependudukan|no[_ .-]?kk|npwp|nib\b", re.IGNORECASE)
SSO_WORDS = re.compile(r"single sign[- ]?on|\bsso\b|satu akun|akun tunggal|one account", re.IGNORECASE)
SSO_HOST_LABELS = {"sso", "akun", "satuakun", "auth"}


def service_of(anchor: Anchor, site: SiteView) -> Service | None:
    """The service an anchor leads to, judged by its host, path, or a short label."""
    if anchor.scheme not in ("http", "https"):
        return None
    host = anchor.host
    first_label = host.split(".")[0] if host else ""
    first_segment = anchor.path.strip("/").split("/")[0].lower()
    for service in SERVICES:
        if first_label in service.host_labels and not site.is_own(host):
            return service
        if any(host == h or host.endswith("." + h) for h in service.hosts):
            return service
        if first_segment and first_segment in service.paths:
            return service
    if not short_label(anchor):
        return None
    own = site.is_own(host)
    # A link to the site's own news that mentions a service ("Monitoring OSS RBA di ...") is not one.
    if own and (len(anchor.label.split()) > OWN_LABEL_WORDS or ARTICLE_PATH.search(anchor.path)):
        return None
    for service in SERVICES:
        if not _LABELS[service.key].search(anchor.label):
            continue
        # An own page merely labelled "layanan online" is not proof; a form on it would be.
        if service.key == "online_app" and own:
            continue
        return service
    return None


def online_application(form: Form, view: PageView) -> str | None:
    """Why ``form`` is a citizen-facing online application (None when it is not one)."""
    if is_search(form) or is_comment_form(form) or not posts_somewhere(form):
        return None
    context = " ".join((form.words, view.title, view.url))
    if STAFF_WORDS.search(context):
        return None
    if is_login(form):
        return "login layanan" if CITIZEN_WORDS.search(context) else None
    identity = any(IDENTITY_FIELD.search(f.label) for f in form.fields)
    upload = bool(form.inputs("file"))
    if (identity or upload) and CITIZEN_WORDS.search(context):
        return "formulir permohonan"
    return None


def e_services(site) -> FeatureResult:
    """Electronic public services: a link to or page of a known service (LPSE, OSS/perizinan,
    SIAK, LARASITA, e-planning, e-budgeting, JDIH, Satu Data), or an online application with a
    citizen log-in or a submission form (with identity fields or uploads). One clue per service kind;
    the clue's value is the service key (see ``SERVICES``)."""
    site = SiteView.of(site)
    clues = Clues("e_services", limit=len(SERVICES))
    for a in site.anchors:
        service = service_of(a, site)
        if service:
            clues.add(a.page_url, f"{service.name}: {a.label or a.url} ({a.url})", service.key, "link")
    for view in site.pages:
        for form in view.forms:
            why = online_application(form, view)
            if why:
                clues.add(view.url, f"{SERVICE_BY_KEY['online_app'].name}: {why} — {form.snippet()}",
                          "online_app", "form")
    return clues.result()


def audiences(result: FeatureResult) -> set[str]:
    """G2C / G2B / G2G kinds covered by the services an ``e_services`` result found."""
    return {SERVICE_BY_KEY[c.value].audience for c in result.evidence if c.value in SERVICE_BY_KEY}


def integration(site) -> FeatureResult:
    """Integrated services: a single sign-on (one account for several services), by an SSO host,
    a link labelled single sign-on / satu akun, or a log-in form that says so."""
    site = SiteView.of(site)
    clues = Clues("integration")
    for a in site.anchors:
        if a.scheme not in ("http", "https"):
            continue
        if a.host.split(".")[0] in SSO_HOST_LABELS and not site.is_own(a.host):
            clues.add(a.page_url, a.snippet() or a.url, a.host, "link")
        elif short_label(a) and SSO_WORDS.search(a.label):
            clues.add(a.page_url, a.snippet(), a.url, "link")
    for view in site.pages:
        for form in view.forms:
            if is_login(form) and SSO_WORDS.search(form.words):
                clues.add(view.url, form.snippet(), form.action or view.url, "form")
    return clues.result()
