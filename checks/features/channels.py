"""Channels outward: complaint channel, social media accounts, links to other government institutions."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from checks.features.base import Anchor, Clues, FeatureResult, PageView, SiteView
from checks.features.contact import emails_in, fax_only, phones_in
from checks.features.forms import is_comment_form, is_login, is_search, posts_somewhere, short_label

# --- complaint channel ---------------------------------------------------------------------

COMPLAINT_WORDS = re.compile(r"pengaduan|\baduan|keluhan|complaint|whistle[- ]?blow|\bwbs\b|\blapor\b|sp4n",
                             re.IGNORECASE)
COMPLAINT_HOST_LABELS = {"pengaduan", "aduan", "lapor", "elapor", "e-lapor", "wbs", "keluhan", "sp4n",
                         "sapa", "halo"}
LAPOR_HOST = "lapor.go.id"
REACH_SCHEMES = ("mailto", "tel", "sms", "whatsapp")


def _is_lapor(host: str) -> bool:
    return host == LAPOR_HOST or host.endswith("." + LAPOR_HOST)


def _complaint_link(anchor: Anchor, site: SiteView) -> bool:
    if anchor.scheme not in ("http", "https") or site.is_own(anchor.host):
        return False
    if _is_lapor(anchor.host) or anchor.host.split(".")[0] in COMPLAINT_HOST_LABELS:
        return True
    return short_label(anchor) and bool(COMPLAINT_WORDS.search(anchor.label))


def _complaint_page(view: PageView) -> str | None:
    """How an own complaint page lets a citizen complain, or None when it only describes it."""
    if not (COMPLAINT_WORDS.search(urlsplit(view.url).path) or COMPLAINT_WORDS.search(view.title)):
        return None
    for form in view.forms:
        if view.in_main(form.tag) and not (is_search(form) or is_login(form) or is_comment_form(form)) \
                and posts_somewhere(form) and len(form.fields) >= 2:
            return "formulir pengaduan"
    for a in view.anchors:
        if a.scheme in REACH_SCHEMES and not a.chrome:
            return f"kontak pengaduan {a.label or a.href}"
    text = view.main_text
    if emails_in(text) or any(not fax_only(text, at) for _, at in phones_in(text)):
        return "kontak pengaduan tertulis"
    return None


def complaint(site) -> FeatureResult:
    """A complaint channel: a link to SP4N-LAPOR (lapor.go.id) or another complaint service, or the
    site's own complaint page that carries a form or a contact in its content (a page that only
    describes the procedure does not count)."""
    site = SiteView.of(site)
    clues = Clues("complaint")
    for view in site.pages:
        how = _complaint_page(view)
        if how:
            clues.add(view.url, f"{view.title}: {how}", view.url, "page")
        for code in view.scripts + view.frames:
            if LAPOR_HOST in code:
                clues.add(view.url, "widget SP4N-LAPOR!", "https://www.lapor.go.id/", "widget")
    for a in site.anchors:
        if _complaint_link(a, site):
            value = "https://www.lapor.go.id/" if _is_lapor(a.host) else a.url
            clues.add(a.page_url, a.snippet(), value, "link")
    return clues.result()


# --- social media accounts -------------------------------------------------------------------

PLATFORMS = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "instagram": ("instagram.com", "instagr.am"),
    "x": ("twitter.com", "x.com"),
    "youtube": ("youtube.com",),
    "tiktok": ("tiktok.com",),
}
# First path segments that are not accounts: share dialogs, posts, searches, plugins, log-ins.
NOT_ACCOUNT = {
    "facebook": {"sharer", "sharer.php", "share", "share.php", "dialog", "plugins", "tr", "login", "login.php",
                 "hashtag", "watch", "photo.php", "photo", "story.php", "permalink.php", "events", "search",
                 "help", "policies", "privacy", "l.php", "ads", "business", "home.php", "reel", "reels", "v2.0"},
    "instagram": {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "share", "direct", "about",
                  "developer", "legal"},
    "x": {"intent", "share", "home", "hashtag", "search", "i", "login", "signup", "explore", "settings", "tos",
          "privacy"},
    "youtube": {"watch", "embed", "shorts", "results", "playlist", "feed", "live", "redirect", "attribution_link",
                "share", "v"},
    "tiktok": {"share", "embed", "tag", "discover", "search", "music"},
}
# Deeper paths that point at one post, video or photo rather than the account.
POST_SEGMENTS = {"posts", "videos", "photos", "photo", "status", "video", "permalink", "story", "reel", "p"}


def platform_of(host: str) -> str | None:
    host = host.lower()
    for platform, domains in PLATFORMS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return platform
    return None


def account_of(url: str) -> tuple[str, str] | None:
    """(platform, handle) when ``url`` is a social media account, None for shares, posts and the like."""
    parts = urlsplit(url)
    platform = platform_of(parts.hostname or "")
    if platform is None:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if platform == "facebook" and segments[:2] == ["plugins", "page.php"]:
        embedded = (parse_qs(parts.query).get("href") or [""])[0]
        return account_of(embedded) if embedded else None
    if platform == "facebook" and segments[:1] == ["profile.php"]:
        ids = parse_qs(parts.query).get("id")
        return (platform, "id:" + ids[0]) if ids else None
    if not segments or segments[0].lower() in NOT_ACCOUNT[platform]:
        return None
    first = segments[0]
    if platform == "youtube":
        if first.startswith("@"):
            handle = first
        elif first in ("channel", "c", "user") and len(segments) > 1:
            handle = f"{first}/{segments[1]}"
        else:
            return None
        rest = segments[2:] if not first.startswith("@") else segments[1:]
        return (platform, handle) if not (set(rest) & {"watch", "shorts"}) else None
    if platform == "tiktok":
        return (platform, first) if first.startswith("@") and len(segments) == 1 else None
    if platform == "facebook" and first in ("pages", "groups", "people") and len(segments) > 1:
        return (platform, f"{first}/{segments[1]}")
    if len(segments) > 1 and segments[1].lower() in POST_SEGMENTS:
        return None
    if len(segments) > 1 and platform != "facebook":
        return None
    return (platform, first.lower() if platform != "facebook" else first)


def social_media(site) -> FeatureResult:
    """Accounts on Facebook, Instagram, X/Twitter, YouTube or TikTok, linked from any page (icons
    without text too); share buttons, links to single posts or videos and embeds do not count."""
    site = SiteView.of(site)
    clues = Clues("social_media", limit=5)
    for a in site.anchors:
        # Judged by the address alone: share links have their own shapes (sharer.php, intent, ?text=),
        # while themes name follow-us icon rows "social-share" as often as real share bars.
        if a.scheme not in ("http", "https"):
            continue
        account = account_of(a.url)
        if account:
            clues.add(a.page_url, a.snippet() or a.url, f"{account[0]}:{account[1]}", "link")
    for view in site.pages:
        for src in view.frames:
            account = account_of(src) if "plugins/page.php" in src else None
            if account:
                clues.add(view.url, "widget halaman Facebook", f"{account[0]}:{account[1]}", "embed")
    return clues.result()


# --- links to other government institutions ------------------------------------------------------

GOVERNMENT_SUFFIXES = (".go.id", ".desa.id", ".mil.id")


def is_government_host(host: str) -> bool:
    return host.endswith(GOVERNMENT_SUFFIXES)


def gov_links(site) -> FeatureResult:
    """Links to other government institutions: any go.id (or desa.id, mil.id) host other than the
    site's own, inside the pemda (its OPD, its portal) or outside it."""
    site = SiteView.of(site)
    clues = Clues("gov_links", limit=5)
    for a in site.anchors:
        if a.scheme in ("http", "https") and is_government_host(a.host) and not site.is_own(a.host):
            clues.add(a.page_url, a.snippet() or a.url, a.host, "link")
    return clues.result()
