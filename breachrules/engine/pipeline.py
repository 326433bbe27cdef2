"""The Engine: compile the rulesets once, then assess incidents through the pipeline.

The law is in the rulesets; the stages only combine rule outcomes the way the ruleset
format defines (a breach is *personal information* and the *trigger* and no *exception*,
an obligation is a breach and its own condition and none of its exceptions), with
three-valued logic throughout: an unknown fact makes the outcome unknown and is named,
never read as false. ``Engine._pipeline`` composes the stages; it holds no state of an
assessment between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from breachrules.engine import audit, clocks
from breachrules.engine.backends import load_backend
from breachrules.engine.build import positional
from breachrules.engine.declared import (
    before_discovery,
    check_facts,
    check_notices_sent,
    label_policy,
)
from breachrules.engine.determine import determine
from breachrules.engine.evaluate import evaluate
from breachrules.engine.evidence import Evidence
from breachrules.engine.facts import Facts, finding_for
from breachrules.engine.hints import no_ruleset, unknown_type
from breachrules.engine.laws import CompiledLaws
from breachrules.engine.liability import (
    awareness_warnings,
    contract_obligations,
    individual_notice_performer,
    liability,
    other_owners,
)
from breachrules.engine.obligations import obligations
from breachrules.engine.reach import ReachIndex, area_index, unbound
from breachrules.engine.results import Case, Decided, Evaluated
from breachrules.engine.unreached import none_asked, not_encoded, uncounted, unreached
from breachrules.errors import BreachrulesError, InvalidArgument, Problem, RulesetError
from breachrules.law.directory import Entry, load_directory
from breachrules.law.library import Library, Outline
from breachrules.law.loader import bundled_paths
from breachrules.law.ruleset import Ruleset
from breachrules.model.bindings import bound
from breachrules.model.decisions import Assessment, Determination, Reason
from breachrules.model.facts import Incident
from breachrules.model.timestamps import check_moment, format_timestamp, parse_timestamp
from breachrules.model.vocabulary import PARTY_TYPES

__all__ = ["Engine", "load_backend"]

#: ``Assessment(...)``, every field given (see ``engine.build``).
_assessment = positional(Assessment)


class Engine:
    """Compiles rulesets once and assesses incidents against them.

    ``Engine()`` takes every bundled ruleset; ``Engine(paths=[...])`` adds the user's own
    files or folders (``bundled=False`` leaves the bundled ones out). Build it once and
    reuse it: ``assess`` is safe to call from several threads at once. Each ruleset is
    read, and its law in force compiled, the first time an assessment can reach it (a
    new process that assesses one incident pays only for the laws it reaches); a file
    not yet in the compiled-law cache is read and checked when the engine is built, so
    its problems are reported then.

    ``backend`` chooses the rule engine: ``"python"`` (the default, pure Python, installs
    everywhere) or ``"durable"`` (durable-rules' Rete engine, from
    ``pip install 'breachrules[durable]'``). Both give byte-identical assessments.
    """

    def __init__(
        self,
        paths: Sequence[str | Path] = (),
        *,
        bundled: bool = True,
        backend: str | None = None,
    ) -> None:
        roots: list[Path | str] = [*(bundled_paths() if bundled else []), *paths]
        #: ``"python"`` (the default) or ``"durable"``: which rule engine evaluates the rules.
        self.backend, self._backend = load_backend(backend)
        # Each ruleset is loaded (and each law compiled) when an assessment first needs
        # it: the outlines say which rulesets an incident can reach (docs/scaling.md).
        self._library = Library(roots)
        outlines = self._library.outlines
        self._reach_index = ReachIndex(outlines)
        #: The regulator directory: how to reach each body that receives a notice.
        self.directory = load_directory(p for p in roots if Path(p).is_dir())
        _check_directory(self.directory, outlines)
        self._compiled = CompiledLaws(self._library, self._backend, self.directory)
        #: Party type words the contract or a loaded ruleset knows; others are reported.
        self._type_words = frozenset(PARTY_TYPES).union(
            *(o.party_types for o in outlines),
            *(o.declared_party_types for o in outlines),
        )

    @property
    def rulesets(self) -> tuple[Ruleset, ...]:
        """Every loaded ruleset, in code order (each read now if no assessment needed it
        yet: an assessment reads only the rulesets that can reach its incident)."""
        return self._library.rulesets()

    @property
    def _by_code(self) -> Library:
        """The rulesets by code, each loaded when first looked up."""
        return self._library

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of every ruleset this engine holds, in code order (none read to say)."""
        return tuple(self._library)

    @property
    def loaded(self) -> tuple[str, ...]:
        """The codes of the rulesets read so far, in code order: the rulesets the
        assessments made until now could reach (or named), not every ruleset loaded, and
        not those whose outline showed that they bind no party of the incident (those
        are reported as not applicable without being read)."""
        return self._library.loaded

    def _candidates(self, incident: Incident) -> list[str]:
        """The codes of the rulesets that could reach ``incident``, in load order (see
        ``reach``): each is loaded when the pipeline needs more than its outline."""
        return self._reach_index.candidates(incident)

    def _from_outline(self, case: Case, code: str) -> tuple[bool, Decided | None]:
        """Whether the outline of ``code``'s ruleset decides its part in ``case`` without
        loading it, and that part (as :func:`evaluate` and :func:`not_applicable` would
        give it once loaded): a ruleset that binds no party of the chain of the breached
        data is reported as not applicable where people in its places were affected, and
        plays no part otherwise; so does one with no version in force. ``(False, None)``:
        the ruleset is loaded and evaluated. Only for a ruleset not loaded yet (one that
        is loaded is evaluated, which the tests compare with this)."""
        if self._library.is_loaded(code):
            return False, None
        outline = self._library.outline(code)
        binding = outline.binding
        if binding is None:
            return False, None
        reached = unbound(outline, case.incident, case.chain, case.areas)
        if reached is None:
            return False, None
        if not any(reached.residents):
            return True, None
        # Binding no party, the law does not apply whatever the day (as ``evaluate`` says
        # it before it looks for the version in force, which names the ruleset if any).
        law = binding.law_on(case.day)
        why = reached.reason
        reason = Reason(f"{code}:reach", why, outline.reach.citation or binding.citation)
        determination = Determination(code, "not_applicable", (reason,))
        ref = self._compiled.outline_ref(outline, law) if law is not None else None
        return True, Decided(code, determination, ref, reach_reason=why)

    def prepare(
        self, incidents: Iterable[Incident], jurisdictions: Iterable[str] | None = None
    ) -> None:
        """Load and compile now every law that ``incidents`` can reach (or that
        ``jurisdictions`` names), as their assessments would on first use.

        For a host that forks workers from a built engine (``assess_many``): what is
        loaded and compiled before the fork is shared by every worker instead of being
        done again in each.
        """
        codes = {c for i in incidents for c in self._reach_index.candidates(i)}
        if jurisdictions is not None:
            codes.update(self.jurisdiction_codes(jurisdictions))
        for code in sorted(codes):
            for law in self._library[code].laws:
                self._compiled[law.key]  # compiled on first look-up

    def ruleset(self, code: str) -> Ruleset:
        """The loaded ruleset for ``code``; KeyError if none."""
        return self._by_code[code]

    def jurisdiction_codes(
        self, jurisdictions: Iterable[str] | str, argument: str = "jurisdictions"
    ) -> list[str]:
        """The loaded ruleset codes that ``jurisdictions`` names, in order, once each.

        Codes are matched without regard to case (``us-ca`` is ``US-CA``), and an item may
        be a comma list (``"US-CA,US-TX"``), as the command line and the adapters pass
        them. An unknown code raises :class:`InvalidArgument` naming ``argument`` and the
        near miss: an assessment limited to a misspelt code would silently omit a law.
        """
        items = [jurisdictions] if isinstance(jurisdictions, str) else list(jurisdictions)
        by_fold = {c.casefold(): c for c in self._by_code}
        codes: list[str] = []
        problems: list[Problem] = []
        for item in items:
            if not isinstance(item, str):
                problems.append(
                    Problem(argument, f"a jurisdiction is a code like 'US-CA', got {item!r}")
                )
                continue
            for word in (w.strip() for w in item.split(",")):
                if not word:
                    continue
                code = by_fold.get(word.casefold())
                if code is None:
                    said = no_ruleset(word, self._by_code, self._reach_index)
                    problems.append(Problem(argument, said))
                elif code not in codes:
                    codes.append(code)
        if problems:
            raise InvalidArgument(problems)
        if not codes:
            raise InvalidArgument([Problem(argument, "names no jurisdiction")])
        return codes

    def assess(
        self,
        incident: Incident | Mapping[str, Any] | str | Path,
        as_of: datetime | str | None = None,
        jurisdictions: Iterable[str] | None = None,
    ) -> Assessment:
        """Assess ``incident`` under every ruleset that reaches it (or those named).

        ``incident`` is an :class:`Incident` or anything ``load_incident`` accepts (a
        mapping, a JSON string, a path), loaded and checked the same way: exploring in a
        notebook with a dict gives field-path problems, not an AttributeError. An
        ``Incident`` built or changed in Python is checked as its document would be
        (:class:`InvalidIncident` naming the field path), once per incident object.
        ``as_of`` is the moment of evaluation (default: the incident's ``discovered_at``,
        never the wall clock); obligations already past due at ``as_of`` are marked
        ``overdue``.
        """
        if not isinstance(incident, Incident):
            if not isinstance(incident, Mapping | str | Path):
                raise BreachrulesError(
                    f"assess takes an Incident or what load_incident accepts (a dict, a JSON "
                    f"string, a path), not {type(incident).__name__}"
                )
            incident = bound("load_incident")(incident)
        else:
            # Built or changed in Python (``Incident(...)``, ``attrs.evolve``): checked as
            # a document is, once per incident object (io/checked.py).
            incident = bound("checked_incident")(incident)
        assert isinstance(incident, Incident)
        moment = _as_of(incident, as_of)
        warnings: list[str] = []
        if jurisdictions is None:
            selected = self._candidates(incident)
            explicit = False
        else:
            selected = self.jurisdiction_codes(jurisdictions)
            explicit = True
        if incident.facts:
            warnings.extend(check_facts(incident, self._by_code))
        for i, party in enumerate(incident.parties):
            for word in party.types:
                if word not in self._type_words:
                    warnings.append(unknown_type(i, word, self._type_words))
        if incident.notices_sent:
            warnings.extend(check_notices_sent(incident, self._library.outlines))
        warnings.extend(awareness_warnings(incident))
        warnings.extend(other_owners(incident))
        warnings.extend(before_discovery(incident, moment))
        assessment = self._pipeline(incident, moment, selected, explicit, warnings)
        if explicit:
            said = none_asked(selected, assessment)
        else:
            said = uncounted(incident, assessment, self._library)
            said += unreached(incident, assessment, self._library.outlines)
        said += not_encoded(assessment)
        a = assessment  # attrs.evolve, written out (about 5 µs, once per assessment)
        return _assessment(
            a.incident_id,
            a.as_of,
            a.rulesets,
            a.determinations,
            a.obligations,
            a.liability,
            a.audit,
            a.schema_version,
            (*a.warnings, *said),
        )

    def _pipeline(
        self,
        incident: Incident,
        moment: datetime,
        selected: Sequence[str],
        explicit: bool,
        warnings: list[str],
    ) -> Assessment:
        """reach -> facts -> evaluate -> determine -> obligations -> clocks -> liability ->
        audit, each stage a function of the results before it (see docs/architecture.md).

        Every law's rules are evaluated first, one backend session after another, and only
        then are reasons, obligations and audit events built: keeping the rule engine's
        work together is measurably faster (docs/scaling.md).
        """
        case = Case.of(incident, moment, area_index(incident))
        facts, evidence = Facts(case), Evidence(case)
        outcomes: list[Evaluated | Decided] = []
        for code in selected:
            outcome: Evaluated | Decided | None
            known, outcome = (False, None) if explicit else self._from_outline(case, code)
            if not known:
                ruleset = self._library[code]
                outcome = evaluate(
                    case, ruleset, self._compiled, explicit, self._backend, facts, evidence
                )
            if outcome is not None:
                outcomes.append(outcome)
        evaluated = [ev for ev in outcomes if isinstance(ev, Evaluated)]
        warnings = warnings + _legacy_finding_warnings(case, evaluated)
        moments = clocks.anchors(case)
        performer = individual_notice_performer(incident, case.chain)
        decided = [
            ev
            if isinstance(ev, Decided)
            else _decide(case, ev, evidence, moments, performer, self._compiled)
            for ev in outcomes
        ]
        statutory = [o for d in decided for o in d.obligations]
        determinations = [d.determination for d in decided]
        contractual = contract_obligations(incident, determinations, moment, case.chain)
        obligations = (*statutory, *contractual)
        return _assessment(
            incident.id,
            moment,
            tuple(d.ref for d in decided if d.ref is not None),
            tuple(d.determination for d in decided),
            obligations,
            tuple(liability(incident, obligations, case.chain)),
            audit.record(format_timestamp(moment), decided, contractual, incident.exposures),
            "1",
            tuple(warnings),
        )


