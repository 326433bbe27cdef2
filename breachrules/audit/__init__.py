"""What the host keeps and later proves: the append-only audit log, and each obligation
against the notices actually sent.

Every assessment already carries its hash-chained audit events (made by the engine's
last stage, :mod:`breachrules.engine.audit`); its functions are re-exported here under
the documented path ``breachrules.audit``.
"""

from breachrules.audit.compliance import ComplianceEntry, NoticeRecord, compliance
from breachrules.audit.log import AuditLog, Verification
from breachrules.audit.proof import rule_inputs
from breachrules.engine.audit import (
    GENESIS,
    canonical,
    chain,
    counts_everyone,
    event_hash,
    reason_facts,
    verify_chain,
)

__all__ = [
    "GENESIS",
    "AuditLog",
    "ComplianceEntry",
    "NoticeRecord",
    "Verification",
    "canonical",
    "chain",
    "compliance",
    "counts_everyone",
    "event_hash",
    "reason_facts",
    "rule_inputs",
    "verify_chain",
]
