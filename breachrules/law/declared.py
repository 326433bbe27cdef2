"""A ruleset's own vocabulary: the facts and recipients it declares for itself.

The contract's facts and recipients are the ones statutes share. A company policy has its
own: how passwords were stored, whether the insurer's panel firm was engaged; its CISO, its
DPO, its board. Rather than bend a contract word to mean something else (``encrypted: true``
for "hashed", ``recipient: regulator`` for the CISO), a ruleset declares them::

    declares:
      facts:
        passwords_hashed:
          type: bool
          description: The exposed passwords were stored salted and hashed (ISP-7 § 6.2).
      recipients:
        ciso:
          description: Acme Group Chief Information Security Officer

A declared fact is read from the incident at ``facts.<CODE>.<name>`` (beside
``risk.findings.<CODE>``: namespaced by the ruleset's code, so two policies may each have a
``passwords_hashed`` and no law can read either). It is unknown until the incident says,
so three-valued reasoning, ``missing_facts`` and ``questions`` work on it as on any other.
Only the declaring ruleset's conditions may test it (see
:func:`breachrules.law.conditions.own_facts_in_scope`).

A **dated** fact (``type: datetime``) is a moment, an ISO 8601 timestamp with its UTC
offset: when a regulator's order was received, or the date the order set. No condition
tests it; a deadline runs from it (``from: "fact:<name>"``), and while it is unknown the
due date waits for it (``missing_facts`` names it), as for any clock anchor.

A yes/no fact that records a regulator's **order or request** (the authority has required
notice to the data subjects) may be declared ``until_given: false``: it reads false until
the incident gives it, instead of unknown. An order is an event the entity knows of the
moment it is made, so "not given" means "not made": the duty that exists only once the
order is made is ``not_required`` until then, not ``conditional`` on a question nobody
can answer otherwise. No breach determination may rest on it:
:func:`check_until_given` refuses it on a fact the personal-information, breach or
breach-exception rules test.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.law import methods
from breachrules.law.conditions import FIELDS, field_names, own_fact_key
from breachrules.model.reprs import shared_repr
from breachrules.model.timestamps import parse_timestamp
from breachrules.model.vocabulary import RECIPIENTS

if TYPE_CHECKING:
    from breachrules.law.ruleset import LawInForce

# The classes below get the methods attrs writes for them compiled with the package.
methods.begin()

__all__ = [
    "FACT_KINDS",
    "OwnFact",
    "check_recipients",
    "check_until_given",
    "read_facts",
    "read_recipients",
]

#: What a declared fact may be: yes/no, a whole number (never negative), one of its words,
#: or a moment (``datetime``, read only by clocks).
FACT_KINDS = ("bool", "int", "enum", "datetime")

Add = Callable[[Sequence[str | int], str], None]


@shared_repr
@attrs.frozen(repr=False)
class OwnFact:
    """A fact a ruleset declares for itself, read from ``facts.<code>.<name>``."""

    code: str
    name: str
    kind: str
    description: str
    #: For ``enum``: the words the fact may take.
    words: tuple[str, ...] = ()
    #: ``False`` for a regulator's order or request (``until_given: false``): the fact
    #: reads false until the incident gives it; None (the default): unknown until given.
    until_given: bool | None = None

    @property
    def key(self) -> str:
        """The field its conditions compile to (``facts:<CODE>:<name>``)."""
        return own_fact_key(self.code, self.name)

    @property
    def path(self) -> str:
        """Where an incident document gives it (``facts.<CODE>.<name>``)."""
        return f"facts.{self.code}.{self.name}"

    def problem(self, value: object) -> str | None:
        """Why ``value`` (not null) cannot be this fact's value; None when it can."""
        if self.kind == "bool" and not isinstance(value, bool):
            return f"is true or false ({self.code} declares it bool), got {value!r}"
        if self.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            return f"is a whole number ({self.code} declares it int), got {value!r}"
        if self.kind == "int" and isinstance(value, int) and value < 0:
            return f"is never negative ({self.code} declares it a count), got {value!r}"
        if self.kind == "datetime":
            try:
                parse_timestamp(value)
            except (TypeError, ValueError) as exc:
                return f"is a moment ({self.code} declares it datetime): {exc}"
            return None
        if self.kind == "enum" and value not in self.words:
            hint = difflib.get_close_matches(str(value), self.words, n=1)
            return f"is one of {', '.join(self.words)}, got {value!r}" + (
                f"; did you mean {hint[0]!r}?" if hint else ""
            )
        return None


