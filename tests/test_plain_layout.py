"""The command line's tables and paragraphs, laid out without rich, are rich's to the byte.

Written to a file or a pipe (what a playbook reads), ``breachrules assess`` no longer
imports rich to lay out its table (issue 24, target 1): :func:`plain_grid` and
:func:`plain_paragraph` make the same lines. Checked here against rich itself on
generated tables and text, and on every bundled example at several widths.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachrules.cli import table as cli_table
from breachrules.engine import Engine
from breachrules.io.serde import load_incident
from breachrules.views.terminal import plain_grid, plain_paragraph

from .conftest import EXAMPLES

#: Words as the tables hold them: ids, dates, citations, long URLs, runs of spaces.
_WORD = st.one_of(
    st.text(alphabet="abcdefXYZ-:/.§()?", min_size=1, max_size=12),
    st.text(alphabet="abcdefghij", min_size=20, max_size=60),
    st.sampled_from(["US-CA:notify-attorney-general", "2026-04-20?", "asap", "§", "—"]),
)
_TEXT = st.lists(
    st.tuples(_WORD, st.sampled_from([" ", " ", "  ", "\n"])), min_size=0, max_size=14
).map(lambda parts: "".join(w + s for w, s in parts))


def _fitted_only(*args: object, **kwargs: object) -> list[str] | None:
    """``plain_grid`` as the rich reference has it: off for a table that fits (rich lays
    it out), on for one that cannot fit without breaking a word, which rich would fold and
    the command line never does (it stacks or overflows it; see tests/test_terminal.py)."""
    if kwargs.get("stack") and plain_grid(*args[:5]) is None:  # type: ignore[arg-type]
        return plain_grid(*args, **kwargs)  # type: ignore[arg-type]
    return None


def _rich(monkeypatch: pytest.MonkeyPatch, call: object) -> str:
    """What ``call`` printed with the plain layout turned off (rich lays it out)."""
    with monkeypatch.context() as m:
        m.setattr(cli_table, "plain_grid", _fitted_only)
        m.setattr(cli_table, "plain_paragraph", lambda *a, **k: None)
        out = io.StringIO()
        call(out)  # type: ignore[operator]
    return out.getvalue()


def _plain(call: object) -> str:
    out = io.StringIO()
    call(out)  # type: ignore[operator]
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    columns=st.integers(1, 5),
    cells=st.lists(st.lists(_TEXT, min_size=5, max_size=5), min_size=0, max_size=5),
    wrap=st.sets(st.integers(0, 4)) | st.none(),
    indent=st.sampled_from([0, 2]),
    width=st.integers(40, 160),
)
def test_tables_are_rich_tables_to_the_byte(
    columns: int,
    cells: list[list[str]],
    wrap: set[int] | None,
    indent: int,
    width: int,
) -> None:
    header = [" " * indent + "FIRST", "SECOND COLUMN", "THIRD", "4TH", "FIFTH"][:columns]
    rows = [row[:columns] for row in cells]
    with pytest.MonkeyPatch.context() as m:
        m.setenv("COLUMNS", str(width))
        plain = _plain(lambda out: cli_table.table(out, header, rows, wrap))
        rich = _rich(m, lambda out: cli_table.table(out, header, rows, wrap))
    assert plain == rich


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, indent=st.sampled_from([0, 2, 4]), width=st.integers(40, 120))
def test_paragraphs_are_rich_paragraphs_to_the_byte(text: str, indent: int, width: int) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setenv("COLUMNS", str(width))
        plain = _plain(lambda out: cli_table.render(out, text, indent=indent))
        rich = _rich(m, lambda out: cli_table.render(out, text, indent=indent))
    assert plain == rich


# 40 columns is left out: there the assessment table's ids cannot all fit, and a table
# that keeps its ids whole runs past the edge instead of folding them as rich would (see
# tests/test_terminal.py, diff at 80 columns).
@pytest.mark.parametrize("width", [80, 100, 133])
def test_every_example_prints_as_rich_printed_it(
    width: int, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for path in sorted(Path(EXAMPLES).glob("*.json")):
        incident = load_incident(path)
        assessment = engine.assess(incident)
        plain = _plain(lambda out: cli_table.print_table(assessment, incident, out))  # noqa: B023
        rich = _rich(
            monkeypatch,
            lambda out: cli_table.print_table(assessment, incident, out),  # noqa: B023
        )
        assert plain == rich, path.name


def test_text_rich_measures_differently_is_left_to_rich() -> None:
    assert plain_paragraph("名前 and a tab\there", 40) is None
    assert plain_grid(["A"], [["名前"]], 40) is None
    assert plain_grid(["A"], [["ok"]], 40) == ["A", "──", "ok"]
    # Columns that cannot fit even at their least widths: rich folds them.
    assert plain_grid(["A", "B"], [["x" * 30, "y" * 30]], 40, wrap=set()) is None
