"""Notice drafts as documents: the draft's parts, and Markdown, HTML and Word out.

A :class:`Draft` is laid out once as a flat list of blocks, each with its reviewer's margin
note (the citation of what the block says); Markdown renders the notes as footnotes, HTML
as numbered notes, Word as comments (:mod:`breachrules.io.docx`). Every text is escaped for
the format it is written in: whatever an incident holds cannot add markup, a link, an image
or raw HTML to a draft. The drafts are built in :mod:`breachrules.views.notices`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import attrs

from breachrules.errors import InvalidArgument, Problem
from breachrules.io.docx import Block, clean, docx_bytes
from breachrules.model.timestamps import format_timestamp

__all__ = [
    "FORMATS",
    "MARKING",
    "Draft",
    "Duty",
    "Item",
    "Notices",
    "Section",
    "markdown_escape",
]

FORMATS = ("md", "html", "docx")
#: On every draft, in every format and language: breachrules never sends a notice.
MARKING = "DRAFT for counsel's review — not sent by breachrules"


@attrs.frozen
class Item:
    """One content item a law requires, with its citation (the reviewer's margin note)."""

    text: str
    citation: str
    jurisdictions: tuple[str, ...]
    #: What the incident says about it (a regulator draft), or None.
    fill: str | None = None


@attrs.frozen
class Section:
    """A heading of the draft, the sentences under it and the items it must cover."""

    key: str
    heading: str
    #: Where the heading is prescribed (None: a drafting heading).
    heading_citation: str | None = None
    #: False when the heading is English standing in for the draft's language.
    translated: bool = True
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()


@attrs.frozen
class Duty:
    """One duty a draft serves, with its own status, due time and deadline in its law's
    words: a letter serving several laws says each under its own duty."""

    obligation: str
    status: str
    due: datetime | None
    deadline: str

    def line(self) -> str:
        due = format_timestamp(self.due) if self.due else "no fixed date"
        return f"{self.obligation}: {self.status}; due {due} ({self.deadline})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "obligation": self.obligation,
            "status": self.status,
            "due": format_timestamp(self.due) if self.due else None,
            "deadline": self.deadline,
        }


DraftKind = Literal["individuals", "regulator"]


