"""Fixes a docs-only user test found (the ninth, findings 6-12): each test fails without
its fix."""

from __future__ import annotations

import copy
import importlib
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from breachrules import Engine, InvalidIncident, load_incident

from .conftest import ROOT


def test_dir_shows_only_the_public_api() -> None:
    """``dir(breachrules)`` listed ``Any``, ``TYPE_CHECKING`` and ``annotations`` (UT9 11)."""
    import breachrules.engine  # a subpackage imported is no public name

    names = dir(breachrules)
    assert sorted(breachrules.__all__) == names
    for private in ("Any", "TYPE_CHECKING", "annotations", "bindings", "engine", "_HOMES"):
        assert private not in names


SHOP: dict[str, Any] = {
    "schema_version": "1",
    "id": "SHOP-2026-11",
    "discovered_at": "2026-11-20T09:00:00+01:00",
    "time_zone": "Europe/Berlin",
    "parties": [
        {
            "id": "shop",
            "data_role": "owner",
            "established_in": ["DE-BY"],
            "offers_to": ["DE", "AT", "FR"],
            "told_at": "2026-11-20T15:00:00+01:00",
        },
        {
            "id": "backupco",
            "data_role": "service_provider",
            "serves": "shop",
            "established_in": ["DE-BE"],
        },
    ],
    "breached_party": "backupco",
    "exposures": [
        {
            "elements": ["name", "email", "other"],
            "residents": {"DE": 2000, "AT": 600, "FR": 400},
            "encrypted": False,
            "lost": True,
            "destroyed": False,
            "altered": False,
        }
    ],
    "risk": {"gdpr_risk": "none"},
    "good_faith_insider": False,
    "malicious": False,
}


def _reasons(doc: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidIncident) as caught:
        load_incident(doc)
    return {p.path: p.reason for p in caught.value.problems}


def test_load_incident_takes_aware_datetimes_and_names_a_naive_one(engine: Engine) -> None:
    """A dict built in Python may give a timestamp as an aware ``datetime`` (UT9 9: it was
    refused as "not a JSON value" with no hint); a naive one is refused, naming the field."""
    doc = copy.deepcopy(SHOP)
    doc["discovered_at"] = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    doc["parties"][0]["told_at"] = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    incident = load_incident(doc)
    assert incident.discovered_at.isoformat() == "2026-11-20T09:00:00+01:00"
    expected = load_incident(SHOP).to_dict()
    expected["parties"][0]["told_at"] = "2026-11-20T14:00:00+00:00"
    assert incident.to_dict() == expected
    assert isinstance(doc["discovered_at"], datetime)  # the caller's dict is not changed
    assessed = engine.assess(doc, jurisdictions=["EU-GDPR"])  # assess takes the dict too
    assert assessed.as_of == doc["discovered_at"]
    doc["parties"][0]["told_at"] = datetime(2026, 11, 20, 15, 0)
    reason = _reasons(doc)["parties[0].told_at"]
    assert "has no UTC offset" in reason and "timezone-aware datetime" in reason


def test_the_missing_offset_hint_uses_the_incidents_own_zone() -> None:
    """With ``time_zone: Europe/Berlin`` the hint suggested ``-05:00`` (UT9 12): it gives
    Berlin's offset on that day (summer time too); without a zone, the general hint."""
    doc = copy.deepcopy(SHOP)
    doc["discovered_at"] = "2026-11-20T09:00:00"
    doc["parties"][0]["told_at"] = "2026-07-20"
    reasons = _reasons(doc)
    assert (
        "e.g. 2026-11-20T09:00:00+01:00 (Europe/Berlin's offset then)" in reasons["discovered_at"]
    )
    assert "-05:00" not in reasons["discovered_at"]
    assert "e.g. 2026-07-20T00:00:00+02:00" in reasons["parties[0].told_at"]
    del doc["time_zone"]
    assert "2026-11-20T09:00:00Z or 2026-11-20T09:00:00-05:00" in _reasons(doc)["discovered_at"]


def _shim(path: str) -> str | None:
    """The flat-layout module ``path`` names (``breachrules.sweep``), or None."""
    parts = path.split(".")
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[:end])
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return name if (module.__doc__ or "").startswith("The documented path") else None
    return None


def test_the_docs_name_each_public_module_by_one_path() -> None:
    """reference.md listed ``breachrules.scale.sweep`` and ``breachrules.views.notebook``
    while scaling.md imported ``breachrules.sweep`` and ``breachrules.notebook`` (UT9 10):
    the docs use the packages' paths; a ``python -m`` command keeps its short name, and the
    one sentence saying the old paths still import may name them."""
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if "paths of" in line and "first layout" in line:
                continue
            named = re.findall(r"(?<!-m )\bbreachrules(?:\.[a-z_]+)+", line)
            named += [
                f"breachrules.{m}" for m in re.findall(r"from breachrules import (\w+)", line)
            ]
            found += [f"{page.name}:{number}: {n}" for n in named if _shim(n)]
    assert found == []
    scaling = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    said = scaling[scaling.index("notebook.to_dataframe(points)") :][:600]
    assert "threshold_map" in said and "breachrules[notebook]" in said
