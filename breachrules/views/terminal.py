"""Text laid out for a terminal: columns wide enough for their words, paragraphs wrapped.

Obligation ids (``US-CA:notify-attorney-general``), party ids and jurisdiction codes are
things a responder copies and searches for; broken across two lines
(``US-CA:notify-attorney-g`` / ``eneral``) they can be neither. ``rich`` wraps a cell at its
spaces and folds only a word longer than its column, so a column at least as wide as its
longest word never breaks one: :func:`word_width` says how wide that is, and
:func:`fit_widths` shares a terminal's width out so that each column gets at least that.

:func:`wrap` fits plain text that was written with indents (an explanation, step by step)
to a width: each line keeps its indent, and a wrapped line continues under the text of the
line it belongs to (after ``1.`` or ``-``), never under the margin. A word longer than the
line (a URL) stays whole on a line of its own.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

__all__ = [
    "GAP",
    "WHOLE",
    "cells",
    "columns",
    "fit_widths",
    "grid",
    "plain_grid",
    "plain_paragraph",
    "word_width",
    "wrap",
]

#: Spaces between two columns of the tables the package prints (rich pads each side by one).
GAP = 2
#: The longest word a wrapping column is made wide enough for: any word that long is an
#: id, a fact path or a URL (``facts.EU-GDPR.supervisory_authority_required_notice``),
#: which must never break inside; prose has no such words.
WHOLE = 64

_MARKER = re.compile(r"^(\s*)((?:\d+\.|-|\+|\*)\s+)?")
#: A word as rich's wrapping sees one: the word and the spaces after it.
_WORD = re.compile(r"\s*\S+\s*")
#: Characters one terminal cell wide whatever the terminal (rich measures others from
#: its Unicode tables: the plain layout leaves text holding any of them to rich).
_NARROW = re.compile(r"[\n\x20-\x7e\xa0-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20bf]*")


def columns(fallback: int = 80) -> int:
    """The width text printed on standard output should fit: the terminal's when standard
    output is one, else ``$COLUMNS`` (at least 40), else ``fallback``, as the command line
    reads it (``breachrules.cli.table.width``). For text a script prints (``str(diff)``)."""
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        return shutil.get_terminal_size((fallback, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return fallback


def word_width(cells: Iterable[str], cap: int) -> int:
    """The width of the longest word in ``cells`` (whitespace separates words), at most
    ``cap``: the narrowest column in which none of them breaks."""
    longest = max((len(word) for cell in cells for word in cell.split()), default=1)
    return max(1, min(longest, cap))


def fit_widths(least: list[int], most: list[int], available: int) -> list[int] | None:
    """Column widths that fill at most ``available`` characters: every column at least its
    ``least`` (the longest word, or the whole text of a column that must not wrap) and at
    most its ``most`` (its longest line), the room left shared out evenly, so a column that
    needs little is given all it needs first.

    ``None`` when even the least widths do not fit (a very narrow terminal): the caller
    then lets words fold. rich's own layout shrinks the widest columns first, below their
    minimum, and a table wider than the terminal is then cut off at its edge; widths set
    here never are.
    """
    if sum(least) > available:
        return None
    widths = list(least)
    spare = available - sum(widths)
    while spare > 0:
        growing = [n for n, w in enumerate(widths) if w < most[n]]
        if not growing:
            break
        share = max(1, spare // len(growing))
        for n in growing:
            add = min(share, most[n] - widths[n], spare)
            widths[n] += add
            spare -= add
            if not spare:
                break
    return widths


def cells(text: str) -> int:
    """The terminal cells ``text`` takes: two for a wide or fullwidth East Asian character
    (個, 개), none for a combining mark, one for any other. Counting characters instead
    ran Japanese and Korean lines 81-88 cells wide at 80 columns (UT13)."""
    if _NARROW.fullmatch(text):
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _fullwidth(ascii_marks: str) -> str:
    """``ascii_marks`` and their fullwidth forms (U+FF01-U+FF5E: the ASCII ones + 0xFEE0)."""
    return ascii_marks + "".join(chr(ord(c) + 0xFEE0) for c in ascii_marks)


#: Characters a line never starts with (closing punctuation) or ends with (opening), in
#: either script: a break between East Asian characters keeps them with their word.
_CLOSING = frozenset(_fullwidth(",.;:!?)]}") + "、。」』】〉》")
_OPENING = frozenset(_fullwidth("([{") + "「『【〈《")


def wrap(text: str, width: int) -> str:
    """``text`` with every line longer than ``width`` cells wrapped under its own indent.

    The result ends with a newline when ``text`` does.
    """
    out: list[str] = []
    for line in text.splitlines():
        if cells(line) <= width:
            out.append(line)
            continue
        m = _MARKER.match(line)
        indent = m.group(1) if m else ""
        marker = (m.group(2) or "") if m else ""
        hanging = " " * (len(indent) + len(marker))
        body, room = line[len(indent) :], max(width, len(hanging) + 20)
        if not _NARROW.fullmatch(body):
            out += _wrap_wide(body, room, indent, hanging)
            continue
        out += textwrap.wrap(
            body,
            width=room,
            initial_indent=indent,
            subsequent_indent=hanging,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [line]
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may break inside it: before or after a wide character
    (Japanese and Chinese run without spaces), never before closing punctuation nor
    after opening punctuation."""
    out = [word[:1]]
    for before, ch in itertools.pairwise(word):
        wide = _char_cells(ch) == 2 or _char_cells(before) == 2
        if wide and ch not in _CLOSING and before not in _OPENING:
            out.append(ch)
        else:
            out[-1] += ch
    return out


