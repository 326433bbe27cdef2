"""JSON in and out: the one cattrs converter and incident validation.

The converter is strict: nothing is silently coerced (``"5"`` is not a count, ``1`` is not
``true``, a timestamp without a UTC offset is not a timestamp). Structural errors are
collected by cattrs' detailed validation, semantic ones (vocabulary words, references
between parties, negative counts) by :func:`_semantic_problems`; both are reported
together as :class:`~breachrules.errors.InvalidIncident` with field paths.

One module, one job: turning a document into an ``Incident`` (or an ``Assessment``) and
back, with every problem found at once; reading the raw text is
:mod:`breachrules.io.documents`, the JSON Schemas :mod:`breachrules.io.schema`.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from breachrules.errors import InvalidIncident, Problem
from breachrules.io._seen import remember
from breachrules.io.assessment_doc import assessment_document, assessment_json
from breachrules.io.documents import (
    LIMITS,
    join_path,
    moments_as_text,
    parse_document,
    read_source,
    shape_problems,
)
from breachrules.model.bindings import bind
from breachrules.model.decisions import Assessment, Deadline, Obligation, Reason, RulesetRef
from breachrules.model.facts import Exposure, Incident, Party
from breachrules.model.places import place_problem
from breachrules.model.timestamps import format_timestamp, hinting_in, kind_of, parse_timestamp
from breachrules.model.vocabulary import (
    DATA_ELEMENTS,
    ELEMENT_NOTES,
    ELEMENT_SYNONYMS,
    SCHEMA_VERSION,
)

__all__ = [
    "LIMITS",
    "converter",
    "dumps",
    "load_assessment",
    "load_incident",
    "parse_document",
    "parse_json",
    "parse_timestamp",
    "unstructure_incident",
]

#: A place code's shape (``place_problem`` decides whether it names a real place).
_CODE = re.compile(r"^(EU|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")
#: A ruleset's code, as ``risk.findings`` is keyed (the ruleset format's code pattern).
_RULESET_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,5}){0,2}$")


_kind = kind_of


def _strict(expected: type, words: str) -> Any:
    def hook(value: object, _: object) -> object:
        if type(value) is expected or (expected is float and type(value) is int):
            if expected is float and not math.isfinite(value):  # type: ignore[arg-type]
                raise ValueError(f"expected a finite number, got {value!r}")
            return value
        raise TypeError(f"expected {words}, got {_kind(value)}")

    return hook


def _literal_hook(tp: Any) -> Callable[[object, object], object]:
    """A closed word list, reported in the user's words (never ``typing.Literal[...]``)."""
    allowed = get_args(tp)
    words = ", ".join(repr(a) for a in allowed)

    def hook(value: object, _: object) -> object:
        if isinstance(value, str) and value in allowed:
            return value
        if not isinstance(value, str):
            raise TypeError(f"expected one of {words}, got {_kind(value)}")
        hint = difflib.get_close_matches(value, [str(a) for a in allowed], n=1)
        near = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"{value!r} is not one of {words}{near}")

    return hook


def _tuple_hook(tp: Any, conv: cattrs.Converter) -> Callable[[object, object], object]:
    """A JSON list, and only a list: a string is never a list of its characters, an
    object never a list of its keys."""
    item = get_args(tp)[0]

    def hook(value: object, _: object) -> object:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list, got {_kind(value)}")
        handle = conv.get_structure_hook(item)
        out, errors = [], []
        for index, element in enumerate(value):
            try:
                out.append(handle(element, item))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"@ index {index}", index, item))
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
        return tuple(out)

    return hook


def _dict_hook(tp: Any, conv: cattrs.Converter) -> Callable[[object, object], object]:
    """A JSON object with string keys, and only an object."""
    value_type = get_args(tp)[1]

    def hook(value: object, _: object) -> object:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_kind(value)}")
        handle = conv.get_structure_hook(value_type)
        out, errors = {}, []
        for key, element in value.items():
            try:
                if not isinstance(key, str):
                    raise TypeError(f"a key must be a string, got {_kind(key)}")
                out[key] = handle(element, value_type)
            except Exception as exc:
                exc.add_note(f"Structuring mapping value @ key '{key}'")
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
        return out

    return hook


