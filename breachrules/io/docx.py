"""A small ``.docx`` writer: counsel work in Word, so notice drafts open there.

The views lay a draft out as a flat list of :class:`Block` (a title, headings, paragraphs,
list items), each with an optional reviewer's note; this module turns that list into a Word
document through python-docx (the ``breachrules[docx]`` extra), putting each note in a Word
*comment*, the margin note a reviewer reads beside the text it concerns.

Text is written as text runs only, never as fields, hyperlinks or markup, so nothing a
word processor would execute can come from the incident. XML 1.0 cannot hold most control
characters; they are dropped here (python-docx would raise on them), and line breaks are
kept as spaces so that a value cannot open a paragraph of its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Literal

import attrs

__all__ = ["Block", "DocxUnavailable", "docx_bytes"]

BlockKind = Literal["title", "heading", "subheading", "paragraph", "item", "marking"]

#: Characters XML 1.0 cannot hold (and the line breaks we flatten).
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")


class DocxUnavailable(RuntimeError):
    """python-docx is not installed: ``pip install 'breachrules[docx]'``."""


@attrs.frozen
class Block:
    """One block of a document: its kind, its text and an optional reviewer's note."""

    kind: BlockKind
    text: str
    #: The reviewer's margin note (a Word comment): the citation of what the block says.
    note: str | None = None


def clean(text: str) -> str:
    """``text`` as a Word run can hold it: control characters dropped, breaks as spaces."""
    return _CONTROL.sub(" ", text).strip()


def docx_bytes(blocks: Iterable[Block], author: str = "breachrules") -> bytes:
    """The ``.docx`` file for ``blocks``; DocxUnavailable without python-docx."""
    try:
        import docx
    except ImportError:  # pragma: no cover - the test extra installs it
        raise DocxUnavailable(
            "writing .docx needs python-docx: pip install 'breachrules[docx]'"
        ) from None
    document = docx.Document()
    for block in blocks:
        text = clean(block.text)
        if block.kind == "title":
            paragraph = document.add_heading(text, level=0)
        elif block.kind == "heading":
            paragraph = document.add_heading(text, level=1)
        elif block.kind == "subheading":
            paragraph = document.add_heading(text, level=2)
        elif block.kind == "item":
            paragraph = document.add_paragraph(text, style="List Bullet")
        elif block.kind == "marking":
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = True
        else:
            paragraph = document.add_paragraph(text)
        if block.note and paragraph.runs:
            document.add_comment(paragraph.runs, text=clean(block.note), author=author)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
