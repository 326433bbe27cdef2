"""Law-change impact: which recorded decisions does the law as it now stands change?

When a ruleset changes (a new release of breachrules, or a user's edit of their own
rulesets), a host wants to know which past or open incidents it changes. :func:`impact`
reads every incident in the audit log, reassesses the incident document recorded with its
latest assessment under the rulesets an :class:`~breachrules.engine.Engine` now holds, at
the same ``as_of`` and for the same laws (those it was limited to, when the log recorded a
selection; otherwise every law that now reaches it), and lists each decision that differs: a
determination's status, an obligation that appears, disappears or changes status, its
recipient or its due date.

Each incident is still judged by the law in force on its own dates (the engine picks each
ruleset's version by the incident's discovery date), so only real corrections and newly
encoded law show, never a later version applied to an earlier incident. Each change names
the ruleset version and SHA-256 the old decision used (``rulesets[].sha256``, recorded in
every assessment) and the ones now loaded, and the rule that now decides it, so a reviewer
can read the change in the ruleset's history. An old assessment recorded before rulesets
carried a hash shows ``None`` for its old hash.

An engine need not hold every law the recorded assessments used (``Engine(["my/rules"],
bundled=False)``, to look at one edited law): a law it lacks is not re-assessed, and its
code is listed in :attr:`Impact.not_reassessed`, never reported as a change (a decision
"breach -> None" says nothing about the law). An obligation the recorded assessment
listed as ``not_required`` and the new one as owed is a ``status`` change, not ``added``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.audit.log import AuditLog
from breachrules.errors import InvalidArgument, InvalidIncident
from breachrules.io.serde import load_assessment, load_incident
from breachrules.views.changes import compare

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.model.decisions import Assessment, Obligation, Reason

__all__ = ["Impact", "ImpactChange", "describe", "impact"]


@attrs.frozen
class ImpactChange:
    """One decision the law as it now stands changes, and what changed it."""

    incident_id: str
    #: An obligation id, or a ruleset code for a determination.
    subject: str
    #: ``determination``, ``added``, ``removed``, ``status``, ``due`` or ``recipient``
    #: (``added``/``removed``: not owed on one side, where that side does not list it as
    #: ``not_required``; a status both sides list that changes is ``status``).
    kind: str
    before: str | None
    after: str | None
    #: The ruleset the change comes from, and its version and hash then and now.
    code: str
    version_before: str | None
    version_after: str | None
    sha256_before: str | None
    sha256_after: str | None
    #: The rule that now decides the subject (its id, text and citation), where one does.
    rule: str | None = None
    rule_text: str | None = None
    citation: str | None = None


@attrs.frozen
class Impact:
    """Every change, incident by incident, and the incidents left as they were."""

    source: str
    incidents: int
    changes: tuple[ImpactChange, ...]
    #: Incidents whose recorded incident document could not be read back (with why).
    skipped: tuple[tuple[str, str], ...] = ()
    #: The codes of laws the recorded assessments used that the engine does not hold:
    #: not re-assessed, so none of their decisions is listed as a change.
    not_reassessed: tuple[str, ...] = ()

    @property
    def changed_incidents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.incident_id for c in self.changes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "incidents": self.incidents,
            "changed_incidents": list(self.changed_incidents),
            "changes": [attrs.asdict(c) for c in self.changes],
            "skipped": [{"incident_id": i, "reason": r} for i, r in self.skipped],
            "not_reassessed": list(self.not_reassessed),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per change."""
        pd: Any = importlib.import_module("pandas")  # ships no type hints
        columns = [a.name for a in attrs.fields(ImpactChange)]
        return pd.DataFrame([attrs.asdict(c) for c in self.changes], columns=columns)


def _selection(data: Mapping[str, Any]) -> list[str] | None:
    """The laws the recorded assessment was limited to (``jurisdictions``, recorded by
    ``AuditLog.record_assessment``), or None: every law that reaches, so that a newly
    encoded law shows as a change."""
    asked = data.get("jurisdictions")
    return [str(code) for code in asked] if isinstance(asked, list) else None


def _deciding(reasons: Iterable[Reason], before: Iterable[Reason]) -> Reason | None:
    """The first reason that is new (a rule or a text the old decision did not give), else
    the last reason: the rule that now decides."""
    old = {(r.rule, r.text) for r in before}
    reasons = list(reasons)
    for r in reasons:
        if (r.rule, r.text) not in old:
            return r
    return reasons[-1] if reasons else None