def _origin(tp: Any) -> Any:
    return get_origin(tp)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(float, _strict(float, "a number"))
    conv.register_structure_hook_factory(lambda t: _origin(t) is Literal, _literal_hook)
    conv.register_structure_hook_factory(
        lambda t: _origin(t) in (tuple, list), lambda t: _tuple_hook(t, conv)
    )
    conv.register_structure_hook_factory(
        lambda t: _origin(t) is dict, lambda t: _dict_hook(t, conv)
    )
    conv.register_structure_hook(datetime, lambda v, _: parse_timestamp(v))
    conv.register_unstructure_hook(datetime, format_timestamp)
    conv.register_unstructure_hook(date, lambda d: d.isoformat())

    def structure_any(value: object, _: object) -> object:
        return value

    conv.register_structure_hook(Any, structure_any)
    return conv


#: The library's own converter. Never use cattrs' global converter with breachrules types.
converter = _make_converter()


def _walk(exc: BaseException, path: str) -> Iterator[Problem]:
    if isinstance(exc, ForbiddenExtraKeysError):
        fields = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        for key in sorted(exc.extra_fields, key=str):
            hint = difflib.get_close_matches(str(key), fields, n=1)
            reason = "unknown field" + (f"; did you mean {hint[0]!r}?" if hint else "")
            if not hint:
                reason += " (host data belongs under 'extensions')"
            yield Problem(join_path(path, str(key)), reason)
        return
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            yield from _walk(sub, join_path(path, _note_step(sub)))
        return
    if isinstance(exc, KeyError):
        yield Problem(path or str(exc.args[0]), "required field is missing")
        return
    yield Problem(path or "(document)", str(exc) or type(exc).__name__)


def _note_step(exc: BaseException) -> str | int | None:
    for note in getattr(exc, "__notes__", []):
        if isinstance(note, AttributeValidationNote):
            return str(note.name)
        if isinstance(note, IterableValidationNote):
            index = note.index
            return index if isinstance(index, int) else str(index)
        match = re.search(r"@ key '(.*)'$", str(note))
        if match:
            return match.group(1)
    return None


