"""Reading ruleset files: safe YAML with line numbers, JSON Schema, semantic checks.

Every problem is reported with its file and line, and a near-miss suggestion where a name
is unknown, so that a ruleset author's typo fails at load time, not during an incident.
Loading never evaluates code: YAML is read with the safe loader, and conditions are data
parsed by :mod:`breachrules.law.conditions`.

One module, one job: turning a ruleset file into a ``Ruleset``. Every check shares the
located document and the problem list, so they stay together; the file's shape is in
:mod:`breachrules.law.schema` and the line-keeping YAML in :mod:`breachrules.law.lines`.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import functools
import hashlib
import operator
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.errors import Problem, RulesetError
from breachrules.law import conditions
from breachrules.law.cache import Codec, LawCache, default_cache
from breachrules.law.calendars import zone_of
from breachrules.law.conditions import ConditionError, own_facts_in_scope, parse
from breachrules.law.declared import (
    OwnFact,
    check_recipients,
    check_until_given,
    read_facts,
    read_recipients,
)
from breachrules.law.lines import field_path, line_of, parse_located
from breachrules.law.overrides import Codes, bundled_paths
from breachrules.law.ruleset import (
    Counting,
    Deadline,
    DeadlineVariant,
    DelayCap,
    DelayExtension,
    DelayRule,
    LawInForce,
    ObligationRule,
    Parameter,
    Reach,
    Rule,
    Ruleset,
    Source,
    SubstituteNotice,
    Version,
)
from breachrules.law.schema import (
    CODE_PATTERN,
    DATE_PATTERN,
    DEADLINE_SCHEMA,
    RULESET_SCHEMA,
    SUBSTITUTE_NOTICE_SCHEMA,
)
from breachrules.law.series import expand_series, series_path
from breachrules.model.decisions import Act
from breachrules.model.paths import steps as path_steps
from breachrules.model.places import place_problem
from breachrules.model.timestamps import date_problem
from breachrules.model.vocabulary import ANCHORS, PARTY_TYPES

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "CODEC",
    "RULESET_SCHEMA",
    "bundled_paths",
    "file_sha256",
    "is_scenario_document",
    "load_file",
    "load_ruleset",
    "load_rulesets",
    "read_bytes",
    "read_located",
    "ruleset_files",
    "schema_problems",
]


@functools.cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    """The JSON Schema validators, made when a file is first checked: a process that
    reads only cached rulesets never imports jsonschema."""
    import jsonschema

    schema = {
        "ruleset": RULESET_SCHEMA,
        "deadline": DEADLINE_SCHEMA,
        "substitute_notice": SUBSTITUTE_NOTICE_SCHEMA,
    }[name]
    # Only ``format: date`` is checked (a real day of the calendar, not 2025-02-30).
    dates = jsonschema.FormatChecker(formats=("date",))
    return jsonschema.Draft202012Validator(schema, format_checker=dates)


#: What a cached ruleset is made of: only these classes are ever built from a cache entry.
CODEC = Codec(
    [
        Ruleset,
        Source,
        Reach,
        Version,
        Parameter,
        LawInForce,
        Rule,
        ObligationRule,
        Deadline,
        Counting,
        DelayRule,
        DelayCap,
        DelayExtension,
        DeadlineVariant,
        OwnFact,
        SubstituteNotice,
        Act,
        conditions.Always,
        conditions.Compare,
        conditions.Has,
        conditions.All,
        conditions.Any_,
        conditions.Not,
    ]
)
#: The cache entry of a file that is a scenario document, not a ruleset.
_SCENARIO = "scenario"


# --- building the model ----------------------------------------------------------------------


class _Problems:
    def __init__(self, file: str, doc: object) -> None:
        self.file = file
        self.doc = doc
        self.items: list[Problem] = []

    def add(
        self, path: Sequence[str | int], reason: str, at: Sequence[str | int] | None = None
    ) -> None:
        """``at``: where the value is written, where ``path`` (which names it) differs."""
        line = line_of(self.doc, path if at is None else at)
        problem = Problem(field_path(path), reason, file=self.file, line=line)
        if problem not in self.items:  # each version re-reads shared parameters: say it once
            self.items.append(problem)


def ruleset_files(path: Path) -> list[Path]:
    """The ruleset files at ``path`` (a file, or every ``*.yaml`` below a folder).

    Files and folders whose names start with ``_`` are data beside the rulesets, not
    rulesets (``_directory/``, the regulator directory; ``_pending.yaml``).
    """
    if not path.is_dir():
        return [path]
    # os.walk, not Path.rglob: the same names (symbolic links to folders are listed, not
    # entered) in half the time, and every call of ``breachrules assess`` lists them.
    found: list[Path] = []
    for folder, folders, files in os.walk(path):
        folders[:] = [name for name in folders if not name.startswith("_")]
        here = Path(folder)
        for name in (*folders, *files):
            if not name.startswith("_") and os.path.splitext(name)[1] in (".yaml", ".yml"):
                found.append(here / name)
    return sorted(found)


def is_scenario_document(doc: object) -> bool:
    """Whether a YAML document is a scenario file (``ruleset:`` and ``cases:``, no ``code:``).

    Scenario files live beside the rulesets they test (``breachrules test`` needs a folder
    holding both), so a folder of rulesets may hold them; the loader skips them rather
    than report them as rulesets missing a ``code``.
    """
    return isinstance(doc, dict) and "cases" in doc and "ruleset" in doc and "code" not in doc


def load_rulesets(paths: Iterable[Path | str], *, cache: bool | None = None) -> list[Ruleset]:
    """Load every ruleset under ``paths``; raise RulesetError listing all problems.

    A user's ruleset with the code of a bundled one replaces it, with a warning
    (:mod:`breachrules.law.overrides`); two other files with one code are a problem.

    Scenario files found in a folder are skipped (they are tested, not loaded). A file
    loaded before, byte for byte, by this version is read from the compiled-law cache
    (:mod:`breachrules.law.cache`); ``cache=False`` reads every file afresh, ``None``
    follows ``BREACHRULES_NO_CACHE`` and ``--no-cache``. A file with problems is never
    cached, so its problems are always reported from the file itself.
    """
    store = default_cache() if cache is None or cache else LawCache(None)
    rulesets: list[Ruleset] = []
    problems: list[Problem] = []
    codes = Codes()
    for root in paths:
        root = Path(root)
        for file in ruleset_files(root):
            try:
                ruleset = _load_cached(file, root.is_dir(), store)
            except RulesetError as exc:
                problems.extend(exc.problems)
                continue
            if ruleset is None:
                continue
            try:
                kept = codes.add(ruleset.code, file, root)
            except ValueError as exc:
                problems.append(Problem("code", str(exc), str(file), 1))
                continue
            if kept == "replaces":
                rulesets = [r for r in rulesets if r.code != ruleset.code]
            if kept is not None:
                rulesets.append(ruleset)
    if problems:
        raise RulesetError(problems)
    codes.warn()
    return sorted(rulesets, key=lambda r: r.code)


def _load_cached(file: Path, in_folder: bool, store: LawCache) -> Ruleset | None:
    """One file's ruleset (None for a scenario file in a folder): from the cache when it
    holds these exact bytes, else from the file (and then cached, if it loaded)."""
    data = read_bytes(file)
    return load_file(file, in_folder, store, data, hashlib.sha256(data).hexdigest())


#: Every field of a ruleset, in order, and where its ``path`` is among them (all are
#: positional arguments of ``Ruleset``: the tests check it).
_VALUES = operator.attrgetter(*(f.name for f in attrs.fields(Ruleset)))
_PATH = [f.name for f in attrs.fields(Ruleset)].index("path")


def _at(ruleset: Ruleset, file: Path) -> Ruleset:
    """``attrs.evolve(ruleset, path=file)``, without evolve's walk over the fields by name
    (about 19 µs a ruleset, and an assessment in a new process reads dozens)."""
    values = list(_VALUES(ruleset))
    values[_PATH] = file
    return Ruleset(*values)


def load_file(
    file: Path,
    in_folder: bool,
    store: LawCache,
    data: bytes | None = None,
    digest: str | None = None,
) -> Ruleset | None:
    """The ruleset of the file whose bytes are ``data`` (SHA-256 ``digest``): from the
    cache when it holds them, else built from them (and then cached, if it loaded);
    None for a scenario file in a folder. Every full load of a ruleset passes here.

    Without ``data``, the cache entry for ``digest`` is used when present, and the file
    is read only when it is not: if its bytes are no longer those of ``digest``, it
    changed after it was indexed (:class:`breachrules.law.library.Library`), and that
    is a :class:`RulesetError` naming it rather than a ruleset other than the one
    indexed.
    """
    if digest is None:
        data = read_bytes(file) if data is None else data
        digest = hashlib.sha256(data).hexdigest()
    cached = store.get("ruleset", digest, CODEC)
    if cached == _SCENARIO and in_folder:
        return None
    if isinstance(cached, Ruleset):
        return _at(cached, file)
    if data is None:
        data = read_bytes(file)
        if hashlib.sha256(data).hexdigest() != digest:
            reason = "changed since its rulesets were read; build the Engine again to use it"
            raise RulesetError([Problem("", reason, str(file))])
    doc = _parse(file, data)
    if is_scenario_document(doc):
        store.put("ruleset", digest, _SCENARIO, CODEC)
        if in_folder:
            return None
        raise RulesetError([_not_a_ruleset(file)])
    ruleset = _load_document(file, doc)
    store.put("ruleset", digest, attrs.evolve(ruleset, path=None), CODEC)
    return ruleset


def read_bytes(file: Path) -> bytes:
    """A ruleset file's bytes; RulesetError naming it when it cannot be read."""
    try:
        return file.read_bytes()
    except OSError as exc:
        raise RulesetError([Problem("", f"cannot read: {exc.strerror}", str(file))]) from None


