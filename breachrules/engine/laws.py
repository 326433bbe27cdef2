"""Each law's compiled form, made when an assessment first evaluates it.

Why a module of its own: the engine used to compile every version of every loaded law
when it was built (194 laws for the bundled rulesets), though an assessment evaluates
only the law in force of each ruleset that reaches its incident. :class:`CompiledLaws` is
the mapping the evaluate stage reads (``compiled[law.key]``); a key it does not hold yet
loads the ruleset from the engine's :class:`~breachrules.law.library.Library` and compiles
that law, once per engine, under a lock (``assess`` is called from several threads).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from types import ModuleType

from breachrules.engine.compiled import Compiled, compile_law, ruleset_ref
from breachrules.engine.determine import not_applicable
from breachrules.engine.recipients import contacts_by_obligation
from breachrules.engine.results import Decided
from breachrules.law.directory import Entry
from breachrules.law.library import Library, Outline
from breachrules.law.ruleset import LawInForce, Ruleset
from breachrules.model.decisions import RulesetRef

__all__ = ["CompiledLaws"]


class CompiledLaws(dict[str, Compiled]):
    """Each law's compiled form by its key (``US-CA@2020-01-01``), compiled when an
    assessment first evaluates it (once per engine; safe from several threads)."""

    def __init__(self, library: Library, backend: ModuleType, directory: Sequence[Entry]) -> None:
        super().__init__()
        self._library = library
        self._backend = backend
        self._contacts = contacts_by_obligation(directory)
        self._lock = threading.Lock()
        self._refs: dict[str, RulesetRef] = {}
        self._not_applicable: dict[tuple[str, str], tuple[LawInForce | None, Decided]] = {}

    def __missing__(self, key: str) -> Compiled:
        ruleset = self._library[key.rpartition("@")[0]]
        with self._lock:
            if key in self:
                return dict.__getitem__(self, key)
            for law in ruleset.laws:
                if law.key == key:
                    compiled = compile_law(law, self._backend, ruleset, self._contacts)
                    self[key] = compiled
                    return compiled
        raise KeyError(key)

    def ref(self, ruleset: Ruleset, law: LawInForce) -> RulesetRef:
        """How an assessment lists ``law`` when it reports it as not applicable (without
        compiling it): made once per engine, not once per assessment, and shared (a
        ``RulesetRef`` is immutable)."""
        found = self._refs.get(law.key)
        if found is None:
            found = self._refs[law.key] = ruleset_ref(ruleset, law)
        return found

    def outline_ref(self, outline: Outline, law: tuple[date, date | None, str]) -> RulesetRef:
        """What :meth:`ref` gives for ``law`` (a version of the outline's
        :class:`~breachrules.law.library.Binding`), from the outline alone: a ruleset
        reported as binding no party of an incident is listed without being loaded."""
        key = f"{outline.code}@{law[0].isoformat()}"
        found = self._refs.get(key)
        if found is None:
            b = outline.binding
            assert b is not None
            found = self._refs[key] = RulesetRef(
                code=outline.code,
                version=law[0].isoformat(),
                citation=law[2],
                name=b.name,
                last_reviewed=b.last_reviewed.isoformat(),
                kind="policy" if b.kind == "policy" else None,
                sha256=b.sha256,
            )
        return found

    def not_applicable(self, ruleset: Ruleset, law: LawInForce | None, why: str) -> Decided:
        """The outcome of a law that does not apply, for ``why``: its determination,
        reason and listing are the same for every incident with the same reason (most
        often, that no party is of a type the law governs), so they are made once per
        engine and shared, like every result, immutable. At most ``_KEPT`` reasons are
        kept (a reason may name an incident's parties)."""
        key = (ruleset.code, why)
        found = self._not_applicable.get(key)
        if found is not None and found[0] is law:
            return found[1]
        ref = self.ref(ruleset, law) if law is not None else None
        decided = not_applicable(ruleset, why, ref)
        if len(self._not_applicable) >= _KEPT:
            self._not_applicable.clear()
        self._not_applicable[key] = (law, decided)
        return decided


#: How many reasons of laws that do not apply an engine keeps made.
_KEPT = 4096
