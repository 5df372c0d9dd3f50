"""The world file: which pemda exist, which sites they run, and how each site misbehaves.

A world is declarative YAML, validated at load. Every error names the file and the line
of the offending entry, so a typo in a 120-site file is found at once. Whatever a site
entry leaves open (how old its newest news is, which accessibility defects it has, how it
writes dates) is settled here from ``random.Random(f"{seed}:{host}")`` so the truth, the
pages and every later run agree.

Schema (every site option is optional and may also appear under ``defaults``)::

    seed: 1
    today: null                 # or 2026-11-23; null = the real current date
    defaults: {pages: 30, news: 12, documents: 6, features: [email, phone]}
    regions:
      - code: "15"              # Kemendagri code, quoted
        name: Provinsi Jambi
        kind: provinsi          # provinsi | kabupaten | kota
        parent: null            # code of the parent region
        domain: jambiprov.go.id
        capital: Jambi          # optional, used in addresses
        phone_area: "0741"      # optional
        portal: {tls: valid}    # the pemda portal, host = domain unless host given
        ppid: {host: ppid.jambiprov.go.id}   # or false for none
        opds:
          - {short: diskominfo, name: Dinas Komunikasi dan Informatika, tls: valid}

Site options:

- ``tls``: none (plain http) | valid | expired | self_signed | wrong_host
- ``fault``: none | down (connection refused) | nxdomain (not in the hosts file) | slow |
  http_500 | http_403 | http_404_home | redirect_loop | empty_body | parked |
  blackhole (the port never completes a TCP handshake: connecting times out) |
  dns_error (the name fails to resolve with SERVFAIL, not NXDOMAIN) |
  redirect_chain (every URL redirects to a new one, longer than any client follows) |
  defaced (the home page is replaced by gambling spam, "judol") |
  tls_broken (the HTTPS port answers the TLS handshake with plain HTTP; needs tls)
- ``hsts``: HTTPS responses carry Strict-Transport-Security
- ``https_redirect``: the registered URL is http:// and redirects to the https:// site
  (needs tls)
- ``slow_ms``: delay of every response of a slow site (default 3000)
- ``newest_days_ago``: age of the newest content; news, sitemap, feed, wp-json, documents
  and Last-Modified all agree with it (default: 0-6, drawn)
- ``wordpress``: serve /wp-json/wp/v2/posts and /feed/ like WordPress
- ``robots_disallow``: paths disallowed in robots.txt (and linked from every page)
- ``calendar_trap``: an endless /agenda/kalender?bulan=YYYY-MM
- ``pages``: number of HTML pages (>= 8); ``news``: number of news articles
- ``features``: what the pages show: email, phone, whatsapp, feedback_form, lapor, social,
  lpse, perizinan; and (testbed/features.py) sms, polling, comments, live_chat,
  complaint_page, siak, e_planning, e_budgeting, jdih, satu_data, online_app, sso
- ``markup``: classic | builder (page-builder footer, Cloudflare-protected email, floating
  WhatsApp button, Disqus comments); ``decoys``: things that look like features and are
  not (share buttons, newsletter form, fax and account numbers, staff NIPs, a commented-out
  chat widget, text that only mentions surveys and e-services)
- ``documents``: a count to generate, or a list of {title, category, year, file, days_ago}
  with category berkala | serta_merta | setiap_saat
- ``footer_copyright_year``: a year, "current" (the world's today) or null (newest year)
- ``today_widget``: the header prints today's date
- ``a11y_defects``: img_no_alt, no_html_lang, missing_title, empty_link, unlabeled_form
  (default: drawn, about 30% of sites get two); never drawn, only when listed:
  low_contrast, empty_button, duplicate_id, zoom_disabled, iframe_no_title,
  table_no_headers, autoplay_audio, unlabeled_select, invalid_lang, image_button_no_alt
- ``a11y_rich``: the pages carry more widgets an accessibility audit must judge (an
  announcement box with its own colours, a map iframe, a service table, a profile audio
  clip, an agency drop-down, icon buttons), accessible unless a defect above breaks one
- ``email_style``: mailto | obfuscated ("humas [at] domain"); ``date_style``: long | short |
  numeric (how lists print dates)
- ``dates_only_in_pdfs``: pages, sitemap and HTTP headers carry no dates and there is no
  feed: only the PDFs' own metadata (/CreationDate, /ModDate) dates the site; needs news: 0
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TLS_VARIANTS = ("none", "valid", "expired", "self_signed", "wrong_host")
FAULTS = (
    "none",
    "down",
    "nxdomain",
    "slow",
    "http_500",
    "http_403",
    "http_404_home",
    "redirect_loop",
    "empty_body",
    "parked",
    "blackhole",
    "dns_error",
    "redirect_chain",
    "defaced",
    "tls_broken",
)
# Faults that need an HTTPS site.
TLS_ONLY_FAULTS = frozenset({"tls_broken"})
# Faults added for the availability prober (crawler.prober). The default world leaves them
# out: a crawl waits out a blackhole's connect timeout, and the default crawl must stay fast.
PROBE_FAULTS = frozenset({"blackhole", "dns_error", "redirect_chain", "defaced", "tls_broken"})
# Faults under which no page content reaches a client, so the newest date is unknowable.
CONTENT_HIDING_FAULTS = frozenset(
    {"down", "nxdomain", "http_500", "http_403", "redirect_loop", "empty_body", "parked",
     "blackhole", "dns_error", "redirect_chain", "defaced", "tls_broken"}
)
FEATURES = (
    "email",
    "phone",
    "whatsapp",
    "feedback_form",
    "lapor",
    "social",
    "lpse",
    "perizinan",
    "sms",
    "polling",
    "comments",
    "live_chat",
    "complaint_page",
    "siak",
    "e_planning",
    "e_budgeting",
    "jdih",
    "satu_data",
    "online_app",
    "sso",
)
MARKUPS = ("classic", "builder")
A11Y_DEFECTS = ("img_no_alt", "no_html_lang", "missing_title", "empty_link", "unlabeled_form")
# Opt-in defects: never drawn, so adding them left every drawn world as it was.
A11Y_EXTRA_DEFECTS = ("low_contrast", "empty_button", "duplicate_id", "zoom_disabled", "iframe_no_title",
                      "table_no_headers", "autoplay_audio", "unlabeled_select", "invalid_lang",
                      "image_button_no_alt")
EMAIL_STYLES = ("mailto", "obfuscated")
DATE_STYLES = ("long", "short", "numeric")
DOC_CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
REGION_KINDS = ("provinsi", "kabupaten", "kota")
ROLES = ("portal", "opd", "ppid")

MIN_PAGES = 8
DEFAULT_SLOW_MS = 3000
WRONG_HOST_NAME = "salah.example.go.id"

_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_CODE_RE = re.compile(r"^\d{2}(\.\d{2})?$")
_SHORT_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$")

_SITE_OPTION_KEYS = (
    "tls",
    "fault",
    "slow_ms",
    "newest_days_ago",
    "wordpress",
    "robots_disallow",
    "calendar_trap",
    "pages",
    "news",
    "features",
    "documents",
    "footer_copyright_year",
    "today_widget",
    "a11y_defects",
    "email_style",
    "date_style",
    "hsts",
    "https_redirect",
    "a11y_rich",
    "markup",
    "decoys",
    "dates_only_in_pdfs",
)
_TOP_KEYS = ("seed", "today", "defaults", "regions")
_REGION_KEYS = (
    "code",
    "name",
    "kind",
    "parent",
    "domain",
    "capital",
    "phone_area",
    "portal",
    "ppid",
    "opds",
)
_DOC_KEYS = ("title", "category", "year", "file", "days_ago")

DEFAULT_OPTIONS: dict[str, Any] = {
    "tls": "none",
    "fault": "none",
    "slow_ms": None,
    "newest_days_ago": None,
    "wordpress": False,
    "robots_disallow": [],
    "calendar_trap": False,
    "pages": 30,
    "news": 12,
    "features": ["email", "phone"],
    "documents": 6,
    "footer_copyright_year": None,
    "today_widget": False,
    "a11y_defects": None,
    "email_style": None,
    "date_style": None,
    "hsts": False,
    "https_redirect": False,
    "a11y_rich": False,
    "markup": "classic",
    "decoys": False,
    "dates_only_in_pdfs": False,
}


class WorldError(ValueError):
    """A world file that cannot be used; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class DocumentSpec:
    title: str
    category: str  # berkala | serta_merta | setiap_saat
    year: int
    file: str
    days_ago: int | None = None  # age of the upload relative to the site's newest content


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: str
    parent: str | None
    domain: str
    capital: str
    phone_area: str
    line: int | None = None