def read_facts(code: str, doc: Mapping[str, Any], add: Add) -> tuple[OwnFact, ...]:
    """The facts ``doc`` declares (``declares.facts``), checked; problems go to ``add``.

    A declared name may not be a fact of the contract: a ruleset that declared
    ``encrypted`` would read its own value where every other law reads the contract's.
    """
    raw = (doc.get("declares") or {}).get("facts") or {}
    out: list[OwnFact] = []
    for name, spec in raw.items():
        where: list[str | int] = ["declares", "facts", name]
        if name in FIELDS:
            add(
                where,
                f"{name!r} is a fact of the contract already; name the ruleset's own differently",
            )
            continue
        kind, words = spec["type"], tuple(spec.get("words") or ())
        if kind == "enum" and not words:
            add([*where, "type"], "an enum fact lists its words under words: [...]")
            continue
        if kind != "enum" and words:
            add([*where, "words"], f"only an enum fact has words; {name!r} is {kind}")
            continue
        until = spec.get("until_given")
        if until is not None and kind != "bool":
            add(
                [*where, "until_given"],
                f"only a yes/no fact (type: bool) may read false until given; {name!r} is {kind}",
            )
            continue
        out.append(OwnFact(code, name, kind, spec["description"], words, until))
    return tuple(out)


def check_until_given(laws: Sequence[LawInForce], own: Sequence[OwnFact], add: Add) -> None:
    """A fact read false until given (a regulator's order) is tested by no rule that
    decides the breach: what defines a breach, the breach, or one of its exceptions. A
    default there could turn a breach into ``not_breach`` on a fact never given; only a
    duty that exists once the order is made may rest on it."""
    keys = {f.key: f.name for f in own if f.until_given is not None}
    if not keys:
        return
    said: set[str] = set()
    for law in laws:
        for rule in (law.personal_information, law.breach, *law.breach.exceptions):
            for key in field_names(rule.when):
                name = keys.get(key)
                if name is None or name in said:
                    continue
                said.add(name)
                add(
                    ["declares", "facts", name, "until_given"],
                    f"{name!r} reads false until given, but {rule.id} tests it: no breach "
                    "determination may rest on a fact never given; test it in an "
                    "obligation's rule only, or drop until_given (unknown until given)",
                )


def read_recipients(doc: Mapping[str, Any], add: Add) -> dict[str, str]:
    """The recipients ``doc`` declares (``declares.recipients``): word -> description."""
    raw = (doc.get("declares") or {}).get("recipients") or {}
    out: dict[str, str] = {}
    for word, spec in raw.items():
        if word in RECIPIENTS:
            add(
                ["declares", "recipients", word],
                f"{word!r} is a recipient of the contract already; declare only your own",
            )
            continue
        out[word] = spec["description"]
    return out


def check_recipients(doc: Mapping[str, Any], own: Mapping[str, str], add: Add) -> None:
    """Every obligation's recipient is a contract word or one the ruleset declares."""
    words = [*RECIPIENTS, *own]
    for i, raw in enumerate(doc.get("obligations") or ()):
        word = raw.get("recipient") if isinstance(raw, Mapping) else None
        if not isinstance(word, str) or word in words:
            continue
        hint = difflib.get_close_matches(word, words, n=1)
        add(
            ["obligations", i, "recipient"],
            f"unknown recipient {word!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (recipients: {', '.join(words)}; a recipient of the ruleset's own, such as "
            "a CISO, is declared under declares: {recipients: {ciso: {description: ...}}})",
        )


methods.end()
