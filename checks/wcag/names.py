"""Rules about names: images, links, buttons, frames and form fields a screen reader can announce.

Each rule returns the failing elements, an empty list when it passes, or None when the
page has no element it applies to. Hidden elements (display:none, hidden, aria-hidden)
are not judged: nobody meets them.
"""

from __future__ import annotations

from lxml import etree

from checks.wcag.dom import Doc, sanitize

# Roles whose elements must have a name; an <img> given another role is judged by that role's rules.
NAME_REQUIRED_ROLES = frozenset({
    "img", "image", "link", "button", "checkbox", "radio", "switch", "tab", "menuitem", "menuitemcheckbox",
    "menuitemradio", "option", "combobox", "listbox", "textbox", "searchbox", "slider", "spinbutton",
    "treeitem", "heading", "dialog", "alertdialog", "progressbar", "meter", "scrollbar", "tree", "grid",
    "treegrid", "table", "figure", "form", "region",
})
NO_LABEL_INPUT_TYPES = frozenset({"hidden", "image", "button", "submit", "reset"})


def _in_scope(doc: Doc, el: etree._Element) -> bool:
    """Judged by a name rule: rendered for assistive technology and not re-roled out of scope."""
    if doc.ax_hidden(el) or doc.in_inert_subtree(el):
        return False
    role = doc.role(el)
    if role and role not in ("none", "presentation") and role not in NAME_REQUIRED_ROLES \
            and not doc.focusable(el):
        return False
    return True


def _named(doc: Doc, el: etree._Element) -> bool:
    """aria-labelledby, aria-label or title give a name."""
    return bool(doc.labelledby_text(el) or doc.aria_label(el) or doc.title_text(el))


def image_alt(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.1.1: every <img> has an alt attribute (alt="" marks decoration) or another name."""
    images = [img for img in doc.root.iter("img") if _in_scope(doc, img)]
    if not images:
        return None
    failing = []
    for img in images:
        alt = img.get("alt")
        presentational = doc.presentational(img)
        if alt is not None and alt and not alt.strip() and not presentational:
            failing.append(img)  # alt=" " is neither a description nor the empty decorative marker
        elif alt is None and not presentational and not _named(doc, img):
            failing.append(img)
    return failing


def input_image_alt(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.1.1, 4.1.2: an image button (<input type=image>) says what it does."""
    buttons = [el for el in doc.root.iter("input") if (el.get("type") or "").strip().lower() == "image"
               and _in_scope(doc, el)]
    if not buttons:
        return None
    return [el for el in buttons
            if not (sanitize(el.get("alt")) or _named(doc, el) or doc.label_text(el))]


def link_name(doc: Doc) -> list[etree._Element] | None:
    """WCAG 2.4.4, 4.1.2: every link has text a screen reader can read (not just an icon)."""
    links = doc.links
    if not links:
        return None
    return [a for a in links if not (doc.has_text(a) or _named(doc, a))]


def button_name(doc: Doc) -> list[etree._Element] | None:
    """WCAG 4.1.2: every button has a name: its text, a label, aria-label or title."""
    candidates = [el for el in doc.root.iter("button", "input")
                  if (el.tag == "button" or (el.get("type") or "").strip().lower() in ("button", "submit", "reset"))
                  and _in_scope(doc, el)]
    if not candidates:
        return None
    failing = []
    for el in candidates:
        if el.tag == "button":
            if not (doc.subtree_text(el) or _named(doc, el) or doc.label_text(el) or doc.presentational(el)):
                failing.append(el)
            continue
        value = el.get("value")
        if value is None and (el.get("type") or "").strip().lower() in ("submit", "reset"):
            continue  # the browser labels it "Submit" / "Reset"
        if not (sanitize(value) or _named(doc, el) or doc.label_text(el)):
            failing.append(el)
    return failing


def frame_title(doc: Doc) -> list[etree._Element] | None:
    """WCAG 4.1.2: every iframe has a title saying what it holds (a map, a video, a form)."""
    frames = []
    for el in doc.root.iter("iframe", "frame"):
        if doc.ax_hidden(el) or doc.in_inert_subtree(el):
            continue
        tabindex = (el.get("tabindex") or "").strip()
        if tabindex.lstrip("-").isdigit() and int(tabindex) < 0:
            continue  # taken out of the keyboard order: not reachable as a frame
        frames.append(el)
    if not frames:
        return None
    return [el for el in frames if not _named(doc, el)]


def form_controls(doc: Doc) -> list[etree._Element]:
    """Fields a person fills in: text inputs, checkboxes, selects, text areas (not buttons)."""
    out = []
    for el in doc.root.iter("input", "select", "textarea"):
        if el.tag == "input" and (el.get("type") or "").strip().lower() in NO_LABEL_INPUT_TYPES:
            continue
        if not doc.ax_hidden(el) and not doc.in_inert_subtree(el):
            out.append(el)
    return out


def _labelled(doc: Doc, el: etree._Element) -> bool:
    return bool(doc.label_text(el) or _named(doc, el))


def label(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.3.1, 4.1.2: every form field has a name (label, aria-label, title or placeholder)."""
    controls = form_controls(doc)
    if not controls:
        return None
    failing = []
    for el in controls:
        placeholder = el.tag != "select" and sanitize(el.get("placeholder"))
        if not (_labelled(doc, el) or placeholder):
            failing.append(el)
    return failing


def label_placeholder_only(doc: Doc) -> list[etree._Element] | None:
    """WCAG 3.3.2: a field is not labelled by its placeholder alone, which vanishes once typing starts."""
    controls = [el for el in form_controls(doc) if el.tag != "select" and sanitize(el.get("placeholder"))]
    if not controls:
        return None
    return [el for el in controls if not _labelled(doc, el)]
