"""A fact still unknown, in words for people who do not read field paths.

``facts.EU-GDPR.supervisory_authority_required_notice`` means something to counsel and to
a program; a call-centre brief says "whether the supervisory authority has required the
controller to communicate the personal data breach to the data subjects". A ruleset's own
fact is said with its declared ``description`` (up to its citation); a contract fact with
the words below; anything else with its last word spelled out, never its path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from breachrules.model.timestamps import parse_timestamp

if TYPE_CHECKING:
    from breachrules.model.decisions import Obligation

__all__ = ["NOT_GIVEN", "delayed_until", "fact_in_words", "not_given", "own_descriptions"]

#: How a party's list a document leaves empty is shown: ``[]`` reads "established
#: nowhere", while the document only does not say.
NOT_GIVEN = "(not given)"
_PARTY_LISTS = ("established_in", "offers_to", "types")


#: A reason that a law-enforcement delay still holding wrote (``engine.clocks.delay_reason``,
#: ``engine.delays``): "law enforcement asked for a delay until <timestamp>; ...".
_DELAY = re.compile(r"^law enforcement asked for a delay until (\S+?);")


def delayed_until(o: Obligation) -> datetime | None:
    """When the law-enforcement delay holding ``o`` ends, as its reason says, or None:
    every view that shows a due date (or "asap") shows the delay beside it, not only
    ``explain`` (UT12 F6: Oklahoma's "asap" for a notice law enforcement asked to hold)."""
    for r in o.reasons:
        found = _DELAY.match(r.text)
        if found:
            return parse_timestamp(found.group(1))
    return None


def not_given(path: str, value: object) -> bool:
    """Whether ``value`` at ``path`` is a party's list left empty (``established_in``,
    ``offers_to``, ``types``): not given, rather than none."""
    return value == [] and path.rsplit(".", 1)[-1] in _PARTY_LISTS


#: The contract's facts, by their last path word, as a question's "whether ..." says them.
_WORDS: dict[str, str] = {
    "acquired": "whether someone not authorised took (acquired) the data",
    "accessed": "whether someone not authorised accessed the data",
    "encrypted": "whether the data was encrypted",
    "key_compromised": "whether the key to the encrypted data was compromised too",
    "paper": "whether the records were on paper",
    "identity_theft_without_name": "whether the data allows identity theft without a name",
    "phi": "whether the data includes health information",
    "destroyed": "whether the data was destroyed",
    "lost": "whether the data was lost",
    "altered": "whether the data was altered",
    "identifiable": "whether the affected people can be identified",
    "gdpr_risk": "how likely the breach is to put people at risk (the GDPR risk assessment)",
    "harm_likely": "whether harm to the affected people is likely (the law's risk assessment)",
    "in_writing": "whether the risk assessment is written down",
    "law_enforcement_consulted": "whether law enforcement was consulted on the risk",
    "hipaa_low_probability_of_compromise": "whether the HIPAA risk assessment found a low "
    "probability that the information was compromised",
    "good_faith_insider": "whether an employee or agent came upon the data in good faith",
    "malicious": "whether the incident was malicious",
    "told_at": "when the organisation that owns the data was told",
    "determined_at": "when the party determined that a breach occurred",
    "breach_determined_at": "when it was determined that a breach occurred",
    "materiality_determined_at": "when the incident was determined to be material",
    "occurred_at": "when the incident happened",
    "ransom_paid_at": "whether and when a ransom was paid",
    "delay_requested_until": "until when law enforcement asked for a delay",
    "residents": "how many people are affected, and where they live",
    "elements": "what kinds of personal information were involved",
    "established_in": "where the organisation is established (which state or country)",
    "types": "what kind of organisation it is",
    "regulator_procedures": "whether the organisation follows its regulator's breach procedures",
    "notice_procedures": "whether the organisation keeps notification procedures of its own",
    "notified_under_procedures": "whether the people were notified under those procedures",
}


def own_descriptions(
    paths: Iterable[str], roots: Iterable[Path | str] | None = None
) -> dict[str, str]:
    """``facts.<CODE>.<name>`` -> the declared fact's description, for the rulesets' own
    facts among ``paths``, from the bundled rulesets and those under ``roots`` (a user's
    folders); those that cannot be read are left out (the fact is then said by its name)."""
    wanted = {p.split(".")[1] for p in paths if p.startswith("facts.") and p.count(".") >= 2}
    if not wanted:
        return {}
    from breachrules.errors import RulesetError
    from breachrules.law.library import Library
    from breachrules.law.overrides import bundled_paths

    try:
        library = Library([*bundled_paths(), *(roots or ())])
        found = [library[c] for c in sorted(wanted) if c in library]
    except (RulesetError, OSError):
        return {}
    return {f.path: f.description for r in found for f in r.facts}


def fact_in_words(path: str, described: Mapping[str, str] | None = None) -> str:
    """``path`` (a fact still unknown) as a "whether ..." phrase, never the path."""
    description = (described or {}).get(path)
    if description:
        head = re.split(r" \(|; ", " ".join(description.split()), maxsplit=1)[0].rstrip(".")
        if head.startswith(("The ", "A ", "An ")):
            head = head[0].lower() + head[1:]
        return f"whether {head}"
    if path.startswith("notices_sent."):
        return f"when the notice {path.removeprefix('notices_sent.')} is sent"
    leaf = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
    if leaf in _WORDS:
        return _WORDS[leaf]
    return f"a fact still being established ({leaf.replace('_', ' ')})"