@dataclass(frozen=True)
class SiteSpec:
    """One site with every option resolved to a concrete value."""

    host: str
    role: str  # portal | opd | ppid
    region: Region
    unit_name: str
    unit_short: str
    tls: str
    fault: str
    slow_ms: int
    newest_days_ago: int
    wordpress: bool
    robots_disallow: tuple[str, ...]
    calendar_trap: bool
    pages: int
    news: int
    features: tuple[str, ...]
    documents: int | tuple[DocumentSpec, ...]
    footer_copyright_year: int | None  # None: the year of the newest content
    today_widget: bool
    a11y_defects: tuple[str, ...]
    email_style: str
    date_style: str
    line: int | None = None
    hsts: bool = False
    https_redirect: bool = False
    a11y_rich: bool = False
    markup: str = "classic"
    decoys: bool = False
    dates_only_in_pdfs: bool = False

    @property
    def scheme(self) -> str:
        return "http" if self.tls == "none" else "https"

    @property
    def resolvable(self) -> bool:
        return self.fault not in ("nxdomain", "dns_error")

    def has(self, feature: str) -> bool:
        return feature in self.features


@dataclass(frozen=True)
class World:
    seed: int
    today: dt.date
    source: str
    regions: tuple[Region, ...]
    sites: tuple[SiteSpec, ...]
    _by_host: dict[str, SiteSpec] = field(default_factory=dict, compare=False, repr=False)

    def site(self, host: str) -> SiteSpec:
        return self._by_host[host]

    def region(self, code: str) -> Region:
        for region in self.regions:
            if region.code == code:
                return region
        raise KeyError(code)

    def sites_of(self, region_code: str) -> list[SiteSpec]:
        return [s for s in self.sites if s.region.code == region_code]

    def newest_date(self, site: SiteSpec) -> dt.date:
        return self.today - dt.timedelta(days=site.newest_days_ago)

    def rng(self, host: str, aspect: str = "") -> random.Random:
        """The deterministic random stream of one site (and one aspect of it)."""
        key = f"{self.seed}:{host}" + (f":{aspect}" if aspect else "")
        return random.Random(key)


