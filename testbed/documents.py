"""Real, small PDF files whose metadata agrees with the world's dates.

pypdf writes no random file identifier unless asked to, so the same arguments always give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

_PAGE_WIDTH, _PAGE_HEIGHT = 595, 842  # A4 in points
_LINES_PER_PAGE = 48


def pdf_date(moment: dt.datetime) -> str:
    """A PDF date string, e.g. ``D:20260105093000+07'00'``."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{mins:02d}'"


def _escape(text: str) -> str:
    # Helvetica with WinAnsi covers Latin-1; anything else is dropped rather than mis-drawn.
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(lines: list[str], title: str | None) -> bytes:
    ops = ["BT", "/F1 10 Tf", "14 TL", "56 786 Td"]
    if title is not None:
        ops += ["/F2 14 Tf", f"({_escape(title)}) Tj", "T*", "T*", "/F1 10 Tf"]
    for line in lines:
        ops += [f"({_escape(line)}) Tj", "T*"]
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def _font(base: str) -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(base),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })


def make_pdf(
    title: str,
    paragraphs: list[str],
    *,
    created: dt.datetime,
    modified: dt.datetime,
    author: str,
    subject: str = "",
    producer: str = "Microsoft® Word 2016",
) -> bytes:
    """Return the bytes of a text PDF with /Title, /Author, /CreationDate and /ModDate set."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 95) or [""]
        lines.append("")
    chunks = [lines[i:i + _LINES_PER_PAGE] for i in range(0, max(len(lines), 1), _LINES_PER_PAGE)]

    writer = PdfWriter()
    fonts = DictionaryObject({
        NameObject("/F1"): _font("/Helvetica"),
        NameObject("/F2"): _font("/Helvetica-Bold"),
    })
    for number, chunk in enumerate(chunks):
        page = writer.add_blank_page(_PAGE_WIDTH, _PAGE_HEIGHT)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(_page_stream(chunk, title if number == 0 else None))
        page.replace_contents(stream)
        page.compress_content_streams()
    writer.add_metadata({
        "/Title": title,
        "/Author": author,
        "/Subject": subject or title,
        "/Creator": "Microsoft® Word 2016",
        "/Producer": producer,
        "/CreationDate": pdf_date(created),
        "/ModDate": pdf_date(modified),
    })
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
