"""The notice texts and layouts: data beside the rulesets (``rulesets/_notices/``).

Reviewed like law. ``layouts.yaml`` says what a law prescribes about the *shape* of a
notice (its title and headings, what it must not say, the language it must be in);
``languages.yaml`` the language a letter is drafted in by the residents' country where no
law names one; ``<language>.yaml`` the texts of one language (titles and headings, each
cited where a law prescribes it, with ``verified: false`` where the text is not the law's
official one), the sentences a draft fills from the incident, and the words that sort a
ruleset's content items under a heading. Files and folders starting with ``_`` beside the
rulesets are data, never rulesets. The drafts themselves are built in
:mod:`breachrules.views.notices`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from breachrules.errors import Problem, RulesetError
from breachrules.law.loader import bundled_paths

__all__ = ["NOTICES_FOLDER", "Language", "Layout", "NoticeData", "Text", "load_notice_data"]

#: The folder, beside the rulesets, that holds the notice texts and layouts.
NOTICES_FOLDER = "_notices"


@attrs.frozen
class Text:
    """One text of a draft in one language, with where it comes from.

    ``citation`` is set where a law prescribes the text (a title, a heading); ``verified``
    is false where the text was read only in a secondary source or is not an official one.
    """

    text: str
    citation: str | None = None
    source: str | None = None
    verified: bool | None = None
    note: str | None = None
    #: The laws (ruleset codes) whose words these are: the citation is shown only on a
    #: letter under one of them (California's headings are uncited on an Australian letter).
    laws: tuple[str, ...] = ()


@attrs.frozen
class Layout:
    """What one law prescribes about the shape of its notice (``_notices/layouts.yaml``)."""

    jurisdiction: str
    recipient: str
    citation: str
    source: str
    verified: bool
    title: str | None = None
    sections: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()
    own_letter: bool = False
    language: str | None = None
    language_rule: Text | None = None
    note: str | None = None


@attrs.frozen
class Language:
    """The texts of one language: titles and headings, sentences, the sorting words."""

    code: str
    name: str
    texts: Mapping[str, Text]
    sentences: Mapping[str, str] = attrs.Factory(dict)
    classify: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sections: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)
    #: The words a letter uses for each data element (``ssn``: "Social Security number").
    elements: Mapping[str, str] = attrs.Factory(dict)


@attrs.frozen
class NoticeData:
    """Everything in ``rulesets/_notices/``: layouts per law and texts per language."""

    layouts: tuple[Layout, ...]
    languages: Mapping[str, Language]
    #: Each country's first language (its letters' default).
    countries: Mapping[str, str]
    language_names: Mapping[str, str]
    eu_eea: frozenset[str]
    #: Every language a country's letters are drafted in, where it has several
    #: (Belgium: Dutch, French and German); the others have their one in ``countries``.
    spoken: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)

    def languages_of(self, country: str) -> tuple[str, ...]:
        """The languages letters to ``country``'s residents are drafted in (English where
        the country is not listed)."""
        return self.spoken.get(country) or (self.countries.get(country, "en"),)

    def layout(self, jurisdiction: str, recipient: str = "individuals") -> Layout | None:
        for layout in self.layouts:
            if layout.jurisdiction == jurisdiction and layout.recipient == recipient:
                return layout
        return None

    def text(self, key: str, language: str) -> tuple[Text, bool]:
        """The text for ``key`` in ``language``, and whether it is in that language (else
        the English text stands in for it)."""
        own = self.languages.get(language)
        if own is not None and key in own.texts:
            return own.texts[key], True
        english = self.languages["en"].texts.get(key)
        if english is None:
            raise KeyError(key)
        return english, language == "en"

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code)


def _text(raw: Any, where: str, file: str, problems: list[Problem]) -> Text | None:
    if isinstance(raw, str):
        return Text(raw)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("text"), str):
        problems.append(Problem(where, "a text is a string or a mapping with 'text'", file))
        return None
    return Text(
        text=raw["text"],
        citation=raw.get("citation"),
        source=raw.get("source"),
        verified=raw.get("verified"),
        note=" ".join(str(raw["note"]).split()) if raw.get("note") else None,
        laws=tuple(str(c) for c in raw.get("laws") or ()),
    )


def _layout(raw: Any, where: str, file: str, problems: list[Problem]) -> Layout | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "a layout is a mapping", file))
        return None
    missing = [k for k in ("jurisdiction", "citation", "source") if not isinstance(raw.get(k), str)]
    if not isinstance(raw.get("verified"), bool):
        missing.append("verified")
    for key in missing:
        problems.append(Problem(f"{where}.{key}", "required", file))
    if missing:
        return None
    rule = raw.get("language_rule")
    return Layout(
        jurisdiction=raw["jurisdiction"],
        recipient=str(raw.get("recipient", "individuals")),
        citation=raw["citation"],
        source=raw["source"],
        verified=raw["verified"],
        title=raw.get("title"),
        sections=tuple(str(k) for k in raw.get("sections") or ()),
        omit=tuple(str(k) for k in raw.get("omit") or ()),
        own_letter=bool(raw.get("own_letter", False)),
        language=raw.get("language"),
        language_rule=_text(rule, f"{where}.language_rule", file, problems) if rule else None,
        note=" ".join(str(raw["note"]).split()) if raw.get("note") else None,
    )


def _language(doc: Mapping[str, Any], file: Path, problems: list[Problem]) -> Language:
    code = str(doc.get("language") or file.stem)
    texts = {
        str(k): t
        for k, v in (doc.get("texts") or {}).items()
        if (t := _text(v, f"texts.{k}", str(file), problems)) is not None
    }
    classify = tuple(
        (str(rule["topic"]), tuple(str(w).lower() for w in rule["words"]))
        for rule in doc.get("classify") or ()
        if isinstance(rule, Mapping) and "topic" in rule and "words" in rule
    )
    return Language(
        code=code,
        name=str(doc.get("name") or code),
        texts=texts,
        sentences={str(k): str(v) for k, v in (doc.get("sentences") or {}).items()},
        classify=classify,
        sections={str(k): tuple(map(str, v)) for k, v in (doc.get("sections") or {}).items()},
        elements={str(k): str(v) for k, v in (doc.get("elements") or {}).items()},
    )


def _merge(first: Language, then: Language) -> Language:
    """Two files of one language: ``first`` (earlier root) wins key by key."""
    return Language(
        code=first.code,
        name=first.name,
        texts={**then.texts, **first.texts},
        sentences={**then.sentences, **first.sentences},
        classify=first.classify or then.classify,
        sections={**then.sections, **first.sections},
        elements={**then.elements, **first.elements},
    )


@functools.lru_cache(maxsize=16)
def _load(roots: tuple[str, ...], stamp: tuple[tuple[str, int, int], ...]) -> NoticeData:
    """Every root's ``_notices/``; an earlier root wins (the user's folders come first)."""
    layouts: list[Layout] = []
    languages: dict[str, Language] = {}
    countries: dict[str, str] = {}
    spoken: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    eu_eea: set[str] = set()
    problems: list[Problem] = []
    for root in roots:
        folder = Path(root) / NOTICES_FOLDER
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.yaml")):
            try:
                doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                problems.append(Problem("", f"not YAML: {exc}", str(file)))
                continue
            if not isinstance(doc, Mapping):
                problems.append(Problem("", "a notices file is a mapping", str(file)))
                continue
            if file.stem == "layouts":
                for n, raw in enumerate(doc.get("layouts") or []):
                    layout = _layout(raw, f"layouts[{n}]", str(file), problems)
                    if layout is not None:
                        layouts.append(layout)
            elif file.stem == "languages":
                for key, value in (doc.get("countries") or {}).items():
                    codes = _codes(value, f"countries.{key}", str(file), problems)
                    if codes and str(key) not in countries:
                        countries[str(key)] = codes[0]
                        if len(codes) > 1:
                            spoken[str(key)] = codes
                for key, value in (doc.get("names") or {}).items():
                    names.setdefault(str(key), str(value))
                eu_eea.update(str(c) for c in doc.get("eu_eea") or ())
            else:
                language = _language(doc, file, problems)
                seen = languages.get(language.code)
                languages[language.code] = language if seen is None else _merge(seen, language)
    if "en" not in languages:
        problems.append(Problem(NOTICES_FOLDER, "no English texts (en.yaml) beside the rulesets"))
    if problems:
        raise RulesetError(problems)
    return NoticeData(tuple(layouts), languages, countries, names, frozenset(eu_eea), spoken)


def _codes(raw: Any, where: str, file: str, problems: list[Problem]) -> tuple[str, ...]:
    """A country's language or languages: one code, or a list of codes (the first is its
    default)."""
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        problems.append(Problem(where, "a language code or a list of language codes", file))
        return ()
    return tuple(dict.fromkeys(values))


def load_notice_data(roots: Iterable[Path | str] | None = None) -> NoticeData:
    """The notice layouts and texts below ``roots``, then the bundled rulesets' (a text or
    layout in ``roots`` wins over the bundled one); RulesetError naming each bad entry."""
    paths = tuple(dict.fromkeys([str(p) for p in roots or ()] + [str(p) for p in bundled_paths()]))
    # Read once per process, again when a file changes (its size or modification time).
    stamp = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size)
        for root in paths
        for f in sorted((Path(root) / NOTICES_FOLDER).glob("*.yaml"))
    )
    return _load(paths, stamp)
