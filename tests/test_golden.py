"""Every example and scenario incident's assessment is byte-identical to the stored digest.

``tests/golden/assessments.json`` holds the SHA-256 of ``Assessment.to_json()`` (audit
hashes included) for every bundled example (at discovery and 30 days on) and every
scenario case, on the pure-Python backend; the differential tests keep durable-rules
identical to it. A refactor must leave every digest as it was. A change in law or in the
output format changes some on purpose: regenerate with
``python tests/golden/digest.py --write`` in the same commit and say why in the CHANGELOG.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from digest import STORE, digests


@pytest.mark.parametrize("backend", ["python", "durable"])
def test_assessments_are_byte_identical_to_the_stored_digests(backend: str) -> None:
    """Any change to a decision, reason, due date or audit event shows here by name."""
    if backend == "durable":
        pytest.importorskip("durable.lang")
    stored = json.loads(STORE.read_text(encoding="utf-8"))
    now = digests(backend)
    assert sorted(now) == sorted(stored), "the corpus changed: regenerate the digests"
    changed = sorted(name for name in stored if now[name] != stored[name])
    assert changed == [], f"{len(changed)} assessments changed, e.g. {changed[:5]}"