@attrs.frozen
class Draft:
    """One notice to draft: a letter to one population, or a notice to one body."""

    key: str
    kind: DraftKind
    title: str
    title_citation: str | None
    party: str
    recipient: str
    status: str
    due: datetime | None
    deadline: str
    jurisdictions: tuple[str, ...]
    obligations: tuple[str, ...]
    language: str
    population: str | None = None
    #: Where the draft's language comes from, and any text left in English for counsel.
    language_notes: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    #: What this notice must not say, each with its citation.
    bars: tuple[Item, ...] = ()
    #: How the notice must be given (form, medium), for the reviewer, not the letter.
    checklist: tuple[Item, ...] = ()
    #: The regulator directory's entries, with each form field filled where possible.
    contacts: tuple[Mapping[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    marking: str = MARKING
    #: Each duty the draft serves, with its own deadline (the draft's ``due`` and
    #: ``deadline`` are its earliest due duty's).
    duties: tuple[Duty, ...] = ()

    def deadlines(self) -> str:
        """The deadline in words: each duty's under its own obligation where the duties'
        words differ (a letter serving DORA and the GDPR), else the one text."""
        by_text: dict[str, list[str]] = {}
        for duty in self.duties:
            by_text.setdefault(duty.deadline, []).append(duty.obligation)
        if len(by_text) <= 1:
            return self.deadline
        return "; ".join(f"{', '.join(ids)}: {text}" for text, ids in by_text.items())

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Every ``[[placeholder]]`` of the draft, once, in order."""
        found: list[str] = []
        for block in self.blocks():
            found += re.findall(r"\[\[([^\]]+)\]\]", block.text)
        return tuple(dict.fromkeys(found))

    def due_words(self) -> str:
        """The draft's due time in words: "no fixed date" only where no duty it serves
        has one; a date that comes from a duty not yet required says whose it is, so a
        required letter's header does not read as if that date were certain."""
        if self.due is None:
            return "no fixed date"
        when = format_timestamp(self.due)
        source = next((d for d in self.duties if d.due == self.due), None)
        if self.status == "required" and source is not None and source.status != "required":
            return f"{when} if {source.obligation} is owed (it is {source.status})"
        return when

    def blocks(self) -> list[Block]:
        """The draft as a flat list of blocks, each with its margin note (its citation)."""
        out = [
            Block("marking", self.marking),
            Block("title", self.title, self.title_citation),
        ]
        due = self.due_words()
        several = len(self.duties) > 1
        meta = [
            f"Status: {self.status}; due {due}" + ("" if several else f" ({self.deadline})"),
            f"From: {self.party}; to: {self.recipient}",
            f"For: {', '.join(self.jurisdictions)}; obligations: {', '.join(self.obligations)}",
            f"Language: {self.language}",
        ]
        if self.population:
            meta.insert(2, f"Population: {self.population}")
        out += [Block("paragraph", line) for line in meta]
        if several:  # each duty's deadline in its own law's words, under that duty
            out.append(Block("subheading", "Duties served"))
            out += [Block("item", d.line()) for d in self.duties]
        out += [Block("paragraph", note) for note in (*self.language_notes, *self.notes)]
        if self.bars:
            out.append(Block("heading", "Must not include"))
            out += [Block("item", b.text, _note(b)) for b in self.bars]
        for contact in self.contacts:
            out.append(Block("heading", f"Recipient: {contact['name']}"))
            for label in ("portal", "email", "postal_address", "phone"):
                if contact.get(label):
                    out.append(Block("item", f"{label.replace('_', ' ')}: {contact[label]}"))
            checked = "confirmed" if contact["verified"] else "not confirmed"
            out.append(Block("item", f"Directory source ({checked}): {contact['source']}", None))
            if contact.get("note"):
                out.append(Block("item", f"Directory's note: {contact['note']}"))
            if contact["form_fields"]:
                out.append(Block("subheading", "Form fields"))
                for field in contact["form_fields"]:
                    out.append(Block("item", f"{field['field']}: {field['value']}"))
        for section in self.sections:
            out.append(Block("heading", section.heading, section.heading_citation))
            out += [Block("paragraph", p) for p in section.paragraphs]
            if section.items:
                if self.kind == "individuals":
                    out.append(Block("subheading", "Must cover"))
                for item in section.items:
                    text = item.text if item.fill is None else f"{item.text}: {item.fill}"
                    out.append(Block("item", text, _note(item)))
        if self.checklist:
            out.append(Block("heading", "Reviewer's checklist: how the notice must be given"))
            out += [Block("item", c.text, _note(c)) for c in self.checklist]
        out.append(Block("marking", self.marking))
        return out

    def to_markdown(self) -> str:
        """The draft in Markdown: citations as footnotes, everything else escaped."""
        lines: list[str] = []
        notes: list[str] = []

        def ref(note: str | None) -> str:
            if not note:
                return ""
            notes.append(note)
            return f"[^{len(notes)}]"

        previous = ""
        for block in self.blocks():
            text = markdown_escape(block.text)
            mark = ref(block.note)
            if previous == "item" and block.kind != "item":
                lines.append("")
            previous = block.kind
            if block.kind == "title":
                lines += [f"# {text}{mark}", ""]
            elif block.kind == "heading":
                lines += [f"## {text}{mark}", ""]
            elif block.kind == "subheading":
                lines += [f"### {text}{mark}", ""]
            elif block.kind == "item":
                lines.append(f"- {text}{mark}")
            elif block.kind == "marking":
                lines += [f"**{text}**", ""]
            else:
                lines += [f"{text}{mark}", ""]
        out = "\n".join(_tidy(lines)).rstrip() + "\n"
        if notes:
            out += "\n" + "\n".join(
                f"[^{n}]: {markdown_escape(note)}" for n, note in enumerate(notes, 1)
            )
            out += "\n"
        return out

    def to_html(self) -> str:
        """A standalone HTML page: margin notes as numbered notes, everything escaped, and
        a Content-Security-Policy that loads and runs nothing."""
        body: list[str] = []
        notes: list[str] = []
        in_list = False

        def ref(note: str | None) -> str:
            if not note:
                return ""
            notes.append(note)
            n = len(notes)
            return f'<sup class="note"><a href="#note-{n}" id="ref-{n}">{n}</a></sup>'

        for block in self.blocks():
            text = html.escape(clean(block.text), quote=False)
            mark = ref(block.note)
            if block.kind == "item" and not in_list:
                body.append("<ul>")
                in_list = True
            if block.kind != "item" and in_list:
                body.append("</ul>")
                in_list = False
            tag = {
                "title": "h1",
                "heading": "h2",
                "subheading": "h3",
                "item": "li",
                "marking": "p",
                "paragraph": "p",
            }[block.kind]
            attr = ' class="marking"' if block.kind == "marking" else ""
            body.append(f"<{tag}{attr}>{text}{mark}</{tag}>")
        if in_list:
            body.append("</ul>")
        if notes:
            body.append('<hr><ol class="notes">')
            body += [
                f'<li id="note-{n}">{html.escape(clean(note), quote=False)}</li>'
                for n, note in enumerate(notes, 1)
            ]
            body.append("</ol>")
        lang = html.escape(self.language)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            f"<title>{html.escape(clean(self.title), quote=False)}</title>\n"
            "<style>.marking{color:#a00;font-weight:bold}.notes{font-size:smaller}</style>\n"
            "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
        )

    def to_docx(self) -> bytes:
        """The draft as a Word document; each citation is a comment in the margin."""
        return docx_bytes(self.blocks())

    def to_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self, recurse=True)
        d["due"] = format_timestamp(self.due) if self.due else None
        d["duties"] = [duty.to_dict() for duty in self.duties]
        d["placeholders"] = list(self.placeholders)
        return d