def _items(doc: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The mapping entries of list ``doc[key]``; anything malformed is cattrs' to report."""
    value = doc.get(key)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _zone_problems(doc: Mapping[str, Any]) -> Iterator[Problem]:
    """``time_zone`` is an IANA zone whose offset at ``discovered_at`` is the offset
    ``discovered_at`` was written with (a clock in New York cannot read -08:00)."""
    name = doc.get("time_zone")
    if not isinstance(name, str):
        return
    from breachrules.law.calendars import zone_of

    zone = zone_of(name) if "/" in name or name == "UTC" else None
    if zone is None:
        yield Problem(
            "time_zone",
            f"{name!r} is not an IANA zone of a place (e.g. 'America/New_York', "
            "'Europe/Paris', 'Asia/Tokyo')",
        )
        return
    raw = doc.get("discovered_at")
    try:
        moment = parse_timestamp(raw) if isinstance(raw, str) else None
    except ValueError:
        return  # reported as discovered_at's own problem
    if moment is not None and moment.utcoffset() != moment.astimezone(zone).utcoffset():
        yield Problem(
            "time_zone",
            f"discovered_at is written at UTC{_offset(moment)}, but {name} is at "
            f"UTC{_offset(moment.astimezone(zone))} at that moment: give discovered_at as "
            "that clock read it",
        )


def _offset(moment: datetime) -> str:
    """``+09:00``, ``-05:00``: a moment's UTC offset as ISO 8601 writes it."""
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _semantic_problems(doc: Mapping[str, Any]) -> Iterator[Problem]:
    """Vocabulary, references and ranges, checked on the raw document.

    Run on the raw mapping (not the structured Incident) so that these problems are
    reported together with cattrs' type problems; a value of the wrong type is skipped
    here because cattrs already reports it.
    """
    parties = _items(doc, "parties")
    ids = [p["id"] for _, p in parties if isinstance(p.get("id"), str)]
    if isinstance(doc.get("parties"), list) and not doc["parties"]:
        yield Problem("parties", "at least one party is required")
    for i, party in parties:
        pid, serves = party.get("id"), party.get("serves")
        if isinstance(pid, str) and ids.count(pid) > 1:
            yield Problem(f"parties[{i}].id", f"duplicate party id {pid!r}")
        if party.get("data_role") == "service_provider" and serves is None:
            yield Problem(
                f"parties[{i}].serves", "a service provider must name the party it serves"
            )
        if isinstance(serves, str) and serves not in ids:
            yield Problem(f"parties[{i}].serves", _unknown_party(serves, ids))
        for field in ("established_in", "offers_to"):
            codes = party.get(field)
            for j, code in enumerate(codes if isinstance(codes, list) else ()):
                if isinstance(code, str) and (problem := place_problem(code)):
                    yield Problem(f"parties[{i}].{field}[{j}]", problem)
    yield from _zone_problems(doc)
    breached = doc.get("breached_party")
    if isinstance(breached, str) and breached not in ids:
        yield Problem("breached_party", _unknown_party(breached, ids))
    for i, contract in _items(doc, "contracts"):
        for field in ("owner", "provider"):
            value = contract.get(field)
            if isinstance(value, str) and value not in ids:
                yield Problem(f"contracts[{i}].{field}", _unknown_party(value, ids))
        hours, days = (
            contract.get("notify_owner_within_hours"),
            contract.get("notify_owner_within_days"),
        )
        if hours is not None and days is not None:
            yield Problem(
                f"contracts[{i}].notify_owner_within_days", "give hours or days, not both"
            )
        calendar = contract.get("calendar")
        if isinstance(calendar, str) and (problem := place_problem(calendar)):
            yield Problem(f"contracts[{i}].calendar", problem)
        for field, limit in (
            ("notify_owner_within_hours", LIMITS["hours"]),
            ("notify_owner_within_days", LIMITS["days"]),
            ("liability_cap", None),
        ):
            value = contract.get(field)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if value < 0:
                yield Problem(f"contracts[{i}].{field}", "must not be negative")
            elif limit is not None and value > limit:
                yield Problem(
                    f"contracts[{i}].{field}",
                    f"{value} is more than the supported {limit:,} (ten years)",
                )
    for i, exposure in _items(doc, "exposures"):
        elements = exposure.get("elements")
        for j, element in enumerate(elements if isinstance(elements, list) else ()):
            if isinstance(element, str) and element not in DATA_ELEMENTS:
                yield Problem(
                    f"exposures[{i}].elements[{j}]", _unknown_word(element, DATA_ELEMENTS)
                )
        residents = exposure.get("residents")
        for code, count in residents.items() if isinstance(residents, Mapping) else ():
            where = join_path(f"exposures[{i}].residents", str(code))
            if problem := place_problem(code):
                yield Problem(where, problem)
            if _number(count) and count < 0:
                yield Problem(where, f"a count of affected people cannot be negative ({count})")
            elif _number(count) and count > LIMITS["count"]:
                yield Problem(
                    where, f"{count} is more than the supported {LIMITS['count']:,} people"
                )
        if exposure.get("key_compromised") is True and exposure.get("encrypted") is False:
            yield Problem(
                f"exposures[{i}].key_compromised",
                "a key cannot be compromised for data that was not encrypted",
            )
    risk = doc.get("risk")
    findings = risk.get("findings") if isinstance(risk, Mapping) else None
    for code in findings if isinstance(findings, Mapping) else ():
        if not _RULESET_CODE.match(str(code)):
            yield Problem(
                f"risk.findings.{code}",
                f"{code!r} is not a ruleset code (e.g. US-FL, EU-GDPR, US-FTC-HBNR)",
            )
    yield from _own_fact_problems(doc.get("facts"))
    law_enforcement = doc.get("law_enforcement")
    if isinstance(law_enforcement, Mapping):
        until = _timestamp_or_none(law_enforcement.get("delay_requested_until"))
        discovered = _timestamp_or_none(doc.get("discovered_at"))
        if until is not None and discovered is not None and until < discovered:
            yield Problem("law_enforcement.delay_requested_until", "is before discovered_at")
        asked = _timestamp_or_none(law_enforcement.get("delay_requested_at"))
        if asked is not None and until is not None and until < asked:
            yield Problem(
                "law_enforcement.delay_requested_until",
                "is before law_enforcement.delay_requested_at (a delay cannot end before it "
                "was asked for)",
            )
        extensions = law_enforcement.get("delay_extensions")
        if isinstance(extensions, int) and not isinstance(extensions, bool) and extensions < 0:
            yield Problem(
                "law_enforcement.delay_extensions",
                f"a count of further determinations cannot be negative ({extensions})",
            )


def _own_fact_problems(facts: object) -> Iterator[Problem]:
    """``facts.<CODE>.<name>``: a ruleset's own facts (their declared types are checked
    when a loaded ruleset reads them). Here only the shape: codes, names and plain values."""
    for code, values in facts.items() if isinstance(facts, Mapping) else ():
        if not _RULESET_CODE.match(str(code)):
            yield Problem(
                f"facts.{code}",
                f"{code!r} is not a ruleset code (e.g. XX-ACME, the code of the ruleset "
                "that declares the fact)",
            )
        for name, value in values.items() if isinstance(values, Mapping) else ():
            if value is not None and not isinstance(value, bool | int | str):
                yield Problem(
                    f"facts.{code}.{name}",
                    f"a declared fact is true/false, a whole number or a word, got {value!r}",
                )


def _timestamp_or_none(value: object) -> datetime | None:
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError):
        return None


