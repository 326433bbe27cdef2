"""Importers: other people's incident records in, contract incident documents out.

Incidents are usually recorded somewhere else first: a VERIS record, a STIX bundle from a
threat-intelligence platform, a row of the HHS breach portal. These importers translate
such records into the incident document of CONTRACT section 1 so that the engine can
assess them. They are lossy but explicit: each result carries the provenance of every
field it fills, what the source cannot say stays unknown (``null``), the assumptions made
are written into the incident's ``extensions``, and a record that cannot honestly fill a
required field is refused with a reason rather than completed by guesswork.

``run_import`` is what ``breachrules import veris|stix|hhs FILE_OR_DIR... --out DIR``
calls.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from breachrules.io.importers._common import EXTENSION_KEY, ImportResult
from breachrules.io.importers.hhs import import_hhs_row
from breachrules.io.importers.stix import import_stix
from breachrules.io.importers.veris import import_veris

__all__ = [
    "EXTENSION_KEY",
    "KINDS",
    "ImportResult",
    "Kind",
    "expand",
    "import_file",
    "import_hhs_row",
    "import_many",
    "import_stix",
    "import_veris",
    "iter_results",
    "run_import",
]

Kind = Literal["veris", "stix", "hhs"]
#: The source formats, with the file suffix looked for when a directory is given.
KINDS: dict[str, str] = {"veris": ".json", "stix": ".json", "hhs": ".csv"}
Progress = Callable[[int, int], None]


def import_file(path: str | Path, kind: str) -> list[ImportResult]:
    """Import every record in one file.

    A VERIS file holds one record (or a JSON list of records), a STIX file one bundle
    (any number of incidents), an HHS file a CSV export (one result per row). A file that
    cannot be read or parsed gives a single refusal naming the file, so that one bad file
    does not stop a batch.
    """
    path = Path(path)
    _check_kind(kind)
    try:
        if kind == "hhs":
            return _hhs_file(path)
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [ImportResult.refuse(str(path), "unreadable", f"cannot read {path}: {exc}")]
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        return [ImportResult.refuse(str(path), "not-json", reason)]
    if kind == "stix":
        return import_stix(doc, source=str(path))
    records = doc if isinstance(doc, list) else [doc]
    if len(records) == 1:
        return [import_veris(_mapping(records[0]), source=str(path))]
    return [import_veris(_mapping(r), source=f"{path}[{i}]") for i, r in enumerate(records)]


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _hhs_file(path: Path) -> list[ImportResult]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Row numbers count the header as line 1, as a spreadsheet shows them.
    return [import_hhs_row(row, source=f"{path}:{i}") for i, row in enumerate(rows, start=2)]


def import_many(
    paths: Iterable[str | Path], kind: str, progress: Progress | None = None
) -> list[ImportResult]:
    """Import every file in ``paths``; ``progress(done, total)`` is called after each file."""
    files = [Path(p) for p in paths]
    results: list[ImportResult] = []
    for done, path in enumerate(files, start=1):
        results.extend(import_file(path, kind))
        if progress is not None:
            progress(done, len(files))
    return results


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")


def expand(inputs: Iterable[str | Path], kind: str) -> list[Path]:
    """Files named directly, plus every file with the kind's suffix under each directory.

    Sorted within each directory so that runs are deterministic.
    """
    _check_kind(kind)
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*" + KINDS[kind]) if p.is_file()))
        else:
            files.append(path)
    return files


def run_import(
    kind: str,
    inputs: list[Path],
    out: Path,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Import files and directories into ``out``; return the summary.

    Writes one incident JSON per imported record into ``out`` (named after the source
    file, plus the record's id or row when a file holds several), writes
    ``out/refused.jsonl`` with one ``{"file", "reason", "code"}`` object per line (always,
    possibly empty; JSON Lines, so that a ``*.json`` glob over ``out`` finds only the
    incidents), and returns::

        {"kind": "veris", "files": 8553, "records": 8553, "imported": 4700,
         "refused": 3853, "refused_by_reason": {"no-count": 3093, ...},
         "out": "DIR", "refused_file": "DIR/refused.jsonl",
         "credits": ["VERIS Community Database, Verizon; licensed CC BY-SA 4.0 (...)"]}

    ``refused_by_reason`` is sorted by count, largest first. ``credits`` lists the data
    licences the imported records carry (VCDB records must be credited wherever they or
    data derived from them are shown, so the command should print these lines).
    """
    files = expand(inputs, kind)
    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    refused: list[dict[str, str]] = []
    reasons: Counter[str] = Counter()
    imported = records = 0
    credits: set[str] = set()
    for done, path in enumerate(files, start=1):
        results = import_file(path, kind)
        for result in results:
            records += 1
            if result.incident is None:
                code = result.code or "refused"
                reasons[code] += 1
                refused.append(
                    {"file": result.source, "reason": result.reason or code, "code": code}
                )
                continue
            imported += 1
            licence = result.incident.get("extensions", {}).get(EXTENSION_KEY, {}).get("licence")
            if isinstance(licence, str):
                credits.add(licence)
            name = _out_name(path, result, len(results) > 1, used)
            (out / name).write_text(
                json.dumps(result.incident, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        if progress is not None:
            progress(done, len(files))
    refused_file = out / "refused.jsonl"
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in refused)
    refused_file.write_text(lines, "utf-8")
    return {
        "kind": kind,
        "files": len(files),
        "records": records,
        "imported": imported,
        "refused": len(refused),
        "refused_by_reason": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        "out": str(out),
        "refused_file": str(refused_file),
        "credits": sorted(credits),
    }


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _out_name(path: Path, result: ImportResult, several: bool, used: set[str]) -> str:
    stem = _UNSAFE.sub("_", path.stem).strip("_") or "incident"
    if several and result.incident is not None:
        stem += "--" + _UNSAFE.sub("_", str(result.incident.get("id", ""))).strip("_")
    name = stem + ".json"
    counter = 2
    while name in used or name == "refused.json":
        name = f"{stem}-{counter}.json"
        counter += 1
    used.add(name)
    return name


def iter_results(results: Iterable[ImportResult]) -> Iterator[dict[str, Any]]:
    """The imported incident documents of ``results``, skipping refusals."""
    for result in results:
        if result.incident is not None:
            yield result.incident
