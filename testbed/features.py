"""Interaction features on testbed pages, their decoys, and which features each page really shows.

``testbed.content`` calls the ``*_extras`` functions below at fixed places of every page
(footer, sidebar, links block, article, static pages, end of body). What they render
depends on the site's ``features``, on ``markup`` (``classic`` themes, or ``builder``:
Elementor-style footers with icon lists, Cloudflare-protected emails, a floating WhatsApp
button, a Disqus thread) and on ``decoys``: markup that resembles a feature but is not
one (share buttons, a newsletter box, a fax and a bank account number, staff ID numbers,
a commented-out chat widget, text that only mentions surveys or e-services).

``page_truth`` says which detector features a given page shows, decided from the same
options, never by parsing the HTML: it is the label of the testbed's labelled page set.
"""

from __future__ import annotations

import random
from html import escape
from urllib.parse import quote

# Testbed features that put a link to an electronic service on every page, and where it goes.
SERVICE_LINKS = {
    "siak": ("siak", "SIAK Online Dukcapil"),
    "e_planning": ("eplanning", "e-Planning"),
    "e_budgeting": ("ebudgeting", "e-Budgeting"),
    "jdih": ("jdih", "JDIH"),
    "satu_data": ("data", "Portal Satu Data"),
}
LINKED_SERVICES = ("lpse", "perizinan", *SERVICE_LINKS)
CHAT_VENDORS = ("tawk.to", "Tidio", "Crisp", "LiveChat", "Facebook Messenger")
EXTRA_PATHS = {"complaint_page": "/pengaduan", "online_app": "/layanan-online"}
NAV_LABELS = {"/pengaduan": "Pengaduan", "/layanan-online": "Layanan Online"}


def _rng(model, aspect: str) -> random.Random:
    # A stream of its own, so these choices never shift the draws of the rest of the content.
    return random.Random(f"features:{model.spec.host}:{aspect}")


def _content():
    from testbed import content
    return content


def builder(model) -> bool:
    return getattr(model.spec, "markup", "classic") == "builder"


def decoys(model) -> bool:
    return bool(getattr(model.spec, "decoys", False))


def sms_number(model) -> str:
    rng = _rng(model, "sms")
    return f"0811{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"


def poll_variant(model) -> str:
    """How the site runs its survey: a poll widget form, a link to its SKM application, or an embedded form."""
    choices = ("widget", "embedded") if builder(model) else ("widget", "skm_link")
    return _rng(model, "poll").choice(choices)


def chat_vendor(model) -> str:
    return _rng(model, "chat").choice(CHAT_VENDORS)


def extra_paths(spec) -> list[str]:
    """Pages a feature needs of its own (counted in the site's page budget)."""
    return [path for feature, path in EXTRA_PATHS.items() if spec.has(feature)]


# --- pieces of markup ----------------------------------------------------------------------------


def cloudflare_email_html(model) -> str:
    """The address as Cloudflare's email protection rewrites it: XOR-encoded, shown as "[email protected]"."""
    key = _rng(model, "cfemail").randint(1, 255)
    encoded = f"{key:02x}" + "".join(f"{ord(ch) ^ key:02x}" for ch in model.email)
    return (f'<a href="/cdn-cgi/l/email-protection#{encoded}"><span class="__cf_email__" '
            f'data-cfemail="{encoded}">[email&#160;protected]</span></a>')


def email_html(model) -> str | None:
    """The email markup of builder sites; None leaves the classic markup in place."""
    return cloudflare_email_html(model) if builder(model) else None


def _wa_international(model) -> str:
    return "62" + model.whatsapp[1:]


def footer_lines(model) -> list[str]:
    """Lines the classic footer adds for the interaction features."""
    if model.spec.has("sms"):
        number = sms_number(model)
        return [f"<p>SMS Center: {number[:4]}-{number[4:8]}-{number[8:]}</p>"]
    return []


