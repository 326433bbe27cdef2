"""What a SOAR playbook needs of an assessment: each owed duty as plain JSON values, and the
earliest due date still open.

The adapters in ``examples/integrations/`` (XSOAR, Splunk SOAR, the stdio/Lambda bridge)
all hand a playbook the same fields of a duty; they read them here, so that a field added
for one (a waiting period, the law's time zone, when a notice was sent) reaches every
platform, and each adapter only names the fields as its platform spells them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from breachrules.model.decisions import Assessment, Obligation

__all__ = ["duty", "next_due", "owed"]


def owed(assessment: Assessment) -> list[Obligation]:
    """The duties owed or possibly owed (``required`` or ``conditional``), in the
    assessment's order: a law's, its relays up a chain of providers (``<id>@<party>``)
    and the parties' contracts' (``jurisdiction: "contract"``)."""
    return [o for o in assessment.obligations if o.status != "not_required"]


def next_due(duties: Iterable[Obligation]) -> str | None:
    """The earliest due date of ``duties`` not yet recorded as sent, or None."""
    dues = [o.due for o in duties if o.due is not None and o.sent_at is None]
    return min(dues).isoformat() if dues else None


def duty(o: Obligation) -> dict[str, Any]:
    """One owed duty as a playbook needs it: what it is (``kind``: only a ``notice`` is
    sent; ``duty`` says it in words that never make a record or an assessment a notice),
    who sends it to whom, whether it is law or a contract's (``contractual``), its due date
    and the law's time zone, the earliest moment it may be sent (``not_before``: while it
    is empty under a ``waiting_period``, not yet) and when it was sent (``sent_at``)."""
    wait = o.deadline.not_before
    return {
        "id": o.id,
        "jurisdiction": o.jurisdiction,
        "kind": o.kind,
        "duty": o.duty,
        "contractual": o.jurisdiction == "contract",
        "party": o.party,
        "performed_by": o.performed_by,
        "recipient": o.recipient,
        "recipient_name": o.recipient_name,
        "recipient_party": o.recipient_party,
        "status": o.status,
        "due": o.due.isoformat() if o.due else None,
        "deadline": o.deadline.text,
        "time_zone": o.deadline.time_zone,
        "not_before": o.not_before.isoformat() if o.not_before else None,
        "waiting_period": wait.get("text") if wait else None,
        "sent_at": o.sent_at.isoformat() if o.sent_at else None,
        "missing_facts": list(o.missing_facts),
        "basis": o.basis,
    }
