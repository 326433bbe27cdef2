"""The rulesets under some folders, each loaded only when something asks for it.

Why: a command-line call is a new process that assesses one incident, and an incident
reaches a handful of laws. Reading and building every bundled ruleset from the
compiled-law cache cost about as much as the rest of ``breachrules assess`` together,
and every ruleset added made every call slower. So the engine first reads each file's
:class:`Outline` (its code, whom it reaches, the party types it names, the obligations
it defines: a few hundred bytes, kept in the cache beside the ruleset), decides from the
outlines which rulesets the incident can reach, and only then loads those.

What stays as it was: a file that is not in the cache (new, edited, or the cache is off)
is loaded and checked in full when the library is made, so every problem in a folder is
still reported at once, with its file and line; a file is only ever cached once it has
loaded without a problem, so an outline read from the cache stands for a ruleset that
loads. Duplicate codes are found from the outlines (a user's ruleset replaces the bundled
one with its code: :mod:`breachrules.law.overrides`). :meth:`Library.rulesets` loads
every ruleset, for the commands that show them all.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

import attrs

from breachrules.errors import Problem, RulesetError
from breachrules.law import loader, methods
from breachrules.law.cache import Codec, LawCache, default_cache
from breachrules.law.overrides import Codes
from breachrules.law.ruleset import Reach, Ruleset
from breachrules.model.reprs import shared_repr

# The classes below get the methods attrs writes for them compiled with the package.
methods.begin()

__all__ = ["OUTLINE_CODEC", "Binding", "Library", "Outline"]


@shared_repr
@attrs.frozen(repr=False)
class Binding:
    """A ruleset's ``applies_to`` and how an assessment lists it, kept in the outline of
    every ruleset that names the parties it binds.

    With it, an assessment decides without loading the ruleset that it binds no party of
    the incident's chain (HIPAA with no covered entity, an insurance law with no insurer:
    most of the laws a multistate incident reaches), and reports it as not applicable
    exactly as the loaded ruleset would be reported. ``laws`` holds, for each version in
    the ruleset's order, its first day, its last day (None: still in force) and its
    citation.
    """

    party_types: tuple[str, ...]
    party_ids: tuple[str, ...]
    party_roles: tuple[str, ...]
    name: str
    citation: str
    last_reviewed: date
    kind: str
    sha256: str | None
    laws: tuple[tuple[date, date | None, str], ...]

    @classmethod
    def of(cls, ruleset: Ruleset) -> Binding | None:
        """The binding of ``ruleset``, or None when it binds no party in particular."""
        if not ruleset.binds:
            return None
        return cls(
            ruleset.party_types,
            ruleset.party_ids,
            ruleset.party_roles,
            ruleset.name,
            ruleset.citation,
            ruleset.last_reviewed,
            ruleset.kind,
            ruleset.sha256,
            tuple(
                (law.version.effective_from, law.version.effective_to, law.version.citation)
                for law in ruleset.laws
            ),
        )

    def law_on(self, day: date) -> tuple[date, date | None, str] | None:
        """The version in force on ``day`` (as :meth:`Ruleset.law_on` finds it), or None."""
        for law in self.laws:
            if law[0] <= day and (law[1] is None or day <= law[1]):
                return law
        return None


@shared_repr
@attrs.frozen(repr=False)
class Outline:
    """What deciding whether a ruleset can reach an incident needs, without the ruleset.

    Everything the engine reads of a ruleset it has not loaded: the code (for
    ``jurisdictions=`` and ``facts.<CODE>``), the reach (residents and establishment,
    for the area index and the warnings about people no law counts), the party types it
    binds or declares (``reaches.by_party_type``, and which type words are known), and
    every obligation id of every version (the regulator directory is checked against
    them), and, for a ruleset that names the parties it binds, its :class:`Binding`.
    """

    code: str
    reach: Reach
    party_types: tuple[str, ...] = ()
    declared_party_types: tuple[str, ...] = ()
    obligations: tuple[str, ...] = ()
    binding: Binding | None = None

    @classmethod
    def of(cls, ruleset: Ruleset) -> Outline:
        ids = {ob.rule.id: None for law in ruleset.laws for ob in law.obligations}
        return cls(
            ruleset.code,
            ruleset.reach,
            ruleset.party_types,
            ruleset.declared_party_types,
            tuple(ids),
            Binding.of(ruleset),
        )


#: What an outline entry of the cache is made of.
OUTLINE_CODEC = Codec([Outline, Reach, Binding])

#: The outline entry of a file that is a scenario document, not a ruleset.
_SCENARIO = "scenario"


@shared_repr
@attrs.define(repr=False)
class _Entry:
    outline: Outline
    file: Path
    digest: str
    ruleset: Ruleset | None


class Library(Mapping[str, Ruleset]):
    """The rulesets under ``paths`` by code, in code order, each loaded when first asked.

    A read-only mapping from code to :class:`Ruleset`: ``library["US-CA"]`` loads that
    ruleset (from the compiled-law cache) the first time; iterating, ``len`` and ``in``
    use the outlines only. Safe to use from several threads. ``cache`` as for
    :func:`breachrules.law.loader.load_rulesets`.
    """

    def __init__(self, paths: Iterable[Path | str], *, cache: bool | None = None) -> None:
        self._store = default_cache() if cache is None or cache else LawCache(None)
        self._lock = threading.Lock()
        entries: list[_Entry] = []
        problems: list[Problem] = []
        codes = Codes()  # a user's ruleset replaces the bundled one with its code
        for root in paths:
            root = Path(root)
            for entry in self._root(root, problems):
                code = entry.outline.code
                try:
                    kept = codes.add(code, entry.file, root)
                except ValueError as exc:
                    problems.append(Problem("code", str(exc), str(entry.file), 1))
                    continue
                if kept == "replaces":
                    entries = [e for e in entries if e.outline.code != code]
                if kept is not None:
                    entries.append(entry)
        if problems:
            raise RulesetError(problems)
        codes.warn()
        entries.sort(key=lambda e: e.outline.code)
        self._entries = {e.outline.code: e for e in entries}
        #: Every ruleset's outline, in code order (nothing loaded to give them).
        self.outlines: tuple[Outline, ...] = tuple(e.outline for e in entries)
        self._all: tuple[Ruleset, ...] | None = None

    def _root(self, root: Path, problems: list[Problem]) -> list[_Entry]:
        """The rulesets of one file or folder, by their outlines.

        The outlines of a folder whose files are, byte for byte, those of a call before
        are one cache entry (named by the SHA-256 of every file's SHA-256, in order): one
        read instead of one per file. Otherwise each file's outline is read or made.
        """
        in_folder = root.is_dir()
        files: list[tuple[Path, bytes, str]] = []
        for file in loader.ruleset_files(root):
            try:
                data = loader.read_bytes(file)
            except RulesetError as exc:
                problems.extend(exc.problems)
                continue
            files.append((file, data, hashlib.sha256(data).hexdigest()))
        key = hashlib.sha256(
            ("folder" if in_folder else "file").encode()
            + b"".join(f"\0{f.name}\0{d}".encode() for f, _, d in files)
        ).hexdigest()
        together = self._store.get("outlines", key, OUTLINE_CODEC)
        if (
            type(together) is tuple
            and len(together) == len(files)
            and all(o == _SCENARIO or type(o) is Outline for o in together)
        ):
            return [
                _Entry(o, f, d, None)
                for o, (f, _, d) in zip(together, files, strict=True)
                if isinstance(o, Outline)
            ]
        entries: list[_Entry] = []
        made: list[Outline | str] = []
        before = len(problems)
        for file, data, digest in files:
            try:
                entry = self._index(file, in_folder, data, digest)
            except RulesetError as exc:
                problems.extend(exc.problems)
                continue
            made.append(_SCENARIO if entry is None else entry.outline)
            if entry is not None:
                entries.append(entry)
        if len(problems) == before and in_folder:
            self._store.put("outlines", key, tuple(made), OUTLINE_CODEC)
        return entries

    def _index(self, file: Path, in_folder: bool, data: bytes, digest: str) -> _Entry | None:
        """One file's outline, from the cache when it holds these exact bytes; else the
        file is loaded in full (from the cache or the file), and its outline cached."""
        cached = self._store.get("outline", digest, OUTLINE_CODEC)
        if cached == _SCENARIO and in_folder:
            return None
        if isinstance(cached, Outline):
            return _Entry(cached, file, digest, None)
        ruleset = loader.load_file(file, in_folder, self._store, data, digest)
        if ruleset is None:
            self._store.put("outline", digest, _SCENARIO, OUTLINE_CODEC)
            return None
        outline = Outline.of(ruleset)
        self._store.put("outline", digest, outline, OUTLINE_CODEC)
        return _Entry(outline, file, digest, ruleset)

    def __getitem__(self, code: str) -> Ruleset:
        entry = self._entries[code]  # KeyError for a code no file defines
        ruleset = entry.ruleset
        if ruleset is not None:
            return ruleset
        with self._lock:
            if entry.ruleset is None:
                entry.ruleset = self._load(entry)
            return entry.ruleset

    def _load(self, entry: _Entry) -> Ruleset:
        """The ruleset an outline stands for: the cache's entry for the same bytes, or
        (if that entry is gone) the file again, as long as it still has those bytes."""
        ruleset = loader.load_file(entry.file, True, self._store, None, entry.digest)
        assert ruleset is not None and ruleset.code == entry.outline.code
        return ruleset

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def is_loaded(self, code: str) -> bool:
        """Whether ``code``'s ruleset has been loaded (KeyError if no file defines it)."""
        return self._entries[code].ruleset is not None

    def outline(self, code: str) -> Outline:
        """The outline of ``code``'s ruleset (KeyError if none), without loading it."""
        return self._entries[code].outline

    @property
    def loaded(self) -> tuple[str, ...]:
        """The codes whose rulesets have been loaded so far, in code order."""
        return tuple(code for code, e in self._entries.items() if e.ruleset is not None)

    def rulesets(self) -> tuple[Ruleset, ...]:
        """Every ruleset, in code order (each loaded now if it was not yet)."""
        if self._all is None:
            self._all = tuple(self[code] for code in self._entries)
        return self._all


methods.end()