def builder_footer(model) -> str:
    """A page-builder footer: nested widget wrappers, an icon list, icon-only social buttons."""
    c = _content()
    spec = model.spec
    screen_only = "empty_link" not in spec.a11y_defects
    items = [f'<li class="elementor-icon-list-item"><span class="elementor-icon-list-icon">'
             f'<i class="fas fa-map-marker-alt"></i></span><span class="elementor-icon-list-text">'
             f"{escape(model.address)}</span></li>"]

    def icon_item(href: str, icon: str, text: str) -> str:
        return (f'<li class="elementor-icon-list-item"><a href="{c._attr(href)}"><span class="elementor-icon-list-icon">'
                f'<i class="fas fa-{icon}"></i></span><span class="elementor-icon-list-text">{text}</span></a></li>')

    if spec.has("phone"):
        items.append(icon_item("tel:+62" + model.phone.replace("(", "").replace(")", "").replace(" ", "")[1:],
                               "phone-alt", escape(model.phone)))
    if spec.has("email"):
        items.append('<li class="elementor-icon-list-item"><span class="elementor-icon-list-icon">'
                     '<i class="fas fa-envelope"></i></span><span class="elementor-icon-list-text">'
                     f"{cloudflare_email_html(model)}</span></li>")
    if spec.has("sms"):
        items.append(icon_item("sms:+62" + sms_number(model)[1:], "sms", "SMS Center"))
    widgets = [
        f'<div class="elementor-widget elementor-widget-heading"><div class="elementor-widget-container">'
        f'<h2 class="elementor-heading-title">{escape(model.title)}</h2></div></div>',
        '<div class="elementor-widget elementor-widget-icon-list"><div class="elementor-widget-container">'
        f'<ul class="elementor-icon-list-items">{"".join(items)}</ul></div></div>',
    ]
    if spec.has("social"):
        handle = spec.host.split(".")[0] + spec.region.domain.split(".")[0]
        icons = []
        for platform, label, url in (("facebook", "Facebook", f"https://www.facebook.com/{handle}"),
                                     ("instagram", "Instagram", f"https://www.instagram.com/{handle}/"),
                                     ("youtube", "YouTube", f"https://www.youtube.com/@{handle}"),
                                     ("tiktok", "TikTok", f"https://www.tiktok.com/@{handle}")):
            text = f'<span class="elementor-screen-only">{label}</span>' if screen_only else ""
            icons.append(f'<span class="elementor-grid-item"><a class="elementor-icon elementor-social-icon '
                         f'elementor-social-icon-{platform}" href="{url}" target="_blank">{text}'
                         f'<i class="fab fa-{platform}"></i></a></span>')
        widgets.append('<div class="elementor-widget elementor-widget-social-icons"><div class="elementor-widget-'
                       'container"><div class="elementor-social-icons-wrapper elementor-grid">'
                       + "".join(icons) + "</div></div></div>")
    for path in spec.robots_disallow:
        label = path.strip("/").replace("/", " ").replace("-", " ").title() or "Internal"
        widgets.append(f'<p class="internal"><a href="{c._attr(path)}">{escape(label)}</a></p>')
    year = spec.footer_copyright_year or model.newest.year
    widgets.append(f'<div class="elementor-widget elementor-widget-text-editor"><p>&copy; {year} '
                   f"{escape(c.unit_full_name(spec))}. Hak Cipta Dilindungi.</p></div>")
    widgets.append(c._icon_link(model, "#atas", "chevron-up", "Kembali ke atas"))
    return ('<footer class="elementor elementor-location-footer site-footer" data-elementor-type="footer">'
            '<section class="elementor-section elementor-top-section"><div class="elementor-container">'
            '<div class="elementor-column"><div class="elementor-widget-wrap">' + "".join(widgets)
            + "</div></div></div></section></footer>")