def _parse(file: Path | str, data: bytes) -> Any:
    """The YAML document in ``data``, with lines; RulesetError with file (and line)."""
    return parse_located(str(file), data)


def read_located(file: Path | str) -> Any:
    """Read a YAML file with line numbers (:mod:`breachrules.law.lines`); a file that
    cannot be read or parsed raises RulesetError with its file (and line, if known)."""
    return _parse(file, read_bytes(Path(file)))


def load_ruleset(file: Path | str) -> Ruleset:
    """Load one ruleset file; raise RulesetError with file and line for each problem."""
    file = Path(file)
    doc = read_located(file)
    if is_scenario_document(doc):
        raise RulesetError([_not_a_ruleset(file)])
    return _load_document(file, doc)


def _not_a_ruleset(file: Path) -> Problem:
    """A scenario file given where a ruleset file is wanted."""
    return Problem(
        "",
        "this is a scenario file (it has 'ruleset' and 'cases'), not a ruleset; "
        "run it with `breachrules test` (`breachrules validate` checks it without running)",
        str(file),
        1,
    )


def schema_problems(
    validator: jsonschema.protocols.Validator, doc: Any, file: str
) -> list[Problem]:
    """Every way ``doc`` breaks the schema of ``validator``, each at its ``file:line``,
    with a near miss for unknown keys and words. One problem per place: when several
    branches of a schema fail at one spot, the most specific message is kept."""
    problems = _Problems(file, doc)
    try:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        return [Problem("", "nested too deeply", file)]
    seen: set[tuple[str, str]] = set()
    for error in _specific(errors):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            schema: Any = error.schema
            allowed = schema.get("properties", {})
            path += [k for k in error.instance if k not in allowed][:1]
        message = _schema_message(error)
        key = (field_path(path), message)
        if key in seen:
            continue
        seen.add(key)
        problems.add(path, message)
    return problems.items


def _sub_problems(
    validator: jsonschema.protocols.Validator,
    raw: Any,
    path: list[str | int],
    problems: _Problems,
) -> bool:
    """Check a part checked again after ``$parameter`` substitution; report at ``path``."""
    found = False
    for error in _specific(validator.iter_errors(raw)):
        found = True
        where = [*path, *error.absolute_path]
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            schema: Any = error.schema
            allowed = schema.get("properties", {})
            where += [k for k in error.instance if k not in allowed][:1]
        problems.add(where, _schema_message(error))
    return found


