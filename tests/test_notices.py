"""Notice drafts (issue 23, part 1): one per population and language, one per regulator,
every content item cited, the shapes the laws prescribe, and nothing injectable."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import markdown
import pytest
import yaml

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.law.loader import bundled_paths
from breachrules.law.notice_texts import NOTICES_FOLDER, load_notice_data
from breachrules.views.drafts import MARKING, markdown_escape
from breachrules.views.notice_facts import split_citation
from breachrules.views.notices import notices

from .conftest import EXAMPLES, ROOT, incident_doc

MULTINATIONAL = EXAMPLES / "multinational-saas-breach.json"
MULTISTATE = EXAMPLES / "multistate-ransomware.json"
CA_HEADINGS = [
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
]


@pytest.fixture(scope="module")
def multinational(engine: Engine) -> Any:
    incident = load_incident(MULTINATIONAL)
    return incident, engine.assess(incident)


@pytest.fixture(scope="module")
def multistate(engine: Engine) -> Any:
    incident = load_incident(MULTISTATE)
    return incident, engine.assess(incident)


def test_one_letter_per_population_and_language(multinational: Any) -> None:
    """The plan's letters, with the EU split by the residents' languages, Quebec in French
    and Japan in Japanese; one draft per notice to a public body."""
    incident, assessment = multinational
    drafts = assessment.notices(incident)
    letters = {d.key: d for d in drafts.drafts if d.kind == "individuals"}
    assert {
        "letter-mediconnect-us-en",
        "letter-mediconnect-eu-de",
        "letter-mediconnect-eu-fr",
        "letter-mediconnect-eu-en",
        "letter-mediconnect-ca-qc-fr",
        "letter-mediconnect-jp-ja",
        "letter-mediconnect-gb-en",
    } <= set(letters)
    plan = assessment.plan()
    bodies = [
        a
        for a in plan.actions
        if a.recipient in ("regulator", "attorney_general") and a.kind == "notice"
    ]  # a record kept for a regulator (UK GDPR Art. 33(5)) is not drafted as a notice
    assert len([d for d in drafts.drafts if d.kind == "regulator"]) == len(bodies)
    assert len({d.key for d in drafts.drafts}) == len(drafts.drafts)  # one file each
    # the per-language letters carry the population's laws first, then only the duties
    # owed to every affected person wherever they live (HIPAA's to the covered entity's
    # patients), never another population's own law
    assert letters["letter-mediconnect-eu-de"].jurisdictions == ("EU-GDPR", "US-HIPAA")
    assert "GB" not in letters["letter-mediconnect-eu-de"].jurisdictions
    assert "DE" in (letters["letter-mediconnect-eu-de"].population or "")


def test_every_content_item_is_in_its_draft_with_its_citation(multinational: Any) -> None:
    incident, assessment = multinational
    by_id = {o.id: o for o in assessment.obligations}
    for draft in assessment.notices(incident).drafts:
        blocks = draft.blocks()
        for oid in draft.obligations:
            for raw in by_id[oid].content_requirements:
                text, cite = split_citation(raw)
                found = [b for b in blocks if b.text.startswith(text)]
                assert found, f"{draft.key}: {raw!r} missing"
                assert any(b.note and (cite or by_id[oid].basis) in b.note for b in found), raw


def test_california_title_and_headings_in_order(multinational: Any) -> None:
    incident, assessment = multinational
    letter = assessment.notices(incident).draft("letter-mediconnect-us-en")
    assert letter.title == "Notice of Data Breach"
    assert "1798.82(d)(1)" in (letter.title_citation or "")
    assert [s.heading for s in letter.sections] == CA_HEADINGS
    assert all("1798.82(d)(1)" in (s.heading_citation or "") for s in letter.sections)
    text = letter.to_markdown()
    assert [text.index(f"## {h}") for h in CA_HEADINGS] == sorted(
        text.index(f"## {h}") for h in CA_HEADINGS
    )


def test_letters_name_the_data_in_words_not_element_codes(multistate: Any) -> None:
    """The information involved is said as a reader says it (rulesets/_notices/en.yaml,
    `elements:`): "Social Security number", never "ssn"."""
    incident, assessment = multistate
    notices = assessment.notices(incident)
    text = "\n".join(p for d in notices.drafts for s in d.sections for p in s.paragraphs)
    assert "Social Security number" in text
    assert not re.search(r"\bssn\b|drivers license", text)


def test_a_letter_with_no_prescribed_headings_cites_none(
    multinational: Any, engine: Engine
) -> None:
    incident, _ = multinational
    # Australia's law alone: the GDPR and HIPAA, which count everyone, would bring theirs
    assessment = engine.assess(incident, jurisdictions=["AU"])
    letter = assessment.notices(incident).draft("letter-mediconnect-au-en")
    assert letter.sections[0].heading == "What Happened"
    assert all(s.heading_citation is None for s in letter.sections)


def test_gdpr_letter_has_the_art_34_2_items_in_order(multinational: Any) -> None:
    incident, assessment = multinational
    letter = assessment.notices(incident).draft("letter-mediconnect-eu-en")
    cites = [s.heading_citation or "" for s in letter.sections]
    assert "Art. 34(2)" in cites[0]
    assert ["33(3)(b)" in cites[1], "33(3)(c)" in cites[2], "33(3)(d)" in cites[3]] == [True] * 3


def test_german_and_french_texts_are_cited_and_flagged(multinational: Any) -> None:
    """Sourced texts stand in the language, with their citation; what could not be
    sourced stays in English and the draft says so."""
    incident, assessment = multinational
    drafts = assessment.notices(incident)
    german = drafts.draft("letter-mediconnect-eu-de")
    assert german.title.startswith("Benachrichtigung der von einer Verletzung")
    assert "Art. 34" in (german.title_citation or "")
    assert "not confirmed" in (german.title_citation or "")  # a reproduction, not EUR-Lex
    assert any("Write this letter in German" in n for n in german.language_notes)
    assert any("Left in English" in n for n in german.language_notes)
    quebec = drafts.draft("letter-mediconnect-ca-qc-fr")
    assert quebec.language == "fr"
    assert any("Charter of the French Language" in n for n in quebec.language_notes)
    assert quebec.sections[0].heading.startswith("Description des renseignements personnels")
    japan = drafts.draft("letter-mediconnect-jp-ja")
    assert japan.sections[0].heading == "概要"
    assert any(s.heading == "原因" and s.items for s in japan.sections)


def test_massachusetts_gets_its_own_letter_without_the_nature_or_the_number(
    multistate: Any,
) -> None:
    incident, assessment = multistate
    drafts = assessment.notices(incident)
    us = drafts.draft("letter-lonestar-outfitters-us-en")
    ma = drafts.draft("letter-lonestar-outfitters-us-ma-en")
    assert "US-MA" not in us.jurisdictions
    assert ma.jurisdictions == ("US-MA",)
    assert any("must not include the nature of the breach" in b.text for b in ma.bars)
    text = " ".join(b.text for b in ma.blocks() if b.kind == "paragraph")
    assert "general description of the incident" not in text
    assert "general description of the incident" in " ".join(b.text for b in us.blocks())
    for letter in (us, ma):  # no letter to individuals states a count
        assert str(sum(sum(e.residents.values()) for e in incident.exposures)) not in (
            letter.to_markdown()
        )


def test_regulator_drafts_fill_form_fields_and_counts(multinational: Any) -> None:
    incident, assessment = multinational
    drafts = {d.key: d for d in assessment.notices(incident).drafts if d.kind == "regulator"}
    texas = drafts["notice-mediconnect-us-tx-notify-attorney-general"]
    items = [i for s in texas.sections for i in s.items]
    number = next(i for i in items if i.text.startswith("The number of residents of Texas"))
    assert number.fill is not None and number.fill.startswith("1100")
    california = drafts["notice-mediconnect-us-ca-notify-attorney-general"]
    fields = {f["field"]: f["value"] for f in california.contacts[0]["form_fields"]}
    assert fields["Date(s) of breach, if known"] == "2026-04-11"
    # MediConnect was told by its provider, when is not given: its own awareness is a
    # placeholder, and the provider's discovery is given apart.
    assert fields["Date(s) of discovery of the breach"] == (
        "[[when it was told]], told by Ticketly Cloud Ltd. (its service provider); the "
        "incident was discovered by Ticketly Cloud Ltd. (the service provider breached) on "
        "2026-04-14"
    )
    assert fields["Date(s) individual notice was provided to consumers"].startswith("[[")
    assert california.contacts[0]["portal"].startswith("https://oag.ca.gov/")


def test_a_notice_a_law_wants_first_says_so(multistate: Any) -> None:
    incident, assessment = multistate
    nj = assessment.notices(incident).draft("notice-lonestar-outfitters-us-nj-notify-regulator")
    assert any("before the letters" in n for n in nj.notes)


def test_without_the_incident_every_fact_is_a_placeholder(multinational: Any) -> None:
    _, assessment = multinational
    letter = assessment.notices().draft("letter-mediconnect-us-en")
    assert "date, estimated date or date range of the breach" in " ".join(letter.placeholders)
    assert any("No incident was given" in n for n in letter.language_notes)


def test_every_draft_is_marked_in_every_format(multinational: Any) -> None:
    incident, assessment = multinational
    for draft in assessment.notices(incident).drafts[:3]:
        assert draft.to_markdown().count(MARKING) == 2
        assert draft.to_html().count(MARKING) == 2
        document = docx.Document(io.BytesIO(draft.to_docx()))
        texts = [p.text for p in document.paragraphs]
        assert texts[0] == MARKING
        assert texts[-1] == MARKING


def test_docx_citations_are_margin_comments(multinational: Any) -> None:
    incident, assessment = multinational
    data = assessment.notices(incident).draft("letter-mediconnect-us-en").to_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        comments = z.read("word/comments.xml").decode()
    assert "1798.82(d)(1)" in comments
    assert "164.404(c)(1)(A)" in comments


HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> [click](javascript:alert(3)) '
    "![pixel](http://evil.example/p.png) **bold** `code` | a | b |\n# heading\n- item "
    "http://evil.example/auto www.evil.example =cmd|'/C calc'!A0 \x1b[31mred\x07 &amp;"
)


def _hostile(engine: Engine) -> Any:
    doc = incident_doc(
        id="T-HOSTILE",
        title=HOSTILE,
        parties=[
            {"id": "acme", "name": HOSTILE, "data_role": "owner", "established_in": ["US-CA"]}
        ],
    )
    doc["exposures"][0]["description"] = HOSTILE
    doc["exposures"][0]["residents"] = {"US-CA": 600, "US-TX": 300, "US-MA": 20}
    incident = load_incident(doc)
    return incident, engine.assess(incident)


def _no_markup(rendered_html: str) -> None:
    lowered = rendered_html.lower()
    for bad in ("<script", "<img", 'href="javascript', 'href="http', "<h1>heading"):
        assert bad not in lowered, bad
    for bad in ("<strong>bold", "<code>code", "<table", "<li>item"):
        assert bad not in lowered, bad


def test_a_hostile_incident_cannot_inject_into_any_format(engine: Engine) -> None:
    """Incident text reaches the letters (the party's name) and the regulator drafts (the
    title): escaped in Markdown and HTML, plain text in Word, nothing executable."""
    incident, assessment = _hostile(engine)
    drafts = assessment.notices(incident).drafts
    assert any(d.kind == "regulator" for d in drafts)
    for draft in drafts:
        md = draft.to_markdown()
        rendered = markdown.markdown(md, extensions=["footnotes", "tables"])
        _no_markup(rendered)
        assert "\x1b" not in md and "\x07" not in md
        page = draft.to_html()
        body = page.split("<body>", 1)[1]
        _no_markup(body)
        assert "default-src 'none'" in page
        assert "&lt;script&gt;" in page
        document = docx.Document(io.BytesIO(draft.to_docx()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "<script>alert(1)</script>" in text  # shown as text, not run
        with zipfile.ZipFile(io.BytesIO(draft.to_docx())) as z:
            xml = z.read("word/document.xml").decode()
        assert "w:hyperlink" not in xml and "w:fldSimple" not in xml and "w:instrText" not in xml
    brief = assessment.brief(incident)
    _no_markup(markdown.markdown(brief.to_markdown()))
    assert "\x1b" not in brief.to_text()


def test_markdown_escape_keeps_the_words() -> None:
    escaped = markdown_escape("a *b* [c](d) <e> 1. f")
    rendered = markdown.markdown(escaped)
    assert "*b* [c](d) &lt;e&gt; 1. f" in rendered


def test_the_bundled_notice_data_is_complete_and_cited(engine: Engine) -> None:
    data = load_notice_data()
    codes = {r.code for r in engine.rulesets}
    english = data.languages["en"]
    for layout in data.layouts:
        assert layout.jurisdiction in codes, layout.jurisdiction
        assert layout.citation and layout.source.startswith("http")
        for key in (*layout.sections, *([layout.title] if layout.title else [])):
            assert key in english.texts, key
            assert key in english.sections or key == layout.title, key
        if layout.language:
            assert layout.language in data.language_names
    for lang in data.languages.values():
        for key, text in lang.texts.items():
            assert key in english.texts, f"{lang.code}: {key} has no English text"
            if lang.code != "en":  # every foreign text says where it comes from
                assert text.citation and text.source and text.verified is not None, key
    folder = bundled_paths()[0] / NOTICES_FOLDER
    for file in folder.glob("*.yaml"):
        assert yaml.safe_load(file.read_text(encoding="utf-8"))["last_reviewed"]


def test_notices_command_writes_every_format(tmp_path: Path, capsys: Any) -> None:
    for fmt in ("md", "html", "docx"):
        out = tmp_path / fmt
        code = main(["notices", str(MULTISTATE), "--out", str(out), "--format", fmt])
        printed = capsys.readouterr().out
        assert code == 0
        assert MARKING in printed
        files = sorted(out.iterdir())
        assert files and all(f.suffix == f".{fmt}" for f in files)
        assert "letter-lonestar-outfitters-us-ma-en" in printed


def test_notices_command_needs_out_and_a_known_format(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["notices", str(MULTISTATE)])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["notices", str(MULTISTATE), "--out", "x", "--format", "pdf"])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_notices_library_call_matches_the_method(multinational: Any) -> None:
    incident, assessment = multinational
    assert notices(assessment, incident) == assessment.notices(incident)
    document = json.loads(assessment.notices(incident).to_json())
    assert document["marking"] == MARKING
    assert all(d["marking"] == MARKING for d in document["drafts"])


def test_the_docs_python_example_runs(tmp_path: Path, monkeypatch: Any) -> None:
    text = (ROOT / "docs" / "notices.md").read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text, re.S)
    assert found is not None
    code = found[1].replace('"examples/', f'"{ROOT}/examples/')
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/notices.md", "exec"), {})
    assert (tmp_path / "drafts" / "letter-mediconnect-us-en.md").is_file()


def test_your_own_notice_texts_win_over_the_bundled(tmp_path: Path, capsys: Any) -> None:
    """A ``_notices/`` folder in a ``--rulesets`` folder adds or replaces texts."""
    folder = tmp_path / "rules" / NOTICES_FOLDER
    folder.mkdir(parents=True)
    (folder / "pt.yaml").write_text(
        "language: pt\nlast_reviewed: 2026-12-06\ntexts:\n  default_title:\n"
        "    text: Aviso de incidente\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["--rulesets", str(tmp_path / "rules"), "notices", str(MULTINATIONAL)]
    assert main([*argv, "--out", str(out), "--jurisdiction", "BR"]) == 0
    assert "# Aviso de incidente" in (out / "letter-mediconnect-br-pt.md").read_text()
    (folder / "layouts.yaml").write_text("layouts:\n  - jurisdiction: US-CA\n", encoding="utf-8")
    capsys.readouterr()
    assert main([*argv, "--out", str(out), "--jurisdiction", "BR"]) == 2
    err = capsys.readouterr().err
    assert "layouts.yaml: layouts[0].citation: required" in err
    assert "Traceback" not in err


def test_out_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "README.md"
    target.write_text("not a folder")
    incident = str(EXAMPLES / "multistate-ransomware.json")
    assert main(["notices", incident, "--out", str(target)]) == 2
    assert "--out" in capsys.readouterr().err and target.read_text() == "not a folder"
