"""Rules about content: data tables, links to PDF files, media that starts by itself.

Each rule returns the failing elements, an empty list when it passes, or None when the
page has nothing the rule applies to.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from checks.wcag.dom import Doc, sanitize

LANDMARK_ROLES = frozenset({"banner", "complementary", "contentinfo", "form", "main", "navigation", "region",
                            "search"})
_VISUAL_CONTENT = ("img", "svg", "input", "select", "textarea", "button", "iframe", "object", "video", "audio",
                   "canvas", "embed")
AUTOPLAY_GRACE_SECONDS = 3.0  # WCAG 1.4.2: sound that stops within 3 seconds needs no control


# --- tables ----------------------------------------------------------------------------------


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The rows of a table in the order a browser lists them: thead, body rows, tfoot."""
    head, body, foot = [], [], []
    for child in table:
        if child.tag == "tr":
            body.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if tr.tag == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[child.tag].extend(rows)
    return head + body + foot


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _span(cell: etree._Element, name: str, default: int = 1) -> int:
    raw = cell.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        return default


def table_grid(rows: list[etree._Element]) -> list[list[etree._Element | None]]:
    """Cells laid out on a grid, a spanning cell in every slot it covers (None for holes)."""
    slots: list[dict[int, etree._Element]] = [{} for _ in rows]
    for y, row in enumerate(rows):
        x = 0
        for cell in _cells(row):
            colspan = max(1, min(1000, _span(cell, "colspan")))
            rowspan = _span(cell, "rowspan")
            rowspan = len(rows) - y if rowspan == 0 else max(1, rowspan)
            for _ in range(colspan):
                for dy in range(min(rowspan, len(rows) - y)):
                    line = slots[y + dy]
                    while x in line:
                        x += 1
                    line[x] = cell
                x += 1
    return [[line.get(x) for x in range(max(line) + 1)] if line else [] for line in slots]


def is_data_table(doc: Doc, table: etree._Element) -> bool:
    """A table of data rather than of layout, by the heuristics browsers and axe-core use."""
    role = doc.role(table)
    if role in ("presentation", "none") and not doc.focusable(table):
        return False
    if role in ("grid", "treegrid", "table") or role in LANDMARK_ROLES:
        return True
    if table.get("datatable") == "0":
        return False
    if table.get("summary"):
        return True
    if any(child.tag in ("thead", "tfoot", "caption", "colgroup") for child in table):
        return True
    rows = table_rows(table)
    cells = 0
    for row in rows:
        for cell in _cells(row):
            if cell.tag == "th" or cell.get("scope") or cell.get("headers") or cell.get("abbr"):
                return True
            if doc.role(cell) in ("columnheader", "rowheader"):
                return True
            if len(cell) == 1 and cell[0].tag == "abbr":
                return True
            cells += 1
    if table.find(".//table") is not None:
        return False
    if len(rows) < 2:
        return False
    sample = _cells(rows[math.ceil(len(rows) / 2)]) if math.ceil(len(rows) / 2) < len(rows) else []
    if len(sample) == 1 and _span(sample[0], "colspan") <= 1:
        return False
    if len(sample) >= 5:
        return True
    border = (table.get("border") or "").strip()
    if border and border != "0":
        return True
    backgrounds = {doc.styles.value(row, "background-color") for row in rows}
    if len(backgrounds) > 1:
        return True
    if len(rows) >= 20:
        return True
    width = (table.get("width") or doc.styles.value(table, "width") or "").replace(" ", "")
    if width == "100%":
        return False  # spans the page: a layout grid
    if cells < 10:
        return False
    return table.find(".//object") is None and table.find(".//embed") is None and table.find(".//iframe") is None


def _has_content(doc: Doc, el: etree._Element) -> bool:
    if not len(el):
        text = el.text
        return bool(text and not text.isspace()) or bool(doc.aria_label(el) or doc.labelledby_text(el))
    if sanitize("".join(el.itertext())) or doc.aria_label(el) or doc.labelledby_text(el):
        return True
    return next(el.iterdescendants(*_VISUAL_CONTENT), None) is not None


def _scope(cell: etree._Element, grid: list[list[etree._Element]], x: int, y: int, doc: Doc) -> str | None:
    role = doc.role(cell)
    if role == "columnheader":
        return "col"
    if role == "rowheader":
        return "row"
    scope = (cell.get("scope") or "").strip().lower()
    if scope in ("col", "row", "colgroup", "rowgroup"):
        return scope
    if cell.tag != "th":
        return None
    if all(c.tag == "th" for c in grid[y] if c is not None):
        return "col"
    if all(x < len(line) and line[x] is not None and line[x].tag == "th" for line in grid):
        return "row"
    return "auto"