def _poll_widget(model) -> str:
    c = _content()
    unlabeled = "unlabeled_form" in model.spec.a11y_defects
    options = []
    for n, answer in enumerate(("Sangat baik", "Baik", "Cukup", "Kurang"), 1):
        field = f'<input type="radio" id="jp-{n}" name="jawaban" value="{n}">'
        options.append(f"{field} {answer}" if unlabeled else f'{field}<label for="jp-{n}">{answer}</label>')
    unit = escape(c.unit_full_name(model.spec))
    return ('<div class="widget polling"><h3>Jajak Pendapat</h3><form class="wp-polls-form" action="/polling" '
            f'method="post"><p>Bagaimana penilaian Anda terhadap pelayanan {unit}?</p>{"".join(options)}'
            '<button type="submit">Pilih</button></form></div>')


def sidebar_extras(model) -> str:
    """Sidebar widgets: the survey (by ``poll_variant``) and, with decoys, a newsletter box and
    text that only mentions surveys, e-services, SMS and forums."""
    spec = model.spec
    parts = []
    if spec.has("polling"):
        variant = poll_variant(model)
        if variant == "widget":
            parts.append(_poll_widget(model))
        elif variant == "skm_link":
            parts.append('<div class="widget survei"><h3>Survei Kepuasan Masyarakat</h3><p><a href="https://skm.'
                         f'{spec.region.domain}/survei/{spec.unit_short}">Isi Survei Kepuasan Masyarakat (SKM)</a>'
                         "</p></div>")
        else:
            form_id = "".join(_rng(model, "gform").choices("abcdefghijklmnopqrstuvwxyz0123456789", k=24))
            parts.append('<div class="elementor-widget elementor-widget-html"><h3>Survei Kepuasan Masyarakat</h3>'
                         f'<iframe src="https://docs.google.com/forms/d/e/1FAIpQL{form_id}/viewform?embedded=true" '
                         'title="Survei Kepuasan Masyarakat" width="100%" height="600"></iframe></div>')
    if decoys(model):
        label = ("" if "unlabeled_form" in spec.a11y_defects
                 else '<label for="nl-email">Email</label>')
        parts.append('<div class="widget langganan"><h3>Berlangganan Berita</h3><form action="/langganan" '
                     f'method="post">{label}<input type="email" id="nl-email" name="email" placeholder="Email">'
                     '<button type="submit">Daftar</button></form></div>')
        parts.append(f'<div class="widget info"><h3>Info Layanan</h3><p>Hasil Survei Kepuasan Masyarakat (SKM) '
                     f'semester I: IKM 82,50 (Baik). Pemanfaatan aplikasi SIPD, e-Budgeting dan Satu Data terus '
                     f'didorong. Layanan SMS Blast peringatan dini tahun {model.today.year}. Forum Konsultasi '
                     'Publik digelar setiap triwulan.</p><p>Mitra: <a href="https://www.bankjambi.co.id/">Bank '
                     "Jambi</a></p></div>")
    return "".join(parts)


def link_items(model, links) -> list[str]:
    """Items of the sidebar's links block for services and single sign-on."""
    c = _content()
    spec = model.spec
    domain = spec.region.domain
    items = []
    targets = [(f"https://{host}.{domain}/", label) for feature, (host, label) in SERVICE_LINKS.items()
               if spec.has(feature)]
    if spec.has("sso"):
        targets.append((f"https://sso.{domain}/", "Satu Akun Layanan (SSO)"))
    for url, label in targets:
        if builder(model):
            banner = c._img(model, f"/assets/img/banner-{url.split('//')[1].split('.')[0]}.png", label)
            items.append(f'<li><a href="{c._attr(url)}" class="elementor-button">{banner}</a></li>')
        else:
            items.append(f'<li><a href="{c._attr(url)}">{escape(label)}</a></li>')
    return items