def _reasons(assessment: Assessment, subject: str) -> tuple[Reason, ...]:
    if ":" in subject:
        for o in assessment.obligations:
            if o.id == subject:
                return o.reasons
        return ()
    for d in assessment.determinations:
        if d.jurisdiction == subject:
            return d.reasons
    return ()


def _recipient(o: Obligation) -> str:
    return o.recipient_name or o.recipient_party or o.recipient


def impact(
    log: AuditLog | str | Path,
    engine: Engine,
    incidents: Iterable[str] | None = None,
) -> Impact:
    """Reassess every incident in ``log`` (or only ``incidents``) under ``engine``'s rulesets
    and list each decision that changes, with the ruleset version and rule behind it."""
    the_log = log if isinstance(log, AuditLog) else AuditLog(log)
    wanted = set(incidents) if incidents is not None else None
    latest: dict[str, tuple[dict[str, Any], dict[str, Any], list[str] | None]] = {}
    for e in the_log.events():
        if e.type == "assessment":
            doc = e.data.get("assessment") or {}
            key = str(doc.get("incident_id"))
            if wanted is None or key in wanted:
                latest[key] = (e.data.get("incident") or {}, doc, _selection(e.data))
    changes: list[ImpactChange] = []
    skipped: list[tuple[str, str]] = []
    held = frozenset(engine.codes)
    lacking: set[str] = set()
    for incident_id, (incident_doc, doc, asked) in latest.items():
        try:
            incident = load_incident(incident_doc)
        except InvalidIncident as exc:  # recorded under an older contract
            skipped.append((incident_id, str(exc)))
            continue
        old = load_assessment(doc)
        used = {r.code for r in old.rulesets} | {d.jurisdiction for d in old.determinations}
        lacking.update(code for code in [*used, *(asked or ())] if code not in held)
        if asked is not None and any(code in held for code in asked):
            asked = [code for code in asked if code in held]  # the others: not re-assessed
        try:
            new = engine.assess(incident, as_of=old.as_of, jurisdictions=asked)
        except InvalidArgument as exc:  # assessed under a ruleset not loaded now
            skipped.append(
                (
                    incident_id,
                    f"{exc}; load the rulesets it was assessed under with --rulesets "
                    f"({', '.join(asked or ())})",
                )
            )
            continue
        changes.extend(_changes(incident_id, old, new, held))
    return Impact(
        str(the_log.path), len(latest), tuple(changes), tuple(skipped), tuple(sorted(lacking))
    )


def _changes(
    incident_id: str, old: Assessment, new: Assessment, held: frozenset[str]
) -> list[ImpactChange]:
    refs_old = {r.code: r for r in old.rulesets}
    refs_new = {r.code: r for r in new.rulesets}
    old_o = {o.id: o for o in old.obligations}
    found: list[tuple[str, str, str | None, str | None]] = []
    for c in compare(old, new).changes:
        # compare() says "added" and "removed" only of an obligation one side does not list.
        found.append((c.subject, c.kind, c.before, c.after))
    for o in new.obligations:
        was = old_o.get(o.id)
        if was is not None and o.status != "not_required" and _recipient(was) != _recipient(o):
            found.append((o.id, "recipient", _recipient(was), _recipient(o)))
    out = []
    for subject, kind, before, after in found:
        code = subject.split(":", 1)[0]
        if code not in held:  # a law the engine lacks: not re-assessed (Impact.not_reassessed)
            continue
        r_old, r_new = refs_old.get(code), refs_new.get(code)
        now = _reasons(new, subject) or _reasons(old, subject)
        deciding = _deciding(now, _reasons(old, subject))
        out.append(
            ImpactChange(
                incident_id=incident_id,
                subject=subject,
                kind=kind,
                before=before,
                after=after,
                code=code,
                version_before=r_old.version if r_old else None,
                version_after=r_new.version if r_new else None,
                sha256_before=r_old.sha256 if r_old else None,
                sha256_after=r_new.sha256 if r_new else None,
                rule=deciding.rule if deciding else None,
                rule_text=deciding.text if deciding else None,
                citation=deciding.citation if deciding else None,
            )
        )
    return out


def describe(change: ImpactChange) -> str:
    """One line for a person: what changed, under which version, by which rule."""
    version = change.version_after or change.version_before or "?"
    sha = (change.sha256_after or "")[:12]
    rule = f"; rule {change.rule} ({change.citation})" if change.rule else ""
    return (
        f"{change.incident_id} {change.subject}: {change.kind} {change.before} -> "
        f"{change.after} [{change.code} {version} {sha}]{rule}"
    )
