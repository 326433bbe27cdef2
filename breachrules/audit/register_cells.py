"""What the breach register says that is not copied from the log: the people counted
and the data elements, the risk-of-harm finding, why nothing was (or need be) sent, a
delay, and what was checked before the log was read
(:mod:`breachrules.audit.register` builds the rows from them)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from breachrules.audit.proof import Verification

__all__ = [
    "basis",
    "checked",
    "delay",
    "duty_source",
    "elements",
    "exception",
    "finding",
    "lateness",
    "people",
    "people_counted",
    "reads_gdpr",
    "statement",
]


def duty_source(code: str, ruleset: Mapping[str, Any]) -> str:
    """``contract`` (the parties' contracts: not law), ``policy`` (a ruleset of ``kind:
    policy``) or ``law``."""
    if code == "contract":
        return "contract"
    return "policy" if ruleset.get("kind") == "policy" else "law"


def people(incident: Mapping[str, Any]) -> int | None:
    total = 0
    for e in incident.get("exposures") or ():
        for n in (e.get("residents") or {}).values():
            if isinstance(n, int):
                total += n
    return total or None


def people_counted(
    reasons: Iterable[Mapping[str, Any]], everyone: bool, total: int | None
) -> int | None:
    """The people one law counted: every affected person where it counts them all
    (``everyone``: an establishment in its area), else its residents, as its reach reason
    gives them ("12 affected residents"). ``None`` where the reason gives no number (a law
    reached by targeting): never the incident's total for a law that counted fewer."""
    if everyone:
        return total
    for r in reasons:
        if str(r.get("rule") or "").endswith(":reach"):
            found = re.match(r"([\d,]+) affected residents\b", str(r.get("text") or ""))
            if found:
                return int(found.group(1).replace(",", ""))
    return None


def elements(incident: Mapping[str, Any]) -> str:
    seen: dict[str, None] = {}
    for e in incident.get("exposures") or ():
        for element in e.get("elements") or ():
            seen[str(element)] = None
    return ", ".join(seen)


def finding(
    incident: Mapping[str, Any], code: str, gdpr: bool = False
) -> tuple[str | None, str | None]:
    """The risk-of-harm finding recorded for ``code`` (or the legacy flag); with ``gdpr``
    (the law's rules read ``risk.gdpr_risk``), the GDPR's own risk assessment too, with
    when it was made where the law's finding records it (``risk.findings.<code>.made_at``)."""
    risk = incident.get("risk") or {}
    found = (risk.get("findings") or {}).get(code)
    level = risk.get("gdpr_risk") if gdpr else None
    if isinstance(found, Mapping) or level is not None:
        found = found if isinstance(found, Mapping) else {}
        parts = [f"{k}={v}" for k, v in sorted(found.items()) if k != "made_at" and v is not None]
        parts += [f"gdpr_risk={level}"] if level is not None else []
        return (f"{code}: " + ", ".join(parts)) if parts else None, found.get("made_at")
    if risk.get("harm_likely") is not None:
        return f"harm_likely={risk['harm_likely']} (not made under one law)", None
    return None, None


def reads_gdpr(
    obligations: Iterable[Mapping[str, Any]], reasons: Iterable[Mapping[str, Any]]
) -> bool:
    """Whether a law's decision read the GDPR's risk assessment (``risk.gdpr_risk``)."""
    read = [*reasons, *(r for o in obligations for r in o.get("reasons") or ())]
    return any("risk.gdpr_risk" in (r.get("facts") or {}) for r in read)


def exception(
    reasons: Iterable[Mapping[str, Any]], conditions: int
) -> tuple[str | None, str | None]:
    """Why nothing is owed: the first of the ``conditions`` rules (a determination's
    personal-information and trigger rules, an obligation's own condition) that is not met,
    else the first exception that is met or applies; else the last reason given."""
    rest = [r for r in reasons if not str(r.get("rule") or "").endswith(":reach")]
    chosen = next((r for r in rest[:conditions] if "not met" in str(r.get("text"))), None)
    if chosen is None:
        chosen = next(
            (
                r
                for r in rest[conditions:]
                if re.search(r":\s*(met|applies)\b", str(r.get("text")))
                and "not met" not in str(r.get("text"))
            ),
            rest[-1] if rest else None,
        )
    if chosen is None:
        return None, None
    return str(chosen.get("text")), chosen.get("citation")


