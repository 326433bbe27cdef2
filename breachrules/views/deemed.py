"""Deemed compliance in the views: a notice still going out, under the party's procedures.

A law that deems compliant an entity which "notifies affected Nebraska residents ... in
accordance with the maintained procedures" (Neb. Rev. Stat. § 87-808) replaces its own
notice by the notice under those procedures: it does not drop it. The engine marks such an
obligation (``Obligation.deemed_compliance``: the exception, its citation and whose
procedures); every view words it here, once, as a notice that goes out under the party's
procedures (the regulator's, or its own policy's), never as "no letter".
"""

from __future__ import annotations

from collections.abc import Iterable

from breachrules.model.decisions import Obligation
from breachrules.model.places import country_name

__all__ = ["WHOSE", "action_title", "explanation", "people", "under_procedures", "words"]

#: Whose procedures, as a reader is told ("under your regulator's procedures").
WHOSE = {"regulator": "your regulator's", "own": "your own"}


def under_procedures(obligations: Iterable[Obligation]) -> list[Obligation]:
    """The letters to individuals excused only because they go out under the party's
    procedures: a letter still to send. A notice to a regulator or the bureaus excused by
    the same exception goes only where the procedures provide for one (the interagency
    guidance names no state attorney general): ``explain`` says so, the plan offers none."""
    return [
        o
        for o in obligations
        if o.deemed_compliance is not None and o.kind == "notice" and o.recipient == "individuals"
    ]


def people(o: Obligation) -> str:
    """Whom the notice under the procedures goes to: "Nebraska residents", else the
    recipient's name."""
    if o.recipient == "individuals":
        return f"{country_name(o.jurisdiction) or o.jurisdiction} residents"
    return o.addressee


def action_title(o: Obligation) -> str:
    """The plan's action: "Notify Nebraska residents under your regulator's procedures
    (deemed compliance, Neb. Rev. Stat. § 87-804(2))"."""
    d = o.deemed_compliance
    assert d is not None
    whose = WHOSE[d.procedures]
    return f"Notify {people(o)} under {whose} procedures (deemed compliance, {d.citation})"


def words(o: Obligation) -> str:
    """One sentence for the brief and the drafts: who gets the notice, under which
    procedures, in place of which law's notice, and how it is recorded."""
    d = o.deemed_compliance
    assert d is not None
    return (
        f"{o.jurisdiction}: the notice to {people(o)} goes under {WHOSE[d.procedures]} breach "
        f"procedures, in place of the law's own notice (deemed compliance, {d.citation}; "
        f"{o.basis}): its content and timing follow those procedures; record it as sent as "
        f"{o.id}"
    )


def explanation(o: Obligation) -> str:
    """``explain``'s line: the law's notice is replaced, not dropped."""
    d = o.deemed_compliance
    assert d is not None
    head = f"Deemed compliance ({d.citation}, {d.exception}): "
    if o.recipient != "individuals":
        return head + (
            f"the law's own notice to {people(o)} is replaced by whatever notice "
            f"{WHOSE[d.procedures]} procedures provide for; none is owed under this law."
        )
    return head + (
        f"the law's own notice is replaced by the notice under {WHOSE[d.procedures]} "
        f"procedures, not dropped. Notify {people(o)} as those procedures provide and "
        f"record it as sent as {o.id}; a notice the law times from this one runs from "
        "that moment."
    )
