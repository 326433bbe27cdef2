"""Audit events: a SHA-256 hash chain over canonical JSON (RFC 8785), sent to structlog.

Each event's ``hash`` is the SHA-256 of the RFC 8785 canonical form of the event without
its ``hash`` field; ``prev_hash`` is the previous event's hash (64 zeros for the first).
Changing, removing, inserting or reordering any event breaks every later link, which
:func:`verify_chain` reports. Event times are the assessment's ``as_of``, never the wall
clock, so the same inputs give byte-identical chains.

The library emits each event through structlog at debug level on the logger
``breachrules.audit`` once the host has configured structlog, and never configures
logging itself: the host decides where events go. (Unconfigured structlog prints to
standard output, which would flood scripts and notebooks with audit lines.)
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from breachrules.engine.build import positional
from breachrules.engine.canonical import (
    QUOTED,
    RULE,
    WHERE,
    canonical,
    encode_detail,
    ints,
    quote,
    rule_text,
    rule_values_text,
    strings,
    where_text,
)
from breachrules.engine.canonical import is_plain as _plain
from breachrules.model.decisions import LISTED_EXPOSURES, AuditEvent, Obligation, Reason
from breachrules.model.facts import Exposure
from breachrules.model.timestamps import format_timestamp

if TYPE_CHECKING:
    from breachrules.engine.results import Decided

__all__ = [
    "EVERYONE",
    "GENESIS",
    "Chain",
    "canonical",
    "chain",
    "counts_everyone",
    "event_hash",
    "exposure_facts",
    "reason_facts",
    "record",
    "verify_chain",
]

GENESIS = "0" * 64
#: The ``counts`` of a ``ruleset_selected`` event whose law counts every affected person,
#: wherever they live (reached by a party's establishment or status, GDPR Art. 3(1)).
EVERYONE = "every affected person"


_sha256 = hashlib.sha256
#: ``AuditEvent(...)``, every field given (see ``engine.build``): one per event.
_event = positional(AuditEvent)


def event_hash(event: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical form of ``event`` without its ``hash`` field."""
    body = {k: v for k, v in event.items() if k != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


class Chain:
    """A hash chain built one event at a time (what :func:`chain` does for a list).

    The engine adds each event as it decides, so that no list of records is kept only to
    be hashed at the end; ``close`` returns the events and emits them through structlog,
    so that an assessment that fails half-way emits nothing.
    """

    def __init__(self, at: str, prev_hash: str = GENESIS, start: int = 1) -> None:
        self.at = at
        self.events: list[AuditEvent] = []
        self._prev = prev_hash
        self._seq = start
        # The canonical form is built from a template with the keys in sorted order: only
        # ``detail`` needs the encoder, and when it is plain (see ``_plain``) the result is
        # byte-identical to ``canonical(body)`` (the test suite checks it on every example).
        self._head = '{"at":' + quote(at) + ',"detail":'

    def add(
        self,
        event: str,
        rule: str | None,
        jurisdiction: str | None,
        detail: dict[str, Any],
        plain: bool | None = None,
    ) -> None:
        """Link one event to the chain.

        ``plain=True`` says the caller built ``detail`` from values that cannot hold a
        float or a non-ASCII key (the engine's own events: statuses, timestamps, contract
        paths and the incident's validated facts), which skips the check of ``_plain``.
        """
        if plain or (plain is None and _plain(detail)):
            self.add_encoded(event, rule, jurisdiction, detail, encode_detail(detail))
            return
        seq, prev_hash = self._seq, self._prev
        text = canonical(_body(seq, event, self.at, rule, jurisdiction, detail, prev_hash))
        digest = _sha256(text).hexdigest()
        self.events.append(
            _event(seq, event, self.at, rule, jurisdiction, detail, prev_hash, digest)
        )
        self._prev, self._seq = digest, seq + 1

    def add_encoded(
        self,
        event: str,
        rule: str | None,
        jurisdiction: str | None,
        detail: dict[str, Any],
        encoded: str,
    ) -> None:
        """Link one event whose plain ``detail`` (see ``add``) the caller has encoded
        already, as ``encode_detail`` encodes it: a detail that is the same for many
        events (a law that does not apply, for the same reason) is encoded once."""
        seq, prev_hash = self._seq, self._prev
        # The event's name and jurisdiction recur in every event of every assessment: each
        # pair is quoted once per process (a few hundred pairs: the rulesets' codes).
        where = WHERE.get((event, jurisdiction))
        if where is None:
            where = where_text(event, jurisdiction)
        after = RULE.get(rule)  # and the rule: a law's rules recur in every assessment
        if after is None:
            after = rule_text(rule)
        text = f"{self._head}{encoded}{where}{prev_hash}{after}{seq}}}".encode(
            "utf-8", "surrogatepass"
        )
        digest = _sha256(text).hexdigest()
        self.events.append(
            _event(seq, event, self.at, rule, jurisdiction, detail, prev_hash, digest)
        )
        self._prev, self._seq = digest, seq + 1

    def close(self) -> tuple[AuditEvent, ...]:
        """The events, emitted through structlog once the host has configured it."""
        # structlog is the host's: a host that configured it has imported it, and a
        # process that has not (the command line) does not pay for importing it.
        structlog = sys.modules.get("structlog")
        if structlog is not None and structlog.is_configured():
            _log = structlog.get_logger("breachrules.audit")
            for e in self.events:
                body = _body(e.seq, e.event, e.at, e.rule, e.jurisdiction, e.detail, e.prev_hash)
                _log.debug(e.event, **{k: v for k, v in body.items() if k != "event"}, hash=e.hash)
        return tuple(self.events)


def chain(
    records: Iterable[tuple[str, str | None, str | None, dict[str, Any]]],
    at: str,
    prev_hash: str = GENESIS,
    start: int = 1,
) -> tuple[AuditEvent, ...]:
    """Link ``(event, rule, jurisdiction, detail)`` records into a hash chain.

    ``prev_hash`` and ``start`` continue an existing chain (a re-assessment's changes
    follow the new assessment's own events).
    """
    linked = Chain(at, prev_hash, start)
    for event, rule, jurisdiction, detail in records:
        linked.add(event, rule, jurisdiction, detail)
    return linked.close()


def _body(
    seq: int,
    event: str,
    at: str,
    rule: str | None,
    jurisdiction: str | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "event": event,
        "at": at,
        "rule": rule,
        "jurisdiction": jurisdiction,
        "detail": detail,
        "prev_hash": prev_hash,
    }


def verify_chain(
    events: Sequence[Mapping[str, Any]], prev_hash: str = GENESIS, start: int = 1
) -> int | None:
    """Index of the first event whose link is broken, or None when the chain is intact."""
    for index, event in enumerate(events):
        if event.get("prev_hash") != prev_hash or event.get("hash") != event_hash(event):
            return index
        if event.get("seq") != index + start:
            return index
        prev_hash = str(event["hash"])
    return None


def exposure_facts(exposures: Sequence[Exposure]) -> list[dict[str, Any]]:
    """Each exposure's facts as the ``facts`` audit event records them (what a rule can
    read of an exposure, by contract field name; the description is not a fact)."""
    return [
        {
            "elements": list(e.elements),
            "residents": dict(e.residents),
            "encrypted": e.encrypted,
            "key_compromised": e.key_compromised,
            "acquired": e.acquired,
            "accessed": e.accessed,
            "paper": e.paper,
            "identity_theft_without_name": e.identity_theft_without_name,
            "phi": e.phi,
            "destroyed": e.destroyed,
            "lost": e.lost,
            "altered": e.altered,
            # written only when not its default (true), as the incident document writes it
            **({} if e.identifiable is True else {"identifiable": e.identifiable}),
        }
        for e in exposures
    ]


def counts_everyone(
    audit: Sequence[AuditEvent] | Sequence[Mapping[str, Any]], jurisdiction: str
) -> bool:
    """Whether the law ``jurisdiction`` counted every affected person, wherever they live,
    as the audit's ``ruleset_selected`` event records (objects or documents)."""
    for event in audit:
        if isinstance(event, Mapping):
            kind, where, detail = (event.get(k) for k in ("event", "jurisdiction", "detail"))
        else:  # read in place: a copy of every event it passes cost the warnings' check
            kind, where, detail = event.event, event.jurisdiction, event.detail
        if kind == "ruleset_selected" and where == jurisdiction:
            return (detail or {}).get("counts") == EVERYONE
    return False


def reason_facts(
    audit: Sequence[AuditEvent] | Sequence[Mapping[str, Any]],
    jurisdiction: str,
    reason: Reason | Mapping[str, Any],
) -> dict[str, Any]:
    """Every fact a reason's rule read, by contract path, with its value.

    A reason about many exposures names only the exposure fields its rule read
    (``exposure_facts``); their values are in the audit's ``facts`` event, for the
    exposures its rule was evaluated on (the rule's ``rule_values`` event) or, for an
    obligation's rule, the exposures its ``obligation`` event lists (a duty that needs no
    breach reads every exposure in reach) or else those the law's ``determination`` event
    lists as ``affected`` (residents also those it lists as ``outside``). ``audit`` is an
    assessment's events (objects or documents), ``reason`` a :class:`Reason` or its
    document. Residents are given as the exposure records them (every place, not only the
    law's). Raises ``ValueError`` when a reference cannot be resolved."""

    def get(item: Any, name: str) -> Any:
        return item.get(name) if isinstance(item, Mapping) else getattr(item, name)

    fields = get(reason, "exposure_facts") or ()
    own = dict(get(reason, "facts") or {})
    if not fields:
        return own
    rule = get(reason, "rule")
    recorded: Any = None
    indexes: list[int] | None = None
    outside: list[int] = []  # only their residents were read (``persons_every_exposure``)
    for event in audit:
        kind, detail = get(event, "event"), get(event, "detail") or {}
        if kind == "facts" and recorded is None:
            recorded = detail.get("exposures")
        elif get(event, "jurisdiction") != jurisdiction:
            continue
        elif kind == "rule_values" and get(event, "rule") == rule:
            indexes = sorted(i for group in (detail.get("values") or {}).values() for i in group)
            break
        elif kind == "obligation" and get(event, "rule") == rule:  # after its determination
            if "exposures" in detail:  # a duty that read every exposure in reach
                indexes = list(detail["exposures"])
            outside = list(detail.get("outside") or ())
            break
        elif kind == "determination" and "affected" in detail:
            indexes = list(detail["affected"])
    if not isinstance(recorded, list) or indexes is None:
        raise ValueError(f"the audit records no exposures for {jurisdiction} {rule}")
    out: dict[str, Any] = {}
    for name in fields:
        for i in indexes + outside if name == "residents" else indexes:
            if i == -1:
                continue
            if not isinstance(i, int) or not 0 <= i < len(recorded):
                raise ValueError(f"refers to exposures[{i}].{name}, which is not recorded")
            if name not in recorded[i] and name != "identifiable":  # that one has a default
                raise ValueError(f"refers to exposures[{i}].{name}, which is not recorded")
            out[f"exposures[{i}].{name}"] = recorded[i].get(name, True)
    out.update(own)
    return out


@lru_cache(maxsize=1024)
def _not_applicable_detail(why: str) -> str:
    """The encoded detail of a law's ``determination`` event where it does not apply:
    the same for every incident with the same reason."""
    return str(encode_detail({"status": "not_applicable", "reason": why}))


def record(
    at: str,
    decided: Sequence[Decided],
    contract_obligations: Sequence[Obligation],
    exposures: Sequence[Exposure] = (),
) -> tuple[AuditEvent, ...]:
    """The audit stage: every decision of an assessment as a hash-chained event.

    First, once, the ``facts`` of every exposure (when any law was evaluated); then per
    law, in the order the laws were assessed: the ruleset selected, each breach rule's
    values on the exposures it was evaluated on (``rule_values``, which refers to the
    ``facts`` event for the exposures' inputs instead of repeating them, so the audit
    grows with the exposures plus the decisions, not their product), the determination,
    then each obligation; contractual notices come last. ``at`` is the assessment's
    ``as_of``.
    """
    link = Chain(at)
    # The engine's own details are plain (see Chain.add), of a few known shapes: each is
    # encoded by hand as the encoder would, in half its time (tests check every hash).
    add, string, status = link.add_encoded, quote, QUOTED
    facts_event = ""
    if any(d.law is not None for d in decided):
        # The incident's validated facts: residence codes, element words, flags, counts.
        link.add("facts", None, None, {"exposures": exposure_facts(exposures)}, plain=True)
        facts_event = link.events[-1].hash
    quoted_event = string(facts_event)
    for d in decided:
        code = d.code
        if d.law is None:
            why = d.reach_reason
            detail: dict[str, Any] = {"status": "not_applicable", "reason": why}
            add("determination", None, code, detail, _not_applicable_detail(why))
            continue
        # The ruleset's listing carries the version's date as written (made once per law).
        version = d.ref.version if d.ref is not None else d.law.version.effective_from.isoformat()
        detail = {"version": version, "reach": d.reach_reason}
        counts = ""
        if d.counts_everyone:  # written only then: every other law counts its own places
            detail["counts"] = EVERYONE
            counts = f'"counts":{string(EVERYONE)},'
        text = f'{{{counts}"reach":{string(d.reach_reason)},"version":{string(version)}}}'
        add("ruleset_selected", None, code, detail, text)
        for rule, detail in d.rule_values:
            detail["facts_event"] = facts_event  # each detail is this assessment's own
            add("rule_values", rule, code, detail, rule_values_text(detail, quoted_event))
        det = d.determination
        missing = list(det.missing_facts)
        detail = {"status": det.status, "missing_facts": missing}
        text = ""
        if d.obligations and len(d.affected) - (-1 in d.affected) > LISTED_EXPOSURES:
            # The obligations' reasons name the exposure fields they read, not their values
            # (Reason.exposure_facts): these are the exposures whose facts they read.
            detail["affected"] = list(d.affected)
            detail["facts_event"] = facts_event
            text = f'"affected":{ints(d.affected)},"facts_event":{quoted_event},'
        text = f'{{{text}"missing_facts":{strings(missing)},"status":{status[det.status]}}}'
        add("determination", d.law.breach.id, code, detail, text)
        whole = d.whole
        many = whole is not None and len(whole) - (-1 in whole) > LISTED_EXPOSURES
        referring = len(d.affected) - (-1 in d.affected) > LISTED_EXPOSURES
        for o in d.obligations:
            due = format_timestamp(o.due) if o.due else None
            missing = list(o.missing_facts)
            detail = {"status": o.status, "due": due, "missing_facts": missing}
            text = f'{{"due":{"null" if due is None else string(due)}'
            if (deemed := o.deemed_compliance) is not None:  # only where one holds
                detail["deemed_compliance"] = {
                    "citation": deemed.citation,
                    "exception": deemed.exception,
                    "procedures": deemed.procedures,
                }
                text = (
                    f'{{"deemed_compliance":{{"citation":{string(deemed.citation)},'
                    f'"exception":{string(deemed.exception)},'
                    f'"procedures":{string(deemed.procedures)}}},' + text[1:]
                )
            wait = ""
            if o.deadline.not_before is not None:  # only where the law sets a waiting period
                after = format_timestamp(o.not_before) if o.not_before else None
                detail["not_before"] = after
                wait = f',"not_before":{"null" if after is None else string(after)}'
            # A duty that needs no breach read every exposure in reach, not only the affected
            # ones the determination lists; a count of every breached exposure read the
            # residents of those outside the reach (``outside``): its reasons refer to these.
            rule = o.id.split("@", 1)[0]
            if every := rule in d.whole_rules and many:
                detail["exposures"] = list(whole or ())
                text += f',"exposures":{ints(whole or ())}'
            refers = many if rule in d.whole_rules else referring
            if outside := d.outside if refers and rule in d.outside_rules else ():
                detail["outside"] = list(outside)
            if every or outside:
                detail["facts_event"] = facts_event
                text += f',"facts_event":{quoted_event}'
            end = f',"outside":{ints(outside)}' if outside else ""
            text += f',"missing_facts":{strings(missing)}{wait}{end},"status":{status[o.status]}}}'
            add("obligation", o.id, code, detail, text)
    for o in contract_obligations:
        due = format_timestamp(o.due) if o.due else None
        detail = {"status": o.status, "due": due}
        text = f'{{"due":{"null" if due is None else string(due)},"status":{status[o.status]}}}'
        add("obligation", o.id, o.jurisdiction, detail, text)
    return link.close()
