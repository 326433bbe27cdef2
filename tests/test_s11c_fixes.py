"""Fixes of the legal spot audit s11 (audit c: CA, NY, TX, FL, IL, MA) that a scenario file
cannot hold: each test fails without its fix, and each holds both sides of its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Advice to report data that has no element word as `other` ("report it as `other`",
#: "should be reported as `other`", "use `other`"), not the "not `other`" that now warns
#: against it.
_ADVICE = re.compile(r"(?:report(?:ed)?\b[^.;:]{0,40}?\bas|\buse)\s+`other`", re.IGNORECASE)

#: `other` as a word a condition reads (``[other, precise_geolocation]``).
_READ = re.compile(r"[\[,]\s*other\s*[\],]")


def _rulesets() -> list[Path]:
    """Every bundled ruleset file (data folders starting with ``_`` left out)."""
    return sorted(
        p
        for p in (ROOT / "rulesets").rglob("*.yaml")
        if not any(part.startswith("_") for part in p.relative_to(ROOT / "rulesets").parts)
    )


def _advises_other_unread(text: str) -> bool:
    """Whether a ruleset tells the user to report data as `other` while none of its
    conditions reads `other`: following the advice then gives a definite not_breach."""
    return bool(_ADVICE.search(text)) and not _READ.search(text)


def test_advice_detector_both_sides() -> None:
    """The detector finds the old advice, and lets pass a ruleset whose rules read `other`
    (CPNI's call detail) and the new advice that names `other` only to warn against it."""
    old = "ALPR data has no word; report it as `other` and review by hand."
    assert _advises_other_unread(old)
    assert _advises_other_unread("Elements without a word should be reported as `other`.")
    assert not _advises_other_unread(old + "\n  when: {elements: {any_of: [other, email]}}")
    assert not _advises_other_unread("report it as `unknown` (not `other`: it gives not_breach)")


@pytest.mark.parametrize("path", _rulesets(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_ruleset_advises_other_where_no_rule_reads_it(path: Path) -> None:
    """F4: a ruleset note that tells the user to report an element with no contract word
    as `other` (ALPR data in California, coarse location in Florida, ...) turned following
    it into a definite not_breach; the advice is `unknown`, which leaves the element test
    open (CONTRACT section 2)."""
    assert not _advises_other_unread(path.read_text(encoding="utf-8")), path
