"""Issue 22: a policy's own vocabulary (facts and recipients) and its label as policy.

The credential policy of the issue had to write "hashed" as ``encrypted: true`` and its
CISO as ``recipient: regulator``, and the table then called the basis "statute". Here a
ruleset declares ``passwords_hashed`` and ``ciso`` itself, only it can test the fact, the
fact is unknown until the incident gives it, and every view says "policy".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.errors import InvalidIncident, RulesetError
from breachrules.law.loader import load_ruleset
from breachrules.testing import assert_obligation
from breachrules.views.questions import open_questions

POLICY = """\
code: XX-CRED
kind: policy
name: Credential policy
citation: CRED-1
sources: [{url: https://intranet.example/cred-1}]
last_reviewed: 2026-11-01
reaches: {residents: [US, GB]}
declares:
  facts:
    passwords_hashed:
      type: bool
      description: The exposed passwords were stored salted and hashed.
    hash_strength:
      type: enum
      words: [weak, strong]
      description: How the Security Office rates the hashing algorithm.
    accounts_locked:
      type: int
      description: How many affected accounts were locked before discovery.
  recipients:
    ciso:
      description: Chief Information Security Officer
versions:
  - effective_from: 2026-01-01
    citation: CRED-1 v1
personal_information:
  id: pi
  citation: CRED-1 § 1
  when: {elements: {contains: credentials}}
breach:
  id: breach
  citation: CRED-1 § 2
  when: {acquired: true}
obligations:
  - id: notify-ciso
    citation: CRED-1 § 3
    recipient: ciso
    by: owner
    deadline: {text: within 24 hours, hours: 24}
    exceptions:
      - id: hashed
        citation: CRED-1 § 3(a)
        when: {passwords_hashed: true, hash_strength: strong}
  - id: notify-board
    citation: CRED-1 § 4
    recipient: individuals
    by: owner
    when: {accounts_locked: {lt: 100}}
    deadline: {text: within 30 days, days: 30}
"""

LAW = """\
code: XX-LAW
name: A law
citation: Law § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [US]}
versions:
  - effective_from: 2020-01-01
    citation: Law § 1
breach:
  id: breach
  citation: Law § 1(a)
  when: {acquired: true}
obligations:
  - id: notify-individuals
    citation: Law § 1(b)
    recipient: individuals
    by: owner
    deadline: {text: within 30 days, days: 30}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vocab")
    _write(folder, "cred.yaml", POLICY)
    _write(folder, "law.yaml", LAW)
    return folder


@pytest.fixture(scope="module")
def engine(rules: Path) -> Engine:
    return Engine(paths=[rules], bundled=False)


def _doc(**facts: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "cred-1",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [{"id": "shop", "data_role": "owner", "established_in": ["US-NY"]}],
        "exposures": [
            {
                "elements": ["email", "credentials"],
                "residents": {"US-NY": 900},
                "acquired": True,
                "encrypted": False,
            }
        ],
    }
    if facts:
        doc["facts"] = {"XX-CRED": facts}
    return doc


def _ob(engine: Engine, doc: dict[str, Any], key: str) -> Any:
    return next(o for o in engine.assess(doc).obligations if o.id == f"XX-CRED:{key}")


# --- loading ---------------------------------------------------------------------------------


def test_a_policy_declares_its_own_facts_and_recipients(tmp_path: Path) -> None:
    ruleset = load_ruleset(_write(tmp_path, "cred.yaml", POLICY))
    assert ruleset.is_policy
    assert [(f.name, f.kind, f.words) for f in ruleset.facts] == [
        ("passwords_hashed", "bool", ()),
        ("hash_strength", "enum", ("weak", "strong")),
        ("accounts_locked", "int", ()),
    ]
    assert ruleset.facts[0].path == "facts.XX-CRED.passwords_hashed"
    assert ruleset.recipients == ("ciso",)
    assert ruleset.recipient_descriptions == {"ciso": "Chief Information Security Officer"}
    assert not load_ruleset(_write(tmp_path, "law.yaml", LAW)).is_policy


def _problem(tmp_path: Path, text: str, path: str) -> Any:
    """The problem reported at ``path`` (a rejected declaration may cause follow-on ones)."""
    return next(p for p in _problems(tmp_path, text) if p.path == path)


def _problems(tmp_path: Path, text: str) -> list[Any]:
    with pytest.raises(RulesetError) as info:
        load_ruleset(_write(tmp_path, "r.yaml", text))
    return list(info.value.problems)


def test_another_ruleset_cannot_test_a_policy_fact(tmp_path: Path) -> None:
    """Only the declaring ruleset's conditions may read its facts: another ruleset that
    tests ``passwords_hashed`` gets an unknown fact at its line."""
    text = LAW.replace("when: {acquired: true}", "when: {passwords_hashed: false}")
    [problem] = _problems(tmp_path, text)
    assert problem.path == "breach.when.passwords_hashed"
    assert problem.line == 13
    assert "unknown fact 'passwords_hashed'" in problem.reason
    assert "declares: {facts" in problem.reason


def test_a_typo_in_a_policy_fact_has_a_near_miss(tmp_path: Path) -> None:
    [problem] = _problems(
        tmp_path, POLICY.replace("{passwords_hashed: true,", "{password_hashed: true,")
    )
    assert "did you mean 'passwords_hashed'?" in problem.reason


def test_declared_fact_values_are_checked_in_conditions(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, POLICY.replace("hash_strength: strong}", "hash_strength: hi}"))
    assert "hash_strength is one of weak, strong" in problem.reason
    [problem] = _problems(tmp_path, POLICY.replace("{lt: 100}", "{lt: -5}"))
    assert "never negative" in problem.reason


def test_a_declared_fact_cannot_take_a_contract_name(tmp_path: Path) -> None:
    """Declaring ``encrypted`` would let the policy read its own value where every law
    reads the contract's: refused, at the declaration's line."""
    problem = _problem(
        tmp_path,
        POLICY.replace("    passwords_hashed:\n", "    encrypted:\n"),
        "declares.facts.encrypted",
    )
    assert problem.line == 10  # the line of `encrypted:`, not of its first field
    assert "fact of the contract already" in problem.reason


def test_an_enum_fact_needs_words_and_only_it_has_them(tmp_path: Path) -> None:
    text = POLICY.replace("      words: [weak, strong]\n", "")
    problem = _problem(tmp_path, text, "declares.facts.hash_strength.type")
    assert "lists its words" in problem.reason
    bad = POLICY.replace("      type: bool\n", "      type: bool\n      words: [weak]\n", 1)
    problem = _problem(tmp_path, bad, "declares.facts.passwords_hashed.words")
    assert "only an enum fact has words" in problem.reason


def test_an_undeclared_recipient_is_an_error_with_a_near_miss(tmp_path: Path) -> None:
    """Before: ``recipient`` was a closed list, so a CISO had to be written ``regulator``.
    Now an undeclared word is still an error, naming where to declare it."""
    [problem] = _problems(tmp_path, POLICY.replace("recipient: ciso", "recipient: cisco"))
    assert problem.path == "obligations[0].recipient"
    assert "did you mean 'ciso'?" in problem.reason
    assert "declares: {recipients" in problem.reason
    [problem] = _problems(tmp_path, LAW.replace("recipient: individuals", "recipient: ciso"))
    assert "unknown recipient 'ciso'" in problem.reason


def test_declaring_a_contract_recipient_is_an_error(tmp_path: Path) -> None:
    text = POLICY.replace("    ciso:\n", "    regulator:\n")
    problem = _problem(tmp_path, text, "declares.recipients.regulator")
    assert "recipient of the contract already" in problem.reason


# --- assessing -------------------------------------------------------------------------------


def test_a_policy_fact_is_unknown_until_the_incident_gives_it(engine: Engine) -> None:
    """Three-valued: without the fact, the exception may apply, so the CISO report is
    conditional and names the fact by its incident path."""
    ob = _ob(engine, _doc(), "notify-ciso")
    assert ob.status == "conditional"
    assert set(ob.missing_facts) == {
        "facts.XX-CRED.passwords_hashed",
        "facts.XX-CRED.hash_strength",
    }
    assert ob.recipient == "ciso"
    assert _ob(engine, _doc(passwords_hashed=False), "notify-ciso").status == "required"
    hashed = _ob(engine, _doc(passwords_hashed=True, hash_strength="strong"), "notify-ciso")
    assert hashed.status == "not_required"
    weak = _ob(engine, _doc(passwords_hashed=True, hash_strength="weak"), "notify-ciso")
    assert weak.status == "required"


def test_an_int_fact_is_compared(engine: Engine) -> None:
    assert _ob(engine, _doc(accounts_locked=5), "notify-board").status == "required"
    assert _ob(engine, _doc(accounts_locked=500), "notify-board").status == "not_required"
    unknown = _ob(engine, _doc(), "notify-board")
    assert unknown.missing_facts == ("facts.XX-CRED.accounts_locked",)


def test_the_reason_shows_the_fact_it_read(engine: Engine) -> None:
    ob = _ob(engine, _doc(accounts_locked=5), "notify-board")
    assert ob.reasons[0].facts == {"facts.XX-CRED.accounts_locked": 5}


def test_both_backends_agree_on_policy_facts(rules: Path, engine: Engine) -> None:
    pytest.importorskip("durable.lang")
    durable = Engine(paths=[rules], bundled=False, backend="durable")
    for facts in (
        {},
        {"passwords_hashed": True, "hash_strength": "strong"},
        {"accounts_locked": 3},
    ):
        doc = _doc(**facts)
        assert durable.assess(doc).to_json() == engine.assess(doc).to_json()


def test_a_value_of_the_wrong_kind_is_invalid_input(engine: Engine) -> None:
    with pytest.raises(InvalidIncident) as info:
        engine.assess(_doc(passwords_hashed="yes", hash_strength="medium", accounts_locked=-1))
    paths = sorted(p.path for p in info.value.problems)
    assert paths == [
        "facts.XX-CRED.accounts_locked",
        "facts.XX-CRED.hash_strength",
        "facts.XX-CRED.passwords_hashed",
    ]


def test_the_cli_exits_2_for_a_wrongly_typed_policy_fact(
    rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "inc.json", json.dumps(_doc(passwords_hashed="yes")))
    assert main(["--rulesets", str(rules), "assess", str(path)]) == 2
    err = capsys.readouterr().err
    assert "facts.XX-CRED.passwords_hashed" in err and "Traceback" not in err


def test_an_undeclared_name_or_code_is_a_warning_with_a_near_miss(engine: Engine) -> None:
    doc = _doc(password_hashed=True)
    doc["facts"]["XX-CRD"] = {"x": True}
    warnings = engine.assess(doc).warnings
    assert any("did you mean 'passwords_hashed'?" in w for w in warnings), warnings
    assert any("facts.XX-CRD" in w and "did you mean 'XX-CRED'?" in w for w in warnings)


def test_load_incident_checks_the_shape_of_facts() -> None:
    doc = _doc()
    doc["facts"] = {"cred": {"a": [1]}}
    with pytest.raises(InvalidIncident) as info:
        load_incident(doc)
    assert {p.path for p in info.value.problems} == {"facts.cred", "facts.cred.a"}


def test_facts_round_trip_and_are_left_out_when_empty() -> None:
    """An incident without policy facts is the same document as before (same audit
    hashes); one with them keeps them."""
    assert "facts" not in load_incident(_doc()).to_dict()
    doc = _doc(passwords_hashed=None, accounts_locked=3)
    assert load_incident(doc).to_dict()["facts"] == doc["facts"]


def test_questions_ask_for_policy_facts_with_their_answers(engine: Engine) -> None:
    """``questions`` works on a policy's facts: a bool is asked true/false, an enum by its
    words, and each answer says what it changes."""
    qs = {q.fact: q for q in open_questions(engine, load_incident(_doc())).questions}
    hashed = qs["facts.XX-CRED.passwords_hashed"]
    assert [o.value for o in hashed.outcomes] == [True, False]
    assert [o.value for o in qs["facts.XX-CRED.hash_strength"].outcomes] == ["weak", "strong"]
    assert "XX-CRED:notify-ciso" in hashed.decides


def test_assert_obligation_finds_a_policy_recipient(engine: Engine) -> None:
    assessment = engine.assess(_doc(passwords_hashed=False))
    ob = assert_obligation(assessment, "XX-CRED", "ciso", "required", party="shop")
    assert ob.id == "XX-CRED:notify-ciso"


# --- labelled as policy ----------------------------------------------------------------------


def test_policy_duties_are_labelled_policy_in_json(engine: Engine) -> None:
    doc = engine.assess(_doc(passwords_hashed=False)).to_dict()
    bases = {o["id"]: o["basis"] for o in doc["obligations"]}
    assert bases["XX-CRED:notify-ciso"] == "policy: CRED-1 § 3"
    assert bases["XX-LAW:notify-individuals"] == "Law § 1(b)"
    kinds = {r["code"]: r.get("kind", "absent") for r in doc["rulesets"]}
    assert kinds == {"XX-CRED": "policy", "XX-LAW": "absent"}


def test_liability_is_not_called_statute_when_only_a_policy_binds(engine: Engine) -> None:
    """The issue's table said "statute" for a policy's duties. With a law in play the
    default rule is statute; with only policy duties it says so."""
    both = engine.assess(_doc(passwords_hashed=False))
    assert both.liability[0].basis.startswith("statute:")
    only = engine.assess(_doc(passwords_hashed=False), jurisdictions=["XX-CRED"])
    assert "statute" not in only.liability[0].basis.split("(")[0]
    assert "policy" in only.liability[0].basis


def test_table_explain_and_plan_say_policy(
    rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "inc.json", json.dumps(_doc(passwords_hashed=False)))
    base = ["--rulesets", str(rules)]
    assert main([*base, "assess", str(path), "--as-of", "discovery"]) == 0
    table = capsys.readouterr().out
    assert "policy, not statute: CRED-1 v1" in table
    assert "policy: CRED-1 § 3" in table
    assert main([*base, "explain", str(path), "XX-CRED:notify-ciso"]) == 0
    explained = capsys.readouterr().out
    assert "Policy applied (a company policy, not law): CRED-1 v1" in explained
    assert "under CRED-1 § 3 (a company policy, not statute)" in explained
    assert main([*base, "explain", str(path), "XX-LAW:notify-individuals"]) == 0
    assert "Law applied: A law; Law § 1" in capsys.readouterr().out  # the act, then its version
    assert main([*base, "plan", str(path), "--format", "json"]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    ciso = next(a for a in actions if a["recipient"] == "ciso")
    assert ciso["bases"] == ["policy: CRED-1 § 3"]
    assert "XX-CRED: a company policy's duty, not a statute's (CRED-1 § 3)" in ciso["notes"]
