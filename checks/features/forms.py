"""Forms and the conversations they carry: feedback form, polling/survey, forum or comments.

A form counts only when it can carry a message somewhere: a search box, a login box, a
newsletter sign-up or a form with nowhere to go is not a medium of interaction.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from checks.features.base import Anchor, Clues, FeatureResult, Form, PageView, SiteView, short

FEEDBACK_WORDS = re.compile(
    r"pesan|message|komentar|saran|masukan|kritik|pengaduan|aduan|keluhan|pertanyaan|question|feedback|"
    r"uraian|tanggapan|aspirasi|isi\b|konsultasi|buku tamu|guestbook|hubungi|contact|kontak", re.IGNORECASE)
MESSAGE_FIELD = re.compile(r"pesan|message|komentar|comment|saran|masukan|kritik|pengaduan|aduan|keluhan|"
                           r"pertanyaan|question|feedback|uraian|tanggapan|aspirasi|isi[ _-]?pesan|body|content",
                           re.IGNORECASE)
SURVEY_WORDS = re.compile(
    r"survei|survey|kuesioner|kuisioner|questionnaire|polling|\bpoll|jajak pendapat|\bikm\b|\bskm\b|"
    r"indeks kepuasan|kepuasan masyarakat|kepuasan pelayanan|penilaian (layanan|pelayanan)", re.IGNORECASE)
POLL_CLASSES = re.compile(r"poll|survey|survei|jajak|kuesioner|yop-|totalpoll|democracy", re.IGNORECASE)
SEARCH_NAMES = {"q", "s", "query", "keyword", "keywords", "cari", "search", "kata", "kata_kunci", "k", "term"}
SEARCH_HINT = re.compile(r"search|cari|pencarian", re.IGNORECASE)
FORM_PLUGINS = re.compile(r"wpcf7|elementor-form|wpforms|gform|nf-form|forminator|fluentform|contact-form|"
                          r"formidable|frm_forms|caldera|happyforms|everest-form", re.IGNORECASE)
COMMENT_FORM = re.compile(r"commentform|comment-form|wp-comments-post|comments?[-_]?form|komentar", re.IGNORECASE)
SURVEY_HOSTS = ("surveymonkey.com", "typeform.com", "jotform.com", "kobotoolbox.org", "ee.kobotoolbox.org",
                "survey.alchemer.com", "qualtrics.com", "limesurvey")
SURVEY_HOST_LABELS = {"skm", "ikm", "survei", "survey", "esurvey", "e-survey", "eskm", "e-skm", "kuesioner",
                      "polling", "sikm", "sukma"}
FORM_HOSTS = ("docs.google.com/forms", "forms.gle", "forms.office.com", "form.jotform.com")
ACTION_SURVEY = re.compile(r"\b(isi|ikuti|ayo|mari|berikan|klik|take|fill|join)\b.*(" + SURVEY_WORDS.pattern + ")",
                           re.IGNORECASE)
FORUM_LABELS = {"forum", "forums", "diskusi", "forum-diskusi", "community", "komunitas"}
FORUM_SOFTWARE = re.compile(r"viewtopic\.php|showthread\.php|viewforum\.php|/t/[\w-]+/\d+|/thread/|/topic/",
                            re.IGNORECASE)
MAX_LABEL_WORDS = 6
FB_COMMENTS = re.compile(r"(^|\s)fb-comments(\s|$)")
COMMENT_LIST = re.compile(r"(^|\s)(comment-list|commentlist)(\s|$)")


def is_search(form: Form) -> bool:
    if form.role == "search" or SEARCH_HINT.search(form.classes) or SEARCH_HINT.search(urlsplit(form.raw_action).path):
        return True
    if form.inputs("search"):
        return True
    texty = [f for f in form.fields if f.tag == "textarea" or (f.tag == "input" and f.type in ("text", ""))]
    return not form.textareas and len(texty) <= 1 and any(f.name in SEARCH_NAMES for f in texty)


def is_login(form: Form) -> bool:
    return bool(form.inputs("password"))


def is_comment_form(form: Form) -> bool:
    return bool(COMMENT_FORM.search(form.classes) or "wp-comments-post" in form.raw_action
                or any(f.name in ("comment_post_id", "comment_parent") for f in form.fields))


def posts_somewhere(form: Form) -> bool:
    """Submitting sends the message: POST, a real action, or a form plugin that posts it by script."""
    return form.method == "post" or bool(form.action) or bool(FORM_PLUGINS.search(form.classes))


def has_message_field(form: Form) -> bool:
    if form.textareas:
        return True
    return any(f.tag == "input" and f.type in ("text", "") and MESSAGE_FIELD.search(f.label) for f in form.fields)


def choice_count(form: Form) -> int:
    """Answer options a visitor can pick: radio buttons, checkboxes, rating selects."""
    radios = form.inputs("radio", "checkbox", "range")
    selects = [f for f in form.fields if f.tag == "select"]
    return len(radios) + 2 * len(selects)


def is_survey_form(form: Form) -> bool:
    if is_search(form) or is_login(form) or not posts_somewhere(form):
        return False
    choices = choice_count(form)
    if choices >= 2 and (SURVEY_WORDS.search(form.words) or POLL_CLASSES.search(form.classes)):
        return True
    # A bare question with options and no message box is a poll even without the word.
    return form.inputs("radio") != [] and len(form.inputs("radio")) >= 2 and not form.textareas


def is_feedback_form(form: Form) -> bool:
    if is_search(form) or is_login(form) or is_comment_form(form) or not posts_somewhere(form):
        return False
    if not has_message_field(form):
        return False
    return not (is_survey_form(form) and not FEEDBACK_WORDS.search(" ".join(f.label for f in form.textareas)))


def short_label(anchor: Anchor) -> bool:
    return 0 < len(anchor.label.split()) <= MAX_LABEL_WORDS


def _external_form(anchor_or_src: str) -> bool:
    return any(marker in anchor_or_src for marker in FORM_HOSTS)


def _frames(view: PageView) -> list[tuple[str, str]]:
    """(address, nearest heading or title) of every iframe of the page."""
    out = []
    for frame in view.all("iframe"):
        src = frame.get("src") or frame.get("data-src")
        if not src:
            continue
        heading = frame.find_previous(["h1", "h2", "h3", "h4"])
        words = " ".join(x for x in (frame.get("title") or "", heading.get_text(" ") if heading else "") if x)
        out.append((src, short(words)))
    return out


# --- feedback form -----------------------------------------------------------------------


def feedback_form(site) -> FeatureResult:
    """A form with a message field that posts somewhere (also an embedded or linked Google Form
    labelled for suggestions or complaints); not a search, login, comment or newsletter form."""
    site = SiteView.of(site)
    clues = Clues("feedback_form")
    for view in site.pages:
        for form in view.forms:
            if is_feedback_form(form):
                clues.add(view.url, form.snippet(), form.action or view.url, "form")
        for src, words in _frames(view):
            if _external_form(src) and FEEDBACK_WORDS.search(words) and not SURVEY_WORDS.search(words):
                clues.add(view.url, words or src, src, "embedded form")
    for a in site.anchors:
        if _external_form(a.url) and short_label(a) and FEEDBACK_WORDS.search(a.label) \
                and not SURVEY_WORDS.search(a.label):
            clues.add(a.page_url, a.snippet(), a.url, "linked form")
    return clues.result()


# --- polling / survey ------------------------------------------------------------------------


def _survey_link(anchor: Anchor, site: SiteView) -> bool:
    if anchor.scheme not in ("http", "https"):
        return False
    host = anchor.host
    first = host.split(".")[0] if host else ""
    if any(h in host for h in SURVEY_HOSTS) or first in SURVEY_HOST_LABELS:
        return True
    if not short_label(anchor) or not SURVEY_WORDS.search(anchor.label):
        return False
    if _external_form(anchor.url) or not site.is_own(host):
        return True
    # An own page that only reports survey results is not a survey; one that asks you to take it is.
    return bool(ACTION_SURVEY.search(anchor.label))


def polling(site) -> FeatureResult:
    """A poll or survey (IKM/SKM, jajak pendapat): a form with answer options, an embedded survey,
    or a link to a survey application; not a page that only reports survey results."""
    site = SiteView.of(site)
    clues = Clues("polling")
    for view in site.pages:
        for form in view.forms:
            if is_survey_form(form):
                clues.add(view.url, form.snippet(), form.action or view.url, "form")
        for src, words in _frames(view):
            host = (urlsplit(src).hostname or "").lower()
            if any(h in host for h in SURVEY_HOSTS) or host.split(".")[0] in SURVEY_HOST_LABELS \
                    or (_external_form(src) and SURVEY_WORDS.search(words)):
                clues.add(view.url, words or src, src, "embedded survey")
    for a in site.anchors:
        if _survey_link(a, site):
            clues.add(a.page_url, a.snippet(), a.url, "link")
    return clues.result()


# --- forum / comments ------------------------------------------------------------------------


def _forum_link(anchor: Anchor) -> bool:
    if anchor.scheme not in ("http", "https"):
        return False
    first_label = anchor.host.split(".")[0] if anchor.host else ""
    first_segment = anchor.path.strip("/").split("/")[0].lower()
    if first_label in FORUM_LABELS:
        return True
    if FORUM_SOFTWARE.search(anchor.url):
        return True
    return first_segment in FORUM_LABELS and short_label(anchor) and \
        bool(re.search(r"forum|diskusi|komunitas|community", anchor.label, re.IGNORECASE))


def forum(site) -> FeatureResult:
    """Discussion: a comment form or comment thread (WordPress, Disqus, Facebook comments), or a
    discussion forum; not an article that only mentions a "forum" or whose comments are closed."""
    site = SiteView.of(site)
    clues = Clues("forum")
    for view in site.pages:
        for form in view.forms:
            if is_comment_form(form) and not is_search(form) and posts_somewhere(form) and form.textareas:
                clues.add(view.url, form.snippet() or "formulir komentar", view.url, "comment form")
        if view.with_id("disqus_thread") or any("disqus.com/embed.js" in s for s in view.scripts):
            clues.add(view.url, "Disqus", view.url + "#disqus", "disqus")
        if view.with_class(FB_COMMENTS) or any("facebook.com/plugins/comments" in f for f in view.frames):
            clues.add(view.url, "Komentar Facebook", view.url + "#fb-comments", "facebook comments")
        thread = [li for lst in view.with_class(COMMENT_LIST) for li in lst.find_all("li", recursive=False)]
        if thread:
            clues.add(view.url, f"{len(thread)} komentar: " + thread[0].get_text(" "), view.url + "#comments",
                      "comment thread")
    for a in site.anchors:
        if _forum_link(a):
            clues.add(a.page_url, a.snippet(), a.url, "link")
    return clues.result()