def _wrap_wide(body: str, width: int, indent: str, hanging: str) -> list[str]:
    """``body`` wrapped greedily to ``width`` cells, measuring each character's cells: at
    spaces, and between East Asian characters (:func:`_pieces`); a piece longer than
    the line (a URL) stays whole on a line of its own."""
    lines: list[str] = []
    line, used, fresh = indent, cells(indent), True
    for match in re.finditer(r"(\s*)(\S+)", body):
        space, word = match.groups()
        for n, piece in enumerate(_pieces(word)):
            gap = space if n == 0 and not fresh else ""
            need = cells(gap) + cells(piece)
            if not fresh and used + need > width:
                lines.append(line)
                line, used, gap = hanging, len(hanging), ""
                need = cells(piece)
            line += gap + piece
            used += need
            fresh = False
    lines.append(line)
    return lines


def grid(
    header: list[str],
    rows: list[list[str]],
    available: int,
    wrap: set[int] | None = None,
    min_widths: dict[int, int] | None = None,
) -> Table:
    """A borderless table that fits ``available`` columns: cells wrap within their column,
    and a wrapping column is never narrower than its longest word (up to ``WHOLE``
    characters, or ``min_widths`` where the caller knows better), so ids and codes wrap
    whole instead of breaking inside. The widths are shared out by ``fit_widths``.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        expand=False,
        collapse_padding=True,
    )
    least, most = _widths(header, rows, wrap, min_widths)
    widths = fit_widths(least, most, available - GAP * (len(header) - 1))
    for n, name in enumerate(header):
        wraps = wrap is None or n in wrap
        t.add_column(
            name.strip(),
            overflow="fold",
            no_wrap=not wraps,
            width=widths[n] if widths else None,
        )
    for row in rows:
        t.add_row(*(Text(str(c).strip()) for c in row))
    return t


def _divide(line: str, width: int) -> list[str]:
    """One line of text broken to ``width`` columns exactly as rich breaks it (its
    ``divide_line`` with ``fold``): at the start of the word that does not fit, and a word
    longer than the whole width folded into pieces of that width. Each piece keeps the
    spaces after its last word; every piece but those is at most ``width`` long."""
    if len(line) <= width:  # every word fits where it starts: nothing to break
        return [line]
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(line)]
    return [line[a:b] for a, b in itertools.pairwise(bounds)]


def _cell(text: str, width: int, wraps: bool) -> list[str]:
    """A cell's lines, each exactly ``width`` wide (rich's left justification)."""
    out: list[str] = []
    for line in text.split("\n"):
        pieces = _divide(line, width) if wraps else [line]
        out += [piece.rstrip()[:width].ljust(width) for piece in pieces]
    return out


def plain_paragraph(text: str, width: int) -> list[str] | None:
    """``text`` wrapped to ``width`` as rich prints it (each line stripped at its end),
    without importing rich; None when the text holds a character rich measures as other
    than one cell wide (then rich lays it out)."""
    if not _NARROW.fullmatch(text):
        return None
    return [piece.rstrip() for line in text.split("\n") for piece in _divide(line, width)]


def plain_grid(
    header: list[str],
    rows: list[list[str]],
    available: int,
    wrap: set[int] | None = None,
    min_widths: dict[int, int] | None = None,
    overflow: bool = False,
    stack: bool = False,
) -> list[str] | None:
    """The lines :func:`grid` makes rich print, laid out here without rich (a new process
    that prints one table should not import and run a layout engine for it): the same
    widths, the same breaks, a rule of ``─`` under the header, each line stripped at its
    end. None where rich must lay it out: a terminal too narrow for the columns' least
    widths, or text with a character that is not one cell wide. ``overflow``: where the
    least widths do not fit, lay the table out at those widths anyway, wider than
    ``available``, rather than fold an id or a timestamp that a reader copies. ``stack``:
    before that, try the last column on a line of its own under each row
    (:func:`_stacked`), which keeps the table within ``available``."""
    cells = [[name.strip() for name in header], *([str(c).strip() for c in row] for row in rows)]
    if not all(_NARROW.fullmatch(c) for row in cells for c in row):
        return None
    least, most = _widths(header, rows, wrap, min_widths)
    widths = fit_widths(least, most, available - GAP * (len(header) - 1))
    if widths is None and stack and len(header) > 2:
        under = _stacked(header, rows, available, wrap, min_widths)
        if under is not None:
            return under
    if widths is None and overflow:
        widths = list(least)
    if widths is None:
        return None
    return [line for row in _rows(cells, widths, wrap) for line in row]


def _rows(cells: list[list[str]], widths: list[int], wrap: set[int] | None) -> list[list[str]]:
    """Each row's lines (the header's first, with its rule under it)."""
    wraps = [wrap is None or n in wrap for n in range(len(widths))]
    out: list[list[str]] = []
    for r, row in enumerate(cells):
        laid = [_cell(c, widths[n], wraps[n]) for n, c in enumerate(row)]
        laid += [[" " * w] for w in widths[len(row) :]]
        height = max(len(lines) for lines in laid)
        for n, lines in enumerate(laid):  # the header's cells sit on its last line
            blank = [" " * widths[n]] * (height - len(lines))
            laid[n] = blank + lines if r == 0 else lines + blank
        out.append([(" " * GAP).join(line).rstrip() for line in zip(*laid, strict=True)])
        if r == 0:
            out[-1].append("─" * (sum(widths) + GAP * (len(widths) - 1)))
    return out


def _stacked(
    header: list[str],
    rows: list[list[str]],
    available: int,
    wrap: set[int] | None,
    min_widths: dict[int, int] | None,
) -> list[str] | None:
    """The table with its last column on a line of its own under each row ("waits on:
    facts.EU-DORA.impact_on_clients_financial_interests"), where all the columns side by
    side cannot fit without breaking a word: the others stay columns, the last is wrapped
    as prose under them, a word longer than the line (an id, a URL) whole on its own line.
    None where even the other columns do not fit."""
    first = header[:-1]
    least, most = _widths(first, rows, wrap, min_widths)
    widths = fit_widths(least, most, available - GAP * (len(first) - 1))
    if widths is None:
        return None
    indent = "  "  # under the first column's text (the caller indents the whole table)
    label = header[-1].strip().lower() + ": "
    cells = [[h.strip() for h in first], *([str(c).strip() for c in row[:-1]] for row in rows)]
    laid = _rows(cells, widths, wrap)
    out = laid[0]
    for row, lines in zip(rows, laid[1:], strict=True):
        out += lines
        value = str(row[-1]).strip() if len(row) == len(header) else ""
        if value:
            out += textwrap.wrap(
                label + value,
                width=max(available, len(indent) + 20),
                initial_indent=indent,
                subsequent_indent=indent + " " * len(label),
                break_long_words=False,
                break_on_hyphens=False,
            )
    return out


def _widths(
    header: list[str],
    rows: list[list[str]],
    wrap: set[int] | None,
    min_widths: dict[int, int] | None,
) -> tuple[list[int], list[int]]:
    """Each column's least and most width (see :func:`grid`)."""
    least, most = [], []
    for n, name in enumerate(header):
        column = [name.strip(), *(str(row[n]).strip() for row in rows if n < len(row))]
        lines = [line for cell in column for line in cell.splitlines()] or [""]
        longest = max(len(line) for line in lines)
        if wrap is None or n in wrap:
            floor = (min_widths or {}).get(n, word_width(column, WHOLE))
            least.append(min(max(floor, min(8, longest)), longest))
        else:
            least.append(longest)
        most.append(longest)
    return least, most