def _share_buttons(model, item) -> str:
    c = _content()
    url = quote(f"https://{model.spec.host}{item.path}", safe="")
    title = quote(item.title, safe="")
    buttons = [
        c._icon_link(model, f"https://www.facebook.com/sharer/sharer.php?u={url}", "facebook", "Bagikan ke Facebook"),
        c._icon_link(model, f"https://twitter.com/intent/tweet?url={url}&text={title}", "twitter", "Bagikan ke X"),
        c._icon_link(model, f"https://api.whatsapp.com/send?text={title}%20{url}", "whatsapp",
                     "Bagikan ke WhatsApp"),
        c._icon_link(model, f"https://t.me/share/url?url={url}", "telegram", "Bagikan ke Telegram"),
    ]
    return '<div class="share-buttons"><span>Bagikan:</span> ' + " ".join(buttons) + "</div>"


def article_extras(model, item) -> list[str]:
    """Below an article: share buttons and links to single posts (decoys), and the comments."""
    spec = model.spec
    out = []
    if decoys(model):
        out.append(_share_buttons(model, item))
        code = "".join(_rng(model, f"post:{item.post_id}").choices("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz",
                                                                   k=11))
        out.append(f'<p>Dokumentasi kegiatan: <a href="https://www.instagram.com/p/{code}/">foto di Instagram</a> '
                   f'dan <a href="https://www.youtube.com/watch?v={code}">video di YouTube</a>.</p>')
    if spec.has("comments"):
        if builder(model):
            short = spec.host.split(".")[0] + spec.region.domain.split(".")[0]
            out.append('<div id="disqus_thread"></div><script>var disqus_config = function () { '
                       f'this.page.identifier = "{item.post_id}"; }}; (function() {{ var d = document, '
                       f's = d.createElement("script"); s.src = "https://{short}.disqus.com/embed.js"; '
                       's.setAttribute("data-timestamp", +new Date()); (d.head || d.body).appendChild(s); })();'
                       "</script>")
        else:
            label = (lambda for_, text: "" if "unlabeled_form" in spec.a11y_defects
                     else f'<label for="{for_}">{text}</label>')
            out.append('<div id="comments" class="comments-area"><h3>Tinggalkan Komentar</h3><form '
                       'action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
                       f'{label("comment", "Komentar")}<textarea id="comment" name="comment"></textarea>'
                       f'{label("author", "Nama")}<input id="author" name="author">'
                       f'{label("email", "Email")}<input id="email" name="email" type="email">'
                       f'<input type="hidden" name="comment_post_ID" value="{item.post_id}">'
                       '<button type="submit">Kirim Komentar</button></form></div>')
    elif decoys(model):
        out.append('<p class="komentar-ditutup">Komentar ditutup.</p>')
    return out


def _nip(rng: random.Random) -> str:
    born = f"{rng.randint(1965, 1992)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    appointed = f"{rng.randint(1990, 2019)}{rng.randint(1, 12):02d}"
    return f"{born} {appointed} {rng.randint(1, 2)} {rng.randint(1, 20):03d}"


