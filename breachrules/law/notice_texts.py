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

from breachrules.errors import InvalidArgument, Problem
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


@attrs.frozen
class NoticeData:
    """Everything in ``rulesets/_notices/``: layouts per law and texts per language."""

    layouts: tuple[Layout, ...]
    languages: Mapping[str, Language]
    countries: Mapping[str, str]
    language_names: Mapping[str, str]
    eu_eea: frozenset[str]

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


def _text(raw: Any, where: str) -> Text:
    if isinstance(raw, str):
        return Text(raw)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("text"), str):
        raise InvalidArgument([Problem(where, "a text is a string or a mapping with 'text'")])
    return Text(
        text=raw["text"],
        citation=raw.get("citation"),
        source=raw.get("source"),
        verified=raw.get("verified"),
        note=" ".join(str(raw["note"]).split()) if raw.get("note") else None,
    )


@functools.cache
def _load(roots: tuple[str, ...]) -> NoticeData:
    layouts: list[Layout] = []
    languages: dict[str, Language] = {}
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    eu_eea: set[str] = set()
    for root in roots:
        folder = Path(root) / NOTICES_FOLDER
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.yaml")):
            doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            if file.stem == "layouts":
                for n, raw in enumerate(doc.get("layouts") or []):
                    where = f"{file}: layouts[{n}]"
                    rule = raw.get("language_rule")
                    layouts.append(
                        Layout(
                            jurisdiction=raw["jurisdiction"],
                            recipient=raw.get("recipient", "individuals"),
                            citation=raw["citation"],
                            source=raw["source"],
                            verified=bool(raw["verified"]),
                            title=raw.get("title"),
                            sections=tuple(raw.get("sections") or ()),
                            omit=tuple(raw.get("omit") or ()),
                            own_letter=bool(raw.get("own_letter", False)),
                            language=raw.get("language"),
                            language_rule=_text(rule, where) if rule else None,
                            note=" ".join(str(raw["note"]).split()) if raw.get("note") else None,
                        )
                    )
            elif file.stem == "languages":
                countries.update({str(k): str(v) for k, v in (doc.get("countries") or {}).items()})
                names.update({str(k): str(v) for k, v in (doc.get("names") or {}).items()})
                eu_eea.update(str(c) for c in doc.get("eu_eea") or ())
            else:
                code = str(doc.get("language") or file.stem)
                texts = {
                    str(k): _text(v, f"{file}: texts.{k}")
                    for k, v in (doc.get("texts") or {}).items()
                }
                classify = tuple(
                    (str(rule["topic"]), tuple(str(w).lower() for w in rule["words"]))
                    for rule in doc.get("classify") or ()
                )
                sections = {
                    str(k): tuple(str(t) for t in v) for k, v in (doc.get("sections") or {}).items()
                }
                languages[code] = Language(
                    code=code,
                    name=str(doc.get("name") or code),
                    texts=texts,
                    sentences={str(k): str(v) for k, v in (doc.get("sentences") or {}).items()},
                    classify=classify,
                    sections=sections,
                )
    if "en" not in languages:
        raise InvalidArgument(
            [Problem(NOTICES_FOLDER, "no English texts (en.yaml) found beside the rulesets")]
        )
    return NoticeData(tuple(layouts), languages, countries, names, frozenset(eu_eea))


def load_notice_data(roots: Iterable[Path | str] | None = None) -> NoticeData:
    """The notice layouts and texts below ``roots`` (default: the bundled rulesets)."""
    paths = tuple(str(p) for p in (roots if roots is not None else bundled_paths()))
    return _load(paths)
