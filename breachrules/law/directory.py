"""The regulator directory: how to reach each body that receives a notice.

Data beside the rulesets (``rulesets/_directory/*.yaml``), reviewed like law: each entry
names the obligations it receives (``for: [CODE:obligation-id]``), the country or
ISO 3166-2 region it covers, and its portal, email, address and form fields, each read on
the page ``source`` names. The engine attaches the entries to obligations
(:mod:`breachrules.engine.recipients`); this module only reads and checks them.
"""

from __future__ import annotations

import datetime
import hashlib
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from breachrules.errors import Problem, RulesetError
from breachrules.law import methods
from breachrules.law.cache import Codec, LawCache, default_cache
from breachrules.law.lines import line_of, parse_located
from breachrules.law.overrides import RulesetOverride, is_bundled
from breachrules.model.decisions import Contact
from breachrules.model.reprs import shared_repr
from breachrules.model.timestamps import date_problem, kind_of

# The classes below get the methods attrs writes for them compiled with the package.
methods.begin()

__all__ = ["CODEC", "DIRECTORY_FOLDER", "Entry", "directory_files", "load_directory"]

#: The folder, inside a rulesets folder, that holds directory files.
DIRECTORY_FOLDER = "_directory"

_FIELDS = {
    "id",
    "name",
    "country",
    "region",
    "scope",
    "for",
    "portal",
    "email",
    "postal_address",
    "phone",
    "form_fields",
    "source",
    "verified",
    "note",
    "last_reviewed",
}
#: The keys of a directory file: its entries, and when they were last reviewed (each entry
#: may give its own ``last_reviewed``, which then wins).
_FILE_KEYS = {"entries", "last_reviewed"}
_SHAPE = (
    "a directory file is a mapping: 'entries:' (a list of entries, each with id, name, "
    "country, for, source, verified) and 'last_reviewed:' (a date; or one in each entry)"
)


@shared_repr
@attrs.frozen(repr=False)
class Entry:
    """One body in the directory, with the obligations it receives and where it rules."""

    contact: Contact
    #: ``CODE:obligation-id`` of each obligation it receives.
    receives: tuple[str, ...]
    #: ISO 3166-1 country (``EU`` for an EU body) and, optionally, ISO 3166-2 region.
    country: str
    region: str | None = None
    file: str = ""
    line: int | None = None


def directory_files(root: Path) -> list[Path]:
    """The directory files below a rulesets folder (none if it has no ``_directory``)."""
    folder = root / DIRECTORY_FOLDER
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_directory(roots: Iterable[Path | str], *, cache: bool | None = None) -> list[Entry]:
    """Every entry below ``roots``; RulesetError listing every malformed one.

    A file read before, byte for byte, comes from the compiled-law cache, as rulesets do
    (:func:`breachrules.law.loader.load_rulesets`, whose ``cache`` this follows).
    """
    store = default_cache() if cache is None or cache else LawCache(None)
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    replaced: dict[str, int] = {}
    for root in roots:
        for file in directory_files(Path(root)):
            for n, entry in _file_entries(file, store, problems):
                before = seen.get(entry.contact.id)
                if before is not None and is_bundled(Path(before)) and not is_bundled(file):
                    # A copy of the bundled folder, or of one of its directory files:
                    # the user's entry replaces the bundled one, as their rulesets do.
                    entries = [e for e in entries if e.contact.id != entry.contact.id]
                    replaced[str(root)] = replaced.get(str(root), 0) + 1
                elif before is not None:
                    problems.append(
                        Problem(
                            f"entries[{n}].id",
                            f"{entry.contact.id} is also in {before}",
                            str(file),
                            entry.line,
                        )
                    )
                seen[entry.contact.id] = str(file)
                entries.append(entry)
    if problems:
        raise RulesetError(problems)
    for root, count in replaced.items():
        warnings.warn(
            f"the regulator directory under {root} replaces {count} bundled "
            f"entr{'y' if count == 1 else 'ies'} with the same ids",
            RulesetOverride,
            stacklevel=1,
        )
    return entries


#: What a cached directory file is made of.
CODEC = Codec([Entry, Contact])