def basis(status: str, reasons: Iterable[Mapping[str, Any]]) -> str | None:
    """Why the law decided as it did, cited.

    A breach rests on what made it one: the definition and the trigger met (a
    determination's first two rules after its reach), any other finding met, and no
    exception applying, named by title ("Paper records are not covered: not met" is no
    reason for a breach). No breach rests on the condition not met or the exception that
    applied (:func:`exception`); an undetermined decision on the rules still unknown. Any
    other keeps its last reason."""
    given = list(reasons)
    if status == "not_breach":
        text, cite = exception(given, 2)
        return f"{text} ({cite})" if text else None
    unknown = [r for r in given if re.search(r":\s*unknown\b", str(r.get("text")))]
    if status == "undetermined" and unknown:
        return "; ".join(f"{r.get('text')} ({r.get('citation')})" for r in unknown)
    if status != "breach" or not given:
        last = given[-1] if given else {}
        return f"{last.get('text')} ({last.get('citation')})" if last.get("text") else None
    rest = [r for r in given if not str(r.get("rule") or "").endswith(":reach")]
    met = [r for r in rest[:2] if "not met" not in str(r.get("text"))]
    others = rest[2:]
    met += [r for r in others if _met(r)]
    unmet = [str(r.get("text")).split(": not met", 1)[0] for r in others if not _met(r)]
    parts = [f"{r.get('text')} ({r.get('citation')})" for r in met]
    if unmet:
        parts.append("no exception applied (" + "; ".join(dict.fromkeys(unmet)) + ")")
    return "; ".join(parts)


def _met(reason: Mapping[str, Any]) -> bool:
    """Whether a reason says its rule is met or applies (for an exposure, at least)."""
    text = str(reason.get("text"))
    return bool(re.search(r":\s*(met|applies)\b", text)) and "not met" not in text


def delay(reasons: Iterable[Mapping[str, Any]]) -> str | None:
    for r in reasons:
        text = str(r.get("text") or "")
        if "law enforcement" in text and "delay" in text:
            return f"{text} ({r.get('citation')})"
    return None


def checked(state: Verification | None) -> dict[str, Any] | None:
    """What a verification checked, as the register states it: the chain (``intact``), its
    ``events`` and ``last_hash``; ``macs``: ``checked`` (``macs_checked`` events under the
    key, ``unkeyed`` earlier ones without), ``not_checked`` (a keyed log read without its
    key) or ``none`` (an unkeyed log); ``anchor``: what the head anchor matched."""
    if state is None:
        return None
    macs = "checked" if state.keyed else "not_checked" if state.unkeyed < state.events else "none"
    anchor = next((n for n in state.notes if "head" in n and "matches" in n), None)
    return {
        "chain": "intact" if state.ok else "broken",
        "events": state.events,
        "last_hash": state.last_hash,
        "macs": macs,
        "macs_checked": state.keyed,
        "unkeyed": state.unkeyed,
        "anchor": anchor,
    }


def statement(v: Mapping[str, Any] | None) -> list[str]:
    """What was checked (:func:`checked`), in words: the chain, and whether MACs were."""
    if v is None:
        return [
            "Not verified: read from the log without checking it "
            "(run `breachrules audit verify` first)."
        ]
    lines = [f"Chain: verified intact ({v['events']} events, last hash {v['last_hash']})."]
    if v["macs"] == "checked":
        lines.append(
            f"MACs: checked under the key ({v['macs_checked']} events"
            + (f"; {v['unkeyed']} earlier events unkeyed)." if v["unkeyed"] else ").")
        )
    elif v["macs"] == "not_checked":
        lines.append(
            "MACs: NOT checked: this log is keyed and no key was given (give "
            "--key-file or set BREACHRULES_AUDIT_KEY_FILE), so a rewrite with "
            "every hash recomputed would pass."
        )
    else:
        lines.append(
            "MACs: none: this log is unkeyed, so anyone who can write the file "
            "could change an event and recompute every hash undetected."
        )
    if v.get("anchor"):
        lines.append(f"Anchor: {v['anchor']}.")
    return lines


def lateness(row: Mapping[str, Any]) -> str | None:
    """A row's ``compliance`` in words, saying how late a late notice went (``late by 7d
    0h``), as the CSV's ``late_by_seconds`` and ``audit report`` do."""
    status, late = row.get("compliance"), row.get("late_by_seconds")
    if status != "late" or not late:
        return None if status is None else str(status)
    days, rest = divmod(int(late), 86400)
    return (
        f"late by {days}d {rest // 3600}h"
        if days
        else f"late by {rest // 3600}h {rest % 3600 // 60}m"
    )
