"""Text from an incident made safe for the programs that open an export.

Incident text (ids, titles, descriptions, party names) comes from people and tools outside
the host's control, and the exports are opened by programs that execute or misread some
text: a spreadsheet runs a cell that starts with ``=`` (and ``+``, ``-``, ``@``, which it
reads as the start of a formula; tab and carriage return hide such a cell), a calendar reads
a line break inside a property as the start of a new property, a browser runs markup, and a
Markdown renderer turns brackets into links and pipes into new table cells. Every export
that such a program opens passes its text through one of these functions, so that a
hostile incident stays text (``tests/test_export_safety.py`` feeds one through every
export). JSON exports need none of this: JSON's own escaping keeps text text.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "FORMULA_LEADS",
    "calendar_line",
    "calendar_text",
    "html_text",
    "markdown_text",
    "spreadsheet_cell",
]

#: What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

#: Control characters other than tab and line feed: never meaningful in an export.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
#: Inline markup anywhere in a line (emphasis, code, links, images, table pipes, HTML).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()!|~])")
#: What starts a block at the beginning of a line (a heading, list, quote, rule).
_BLOCK = re.compile(r"^(\s*)([#+\-=]|\d+(?=[.)]))")


def spreadsheet_cell(value: object) -> str:
    """``value`` as text that a spreadsheet shows and never evaluates.

    A cell whose first character (after any spaces) would start a formula gets a leading
    apostrophe, as OWASP recommends: the spreadsheet shows the text as written, with the
    apostrophe, and runs nothing. Other control characters are dropped.
    """
    text = "" if value is None else str(value)
    text = _CONTROL.sub(lambda m: "\r" if m.group() == "\r" else "", text)
    if text.lstrip(" ").startswith(FORMULA_LEADS):
        return "'" + text
    return text


def calendar_line(value: object) -> str:
    """One-line iCalendar text (a summary, a category): every line break and control
    character becomes a space, so nothing can start a property of its own."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(" ", _BREAKS.sub(" ", text))


def calendar_text(value: object) -> str:
    """Multi-line iCalendar text (a description): line breaks are kept as LF only, which
    the iCalendar writer escapes as ``\\n`` inside the property; carriage returns and
    other control characters, which some readers take as the end of a line, are dropped."""
    text = "" if value is None else str(value)
    return _CONTROL.sub(" ", _BREAKS.sub("\n", text))


def html_text(value: object) -> str:
    """Text for HTML: ``<``, ``>``, ``&`` and both quotes escaped (safe in attributes)."""
    return "" if value is None else html.escape(str(value), quote=True)


def markdown_text(value: object) -> str:
    """Text for Markdown: one line, HTML escaped, and every character that Markdown
    reads as markup (emphasis, links, images, headings, lists, table pipes) escaped with a
    backslash, so a renderer shows it as written and makes no link, image or cell of it."""
    text = calendar_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN.sub(r"\\\1", text)
    match = _BLOCK.match(text)
    if match is None:
        return text
    lead, mark = match.groups()
    if mark.isdigit():  # "1." starts a list: escape its dot
        return f"{lead}{mark}\\{text[match.end()]}{text[match.end() + 1 :]}"
    return f"{lead}\\{mark}{text[match.end() :]}"