def _file_entries(file: Path, store: LawCache, problems: list[Problem]) -> list[tuple[int, Entry]]:
    """The well-formed entries of one file with their places in it (its problems are
    added to ``problems``; a file with problems is never cached)."""
    data = file.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = store.get("directory", digest, CODEC)
    if isinstance(cached, tuple) and all(isinstance(e, Entry) for e in cached):
        where = str(file)  # the entries are cached without it (built, not evolved: faster)
        return [
            (n, Entry(e.contact, e.receives, e.country, e.region, where, e.line))
            for n, e in enumerate(cached)
        ]
    try:
        doc = parse_located(str(file), data)
    except RulesetError as exc:
        problems.extend(exc.problems)
        return []
    entries: list[tuple[int, Entry]] = []
    found = _shape(doc, file)
    listed = doc.get("entries") if isinstance(doc, Mapping) and not found else None
    for n, raw in enumerate(listed or []):
        entry, wrong = _entry(raw, n, doc, file)
        found.extend(p for p in wrong if p not in found)  # a file's date: said once
        if entry is not None:
            entries.append((n, entry))
    problems.extend(found)
    if not found:
        kept = tuple(attrs.evolve(e, file="") for _, e in entries)
        store.put("directory", digest, kept, CODEC)
    return entries


def _shape(doc: Any, file: Path) -> list[Problem]:
    """What is wrong with a directory file's outline (a list, a mapping keyed by id, an
    unknown key such as ``directory:``): refused with its line, never silently skipped."""
    line = getattr(doc, "line", None) or 1
    if not isinstance(doc, Mapping):
        found = (
            "an empty file" if doc is None else "a list" if isinstance(doc, list) else kind_of(doc)
        )
        return [Problem("(file)", f"{_SHAPE}; found {found}", str(file), line)]
    found_: list[Problem] = [
        Problem(
            str(k),
            f"unknown key {k!r}: {_SHAPE}",
            str(file),
            line_of(doc, [str(k)]),
        )
        for k in doc
        if k not in _FILE_KEYS
    ]
    if not isinstance(doc.get("entries"), list):
        where = line_of(doc, ["entries"]) if "entries" in doc else line
        found_.append(
            Problem("entries", f"required, a list of entries: {_SHAPE}", str(file), where)
        )
    return found_


def _entry(
    raw: Any, n: int, doc: Mapping[str, Any], file: Path
) -> tuple[Entry | None, list[Problem]]:
    line = line_of(doc, ["entries", n])

    def problem(field: str, text: str) -> Problem:
        return Problem(f"entries[{n}].{field}", text, str(file), line)

    if not isinstance(raw, Mapping):
        return None, [problem("(entry)", "an entry is a mapping")]
    found = [problem(k, f"unknown field {k!r}") for k in raw if k not in _FIELDS]
    for key in ("id", "name", "country", "source"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            found.append(problem(key, "required, a non-empty string"))
    receives = raw.get("for")
    if not isinstance(receives, list) or not all(isinstance(r, str) and ":" in r for r in receives):
        found.append(problem("for", "a list of 'CODE:obligation-id'"))
    if not isinstance(raw.get("verified"), bool):
        found.append(problem("verified", "true or false"))
    reviewed = raw.get("last_reviewed", doc.get("last_reviewed"))
    if not isinstance(reviewed, datetime.date) and not (isinstance(reviewed, str) and reviewed):
        found.append(problem("last_reviewed", "required, a date: in the entry or the file"))
    elif (wrong := date_problem(reviewed)) is not None:  # 2026-13-01: said where it is written
        own = "last_reviewed" in raw
        where: list[str | int] = ["entries", n, "last_reviewed"] if own else ["last_reviewed"]
        found.append(
            Problem(
                f"entries[{n}].last_reviewed" if own else "last_reviewed",
                wrong,
                str(file),
                line_of(doc, where),
            )
        )
    if found:
        return None, found
    contact = Contact(
        id=raw["id"],
        name=raw["name"],
        source=raw["source"],
        verified=raw["verified"],
        last_reviewed=reviewed.isoformat()
        if isinstance(reviewed, datetime.date)
        else str(reviewed),
        portal=raw.get("portal"),
        email=raw.get("email"),
        postal_address=raw.get("postal_address"),
        phone=raw.get("phone"),
        form_fields=tuple(str(f) for f in raw.get("form_fields") or ()),
        scope=" ".join(str(raw["scope"]).split()) if raw.get("scope") else None,
        note=" ".join(str(raw["note"]).split()) if raw.get("note") else None,
    )
    receives_ids = tuple(str(r) for r in receives or ())
    entry = Entry(contact, receives_ids, raw["country"], raw.get("region"), str(file), line)
    return entry, []


methods.end()