def page_extras(model, links, path: str) -> list[str]:
    """Content a static page adds: the complaint form, the online application, and decoys."""
    c = _content()
    spec = model.spec
    out = []

    def field(tag_id: str, label: str, html: str) -> str:
        return html if "unlabeled_form" in spec.a11y_defects else f'<label for="{tag_id}">{label}</label>{html}'

    if path == EXTRA_PATHS["complaint_page"] and spec.has("complaint_page"):
        out.append('<section class="form-pengaduan"><h2>Formulir Pengaduan Masyarakat</h2>'
                   '<p>Sampaikan pengaduan Anda; setiap pengaduan ditindaklanjuti paling lama 5 hari kerja.</p>'
                   '<form action="/pengaduan/kirim" method="post">'
                   + field("p-nama", "Nama", '<input id="p-nama" name="nama">')
                   + field("p-hp", "Nomor HP", '<input id="p-hp" name="telepon" type="tel">')
                   + field("p-isi", "Isi Pengaduan", '<textarea id="p-isi" name="isi_pengaduan"></textarea>')
                   + '<button type="submit">Kirim Pengaduan</button></form></section>')
    if path == EXTRA_PATHS["online_app"] and spec.has("online_app"):
        out.append('<section class="layanan-daring"><h2>Masuk ke Layanan Online</h2><p>Gunakan akun pemohon untuk '
                   'mengajukan dan memantau permohonan layanan.</p><form action="/layanan-online/masuk" method="post">'
                   + field("lo-nik", "NIK", '<input id="lo-nik" name="nik">')
                   + field("lo-sandi", "Kata sandi", '<input id="lo-sandi" name="kata_sandi" type="password">')
                   + '<button type="submit">Masuk</button></form><h2>Ajukan Permohonan Baru</h2>'
                   '<form action="/layanan-online/permohonan" method="post" enctype="multipart/form-data">'
                   + field("lo-jenis", "Jenis layanan", '<select id="lo-jenis" name="jenis"><option>Surat Keterangan'
                           '</option><option>Rekomendasi</option></select>')
                   + field("lo-nik2", "NIK", '<input id="lo-nik2" name="nik">')
                   + field("lo-berkas", "Berkas persyaratan", '<input id="lo-berkas" name="berkas" type="file">')
                   + '<button type="submit">Ajukan</button></form></section>')
    if decoys(model):
        if path == "/profil/struktur-organisasi":
            rng = _rng(model, "nip")
            rows = "".join(f"<tr><td>{escape(p.split(':')[0])}</td><td>NIP. {_nip(rng)}</td></tr>"
                           for p in model.pages[path].paragraphs)
            out.append(f'<table class="pejabat"><tr><th>Jabatan</th><th>NIP</th></tr>{rows}</table>')
        if path == "/kontak":
            fax = f"({spec.region.phone_area}) {_rng(model, 'fax').randint(200000, 799999)}"
            out.append(f"<p>Faks. {escape(fax)}</p>")
            out.append("<p>Pembayaran retribusi melalui rekening Bank Jambi No. 0123456789 a.n. Kas Daerah, "
                       "NPWP 01.234.567.8-331.000.</p>")
    del c
    return out


def body_end(model) -> str:
    """Scripts at the end of the body: the live chat widget, or a commented-out one (a decoy)."""
    out = []
    if model.spec.has("live_chat"):
        rng = _rng(model, "chat-id")
        key = "".join(rng.choices("0123456789abcdef", k=24))
        vendor = chat_vendor(model)
        if vendor == "tawk.to":
            out.append('<script type="text/javascript">var Tawk_API=Tawk_API||{}, Tawk_LoadStart=new Date();'
                       '(function(){var s1=document.createElement("script"),s0=document.getElementsByTagName('
                       f'"script")[0];s1.async=true;s1.src="https://embed.tawk.to/{key}/default";s1.charset='
                       '"UTF-8";s0.parentNode.insertBefore(s1,s0);})();</script>')
        elif vendor == "Tidio":
            out.append(f'<script src="//code.tidio.co/{key}.js" async></script>')
        elif vendor == "Crisp":
            out.append('<script type="text/javascript">window.$crisp=[];window.CRISP_WEBSITE_ID='
                       f'"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}";(function(){{d=document;s=d.createElement('
                       '"script");s.src="https://client.crisp.chat/l.js";s.async=1;d.getElementsByTagName("head")'
                       '[0].appendChild(s);})();</script>')
        elif vendor == "LiveChat":
            out.append(f'<script>window.__lc = window.__lc || {{}}; window.__lc.license = {rng.randint(10**7, 10**8)};'
                       '(function(n,t,c){var e=t.createElement("script");e.async=!0;e.src='
                       '"https://cdn.livechatinc.com/tracking.js";t.head.appendChild(e)})(window,document);</script>')
        else:
            out.append('<div id="fb-root"></div><div id="fb-customer-chat" class="fb-customerchat"></div><script>'
                       f'var chatbox = document.getElementById("fb-customer-chat"); chatbox.setAttribute("page_id", '
                       f'"{rng.randint(10**14, 10**15)}"); (function(d, s, id) {{ var js = d.createElement(s); '
                       'js.id = id; js.src = "https://connect.facebook.net/id_ID/sdk/xfbml.customerchat.js"; '
                       'd.body.appendChild(js); }(document, "script", "facebook-jssdk"));</script>')
    elif decoys(model):
        out.append('<!-- Widget obrolan dinonaktifkan sementara: '
                   '<script src="https://embed.tawk.to/5f0c1a2b3c4d5e6f7a8b9c0d/default"></script> -->')
    if model.spec.has("whatsapp") and builder(model):
        out.append(f'<div class="joinchat joinchat--right" data-settings=\'{{"telephone":"{_wa_international(model)}",'
                   '"mobile_only":false,"message_send":"Halo admin"}\'><div class="joinchat__button">'
                   '<div class="joinchat__button__open"></div></div></div>')
    return "".join(out)


