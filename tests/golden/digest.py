"""Digests of the assessment documents of every bundled example and scenario incident.

``python tests/golden/digest.py`` prints the corpus's digests as JSON; ``--write`` stores them
in ``assessments.json`` beside this file, which ``tests/test_golden.py`` compares against.
Each digest is the SHA-256 of ``Assessment.to_json()`` (audit hashes included) on the
pure-Python backend, so any change to a decision, a reason, a due date or an audit event
shows. A change in law or in output format that changes a digest is deliberate: rerun with
``--write`` in the same commit and say why in the CHANGELOG.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STORE = Path(__file__).resolve().parent / "assessments.json"


def corpus() -> Iterator[tuple[str, Any, str | None, list[str] | None]]:
    """(name, incident document, as_of, jurisdictions) for every example and scenario case."""
    from breachrules.testing.scenarios import load_cases

    for path in sorted((ROOT / "examples" / "incidents").rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(ROOT))
        yield name, doc, None, None
        yield f"{name}@+30d", doc, "+30d", None
    for path in sorted((ROOT / "tests" / "rulesets").rglob("*.yaml")):
        code, cases = load_cases(path)
        for n, (_, incident, _, as_of) in enumerate(cases):
            yield f"{path.relative_to(ROOT)}#{n}", incident, as_of, [code]


def digests(backend: str = "python") -> dict[str, str]:
    from datetime import timedelta

    from breachrules import Engine, load_incident

    engine = Engine(backend=backend)
    out: dict[str, str] = {}
    for name, doc, as_of, codes in corpus():
        incident = load_incident(doc)
        moment: Any = as_of
        if as_of == "+30d":
            moment = incident.discovered_at + timedelta(days=30)
        text = engine.assess(incident, as_of=moment, jurisdictions=codes).to_json()
        out[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


if __name__ == "__main__":
    result = digests(*(a for a in sys.argv[1:] if not a.startswith("--")))
    if "--write" in sys.argv:
        STORE.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(result)} digests written to {STORE}")
    else:
        print(json.dumps(result, indent=1, sort_keys=True))