def _specific(errors: Iterable[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """Replace "not valid under any of the given schemas" by what the branch meant for a
    value of this kind says (a deadline mapping is told about its keys, not that it is
    not a ``$parameter`` string)."""
    for error in errors:
        if error.validator not in ("anyOf", "oneOf") or not error.context:
            yield error
            continue
        branches: dict[int, list[jsonschema.ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(int(sub.schema_path[0]), []).append(sub)
        fitting = [
            subs
            for subs in branches.values()
            if not any(s.validator == "type" and not s.relative_path for s in subs)
        ]
        if len(fitting) == 1:
            yield from _specific(fitting[0])
        elif fitting:
            from jsonschema.exceptions import best_match

            yield best_match(e for subs in fitting for e in subs)
        else:
            yield error


def _load_document(file: Path, doc: Any) -> Ruleset:
    name = str(file)
    problems = _Problems(name, doc)
    if not isinstance(doc, dict):
        problems.add([], "a ruleset file is a YAML mapping")
        raise RulesetError(problems.items)
    problems.items.extend(schema_problems(_validator("ruleset"), doc, name))
    if problems.items:
        later = _past_schema(file, doc, problems.items)
        if later and later[-1].path == "" and later[-1].reason.startswith("fix these first"):
            raise RulesetError(in_line_order(problems.items) + later)  # the note stays last
        raise RulesetError(in_line_order(problems.items + later))
    return _checked(file, doc)


def in_line_order(problems: list[Problem]) -> list[Problem]:
    """A file's problems in line order (those of the whole file first), as an author reads
    the file: the checks run one kind of problem at a time, each over the whole file."""
    return sorted(problems, key=lambda p: p.line or 0)


#: The later checks cannot read a document the schema refused in such a way.
_CANNOT_READ = (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)


def _past_schema(file: Path, doc: dict[str, Any], found: list[Problem]) -> list[Problem]:
    """What the checks after the schema's say of a file the schema refused, so that one
    run of ``validate`` reports as much as it can: they read a copy in which each date that
    is no day is its near miss (``2026-02-30`` read as ``2026-02-28``), and what they find
    at or under a place already named is left out (it follows from the refused value).
    Where a refused value leaves them unable to read the file (a required key missing, a
    value of the wrong kind), one line says that they did not run."""
    try:
        copied: Any = copy.deepcopy(doc)
        for problem in found:
            near = re.search(r"is not a date: .*did you mean '(\d{4}-\d\d-\d\d)'", problem.reason)
            where = path_steps(problem.path)
            if near and where:
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    functools.reduce(operator.getitem, where[:-1], copied)[where[-1]] = near[1]
        _checked(file, copied)
    except RulesetError as exc:
        return [p for p in exc.problems if not any(_under(p.path, f.path) for f in found)]
    except _CANNOT_READ:
        return [
            Problem(
                "",
                "fix these first: the checks after the file's shape (parameters, "
                "conditions, clocks, places) did not run, so a later problem may remain",
                str(file),
                found[0].line,
            )
        ]
    return []


def _under(path: str, place: str) -> bool:
    """Whether field ``path`` is ``place`` or lies within it."""
    return path == place or path.startswith((place + ".", place + "["))


def _checked(file: Path, doc: Any) -> Ruleset:
    """The ruleset of a document the schema accepted (every later check)."""
    name = str(file)
    problems = _Problems(name, doc)
    series = "parameters" in doc
    if series:  # dated value series, read as the versions they make
        doc = expand_series(doc, problems.add)
        if doc is None:
            raise RulesetError(in_line_order(problems.items))
        problems = _Problems(name, doc)
    ruleset = _build(doc, file, problems)
    if problems.items and series:  # name the series entry, not the version it made
        named = [attrs.evolve(p, path=series_path(doc, p.path)) for p in problems.items]
        raise RulesetError(in_line_order(named))
    if problems.items:
        raise RulesetError(in_line_order(problems.items))
    assert ruleset is not None
    return ruleset


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        schema: Any = error.schema
        allowed = list(schema.get("properties", {}))
        hints = [difflib.get_close_matches(x, allowed, n=1) for x in extra]
        tips = [
            f"{x!r} (did you mean {h[0]!r}?)" if h else repr(x)
            for x, h in zip(extra, hints, strict=True)
        ]
        return f"unknown key {', '.join(tips)}; allowed: {', '.join(allowed)}"
    if error.validator == "enum":
        words: Any = error.validator_value
        hint = (
            difflib.get_close_matches(error.instance, list(map(str, words)), n=1)
            if isinstance(error.instance, str)
            else []
        )
        tip = f" (did you mean {hint[0]!r}?)" if hint else ""
        path = list(error.absolute_path)
        if path[-1:] == ["from"] and "longest" not in path:
            # A clock may also run from another notice: say so, or the author concludes
            # that those forms are not allowed.
            tip += (
                "; or another notice: sent:<obligation-id> (this ruleset's, as sent), "
                "sent:<CODE>:<obligation-id> (another law's, e.g. sent:US-HIPAA:"
                "notify-secretary), obligation:<obligation-id> (its due date)"
            )
        return f"{error.instance!r} is not one of {', '.join(map(str, words))}{tip}"
    if error.validator == "const":
        return f"{error.instance!r} is not allowed here; write {error.validator_value!r}"
    if error.validator == "pattern" and error.validator_value == CODE_PATTERN:
        return (
            f"{error.instance!r} is not a code: two capital letters and up to two parts of "
            "one to five capitals or digits (US, US-CA, XX-ACME)"
        )
    if error.validator == "required" and error.validator_value == ["versions"]:
        return "'versions' is required (or 'parameters': a dated value series per parameter)"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "pattern" and error.validator_value == DATE_PATTERN:
        return f"{error.instance!r} is not a date (YYYY-MM-DD)"
    if error.validator == "format" and error.validator_value == "date":
        return date_problem(error.instance) or error.message
    return error.message


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _build(doc: dict[str, Any], file: Path, problems: _Problems) -> Ruleset | None:
    code: str = doc["code"]
    versions = _versions(doc, problems)
    _check_exception_dates(doc, versions, problems)
    # The ruleset's own vocabulary (breachrules.law.declared): its facts are in scope for
    # its own conditions only, and its recipients join the contract's.
    own_facts = read_facts(code, doc, problems.add)
    own_recipients = read_recipients(doc, problems.add)
    check_recipients(doc, own_recipients, problems.add)
    laws: list[LawInForce] = []
    # A dated fact is read by clocks only (``from: "fact:<name>"``), never by a condition.
    tested = {f.name: (f.kind, f.words) for f in own_facts if f.kind != "datetime"}
    with own_facts_in_scope(code, tested):
        for index, version in enumerate(versions):
            before = len(problems.items)
            resolved = _substitute(doc, version.parameters, ["versions", index], problems)
            if len(problems.items) > before:
                # A missing parameter: the rest of the version is checked all the same,
                # without what follows from the missing value (at its place, within it, or
                # at the test or rule it stands in).
                missing = [p.path for p in problems.items[before:]]
                scratch = _Problems(problems.file, problems.doc)
                _law(code, version, resolved, scratch, _origins(doc, index))
                for p in scratch.items:
                    follows = any(_under(p.path, m) or _under(m, p.path) for m in missing)
                    if not follows and p not in problems.items:
                        problems.items.append(p)
                continue
            law = _law(code, version, resolved, problems, _origins(doc, index))
            if law is not None:
                laws.append(law)
    party_types = tuple(doc.get("applies_to", {}).get("party_types", ()))
    own = tuple((doc.get("declares") or {}).get("party_types", ()))
    for i, word in enumerate(party_types):
        if word not in PARTY_TYPES and word not in own:
            hint = difflib.get_close_matches(word, [*PARTY_TYPES, *own], n=1)
            problems.add(
                ["applies_to", "party_types", i],
                f"unknown party type {word!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + "; a word of the ruleset's own is declared under declares: {party_types: [...]}",
            )
    _check_dated_facts(laws, doc["obligations"], own_facts, problems)
    check_until_given(laws, own_facts, problems.add)
    _check_places(doc, problems)
    _check_calendar(doc, problems)
    _check_time_zone(doc, problems)
    _check_kinds_and_variants(doc, (*PARTY_TYPES, *own), problems)
    applies = doc.get("applies_to") or {}
    if not any(applies.get(k) for k in ("party_types", "parties", "roles")):
        for i, raw in enumerate(doc["obligations"]):
            if raw.get("by") == "bound_party":
                problems.add(
                    ["obligations", i, "by"],
                    "bound_party needs applies_to to name the party the ruleset binds "
                    "(parties, roles or party_types)",
                )
    reaches = doc["reaches"]
    hol = doc.get("holidays")
    unverified = tuple(_unverified(doc))
    if problems.items:
        return None
    return Ruleset(
        code=code,
        name=doc["name"],
        citation=doc["citation"],
        last_reviewed=_date(doc["last_reviewed"]),
        checked_against=doc.get("checked_against"),
        sources=tuple(Source(s["url"], s.get("title")) for s in doc["sources"]),
        reach=Reach(
            residents=tuple(reaches.get("residents", ())),
            established_in=tuple(reaches.get("established_in", ())),
            requires_targeting=reaches.get("requires_targeting", False),
            citation=reaches.get("citation"),
            by_party_type=reaches.get("by_party_type", False),
        ),
        versions=tuple(versions),
        laws=tuple(laws),
        party_types=party_types,
        party_ids=tuple(doc.get("applies_to", {}).get("parties", ())),
        party_roles=tuple(doc.get("applies_to", {}).get("roles", ())),
        holidays=(hol["country"], hol.get("subdivision")) if hol else None,
        time_zone=doc.get("time_zone"),
        path=file,
        note=doc.get("note"),
        unverified=unverified,
        risk_test_same_as=tuple(doc.get("risk_test", {}).get("same_as", ())),
        counting=_counting(doc.get("counting")),
        declared_party_types=own,
        recipients=tuple(own_recipients),
        kind=doc.get("kind", "law"),
        facts=own_facts,
        recipient_descriptions=own_recipients,
        sha256=file_sha256(file),
    )


def _check_dated_facts(
    laws: list[LawInForce], raws: list[Any], own: Sequence[OwnFact], problems: _Problems
) -> None:
    """Every clock that runs ``from: "fact:<name>"`` (or stands in with one under
    ``if_unknown``) names a dated fact the ruleset declares (``type: datetime``)."""
    dated = [f.name for f in own if f.kind == "datetime"]
    index = {raw.get("id"): i for i, raw in enumerate(raws) if isinstance(raw, Mapping)}
    seen: set[tuple[int, str, str]] = set()
    for law in laws:
        for ob in law.obligations:
            d, i = ob.deadline, index.get(ob.rule.id.split(":", 1)[1], 0)
            named = [("from", d.anchor), *(("if_unknown", n) for n in d.if_unknown)]
            named += [
                (f"{k}.from", c.anchor)
                for k, c in (("cap", d.cap), ("not_before", d.not_before))
                if c
            ]
            for where, name in named:
                if not name.startswith("fact:") or name[5:] in dated or (i, where, name) in seen:
                    continue
                seen.add((i, where, name))
                hint = difflib.get_close_matches(name[5:], dated, n=1)
                problems.add(
                    ["obligations", i, "deadline", *where.split(".")],
                    f"no dated fact {name[5:]!r} to run from"
                    + (f"; did you mean 'fact:{hint[0]}'?" if hint else "")
                    + " (declare it under declares: {facts: {<name>: {type: datetime, "
                    "description: ...}}})",
                )


def file_sha256(file: Path) -> str | None:
    """SHA-256 of a ruleset file's bytes with CRLF read as LF (a Windows checkout of the
    same commit hashes the same); None if the file cannot be read again."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def _check_places(doc: Mapping[str, Any], problems: _Problems) -> None:
    """Every place in ``reaches`` is a code an incident can carry, by the very check an
    incident's places pass (:func:`breachrules.model.places.place_problem`): ISO 3166-1 or
    -2, ``EU``, or a code ISO 3166 reserves for private use (``XX``, ``XX-ZZ``, ``ZZ``).
    A ruleset reaching ``US-XX`` would validate and then reach no incident, since no
    incident may name it."""
    for key in ("residents", "established_in"):
        for i, code in enumerate(doc["reaches"].get(key) or ()):
            problem = place_problem(code)
            if problem is not None:
                problems.add(["reaches", key, i], problem)


def _check_calendar(doc: Mapping[str, Any], problems: _Problems) -> None:
    """``holidays`` names a calendar the holidays library has (a wrong subdivision used to
    validate, then crash every assessment with NotImplementedError)."""
    hol = doc.get("holidays")
    if not hol:
        return
    import holidays

    supported = holidays.list_supported_countries()
    country, sub = hol["country"], hol.get("subdivision")
    if country not in supported:
        hint = difflib.get_close_matches(country, supported, n=1)
        problems.add(
            ["holidays", "country"],
            f"no holiday calendar for country {country!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else ""),
        )
    elif sub is not None and sub not in supported[country]:
        hint = difflib.get_close_matches(sub, supported[country], n=1)
        problems.add(
            ["holidays", "subdivision"],
            f"{country} has no subdivision {sub!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (subdivisions: {', '.join(supported[country][:12])}"
            + (", ...)" if len(supported[country]) > 12 else ")"),
        )


def _check_time_zone(doc: Mapping[str, Any], problems: _Problems) -> None:
    """``time_zone`` names a zone of the IANA database (``America/Chicago``): a misspelt
    zone would otherwise fail every assessment that dates one of the law's notices."""
    name = doc.get("time_zone")
    if name is None:
        return
    if isinstance(name, str) and "/" not in name and name != "UTC" and zone_of(name):
        # EST, MST, HST, EST5EDT, CET...: legacy names, fixed offsets or rules of their own
        # rather than a place's time; a law's day ends where its place's clock says.
        problems.add(
            ["time_zone"],
            f"{name!r} is a legacy zone name, not a place's time: name the place's zone "
            "(e.g. 'America/New_York', 'Europe/Paris', 'Asia/Tokyo')",
        )
        return
    if zone_of(name) is None:
        from zoneinfo import available_timezones

        hint = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
        problems.add(
            ["time_zone"],
            f"no time zone {name!r} in the IANA database"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + " (e.g. 'America/New_York', 'Europe/Paris', 'Asia/Tokyo')",
        )


def _unverified(doc: Any, path: str = "") -> Iterator[str]:
    if isinstance(doc, Mapping):
        if doc.get("verified") is False:
            yield f"{path}: {doc.get('note', 'not verified')}"
        for key, value in doc.items():
            yield from _unverified(value, f"{path}.{key}" if path else key)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            label = value.get("id") if isinstance(value, Mapping) and "id" in value else i
            yield from _unverified(value, f"{path}[{label}]")


def _versions(doc: dict[str, Any], problems: _Problems) -> list[Version]:
    out: list[Version] = []
    inherited: dict[str, Parameter] = {}
    for i, raw in enumerate(doc["versions"]):
        params = dict(inherited)
        for key, p in raw.get("parameters", {}).items():
            params[key] = Parameter(
                p["value"], p["citation"], p.get("verified", True), p.get("note")
            )
        inherited = params
        start = _date(raw["effective_from"])
        end = _date(raw["effective_to"]) if "effective_to" in raw else None
        if end is not None and end < start:
            problems.add(["versions", i, "effective_to"], "ends before it starts")
        if out:
            previous = out[-1]
            if previous.effective_to is None:
                problems.add(
                    ["versions", i - 1], "only the last version may leave effective_to open"
                )
            elif start <= previous.effective_to:
                problems.add(
                    ["versions", i, "effective_from"],
                    f"overlaps the version before it (which ends {previous.effective_to})",
                )
            elif start > previous.effective_to + timedelta(days=1):
                problems.add(
                    ["versions", i, "effective_from"],
                    f"leaves a gap: the version before it ends {previous.effective_to}, so "
                    f"no version is in force from {previous.effective_to + timedelta(days=1)} "
                    f"to {start - timedelta(days=1)}; start it the day after",
                )
            if start <= previous.effective_from:
                problems.add(["versions", i, "effective_from"], "versions must be in date order")
        out.append(Version(start, raw["citation"], end, params, raw.get("note")))
    return out


def _substitute(
    doc: dict[str, Any], params: dict[str, Parameter], where: list[str | int], problems: _Problems
) -> dict[str, Any]:
    """Replace every ``"$name"`` string by the parameter's value in force."""

    def walk(node: Any, path: list[str | int]) -> Any:
        if isinstance(node, str) and node.startswith("$"):
            name = node[1:]
            if name in params:
                return copy.deepcopy(params[name].value)
            hint = difflib.get_close_matches(name, params, n=1)
            version = where[1]
            problems.add(
                path,
                f"parameter {node!r} is not set in version {version} (effective "
                f"{doc['versions'][version]['effective_from']})"
                + (f"; did you mean '${hint[0]}'?" if hint else ""),
            )
            return None
        if isinstance(node, Mapping):
            if len(path) >= 2 and path[-2] == "exceptions" and not _in_force_on(node, start):
                return node  # not part of this version: its parameters need not exist
            if path[:1] == ["obligations"] and len(path) == 2 and not _overlaps(node, start, end):
                return node  # an obligation wholly before or after this version
            return {k: walk(v, [*path, k]) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, [*path, i]) for i, v in enumerate(node)]
        return node

    this = doc["versions"][where[1]]
    start = _date(str(this["effective_from"]))
    end = _date(str(this["effective_to"])) if this.get("effective_to") else None
    return {
        k: walk(doc[k], [k]) for k in ("personal_information", "breach", "obligations") if k in doc
    }


def _rule(
    code: str,
    raw: dict[str, Any],
    path: list[str | int],
    problems: _Problems,
    version: Version | None = None,
    scope: str = "",
) -> Rule | None:
    """Build one rule. ``scope`` prefixes the id of an obligation's own exceptions, so
    that two obligations may each have, say, a ``deemed-compliance`` exception."""
    try:
        when = parse(raw.get("when"))
    except ConditionError as exc:
        steps: list[str | int] = [*path, "when"]
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", exc.path):
            steps.append(int(part[1:-1]) if part.startswith("[") else part)
        problems.add(steps, exc.reason, at=_as_written(problems.doc, steps))
        return None
    exceptions: list[Rule] = []
    inner = f"{raw['id']}:" if path[0] == "obligations" else ""
    seen: set[str] = set()
    for i, ex in enumerate(raw.get("exceptions", ())):
        if ex["id"] in seen:
            problems.add([*path, "exceptions", i, "id"], f"duplicate exception id {ex['id']!r}")
        seen.add(ex["id"])
        if version is not None and not _exception_in_force(ex, version):
            continue
        rule = _rule(code, ex, [*path, "exceptions", i], problems, scope=inner)
        if rule is not None:
            exceptions.append(rule)
    return Rule(
        id=f"{code}:{scope}{raw['id']}",
        title=raw.get("title", raw["id"].replace("-", " ").capitalize()),
        citation=raw["citation"],
        when=when,
        statute=raw.get("statute"),
        url=raw.get("url"),
        verified=raw.get("verified", True),
        note=raw.get("note"),
        line=line_of(problems.doc, path),
        exceptions=tuple(exceptions),
        duty=raw.get("duty"),
        rebuttable=raw.get("rebuttable", False),
    )


def _as_written(doc: Any, path: list[str | int]) -> list[str | int]:
    """A condition's ``path`` as the document writes it: a set test's list is under its
    operator (``elements[0][1]`` is written ``elements.combination_of[0][1]``), so that
    a word is reported at its own line, not the line of ``elements:``."""
    out: list[str | int] = []
    node = doc
    for n, step in enumerate(path):
        if isinstance(step, int) and isinstance(node, Mapping) and len(node) == 1:
            ((op, node),) = node.items()
            out.append(op)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return [*out, *path[n:]]
        out.append(step)
    return out


def _origins(doc: Mapping[str, Any], index: int) -> dict[str, list[str | int]]:
    """Where each parameter in force in version ``index`` is written: a value inherited
    from an earlier version is reported at that version's line, not the rule's."""
    out: dict[str, list[str | int]] = {}
    for j, raw in enumerate(doc["versions"][: index + 1]):
        for name in raw.get("parameters") or {}:
            out[name] = ["versions", j, "parameters", name, "value"]
    return out


def _written_at(
    original: Any, path: list[str | int], origins: Mapping[str, list[str | int]]
) -> list[str | int]:
    """The path to report a substituted value's problems at: the parameter, if it is one."""
    if isinstance(original, str) and original.startswith("$") and original[1:] in origins:
        return origins[original[1:]]
    return path


def _law(
    code: str,
    version: Version,
    doc: dict[str, Any],
    problems: _Problems,
    origins: Mapping[str, list[str | int]] | None = None,
) -> LawInForce | None:
    origins = origins or {}
    source: Any = problems.doc if isinstance(problems.doc, Mapping) else {}
    pi_raw = doc.get("personal_information") or {
        # An incident-based law (NIS2, DORA) has no personal-data test of its own.
        "id": "no-personal-data-test",
        "title": "No personal-data test (the law turns on the incident itself)",
        "citation": doc.get("citation") or code,
        "when": None,
    }
    pi = _rule(code, pi_raw, ["personal_information"], problems, version)
    breach = _rule(code, doc["breach"], ["breach"], problems, version)
    obligations: list[ObligationRule] = []
    seen: set[str] = set()
    set_aside: set[str] = set()  # obligations left out for a problem of their own
    for i, raw in enumerate(doc["obligations"]):
        path: list[str | int] = ["obligations", i]
        if not _overlaps(raw, version.effective_from, version.effective_to):
            continue  # not in force at any time during this version
        if raw["id"] in seen:
            problems.add([*path, "id"], f"duplicate obligation id {raw['id']!r}")
        seen.add(raw["id"])
        rule = _rule(code, raw, path, problems, version)
        written = source.get("obligations", [])[i] if i < len(source.get("obligations", [])) else {}
        deadline = _deadline(
            raw["deadline"],
            _written_at(written.get("deadline"), [*path, "deadline"], origins),
            problems,
        )
        if rule is None or deadline is None:
            set_aside.add(raw["id"])
            continue
        deadline = _with_variants(deadline, raw["deadline"], [*path, "deadline"], problems)
        obligations.append(
            ObligationRule(
                rule=rule,
                recipient=raw["recipient"],
                by=raw["by"],
                deadline=deadline,
                recipient_name=raw.get("recipient_name"),
                content_requirements=tuple(raw.get("content_requirements") or ()),
                law_enforcement_delay=_delay_citation(raw.get("law_enforcement_delay")),
                delay=_delay(
                    raw.get("law_enforcement_delay"),
                    [*path, "law_enforcement_delay"],
                    problems,
                    fixed=deadline.fixed,
                ),
                requires_breach=raw.get("requires_breach", True),
                effective_from=_date(raw["effective_from"]) if "effective_from" in raw else None,
                effective_to=_date(raw["effective_to"]) if "effective_to" in raw else None,
                substitute_notice=_substitute_notice(
                    raw.get("substitute_notice"),
                    _written_at(
                        written.get("substitute_notice"), [*path, "substitute_notice"], origins
                    ),
                    problems,
                ),
                kind=raw.get("kind", "notice"),
                law=Act(raw["law"]["name"], raw["law"]["citation"]) if raw.get("law") else None,
            )
        )
    _check_chains(obligations, doc["obligations"], problems, set_aside)
    if pi is None or breach is None:
        return None
    # Every rule id is a key of the compiled ruleset: two rules with one id would silently
    # share one result, so a clash is an error.
    ids = [pi.id, breach.id, *(ex.id for ex in breach.exceptions)]
    for ob in obligations:
        ids += [ob.rule.id, *(ex.id for ex in ob.rule.exceptions)]
    for clash in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add(["breach"], f"rule id {clash.split(':', 1)[1]!r} is used twice")
    return LawInForce(code, version, pi, breach, tuple(obligations))


def _check_chains(
    obligations: list[ObligationRule],
    raws: list[dict[str, Any]],
    problems: _Problems,
    set_aside: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Every ``from: obligation:<id>`` names an obligation of the ruleset, without cycles
    (one ``set_aside`` for a problem of its own, already reported, is not missing)."""
    known = {ob.rule.id.split(":", 1)[1]: ob for ob in obligations}
    index = {raw["id"]: i for i, raw in enumerate(raws)}
    for name, ob in known.items():
        where: list[str | int] = ["obligations", index.get(name, 0), "deadline"]
        clocks = (
            (ob.deadline, where),
            (ob.deadline.cap, [*where, "cap"]),
            (ob.deadline.not_before, [*where, "not_before"]),
        )
        sent_of = [(ob.deadline.or_when_sent, [*where, "or_when"], "could end this period")]
        sent_of += [(c.sent_of, [*p, "from"], "to run from") for c, p in clocks if c is not None]
        for sent, path, role in sent_of:
            # ``<CODE>:<id>`` names another law's notice: that ruleset may not be loaded
            # with this one, so only its form is checked here (schema).
            if sent is not None and ":" not in sent and sent not in {*known, *set_aside}:
                hint = difflib.get_close_matches(sent, [*known, *set_aside], n=1)
                problems.add(
                    path,
                    f"no obligation {sent!r} whose sending {role}"
                    + (f"; did you mean 'sent:{hint[0]}'?" if hint else ""),
                )
        for clock, path in clocks:
            target = clock.chained_to if clock is not None else None
            if target is None:
                continue
            if target in set_aside:
                continue
            if target not in known:
                hint = difflib.get_close_matches(target, known, n=1)
                problems.add(
                    [*path, "from"],
                    f"no obligation {target!r} to run from"
                    + (f"; did you mean 'obligation:{hint[0]}'?" if hint else ""),
                )
                continue
            seen: set[str] = {name}
            step: str | None = target
            while step is not None:
                if step in seen:
                    problems.add([*path, "from"], f"the clock of {name!r} runs in a circle")
                    break
                seen.add(step)
                nxt = known.get(step)
                step = nxt.deadline.chained_to if nxt is not None else None


def _check_exception_dates(
    doc: Mapping[str, Any], versions: list[Version], problems: _Problems
) -> None:
    starts = {v.effective_from.isoformat() for v in versions}
    ends = {v.effective_to.isoformat() for v in versions if v.effective_to is not None}
    rules = [("breach", doc.get("breach") or {})] + [
        (f"obligations.{i}", ob) for i, ob in enumerate(doc.get("obligations") or [])
    ]
    for where, rule in rules:
        for i, ex in enumerate(rule.get("exceptions") or []):
            path: list[str | int] = [*where.split("."), "exceptions", i]
            path = [int(p) if isinstance(p, str) and p.isdigit() else p for p in path]
            start, end = ex.get("effective_from"), ex.get("effective_to")
            if start is not None and start not in starts:
                problems.add(
                    [*path, "effective_from"],
                    f"{start} is not the first day of a version; exceptions change with the "
                    f"law at version boundaries ({', '.join(sorted(starts))})",
                )
            if end is not None and end not in ends:
                problems.add(
                    [*path, "effective_to"],
                    f"{end} is not the last day of a version"
                    + (f" ({', '.join(sorted(ends))})" if ends else ""),
                )


def _exception_in_force(raw: Mapping[str, Any], version: Version) -> bool:
    """An exception with dates belongs to the versions that start within them.

    Exceptions change with the law at version boundaries (``_check_exception_dates``
    rejects dates that fall inside a version), so the version's first day decides.
    """
    return _in_force_on(raw, version.effective_from)


def _overlaps(raw: Mapping[str, Any], start: date, end: date | None) -> bool:
    """Whether an obligation's own dates overlap a version's (start, end)."""
    try:
        begins = _date(str(raw["effective_from"])) if raw.get("effective_from") else None
        stops = _date(str(raw["effective_to"])) if raw.get("effective_to") else None
    except ValueError:
        return True  # a malformed date is reported by the schema check
    return (begins is None or end is None or begins <= end) and (stops is None or start <= stops)


def _in_force_on(raw: Mapping[str, Any], day: date) -> bool:
    start, end = raw.get("effective_from"), raw.get("effective_to")
    try:
        return (start is None or _date(str(start)) <= day) and (
            end is None or day <= _date(str(end))
        )
    except ValueError:
        return True  # a malformed date is reported by the schema check


def _substitute_notice(
    raw: Any, path: list[str | int], problems: _Problems
) -> SubstituteNotice | None:
    if raw is None:
        return None
    # Checked again here because a `$parameter` is only replaced after the schema pass.
    if _sub_problems(_validator("substitute_notice"), raw, path, problems):
        return None
    return SubstituteNotice(
        text=raw["text"],
        citation=raw["citation"],
        cost_exceeds=raw.get("cost_exceeds"),
        persons_exceed=raw.get("persons_exceed"),
        verified=raw.get("verified", True),
        note=raw.get("note"),
    )


def _deadline(raw: Any, path: list[str | int], problems: _Problems) -> Deadline | None:
    if not isinstance(raw, Mapping):
        problems.add(path, "a deadline is a mapping with at least 'text'")
        return None
    if _sub_problems(_validator("deadline"), raw, path, problems):
        return None
    doc = problems.doc if isinstance(problems.doc, Mapping) else {}
    calendar = bool(doc.get("holidays"))
    clocks = (
        (raw, path),
        (raw.get("cap") or {}, [*path, "cap"]),
        (raw.get("not_before") or {}, [*path, "not_before"]),
    )
    for clock, where in clocks:
        if sum(clock.get(k) is not None for k in ("days", "hours", "months")) > 1:
            problems.add(where, "give one of days, hours or months, not several")
            return None
        if clock.get("business_days") and clock.get("hours") is not None:
            problems.add(
                [*where, "business_days"],
                "business_days counts days; a period in hours ignores it (use days, "
                "or drop business_days)",
            )
            return None
        if clock.get("business_days") and clock.get("months") is not None:
            problems.add(
                [*where, "business_days"],
                "business_days counts days; a period in months ignores it (use days, "
                "or drop business_days)",
            )
            return None
        if clock.get("business_days") and not calendar:
            problems.add(
                [*where, "business_days"],
                "business days need a holiday calendar: add holidays: {country: ..., "
                "subdivision: ...} at the top of the ruleset (it gives the public holidays "
                "and the country's weekend)",
            )
            return None
        if clock.get("counting") is not None and clock.get("hours") is not None:
            problems.add(
                [*where, "counting"],
                "counting applies to days and months; a period in hours runs from the "
                "anchor's exact moment",
            )
            return None
    cap, wait = raw.get("cap"), raw.get("not_before")
    for name, clock in (("cap", cap), ("not_before", wait)):
        if clock is not None and all(clock.get(k) is None for k in ("days", "hours", "months")):
            problems.add(
                [*path, name],
                f"{'a cap' if name == 'cap' else 'not_before'} needs days, hours or months "
                "(days: 0 for the anchor's own moment)",
            )
            return None
    counting = _counting(raw.get("counting")) or _counting(doc.get("counting")) or Counting()
    if counting.first_day == "included" and counting.ends == "same_time":
        problems.add(
            [*path, "counting"],
            "a period that counts the first day ends at the end of its last day "
            "(first_day: included needs ends: end_of_day)",
        )
        return None
    fallback = raw.get("if_unknown") or {}
    anchors = fallback.get("from", ())
    anchors = (anchors,) if isinstance(anchors, str) else tuple(anchors)
    for i, name in enumerate(anchors):
        if name in ("notice_to_individuals", "risk_finding"):
            problems.add(
                [*path, "if_unknown", "from"] + ([i] if isinstance(fallback["from"], list) else []),
                f"{name!r} cannot stand in for an unknown anchor: give a moment the incident "
                "records (discovery, owner_awareness, classification, ...)",
            )
            return None
    if anchors and raw.get("from") == "occurrence":
        # Every moment the incident records comes after the breach occurred: counting from
        # any of them would give a later date than the law's, never the earliest lawful one.
        problems.add(
            [*path, "if_unknown"],
            "nothing stands in for an unknown occurrence: every moment the incident records "
            "comes after it, so the date would be later than the law's; leave the due date "
            "open (occurred_at is then named as missing)",
        )
        return None
    if anchors and not (
        raw.get("from", "discovery") in ANCHORS
        or str(raw.get("from")).startswith(("sent:", "fact:"))
    ):
        problems.add(
            [*path, "if_unknown"],
            "if_unknown stands in for an anchor the incident may not record; a clock that "
            "runs from another obligation's due date has its own",
        )
        return None
    return Deadline(
        text=raw["text"],
        anchor=raw.get("from", "discovery"),
        days=raw.get("days"),
        hours=raw.get("hours"),
        months=raw.get("months"),
        business_days=raw.get("business_days", False),
        citation=raw.get("citation"),
        counting=counting,
        if_unknown=anchors,
        if_unknown_text=fallback.get("text"),
        cap=None if cap is None else _second_clock(cap, raw["text"], counting),
        not_before=None if wait is None else _second_clock(wait, raw["text"], counting),
        or_when=raw.get("or_when"),
    )


def _second_clock(raw: Mapping[str, Any], text: str, counting: Counting) -> Deadline:
    """A deadline's second clock (a ``cap``, a ``not_before``): its own anchor and period,
    counted as the deadline counts unless it says otherwise."""
    return Deadline(
        text=raw.get("text", text),
        anchor=raw["from"],
        days=raw.get("days"),
        hours=raw.get("hours"),
        months=raw.get("months"),
        business_days=raw.get("business_days", False),
        citation=raw.get("citation"),
        counting=_counting(raw.get("counting")) or counting,
    )


def _counting(raw: Any) -> Counting | None:
    """A ``counting:`` mapping (already checked by the schema), or None when absent."""
    if not isinstance(raw, Mapping):
        return None
    return Counting(
        first_day=raw.get("first_day", "excluded"),
        ends=raw.get("ends", "end_of_day"),
        citation=raw.get("citation"),
        verified=raw.get("verified", True),
        note=raw.get("note"),
    )


def _delay_citation(raw: Any) -> str | None:
    """The citation of a law-enforcement delay, written alone or in its mapping."""
    return raw.get("citation") if isinstance(raw, Mapping) else raw


def _delay(
    raw: Any, path: list[str | int], problems: _Problems, *, fixed: bool = True
) -> DelayRule | None:
    """How the law ends its delay (``law_enforcement_delay`` as a mapping), and its cap."""
    if not isinstance(raw, Mapping):
        return None
    longest = _delay_cap(raw, [*path, "longest"], problems, fixed=fixed)
    if raw.get("longest") is not None and longest is None:
        return None
    ends = raw.get("ends", "end_of_delay")
    period = raw.get("days") is not None or raw.get("hours") is not None
    if ends == "after" and not period:
        problems.add(
            [*path, "ends"], "ends: after needs the period after the agency's word (days or hours)"
        )
        return None
    if period and ends != "after":
        where = "ends" if "ends" in raw else ("days" if raw.get("days") is not None else "hours")
        problems.add(
            [*path, where],
            f"days and hours are the period after the agency's word (ends: after), not {ends}",
        )
        return None
    if raw.get("days") is not None and raw.get("hours") is not None:
        problems.add(path, "give days or hours, not both")
        return None
    calendar = isinstance(problems.doc, Mapping) and bool(problems.doc.get("holidays"))
    if raw.get("business_days") and (raw.get("days") is None or not calendar):
        problems.add(
            [*path, "business_days"],
            "business_days needs days and a holiday calendar (holidays: at the top)",
        )
        return None
    return DelayRule(
        citation=raw["citation"],
        ends=ends,
        days=raw.get("days"),
        hours=raw.get("hours"),
        business_days=bool(raw.get("business_days", False)),
        verified=raw.get("verified", True),
        note=raw.get("note"),
        longest=longest,
    )


def _delay_cap(
    delay: Mapping[str, Any], path: list[str | int], problems: _Problems, *, fixed: bool
) -> DelayCap | None:
    """The law's cap on a delay (``law_enforcement_delay.longest``, already checked by the
    schema for its shape), or None when there is none or it cannot be read."""
    raw = delay.get("longest")
    if not isinstance(raw, Mapping):
        return None
    ends = delay.get("ends", "end_of_delay")
    if ends != "end_of_delay":
        problems.add(
            [*path[:-1], "ends"],  # the word to change is ends:, not the cap
            "longest caps the delay the agency asked for, read with ends: end_of_delay, "
            f"not {ends}",
        )
        return None
    if raw["days"] == 0 and not raw.get("oral_only"):
        # "Provides the data collector with a written request for the delay": an oral
        # request delays nothing, so an oral one is capped at no delay at all.
        problems.add(
            [*path, "days"],
            "days: 0 (no delay at all) is for a delay the law grants only on a written "
            "request: give oral_only: true",
        )
        return None
    if raw["from"] == "due" and not fixed:
        problems.add(
            [*path, "from"],
            "from: due counts from the date the notice was otherwise due, and this deadline "
            "sets no fixed period (use from: statement, or give the deadline a period)",
        )
        return None
    further: list[DelayExtension] = []
    entries = raw.get("further") or ()
    for i, entry in enumerate(entries):
        if entry.get("days") is None and i < len(entries) - 1:
            problems.add(
                [*path, "further", i, "days"],
                "a further period without days has no limit, so nothing can follow it",
            )
            return None
        further.append(DelayExtension(text=entry["text"], days=entry.get("days")))
    if raw.get("beyond") is not None and further and further[-1].days is None:
        problems.add(
            [*path, "beyond"],
            "the last further period has no limit, so nothing lies beyond it",
        )
        return None
    return DelayCap(
        days=raw["days"],
        anchor=raw["from"],
        text=raw["text"],
        citation=raw.get("citation"),
        oral_only=bool(raw.get("oral_only", False)),
        further=tuple(further),
        beyond=raw.get("beyond"),
        verified=raw.get("verified", True),
        note=raw.get("note"),
    )


def _with_variants(
    deadline: Deadline, raw: Any, path: list[str | int], problems: _Problems
) -> Deadline:
    """The deadline with its per-party-type periods (``variants``), each checked."""
    if not isinstance(raw, Mapping) or not raw.get("variants"):
        return deadline
    calendar = isinstance(problems.doc, Mapping) and bool(problems.doc.get("holidays"))
    out: list[DeadlineVariant] = []
    for i, v in enumerate(raw["variants"]):
        where = [*path, "variants", i]
        if (v.get("days") is None) == (v.get("hours") is None):
            problems.add(where, "a variant gives days or hours (one of them)")
            continue
        if v.get("business_days") and (v.get("hours") is not None or not calendar):
            problems.add(
                [*where, "business_days"],
                "business_days needs days and a holiday calendar (holidays: at the top)",
            )
            continue
        out.append(
            DeadlineVariant(
                party_types=tuple(v["party_types"]),
                text=v["text"],
                citation=v["citation"],
                days=v.get("days"),
                hours=v.get("hours"),
                business_days=v.get("business_days", False),
                verified=v.get("verified", True),
                note=v.get("note"),
            )
        )
    return attrs.evolve(deadline, variants=tuple(out))


def _check_kinds_and_variants(
    doc: Mapping[str, Any], words: Sequence[str], problems: _Problems
) -> None:
    """A duty to no one (``recipient: internal``) is a record or an assessment, never a
    notice; a variant's party types are words the contract or the ruleset knows; and
    ``reaches.by_party_type`` needs the types it reaches by (``applies_to.party_types``)."""
    for i, raw in enumerate(doc.get("obligations") or ()):
        if not isinstance(raw, Mapping):
            continue
        if raw.get("recipient") == "internal" and raw.get("kind", "notice") == "notice":
            problems.add(
                ["obligations", i, "recipient"],
                "recipient internal sends nothing: give kind: record or kind: assessment",
            )
        deadline = raw.get("deadline")
        variants = deadline.get("variants") if isinstance(deadline, Mapping) else None
        for j, v in enumerate(variants or ()):
            for k, word in enumerate(v.get("party_types") or ()):
                if word not in words:
                    hint = difflib.get_close_matches(word, words, n=1)
                    problems.add(
                        ["obligations", i, "deadline", "variants", j, "party_types", k],
                        f"unknown party type {word!r}"
                        + (f"; did you mean {hint[0]!r}?" if hint else "")
                        + "; declare a word of the ruleset's own under declares: party_types",
                    )
    reaches = doc.get("reaches") or {}
    if reaches.get("by_party_type") and not (doc.get("applies_to") or {}).get("party_types"):
        problems.add(
            ["reaches", "by_party_type"],
            "by_party_type reaches parties of the types in applies_to.party_types: give them",
        )
