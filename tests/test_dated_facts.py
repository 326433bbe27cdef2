"""Dated facts: a notice owed on a regulator's order, dated from the order.

A ruleset declares a moment of its own (`declares.facts.<name>: {type: datetime}`), such
as when a regulator's order was received or the date the order set, and a deadline runs
from it (`from: "fact:<name>"`). Unknown, the due date waits for it and `missing_facts`
names it; `if_unknown` may name a moment the unknown one cannot precede (the earliest
lawful date, said so). Expectations are worked by hand in the comments.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, InvalidIncident, load_incident

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

LAW = (
    EXAMPLE_LAW
    + """
declares:
  facts:
    regulator_ordered_notice:
      type: bool
      description: The regulator has ordered notice to individuals.
    regulator_ordered_notice_at:
      type: datetime
      description: When the regulator's order was received.
    regulator_notice_due_at:
      type: datetime
      description: The end of the period the regulator's order set.
obligations:
  - id: notify-individuals
    citation: Ex. Act s. 3
    recipient: individuals
    by: owner
    when: {regulator_ordered_notice: true}
    deadline:
      text: within 10 days of the regulator's order
      from: "fact:regulator_ordered_notice_at"
      days: 10
      if_unknown:
        from: discovery
        text: the order cannot precede the discovery of the breach
  - id: notify-media
    citation: Ex. Act s. 4
    recipient: media
    by: owner
    when: {regulator_ordered_notice: true}
    deadline:
      text: within the period the regulator's order sets
      from: "fact:regulator_notice_due_at"
      days: 0
      if_unknown:
        from: "fact:regulator_ordered_notice_at"
        text: the period the order sets cannot end before the order
"""
)

DISCOVERED = "2026-05-01T10:00:00-04:00"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("dated")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _doc(**facts: Any) -> dict[str, Any]:
    doc = incident_doc(discovered_at=DISCOVERED, facts={"XX": facts})
    doc["exposures"][0]["residents"] = {"XX": 10}
    return doc


def _obligation(engine: Engine, doc: dict[str, Any], name: str) -> Any:
    (ob,) = [o for o in engine.assess(load_incident(doc)).obligations if o.id == f"XX:{name}"]
    return ob


def test_the_clock_runs_from_the_order(law: Engine) -> None:
    """Order received 4 June 2026 at 09:00: 10 days end with 14 June."""
    doc = _doc(
        regulator_ordered_notice=True, regulator_ordered_notice_at="2026-06-04T09:00:00-04:00"
    )
    ob = _obligation(law, doc, "notify-individuals")
    assert ob.status == "required"
    assert ob.due == _at("2026-06-14T23:59:59-04:00")
    assert ob.missing_facts == ()
    assert ob.deadline.from_ == "fact:regulator_ordered_notice_at"


def test_the_order_known_its_date_not_gives_the_earliest_lawful_date(law: Engine) -> None:
    """Ordered, date unknown: counted from discovery (1 May: 10 days end with 11 May),
    said so, and the order's date named as missing."""
    ob = _obligation(law, _doc(regulator_ordered_notice=True), "notify-individuals")
    assert ob.due == _at("2026-05-11T23:59:59-04:00")
    assert ob.missing_facts == ("facts.XX.regulator_ordered_notice_at",)
    assert any(
        "facts.XX.regulator_ordered_notice_at not known: the earliest lawful due date" in r.text
        and "the order cannot precede the discovery" in r.text
        for r in ob.reasons
    )


def test_the_date_the_order_set_is_the_due_date(law: Engine) -> None:
    """The order set 20 June 2026 at 17:00: due then. Unknown, the order's own date (the
    period it sets cannot end before it) is the earliest lawful date."""
    doc = _doc(
        regulator_ordered_notice=True,
        regulator_ordered_notice_at="2026-06-04T09:00:00-04:00",
        regulator_notice_due_at="2026-06-20T17:00:00-04:00",
    )
    assert _obligation(law, doc, "notify-media").due == _at("2026-06-20T17:00:00-04:00")
    del doc["facts"]["XX"]["regulator_notice_due_at"]
    ob = _obligation(law, doc, "notify-media")
    assert ob.due == _at("2026-06-04T09:00:00-04:00")
    assert ob.missing_facts == ("facts.XX.regulator_notice_due_at",)


def test_both_dates_unknown_leave_no_date_and_name_both(law: Engine) -> None:
    ob = _obligation(law, _doc(regulator_ordered_notice=True), "notify-media")
    assert ob.due is None
    assert ob.missing_facts == (
        "facts.XX.regulator_notice_due_at",
        "facts.XX.regulator_ordered_notice_at",
    )


def test_no_order_no_notice(law: Engine) -> None:
    ob = _obligation(law, _doc(regulator_ordered_notice=False), "notify-individuals")
    assert ob.status == "not_required" and ob.due is None and ob.missing_facts == ()


def test_a_dated_fact_that_is_not_a_moment_is_invalid_input(law: Engine) -> None:
    with pytest.raises(InvalidIncident) as info:
        law.assess(load_incident(_doc(regulator_ordered_notice_at="4 June")))
    assert "facts.XX.regulator_ordered_notice_at" in str(info.value)
    with pytest.raises(InvalidIncident):
        law.assess(load_incident(_doc(regulator_ordered_notice_at="2026-06-04T09:00:00")))


def test_the_compiled_law_cache_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from breachrules.law.loader import load_rulesets

    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "xx.yaml").write_text(LAW)
    first, second = (load_rulesets([tmp_path / "laws"], cache=True)[0] for _ in range(2))
    assert any((tmp_path / "cache").rglob("*")), "the second load reads the cache"
    assert first == second
    assert [f.kind for f in second.facts] == ["bool", "datetime", "datetime"]
    assert second.laws[0].obligations[1].deadline.if_unknown == (
        "fact:regulator_ordered_notice_at",
    )


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            'from: "fact:regulator_ordered_notice_at"\n      days: 10',
            'from: "fact:regulator_order_at"\n      days: 10',
            "did you mean 'fact:regulator_ordered_notice_at'",
        ),
        (
            'from: "fact:regulator_ordered_notice_at"\n        text',
            'from: "fact:regulator_ordered_notice"\n        text',
            "no dated fact 'regulator_ordered_notice'",
        ),
        (
            "when: {regulator_ordered_notice: true}\n    deadline:\n      text: within 10",
            "when: {regulator_ordered_notice_at: true}\n    deadline:\n      text: within 10",
            "unknown fact 'regulator_ordered_notice_at'",
        ),
    ],
)
def test_a_bad_dated_fact_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    problems = law_problems(tmp_path, LAW, old, new)
    assert any(says in p for p in problems), problems