def _as_of(incident: Incident, as_of: datetime | str | None) -> datetime:
    if as_of is None:
        return incident.discovered_at
    try:
        if isinstance(as_of, str):
            return parse_timestamp(as_of)
        if not isinstance(as_of, datetime):
            raise TypeError(f"expected a timestamp, got {type(as_of).__name__}")
        return check_moment(as_of)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument([Problem("as_of", str(exc))]) from None


def _decide(
    case: Case,
    ev: Evaluated,
    evidence: Evidence,
    moments: clocks.Anchors,
    performer: str | None,
    compiled: CompiledLaws,
) -> Decided:
    """determine -> obligations -> clocks for one evaluated law."""
    if ev.not_applicable is not None:  # the same for every incident: made once per engine
        return compiled.not_applicable(ev.ruleset, ev.law, ev.not_applicable)
    if not ev.obligations_needed:
        return determine(ev, evidence)
    owed = obligations(case, ev, evidence, moments, performer)
    return determine(ev, evidence, label_policy(ev.ruleset, owed))


def _check_directory(entries: Sequence[Entry], outlines: Sequence[Outline]) -> None:
    """Every directory entry names obligations that a loaded ruleset defines."""
    known = {i for o in outlines for i in o.obligations}
    problems = []
    for e in entries:
        for n, obligation_id in enumerate(e.receives):
            if obligation_id not in known:
                code = obligation_id.split(":", 1)[0]
                near = sorted(k for k in known if k.startswith(code + ":"))
                hint = f"; {code} defines {', '.join(near)}" if near else ""
                problems.append(
                    Problem(
                        f"{e.contact.id}.for[{n}]",
                        f"no obligation {obligation_id}{hint}",
                        e.file,
                        e.line,
                    )
                )
    if problems:
        raise RulesetError(problems)


def _legacy_finding_warnings(case: Case, evaluated: Sequence[Evaluated]) -> list[str]:
    """Say so when the legacy ``risk.harm_likely: false`` was applied to no law."""
    if case.incident.risk.harm_likely is not False:
        return []
    open_tests = [
        ev.ruleset.code
        for ev in evaluated
        if ev.compiled is not None
        and "harm_likely" in ev.compiled.reads
        and finding_for(case, ev.compiled.risk_codes)[0] is None
    ]
    if not open_tests:
        return []
    return [
        "risk.harm_likely is false, but a finding that harm is unlikely answers one law's "
        "test, not every law's, so it was applied to none; record it under "
        "risk.findings.<CODE> for each law whose test was applied. Laws whose test is "
        "still open: " + ", ".join(open_tests)
    ]
