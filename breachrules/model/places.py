"""Where people live and parties are established: ISO 3166 codes, checked, with near misses.

A place the library does not know must never be read as "no law applies here": a
resident under ``UK`` (the commonest way to write ``GB``) or ``US-CAL`` would otherwise
be counted by no ruleset, and the assessment would look complete. So every code in an
incident is checked against the ISO 3166-1 countries and ISO 3166-2 subdivisions (plus
``EU``), and an unknown one is an error that names the likely intended code.

The codes are in ``iso3166.tsv`` beside this module, generated from ``pycountry`` (only
needed to regenerate: ``python -m breachrules.model.places --regenerate``), so that the
accepted codes change only when the file in the repository does.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from pathlib import Path

__all__ = [
    "COUNTRIES",
    "PLACES",
    "PRIVATE_USE",
    "country_name",
    "near_miss",
    "place_problem",
]

_FILE = Path(__file__).with_name("iso3166.tsv")

#: Codes people write for a country that ISO 3166-1 spells differently.
_ALIASES = {"UK": "GB", "EL": "GR", "KS": "XK", "EN": "GB-ENG", "ENG": "GB-ENG"}


def _read() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    countries: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    subdivisions: dict[str, str] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, three, name = line.split("\t")
        if "-" in code:
            subdivisions[code] = name
        else:
            countries[code] = name
            alpha3[three] = code
    return countries, alpha3, subdivisions


_COUNTRIES, _ALPHA3, _SUBDIVISIONS = _read()

#: ISO 3166-1 alpha-2 codes.
COUNTRIES: frozenset[str] = frozenset(_COUNTRIES)
#: Every code an incident may name: countries, subdivisions and ``EU``.
PLACES: frozenset[str] = frozenset({*_COUNTRIES, *_SUBDIVISIONS, "EU"})
_NAMES = {name.casefold(): code for code, name in {**_COUNTRIES, **_SUBDIVISIONS}.items()}


#: ISO 3166-1 reserves AA, QM-QZ, XA-XZ and ZZ for private use: a host's own areas (and
#: tests) may use them, with subdivisions of their own, and no real place is misread.
PRIVATE_USE = re.compile(r"^(AA|Q[M-Z]|X[A-Z]|ZZ)(-[A-Z0-9]{1,3})?$")


def country_name(code: str) -> str | None:
    """The English name of a country or subdivision code, or None."""
    return _COUNTRIES.get(code) or _SUBDIVISIONS.get(code)


@functools.lru_cache(maxsize=1024)
def near_miss(code: str) -> str | None:
    """The code ``code`` most likely meant (``UK`` -> ``GB``, ``US-CAL`` -> ``US-CA``)."""
    text = code.strip()
    upper = text.upper()
    if upper in PLACES and upper != code:
        return upper
    if upper in _ALIASES:
        return _ALIASES[upper]
    if upper in _ALPHA3:
        return _ALPHA3[upper]
    if text.casefold() in _NAMES:
        return _NAMES[text.casefold()]
    head, _, tail = upper.partition("-")
    head = _ALIASES.get(head, _ALPHA3.get(head, head))
    if tail and head in _COUNTRIES:
        mine = [c for c in _SUBDIVISIONS if c.startswith(head + "-")]
        candidate = f"{head}-{tail}"
        if candidate in PLACES:
            return candidate
        by_name = _NAMES.get(tail.casefold())
        if by_name is not None and by_name.startswith(head + "-"):
            return by_name
        hint = difflib.get_close_matches(candidate, mine, n=1, cutoff=0.7)
        return hint[0] if hint else None
    hint = difflib.get_close_matches(upper, sorted(COUNTRIES | {"EU"}), n=1, cutoff=0.75)
    return hint[0] if hint else None


def place_problem(code: object) -> str | None:
    """Why ``code`` is not a place an incident may name, with the near miss; None if it is."""
    if not isinstance(code, str):
        return f"a place code is a string, got {type(code).__name__}"
    if code in PLACES or PRIVATE_USE.match(code):
        return None
    hint = near_miss(code)
    head = code.split("-", 1)[0]
    if head in _COUNTRIES and "-" in code:
        what = f"{code!r} is not an ISO 3166-2 subdivision of {head} ({_COUNTRIES[head]})"
    else:
        what = (
            f"{code!r} is not an ISO 3166 code "
            "(a country like 'DE', a subdivision like 'US-CA', or 'EU')"
        )
    # A fictional place (a test's, a tutorial's, a host's own area) is never written
    # under a real country: ``US-ZZ`` would be read as a subdivision of the United States.
    mine = "a place of your own takes a private-use code: XX, XX-ZZ, ZZ"
    return what + (f"; did you mean {hint!r}? ({mine})" if hint else f" ({mine})")


def _regenerate() -> None:  # pragma: no cover - a maintainer's tool
    import importlib.metadata

    import pycountry  # type: ignore[import-not-found,unused-ignore]

    lines = [
        "# ISO 3166-1 countries (alpha-2, alpha-3, name) and ISO 3166-2 subdivisions "
        "(code, -, name).",
        f"# Generated from pycountry {importlib.metadata.version('pycountry')} by "
        "`python -m breachrules.model.places --regenerate`.",
    ]
    lines += [
        f"{c.alpha_2}\t{c.alpha_3}\t{c.name}"
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)
    ]
    lines += [f"{s.code}\t\t{s.name}" for s in sorted(pycountry.subdivisions, key=lambda s: s.code)]
    _FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--regenerate"]:
        _regenerate()
