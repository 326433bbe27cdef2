"""What a word the engine does not know was likely meant: a ruleset code, a party type.

A misspelt code or type must say what it was taken for: an assessment limited to a
misspelt jurisdiction silently omits a law, and a misspelt party type leaves the law it
brings in (HIPAA for ``hipaa_covered_entity``) not applicable with nothing else to say why.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from breachrules.engine.reach import ReachIndex
from breachrules.model.places import country_name, place_problem

__all__ = ["no_ruleset", "unknown_type"]


def no_ruleset(word: str, codes: Collection[str], index: ReachIndex) -> str:
    """Why ``word`` names none of ``codes``, with what was likely meant: for a place
    (``IE``), the rulesets that reach it, since residents are keyed by place but rulesets
    by law (UT12); otherwise the nearest ruleset code."""
    said = f"no ruleset for {word!r}"
    place = word.upper()
    laws = index.reaching(place) if place_problem(place) is None else []
    if laws:
        name = country_name(place)
        what = f"{place} ({name})" if name else place
        said += f"; {what} is a place, and the rulesets that reach it are {', '.join(laws)}"
    else:
        hint = difflib.get_close_matches(place, list(codes), n=1)
        said += f"; did you mean {hint[0]!r}?" if hint else ""
    return said + " (`breachrules rulesets` lists them)"


def unknown_type(i: int, word: str, words: Collection[str]) -> str:
    """The warning for ``parties[i]``'s type ``word``, which none of ``words`` is, with
    the near word (UT12). A warning, not an error: a host's own words are kept.

    Only a near spelling is offered (``hipaa_covred_entity``): a type is a legal status,
    and ``sec_smaller_reporting_company`` (Form 8-K's smaller reporting company) must not
    be steered to ``sec_smaller_entity`` (Regulation S-P's smaller entity), which is a
    different status, only because their words overlap."""
    said = f"parties[{i}].types: {word!r} is not a word any ruleset uses"
    hint = difflib.get_close_matches(word, sorted(words), n=1, cutoff=0.8)
    return said + (f"; did you mean {hint[0]!r}?" if hint else "")