def nav_entries(have: set[str]) -> list[str]:
    return [f'<li><a href="{path}">{label}</a></li>' for path, label in NAV_LABELS.items() if path in have]


# --- ground truth --------------------------------------------------------------------------------


def _gov_hosts(model, links, path: str) -> set[str]:
    spec = model.spec
    code = spec.region.code
    domain = spec.region.domain
    hosts = {links.role_hosts[(code, role)] for role in ("portal", "ppid")
             if role != spec.role and (code, role) in links.role_hosts}
    if spec.has("lapor"):
        hosts.add("www.lapor.go.id")
    if spec.has("lpse"):
        hosts.add(f"lpse.{domain}")
    if spec.has("perizinan"):
        hosts |= {"oss.go.id", "sicantik.go.id"}
    hosts |= {f"{host}.{domain}" for feature, (host, _) in SERVICE_LINKS.items() if spec.has(feature)}
    if spec.has("sso"):
        hosts.add(f"sso.{domain}")
    if spec.has("polling") and poll_variant(model) == "skm_link":
        hosts.add(f"skm.{domain}")
    if path == "/perangkat-daerah" or (path == "/ppid" and spec.role == "ppid"):
        hosts |= {host for host, _ in links.region_units.get(code, [])}
    if path == "/perangkat-daerah":
        hosts |= {host for host, _ in links.child_portals.get(code, [])}
    return {h for h in hosts if h.endswith(".go.id") and h != spec.host}


def page_truth(model, links, path: str) -> set[str]:
    """The detector features page ``path`` of this site shows (``checks.features`` keys)."""
    spec = model.spec
    has = spec.has
    article = model.news_by_path(path) is not None
    truth = set()
    if has("email"):
        truth.add("email")
    if has("phone") or (not builder(model) and (has("whatsapp") or has("sms"))) \
            or (path == "/kontak" and has("whatsapp")):
        truth.add("telephone")
    for feature in ("sms", "whatsapp", "polling", "live_chat"):
        if has(feature):
            truth.add(feature)
    if (path == "/kontak" and has("feedback_form")) or (path == EXTRA_PATHS["complaint_page"]
                                                        and has("complaint_page")):
        truth.add("feedback_form")
    if article and has("comments"):
        truth.add("forum")
    if has("lapor") or (path == EXTRA_PATHS["complaint_page"] and has("complaint_page")):
        truth.add("complaint")
    if has("social"):
        truth.add("social_media")
    if _gov_hosts(model, links, path):
        truth.add("gov_links")
    if any(has(f) for f in LINKED_SERVICES) or (path == EXTRA_PATHS["online_app"] and has("online_app")):
        truth.add("e_services")
    if has("sso"):
        truth.add("integration")
    return truth


def site_truth(model, links) -> set[str]:
    """The features a crawl of every page of the site would find."""
    out: set[str] = set()
    for path in ["/", *model.html_paths]:
        out |= page_truth(model, links, path)
    return out