def td_has_header(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.3.1: in a data table of 3x3 or more, each data cell has a row or column header."""
    judged, failing = 0, []
    for table in doc.root.iter("table"):
        if doc.ax_hidden(table) or doc.in_inert_subtree(table) or not is_data_table(doc, table):
            continue
        grid = table_grid(table_rows(table))
        if len(grid) < 3 or any(len(line) < 3 for line in grid[:3]):
            continue
        judged += 1
        if _cells_without_header(doc, grid):
            failing.append(table)
    return failing if judged else None


def _cells_without_header(doc: Doc, grid: list[list[etree._Element]]) -> list[etree._Element]:
    first = grid[0]
    width = len(first)
    if all(c is not None and c.tag == "th" and (c.get("scope") or "col").strip().lower() in ("col", "colgroup")
           and doc.role(c) == "" for c in first) \
            and all(len(line) <= width for line in grid) and all(_has_content(doc, c) for c in first) \
            and not any(c is not None and c.get("headers") for line in grid for c in line):
        return []  # the usual accessible table: a header row over every column
    positions: dict[etree._Element, tuple[int, int]] = {}
    # The first row and column where each column and row has a header cell with content.
    column_header_from: dict[int, int] = {}
    row_header_from: dict[int, int] = {}
    scopes: dict[etree._Element, str | None] = {}
    content: dict[etree._Element, bool] = {}
    for y, line in enumerate(grid):
        for x, cell in enumerate(line):
            if cell is None:
                continue
            positions.setdefault(cell, (x, y))
            if cell not in scopes:
                scopes[cell] = _scope(cell, grid, x, y, doc)
            scope = scopes[cell]
            if scope is None:
                continue
            if cell not in content:
                content[cell] = _has_content(doc, cell)
            if not content[cell]:
                continue
            if scope in _COLUMN_HEADER and x not in column_header_from:
                column_header_from[x] = y
            if scope in _ROW_HEADER and y not in row_header_from:
                row_header_from[y] = x
    bad = []
    nowhere = len(grid) + max(map(len, grid)) + 1
    for cell, (x, y) in positions.items():
        role = doc.role(cell)
        is_data = (role in ("cell", "gridcell")) if role else cell.tag == "td"
        if not is_data:
            continue
        has = content.get(cell)
        if has is None:
            has = _has_content(doc, cell)
        if not has or doc.aria_label(cell) or doc.labelledby_text(cell):
            continue
        refs = [doc.by_id(ref) for ref in (cell.get("headers") or "").split()]
        if any(ref is not None for ref in refs):
            if not any(ref is not None and _has_content(doc, ref) for ref in refs):
                bad.append(cell)
            continue
        last = x + max(1, _span(cell, "colspan")) - 1
        if row_header_from.get(y, nowhere) <= last:
            continue
        if any(column_header_from.get(cx, nowhere) <= y for cx in range(x, last + 1)):
            continue
        bad.append(cell)
    return bad


_ROW_HEADER = frozenset({"row", "rowgroup", "auto"})
_COLUMN_HEADER = frozenset({"col", "colgroup", "auto"})


# --- links to PDF files ------------------------------------------------------------------------


def is_pdf_link(a: etree._Element) -> bool:
    href = a.get("href") or ""
    if ".pdf" not in href.lower():
        return "pdf" in (a.get("type") or "").lower()
    href = href.strip()
    try:
        path = urlsplit(href).path
    except ValueError:
        return False
    return path.lower().endswith(".pdf")


def link_pdf_unmarked(doc: Doc) -> list[etree._Element] | None:
    """WCAG 2.4.4 (advisory): a link that opens a PDF says so in its text, label or title."""
    links = [a for a in doc.links if is_pdf_link(a)]
    if not links:
        return None
    failing = []
    for a in links:
        described = " ".join(doc.subtree_text(ref, include_hidden=True) for ref in
                             (doc.by_id(i) for i in (a.get("aria-describedby") or "").split()) if ref is not None)
        said = " ".join((doc.subtree_text(a), doc.aria_label(a), doc.labelledby_text(a), doc.title_text(a),
                         described)).lower()
        if "pdf" not in said:
            failing.append(a)
    return failing


# --- media that plays by itself ------------------------------------------------------------------


def _has_source(media: etree._Element) -> bool:
    if (media.get("src") or "").strip():
        return True
    return any((source.get("src") or "").strip() for source in media.iter("source"))


def _playback_range(media: etree._Element) -> float | None:
    """Seconds a media fragment (#t=start,end) limits playback to, when it says."""
    src = media.get("src") or next((s.get("src") for s in media.iter("source") if s.get("src")), "")
    _, _, fragment = src.partition("#t=")
    if not fragment:
        return None
    parts = fragment.split(",")
    if len(parts) != 2:
        return None
    try:
        return abs(float(parts[1]) - float(parts[0]))
    except ValueError:
        return None


def no_autoplay_audio(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.4.2: sound that starts by itself can be paused (controls) or stops within 3 seconds.

    A static reader cannot know a file's length, so a clip without controls counts as
    longer than 3 seconds unless a media fragment (#t=0,2) bounds it.
    """
    media = [el for el in doc.root.iter("audio", "video")
             if el.get("autoplay") is not None and el.get("muted") is None and el.get("paused") is None
             and _has_source(el) and not doc.in_inert_subtree(el)]
    if not media:
        return None
    failing = []
    for el in media:
        controls = el.get("controls") is not None
        if el.get("loop") is not None:
            if not controls:
                failing.append(el)
            continue
        length = _playback_range(el)
        if length is not None and length <= AUTOPLAY_GRACE_SECONDS:
            continue
        if not controls:
            failing.append(el)
    return failing


def embed_autoplay(doc: Doc) -> list[etree._Element] | None:
    """WCAG 1.4.2: an embedded player (YouTube, Vimeo, ...) is not told to autoplay with sound."""
    frames = []
    for el in doc.root.iter("iframe"):
        try:
            query = parse_qs(urlsplit(el.get("src") or "").query)
        except ValueError:
            continue
        if query.get("autoplay", [""])[0].lower() in ("1", "true") and not doc.in_inert_subtree(el):
            frames.append((el, query))
    if not frames:
        return None
    return [el for el, query in frames
            if query.get("mute", query.get("muted", [""]))[0].lower() not in ("1", "true")]
