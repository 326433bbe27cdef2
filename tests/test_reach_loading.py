"""Only the rulesets an incident can reach are loaded (issue 24, target 1).

The engine reads each ruleset's outline (code, reach, party types, obligation ids) and
loads a whole ruleset only when an assessment's reach stage names it as a candidate, or
when it is asked for by code. These tests count the loads, and check that the result is
the one an engine that loaded everything up front gives, on the bundled examples and on
generated incidents.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from breachrules.engine import Engine
from breachrules.errors import RulesetError
from breachrules.io.serde import load_incident
from breachrules.law import loader
from breachrules.law.library import Library
from breachrules.testing.strategies import incidents

from .conftest import EXAMPLES, incident_doc
from .test_loader import MINIMAL


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose whole ruleset is loaded (from the cache or the file)."""
    seen: list[str] = []
    real = loader.load_file

    def counting(file: Path, *args: object, **kwargs: object) -> object:
        seen.append(file.name)
        return real(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_file", counting)
    return seen


def _quebec() -> dict[str, object]:
    """Residents of Quebec only: PIPEDA (CA, by its residents) and Quebec's own law."""
    doc = incident_doc()
    doc["exposures"][0]["residents"] = {"CA-QC": 120}
    doc["parties"][0]["established_in"] = []
    doc["parties"][0]["offers_to"] = []
    return doc


@pytest.fixture(scope="module")
def everything() -> Engine:
    """An engine that has loaded every bundled ruleset, before any assessment."""
    engine = Engine()
    assert len(engine.rulesets) > 100
    return engine


def test_an_incident_reaching_two_rulesets_loads_those_two(loads: list[str]) -> None:
    Engine()  # the outlines are in the cache from here on, as after any first call
    loads.clear()
    engine = Engine()
    assert loads == []  # building the engine loads no ruleset
    assert engine.loaded == ()
    assessment = engine.assess(_quebec())
    assert sorted(d.jurisdiction for d in assessment.determinations) == ["CA", "CA-QC"]
    assert sorted(loads) == ["ca-qc.yaml", "ca.yaml"]
    assert engine.loaded == ("CA", "CA-QC")
    engine.assess(_quebec())
    assert len(loads) == 2  # loaded once per engine
    assert len(engine.rulesets) > 100  # every ruleset is still there when asked for
    assert len(loads) == len(engine.rulesets)


def test_laws_that_bind_no_party_of_the_chain_are_reported_without_loading(
    loads: list[str], everything: Engine
) -> None:
    """HIPAA without a covered entity, an insurance law without an insurer: the outline's
    binding decides that such a law is not applicable, and the assessment lists it as the
    loaded ruleset would, reason, version and all, without loading it."""
    Engine()
    loads.clear()
    engine = Engine()
    incident = load_incident(EXAMPLES / "multistate-ransomware.json")
    assessment = engine.assess(incident)
    unbound = [d.jurisdiction for d in assessment.determinations if d.status == "not_applicable"]
    assert "US-HIPAA" in unbound and len(unbound) > 10
    assert not set(unbound) & set(engine.loaded)
    assert len(loads) == len(engine.loaded) == len(assessment.determinations) - len(unbound)
    assert assessment.to_json() == everything.assess(incident).to_json()


def test_named_jurisdictions_and_policy_facts_load_only_what_they_name(loads: list[str]) -> None:
    Engine()
    loads.clear()
    engine = Engine()
    engine.assess(_quebec(), jurisdictions=["us-tx"])
    assert loads == ["tx.yaml"]
    doc = _quebec()
    doc["facts"] = {"US-CA": {"nothing": True}}
    warnings = engine.assess(doc).warnings
    assert any("facts.US-CA.nothing" in w for w in warnings)
    assert sorted(engine.loaded) == ["CA", "CA-QC", "US-CA", "US-TX"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_bundled_examples_assess_as_with_every_ruleset_loaded(
    path: Path, everything: Engine
) -> None:
    incident = load_incident(path)
    lazy = Engine()
    assert lazy.assess(incident).to_json() == everything.assess(incident).to_json()
    assert len(lazy.loaded) < len(everything.rulesets)


_EVERYTHING: list[Engine] = []
_LAZY: list[Engine] = []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(incidents(max_exposures=2))
def test_generated_incidents_assess_as_with_every_ruleset_loaded(incident: object) -> None:
    if not _EVERYTHING:
        full = Engine()
        full.rulesets  # noqa: B018  (load them all, up front)
        _EVERYTHING.append(full)
        _LAZY.append(Engine())
    full, lazy = _EVERYTHING[0], _LAZY[0]
    assert lazy.assess(incident).to_json() == full.assess(incident).to_json()  # type: ignore[arg-type]


def test_an_incident_no_ruleset_reaches_still_gets_its_warning(loads: list[str]) -> None:
    Engine()
    loads.clear()
    doc = _quebec()
    doc["exposures"][0]["residents"] = {"AQ": 3}
    assessment = Engine().assess(doc)
    assert assessment.determinations == ()
    assert any(w.startswith("no law reaches this incident") for w in assessment.warnings)
    assert loads == []


def _user_folder(tmp_path: Path, text: str = MINIMAL) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "us-xx.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_users_folder_is_loaded_lazily_and_its_problems_reported_at_once(
    tmp_path: Path, loads: list[str]
) -> None:
    folder = _user_folder(tmp_path)
    Engine(paths=[folder], bundled=False)
    loads.clear()
    engine = Engine(paths=[folder], bundled=False)
    assert loads == [] and list(engine._by_code) == ["US-XX"]
    assert engine.ruleset("US-XX").path == folder / "us-xx.yaml"
    # A broken file is loaded in full when the engine is built, so its problem is
    # reported then, with its file and line, as before.
    (folder / "us-yy.yaml").write_text(MINIMAL.replace("US-XX", "US-YY") + "bogus: 1\n")
    with pytest.raises(RulesetError) as err:
        Engine(paths=[folder], bundled=False)
    assert any(p.file and p.file.endswith("us-yy.yaml") for p in err.value.problems)
    # And a duplicate code is found from the outlines alone.
    (folder / "us-yy.yaml").write_text(MINIMAL)
    with pytest.raises(RulesetError, match="US-XX is also defined in"):
        Engine(paths=[folder], bundled=False)


def test_an_edited_ruleset_is_indexed_afresh(tmp_path: Path) -> None:
    folder = _user_folder(tmp_path)
    assert list(Library([folder])) == ["US-XX"]
    (folder / "us-xx.yaml").write_text(MINIMAL.replace("US-XX", "US-ZZ"), encoding="utf-8")
    library = Library([folder])
    assert list(library) == ["US-ZZ"]
    assert library["US-ZZ"].code == "US-ZZ"


def test_a_ruleset_changed_after_indexing_is_named_not_mixed_up(tmp_path: Path) -> None:
    """The engine keeps the rulesets as they were when it was built: their cache entries
    are found by the bytes it indexed. If those entries are gone and the file changed
    since, loading says so instead of giving a ruleset other than the one indexed."""
    folder = _user_folder(tmp_path)
    Library([folder])
    library = Library([folder])
    (folder / "us-xx.yaml").write_text(MINIMAL.replace("30 days", "31 days"), encoding="utf-8")
    library._store = loader.LawCache(None)  # its entries gone
    with pytest.raises(RulesetError, match="changed since its rulesets were read"):
        library["US-XX"]


def test_the_outlines_of_a_folder_are_one_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm call reads one entry for a folder's outlines, not one per file."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(cache))
    folder = _user_folder(tmp_path)
    (folder / "us-yy.yaml").write_text(MINIMAL.replace("US-XX", "US-YY"), encoding="utf-8")
    Library([folder])
    kinds = sorted(p.name.split("-")[0] for p in cache.glob("law-*/*.json"))
    assert kinds == ["outline", "outline", "outlines", "ruleset", "ruleset"]
    for single in cache.glob("law-*/outline-*.json"):
        single.unlink()  # a warm call no longer needs them
    assert list(Library([folder])) == ["US-XX", "US-YY"]
    assert not list(cache.glob("law-*/outline-*.json"))


def test_prepare_compiles_what_a_batch_reaches_before_workers_fork() -> None:
    """``assess_many`` forks its workers from a built engine: ``prepare`` loads and
    compiles, once and before the fork, every law the batch can reach."""
    Engine()
    engine = Engine()
    engine.prepare([load_incident(_quebec())], ["US-TX"])
    assert engine.loaded == ("CA", "CA-QC", "US-TX")
    compiled = set(engine._compiled)
    assert {law.key for code in engine.loaded for law in engine.ruleset(code).laws} == compiled
    engine.assess(_quebec())
    assert set(engine._compiled) == compiled  # nothing left to compile