def _unknown_party(value: str, ids: list[str]) -> str:
    hint = difflib.get_close_matches(value, ids, n=1)
    known = ", ".join(repr(i) for i in ids)
    return f"names no party ({value!r}); parties are {known}" + (
        f"; did you mean {hint[0]!r}?" if hint else ""
    )


def _unknown_word(word: str, allowed: tuple[str, ...]) -> str:
    # A word people use for an element first ("password" means credentials, though it is
    # spelt like "passport"), then a near miss by spelling.
    key = word.strip().lower().replace(" ", "_").replace("-", "_")
    meant = ELEMENT_SYNONYMS.get(key)
    hint = [meant] if meant in allowed else difflib.get_close_matches(word, allowed, n=1)
    note = ELEMENT_NOTES.get(key) if meant in allowed else None
    return (
        f"unknown data element {word!r}"
        + (f"; {note}" if note else f"; did you mean {hint[0]!r}?" if hint else "")
        + f" (allowed: {', '.join(allowed)})"
    )


def parse_json(text: str | bytes) -> object:
    """Parse JSON text (see :func:`parse_document`); kept under its first name."""
    return parse_document(text)


def load_incident(source: str | bytes | Path | Mapping[str, Any]) -> Incident:
    """Load and validate an incident document.

    ``source`` is a path to a JSON file, JSON text (``str`` or UTF-8 ``bytes``), or an
    already-parsed mapping; every one goes through the same checks (:func:`parse_document`
    for text, the same depth and kind checks for a mapping, then the contract).
    Raises :class:`InvalidIncident` listing every problem found, each with its field path
    and, for a file, the file's path (``Problem.file``): in a batch over a folder the
    error says which file it is.
    """
    try:
        return _load_incident(source)
    except InvalidIncident as exc:
        name = _file_name(source)
        if name is None:
            raise
        raise InvalidIncident(
            [p if p.file or name in p.reason else attrs.evolve(p, file=name) for p in exc.problems]
        ) from None


def _file_name(source: object) -> str | None:
    """The file ``source`` names, where :func:`load_incident` reads it as a path."""
    if isinstance(source, Path):
        return str(source)
    if isinstance(source, str):
        stripped = source.lstrip("\ufeff \t\r\n")
        return None if not stripped or stripped.startswith(("{", "[")) else source
    return None


def _load_incident(source: str | bytes | Path | Mapping[str, Any]) -> Incident:
    if isinstance(source, Mapping):
        data: object = source
        shape = list(shape_problems(source, check_kinds=True))
        if shape:
            raise InvalidIncident(shape)
        data = moments_as_text(source)  # an aware datetime is read as its ISO 8601 text
    elif isinstance(source, str | bytes | bytearray | Path):
        data = read_source(source)
    else:  # a list, a number, None: what a host's JSON may hold instead of a document
        data = source
    if not isinstance(data, Mapping):
        raise InvalidIncident([Problem("(document)", f"expected a JSON object, got {_kind(data)}")])
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise InvalidIncident(
            [
                Problem(
                    "schema_version",
                    f"unsupported schema version {version!r}; this release reads '1'",
                )
            ]
        )
    problems: list[Problem] = []
    document = dict(data)
    # A well-formed document is read directly (io/direct.py: the converter's generated
    # functions cost a new process more than a typical assessment); the converter reads
    # anything else, and reports its problems.
    from breachrules.io.direct import read_incident  # not for `schema`: only a reader

    with hinting_in(document.get("time_zone")):  # a missing offset is told the zone's
        incident: Incident | None = read_incident(document)
        if incident is None:
            try:
                incident = converter.structure(document, Incident)
            except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as e:
                problems = list(_walk(e, ""))
    problems += _semantic_problems(data)
    if problems or incident is None:
        raise InvalidIncident(list(dict.fromkeys(problems)))
    remember(incident, incident)  # checked: ``Engine.assess`` need not check it again
    return incident


def unstructure_incident(incident: Incident) -> dict[str, Any]:
    """The contract document for ``incident``; unknown values are written as ``null``."""
    result: dict[str, Any] = converter.unstructure(incident)
    return result


def dumps(document: object) -> str:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8 text."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)