@attrs.frozen
class Notices:
    """Every draft of one assessment: letters to individuals first, then public bodies."""

    incident_id: str
    as_of: datetime
    drafts: tuple[Draft, ...]

    def draft(self, key: str) -> Draft:
        for d in self.drafts:
            if d.key == key:
                return d
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "as_of": format_timestamp(self.as_of),
            "marking": MARKING,
            "drafts": [d.to_dict() for d in self.drafts],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def write(self, folder: Path | str, format: str = "md") -> list[Path]:
        """Write one file per draft into ``folder`` (created); returns the paths."""
        if format not in FORMATS:
            raise InvalidArgument(
                [Problem("--format", f"{format!r} is not one of {', '.join(FORMATS)}")]
            )
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for d in self.drafts:
            path = out / f"{d.key}.{format}"
            if format == "md":
                path.write_text(d.to_markdown(), encoding="utf-8")
            elif format == "html":
                path.write_text(d.to_html(), encoding="utf-8")
            else:
                path.write_bytes(d.to_docx())
            paths.append(path)
        return paths


# --- escaping -------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>&!|~#])")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown text: no emphasis, code, links, images, raw HTML,
    tables, headings or list markers, and no bare-URL autolinks; one line. A web address
    is written as it reads, in a code span (where no renderer links it), never with its
    slashes escaped (``https:\\/\\/``, which a reader of the raw text sees)."""
    text = clean(text)
    parts: list[str] = []
    start = 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?'\"")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        parts += [_md_text(text[start : m.start()]), f"`{url}`"]
        start = m.start() + len(url)
    parts.append(_md_text(text[start:]))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(parts))


#: A web address: its characters up to a space, a backtick (which would end the code
#: span), a pipe (a table cell) or a quote or angle bracket around it.
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s`|<>\"\\]+")


def _md_text(text: str) -> str:
    text = _MD_INLINE.sub(lambda m: _MD_ENTITIES.get(m.group(1)) or "\\" + m.group(1), text)
    return text.replace("://", ":\\/\\/").replace("www.", "www\\.")


def _tidy(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out


def _note(item: Item) -> str:
    return f"{', '.join(item.jurisdictions)}: {item.citation}"