# --- YAML with line numbers -------------------------------------------------------------


class _LineDict(dict):
    line: int | None = None
    key_lines: dict[Any, int]


class _LineList(list):
    line: int | None = None
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise WorldError(f"{loader.name}:{line}: duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def default_world_path() -> Path:
    return Path(__file__).with_name("worlds") / "jambi.yaml"


def load_world(path: str | Path | None = None) -> World:
    """Load and validate a world file; ``None`` loads the packaged Jambi world."""
    path = Path(path) if path is not None else default_world_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"{path}: cannot read world file: {exc.strerror}") from exc
    loader = _Loader(text)
    loader.name = str(path)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else "?"
        raise WorldError(f"{path}:{line}: invalid YAML: {exc.problem}") from exc
    finally:
        loader.dispose()
    return world_from_dict(data, source=str(path))


# --- validation ----------------------------------------------------------------------


class _Checker:
    """Walks the parsed data, turning each problem into a ``file:line: where: what`` error."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, line: int | None, where: str, message: str) -> None:
        place = f"{self.source}:{line}" if line else self.source
        raise WorldError(f"{place}: {where}: {message}" if where else f"{place}: {message}")

    @staticmethod
    def line_of(container: Any, key: Any = None) -> int | None:
        if key is not None and isinstance(container, _LineDict):
            return container.key_lines.get(key, container.line)
        if key is not None and isinstance(container, _LineList) and key < len(container.item_lines):
            return container.item_lines[key]
        return getattr(container, "line", None)

    def mapping(self, value: Any, line: int | None, where: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(line, where, f"must be a mapping, got {_kind(value)}")
        for key in value:
            if key not in allowed:
                self.fail(
                    self.line_of(value, key),
                    where,
                    f"unknown key {key!r} (expected one of: {', '.join(allowed)})",
                )
        return value

    def sequence(self, value: Any, line: int | None, where: str) -> list:
        if not isinstance(value, list):
            self.fail(line, where, f"must be a list, got {_kind(value)}")
        return value

    def string(self, value: Any, line: int | None, where: str, pattern: re.Pattern | None = None,
               hint: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(line, where, f"must be a non-empty string{hint}, got {_kind(value)}")
        if pattern is not None and not pattern.match(value):
            self.fail(line, where, f"{value!r} is not valid{hint}")
        return value

    def integer(self, value: Any, line: int | None, where: str, minimum: int = 0,
                maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(line, where, f"must be an integer, got {_kind(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            self.fail(line, where, f"must be {bound}, got {value}")
        return value

    def boolean(self, value: Any, line: int | None, where: str) -> bool:
        if not isinstance(value, bool):
            self.fail(line, where, f"must be true or false, got {_kind(value)}")
        return value

    def choice(self, value: Any, line: int | None, where: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(line, where, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    def choices(self, value: Any, line: int | None, where: str, choices: tuple[str, ...]) -> tuple:
        items = self.sequence(value, line, where)
        for i, item in enumerate(items):
            self.choice(item, self.line_of(items, i) or line, f"{where}[{i}]", choices)
        return tuple(dict.fromkeys(items))

    def site_options(self, entry: dict, where: str) -> dict[str, Any]:
        """Validate the site options present in ``entry``; return them as plain values."""
        out: dict[str, Any] = {}
        for key in _SITE_OPTION_KEYS:
            if key not in entry:
                continue
            value = entry[key]
            line = self.line_of(entry, key)
            here = f"{where}.{key}"
            if key == "tls":
                out[key] = self.choice(value, line, here, TLS_VARIANTS)
            elif key == "fault":
                out[key] = self.choice(value, line, here, FAULTS)
            elif key in ("slow_ms", "newest_days_ago", "news"):
                if value is None and key != "news":
                    out[key] = None
                else:
                    limit = {"slow_ms": 120_000, "newest_days_ago": 20_000, "news": 500}[key]
                    out[key] = self.integer(value, line, here, 0, limit)
            elif key == "pages":
                out[key] = self.integer(value, line, here, MIN_PAGES, 5000)
            elif key in ("wordpress", "calendar_trap", "today_widget", "hsts", "https_redirect", "a11y_rich"):
                out[key] = self.boolean(value, line, here)
            elif key == "dates_only_in_pdfs":
                out[key] = self.boolean(value, line, here)
            elif key == "decoys":
                out[key] = self.boolean(value, line, here)
            elif key == "markup":
                out[key] = self.choice(value, line, here, MARKUPS)
            elif key == "robots_disallow":
                paths = self.sequence(value, line, here)
                for i, p in enumerate(paths):
                    if not isinstance(p, str) or not p.startswith("/"):
                        self.fail(self.line_of(paths, i) or line, f"{here}[{i}]",
                                  f"must be a path starting with '/', got {p!r}")
                out[key] = list(paths)
            elif key == "features":
                out[key] = list(self.choices(value, line, here, FEATURES))
            elif key == "a11y_defects":
                out[key] = None if value is None else list(self.choices(value, line, here,
                                                                        A11Y_DEFECTS + A11Y_EXTRA_DEFECTS))
            elif key == "email_style":
                out[key] = None if value is None else self.choice(value, line, here, EMAIL_STYLES)
            elif key == "date_style":
                out[key] = None if value is None else self.choice(value, line, here, DATE_STYLES)
            elif key == "footer_copyright_year":
                if value is None or value == "current":
                    out[key] = value
                else:
                    out[key] = self.integer(value, line, here, 1990, 2100)
            elif key == "documents":
                out[key] = self.documents(value, line, here)
        return out

    def documents(self, value: Any, line: int | None, where: str) -> int | list[DocumentSpec]:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.integer(value, line, where, 0, 200)
        if not isinstance(value, list):
            self.fail(line, where, f"must be a count or a list of documents, got {_kind(value)}")
        docs = []
        for i, item in enumerate(value):
            here = f"{where}[{i}]"
            item_line = self.line_of(value, i) or line
            item = self.mapping(item, item_line, here, _DOC_KEYS)
            for required in ("title", "category", "year", "file"):
                if required not in item:
                    self.fail(item_line, here, f"missing required key {required!r}")
            docs.append(DocumentSpec(
                title=self.string(item["title"], self.line_of(item, "title"), f"{here}.title"),
                category=self.choice(item["category"], self.line_of(item, "category"),
                                     f"{here}.category", DOC_CATEGORIES),
                year=self.integer(item["year"], self.line_of(item, "year"), f"{here}.year", 1990, 2100),
                file=self.string(item["file"], self.line_of(item, "file"), f"{here}.file", _FILE_RE,
                                 " (a file name ending in .pdf)"),
                days_ago=(None if item.get("days_ago") is None else self.integer(
                    item["days_ago"], self.line_of(item, "days_ago"), f"{here}.days_ago", 0, 20_000)),
            ))
        return docs


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


_REGION_PREFIX = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}
_PEMDA_PREFIX = {"provinsi": "Pemerintah Provinsi", "kabupaten": "Pemerintah Kabupaten",
                 "kota": "Pemerintah Kota"}


def region_short_name(region: Region) -> str:
    """'Provinsi Jambi' -> 'Jambi', 'Kabupaten Muaro Jambi' -> 'Muaro Jambi'."""
    prefix = _REGION_PREFIX[region.kind] + " "
    return region.name[len(prefix):] if region.name.startswith(prefix) else region.name


def world_from_dict(data: Any, source: str = "<world>") -> World:
    """Validate parsed world data (from YAML or built in code) and resolve every site."""
    c = _Checker(source)
    top = c.mapping(data, getattr(data, "line", 1), "", _TOP_KEYS)
    seed = c.integer(top.get("seed", 1), c.line_of(top, "seed"), "seed", 0)
    today = _parse_today(c, top)
    defaults_raw = top.get("defaults") or {}
    c.mapping(defaults_raw, c.line_of(top, "defaults"), "defaults", _SITE_OPTION_KEYS)
    defaults = {**DEFAULT_OPTIONS, **c.site_options(defaults_raw, "defaults")}

    regions_raw = c.sequence(top.get("regions"), c.line_of(top, "regions"), "regions")
    if not regions_raw:
        c.fail(c.line_of(top, "regions"), "regions", "must list at least one region")

    regions: list[Region] = []
    entries: list[tuple[Region, str, dict, dict, str, str, str, int | None, str]] = []
    codes: dict[str, int | None] = {}
    for i, raw in enumerate(regions_raw):
        where = f"regions[{i}]"
        line = c.line_of(regions_raw, i)
        r = c.mapping(raw, line, where, _REGION_KEYS)
        for required in ("code", "name", "kind", "domain"):
            if required not in r:
                c.fail(line, where, f"missing required key {required!r}")
        code = c.string(r["code"], c.line_of(r, "code"), f"{where}.code", _CODE_RE,
                        ' (a quoted Kemendagri code like "15" or "15.01")')
        if code in codes:
            c.fail(c.line_of(r, "code"), f"{where}.code",
                   f"duplicate region code {code!r} (first at line {codes[code]})")
        codes[code] = c.line_of(r, "code")
        kind = c.choice(r["kind"], c.line_of(r, "kind"), f"{where}.kind", REGION_KINDS)
        parent = r.get("parent")
        if parent is not None:
            parent = c.string(parent, c.line_of(r, "parent"), f"{where}.parent", _CODE_RE,
                              ' (a quoted region code)')
        domain = c.string(r["domain"], c.line_of(r, "domain"), f"{where}.domain", _HOST_RE,
                          " (a lower-case host name)")
        name = c.string(r["name"], c.line_of(r, "name"), f"{where}.name")
        region = Region(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            domain=domain,
            capital=(c.string(r["capital"], c.line_of(r, "capital"), f"{where}.capital")
                     if r.get("capital") is not None else name.split(" ", 1)[-1]),
            phone_area=(c.string(r["phone_area"], c.line_of(r, "phone_area"), f"{where}.phone_area",
                                 re.compile(r"^0\d{2,3}$"), ' (like "0741")')
                        if r.get("phone_area") is not None else "0741"),
            line=line,
        )
        regions.append(region)
        short = region_short_name(region)

        portal = r.get("portal", {})
        if portal is not False:
            portal = portal or {}
            c.mapping(portal, c.line_of(r, "portal"), f"{where}.portal", ("host", *_SITE_OPTION_KEYS))
            entries.append((region, "portal", portal, c.site_options(portal, f"{where}.portal"),
                            portal.get("host", domain), f"{_PEMDA_PREFIX[kind]} {short}", "portal",
                            c.line_of(r, "portal"), f"{where}.portal"))
        ppid = r.get("ppid", {})
        if ppid is not False:
            ppid = ppid or {}
            c.mapping(ppid, c.line_of(r, "ppid"), f"{where}.ppid", ("host", *_SITE_OPTION_KEYS))
            entries.append((region, "ppid", ppid, c.site_options(ppid, f"{where}.ppid"),
                            ppid.get("host", f"ppid.{domain}"), f"PPID Utama {region.name}", "ppid",
                            c.line_of(r, "ppid"), f"{where}.ppid"))
        opds = c.sequence(r.get("opds", []), c.line_of(r, "opds"), f"{where}.opds")
        shorts: dict[str, int | None] = {}
        for j, raw_opd in enumerate(opds):
            here = f"{where}.opds[{j}]"
            opd_line = c.line_of(opds, j)
            o = c.mapping(raw_opd, opd_line, here, ("short", "name", "host", *_SITE_OPTION_KEYS))
            for required in ("short", "name"):
                if required not in o:
                    c.fail(opd_line, here, f"missing required key {required!r}")
            unit_short = c.string(o["short"], c.line_of(o, "short"), f"{here}.short", _SHORT_RE,
                                  " (lower-case letters, digits and dashes)")
            if unit_short in ("portal", "ppid") or unit_short in shorts:
                c.fail(c.line_of(o, "short"), f"{here}.short",
                       f"duplicate unit short name {unit_short!r} in region {code}")
            shorts[unit_short] = opd_line
            unit_name = c.string(o["name"], c.line_of(o, "name"), f"{here}.name")
            entries.append((region, "opd", o, c.site_options(o, here), o.get("host", f"{unit_short}.{domain}"),
                            unit_name, unit_short, opd_line, here))

    for i, region in enumerate(regions):
        if region.parent is not None and region.parent not in codes:
            raw = regions_raw[i]
            c.fail(c.line_of(raw, "parent"), f"regions[{i}].parent",
                   f"unknown parent region {region.parent!r}")
        if region.kind == "provinsi" and region.parent is not None:
            c.fail(c.line_of(regions_raw[i], "parent"), f"regions[{i}].parent",
                   "a provinsi has no parent")

    sites: list[SiteSpec] = []
    hosts: dict[str, int | None] = {}
    for region, role, raw, options, host, unit_name, unit_short, line, where in entries:
        host_line = c.line_of(raw, "host") if "host" in raw else line
        c.string(host, host_line, f"{where}.host", _HOST_RE, " (a lower-case host name)")
        if host == WRONG_HOST_NAME:
            c.fail(host_line, f"{where}.host", f"{host!r} is reserved for the wrong_host certificate")
        if host in hosts:
            c.fail(host_line, f"{where}.host", f"duplicate host {host!r} (first at line {hosts[host]})")
        hosts[host] = host_line
        site = _resolve_site(seed, today, region, role, host, unit_name, unit_short,
                             {**defaults, **options}, line)
        if site.tls == "none" and (site.fault in TLS_ONLY_FAULTS or site.https_redirect):
            what = f"fault {site.fault}" if site.fault in TLS_ONLY_FAULTS else "https_redirect"
            c.fail(line, where, f"{what} needs an HTTPS site (tls other than none)")
        if site.dates_only_in_pdfs and site.news:
            c.fail(line, where, "dates_only_in_pdfs needs news: 0 (every news item carries its date)")
        sites.append(site)

    return World(seed=seed, today=today, source=source, regions=tuple(regions), sites=tuple(sites),
                 _by_host={s.host: s for s in sites})


def _parse_today(c: _Checker, top: dict) -> dt.date:
    value = top.get("today")
    line = c.line_of(top, "today")
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    c.fail(line, "today", f"must be a date like 2026-11-23 or null, got {_kind(value)}")
    raise AssertionError  # unreachable: fail raises


def _resolve_site(seed: int, today: dt.date, region: Region, role: str, host: str, unit_name: str, unit_short: str,
                  o: dict[str, Any], line: int | None) -> SiteSpec:
    rng = random.Random(f"{seed}:{host}")
    # Draw every value in a fixed order so adding an explicit option never shifts the others.
    drawn_days = rng.randint(0, 6)
    drawn_defects = rng.random()
    drawn_defect_set = tuple(sorted(rng.sample(A11Y_DEFECTS, 2)))
    drawn_email = rng.choice(EMAIL_STYLES)
    drawn_date = rng.choice(DATE_STYLES)

    a11y = o["a11y_defects"]
    if a11y is None:
        a11y = drawn_defect_set if drawn_defects < 0.3 else ()
    footer = o["footer_copyright_year"]
    return SiteSpec(
        host=host,
        role=role,
        region=region,
        unit_name=unit_name,
        unit_short=unit_short,
        tls=o["tls"],
        fault=o["fault"],
        slow_ms=o["slow_ms"] if o["slow_ms"] is not None else (DEFAULT_SLOW_MS if o["fault"] == "slow" else 0),
        newest_days_ago=o["newest_days_ago"] if o["newest_days_ago"] is not None else drawn_days,
        wordpress=o["wordpress"],
        robots_disallow=tuple(o["robots_disallow"]),
        calendar_trap=o["calendar_trap"],
        pages=o["pages"],
        news=o["news"],
        features=tuple(f for f in FEATURES if f in o["features"]),
        documents=o["documents"] if isinstance(o["documents"], int) else tuple(o["documents"]),
        footer_copyright_year=today.year if footer == "current" else footer,
        today_widget=o["today_widget"],
        a11y_defects=tuple(a for a in A11Y_DEFECTS + A11Y_EXTRA_DEFECTS if a in a11y),
        email_style=o["email_style"] or drawn_email,
        date_style=o["date_style"] or drawn_date,
        line=line,
        hsts=o["hsts"],
        https_redirect=o["https_redirect"],
        a11y_rich=o["a11y_rich"],
        markup=o["markup"],
        decoys=o["decoys"],
        dates_only_in_pdfs=o["dates_only_in_pdfs"],
    )