def unstructure_assessment(assessment: Assessment) -> dict[str, Any]:
    """The contract document for an Assessment."""
    result: dict[str, Any] = converter.unstructure(assessment)
    return result


def load_assessment(source: str | Path | Mapping[str, Any]) -> Assessment:
    """An assessment document (as stored, or written by ``assess --format json``) read back.

    Extension fields a newer version added are ignored rather than rejected, so an old
    stored assessment and a newer one both load; anything the contract names must be there.
    """
    doc = source if isinstance(source, Mapping) else read_source(source)
    lenient = cattrs.Converter(forbid_extra_keys=False)
    lenient.register_structure_hook(datetime, lambda v, _: parse_timestamp(v))
    lenient.register_structure_hook(Any, lambda v, _: v)
    lenient.register_structure_hook(
        Deadline, make_dict_structure_fn(Deadline, lenient, from_=override(rename="from"))
    )
    return lenient.structure(doc, Assessment)


# The deadline's later extensions are written only when set, so that an assessment
# without them reads (and hashes) exactly as before they existed.
converter.register_unstructure_hook(
    Deadline,
    make_dict_unstructure_fn(
        Deadline,
        converter,
        from_=override(rename="from"),
        months=override(omit_if_default=True),
        counting=override(omit_if_default=True),
        not_before=override(omit_if_default=True),
        time_zone=override(omit_if_default=True),
        or_when=override(omit_if_default=True),
    ),
)

# A reason's exposure_facts is written only when it refers to the audit's facts event (an
# incident of many exposures): every other reason reads and hashes exactly as before.
converter.register_unstructure_hook(
    Reason,
    make_dict_unstructure_fn(Reason, converter, exposure_facts=override(omit_if_default=True)),
)

# An obligation's not_before is written only where its law sets a waiting period, null
# while the moment the wait runs from is unknown (made after the Reason hook, which it
# uses for its reasons).
_unstructure_obligation = make_dict_unstructure_fn(
    Obligation,
    converter,
    not_before=override(omit_if_default=True),
    sent_at=override(omit_if_default=True),
    law=override(omit_if_default=True),
    deemed_compliance=override(omit_if_default=True),
)


def _obligation_doc(o: Obligation) -> dict[str, Any]:
    doc = _unstructure_obligation(o)
    if o.deadline.not_before is not None and "not_before" not in doc:
        doc["not_before"] = None
    return doc


converter.register_unstructure_hook(Obligation, _obligation_doc)

# rulesets[].kind is written only for a policy: a law's entry stays exactly as before.
_unstructure_ref = make_dict_unstructure_fn(RulesetRef, converter)


def _ruleset_ref(ref: RulesetRef) -> dict[str, Any]:
    out: dict[str, Any] = _unstructure_ref(ref)
    if out.get("kind") is None:
        out.pop("kind", None)
    return out


converter.register_unstructure_hook(RulesetRef, _ruleset_ref)

# A party's own-procedure facts are written only when known: a party without them is the
# same document, and the same audit hashes, as before they existed.
converter.register_unstructure_hook(
    Party,
    make_dict_unstructure_fn(
        Party,
        converter,
        notice_procedures=override(omit_if_default=True),
        notified_under_procedures=override(omit_if_default=True),
        regulator_procedures=override(omit_if_default=True),
    ),
)

# An exposure's ``identifiable`` is written only when not its default (true): an exposure
# of people who can be identified is the same document, and the same hashes, as before.
converter.register_unstructure_hook(
    Exposure,
    make_dict_unstructure_fn(Exposure, converter, identifiable=override(omit_if_default=True)),
)

# The incident's ``facts`` (a ruleset's own facts) is written only when it holds some: an
# incident without them is the same document, and the same audit hashes, as before.
_unstructure_incident = make_dict_unstructure_fn(Incident, converter)


def _incident(incident: Incident) -> dict[str, Any]:
    out: dict[str, Any] = _unstructure_incident(incident)
    if not out.get("facts"):
        out.pop("facts", None)
    if out.get("time_zone") is None:  # likewise the reporter's zone, written only if given
        out.pop("time_zone", None)
    return out


converter.register_unstructure_hook(Incident, _incident)
# Written field by field (io/assessment_doc.py): the converter gives the same document,
# more slowly; ``unstructure_assessment`` stays as the reference the tests compare with.
bind("assessment.to_dict", assessment_document)
bind("incident.to_dict", unstructure_incident)
bind("load_incident", load_incident)
# The assessment's JSON text: indented, each audit event on one line (io/assessment_doc.py).
bind("to_json", assessment_json)
