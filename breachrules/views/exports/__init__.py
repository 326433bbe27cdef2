"""The decisions in the formats host platforms already read.

- :mod:`~breachrules.views.exports.ocsf`: the decision as an OCSF *Incident Finding*
  (class 2005), each obligation a finding in its ``finding_info_list`` that a SIEM tracks;
- :mod:`~breachrules.views.exports.cacao`: the notification plan as an OASIS CACAO 2.0
  playbook, one manual action step per notice in a straight line, deadlines in the
  steps' external references;
- :mod:`~breachrules.views.exports.oscal`: OSCAL assessment results (facts as observations,
  obligations as findings) against a catalog of the loaded laws' notification requirements
  (:func:`~breachrules.views.exports.oscal.catalog`);
- :mod:`~breachrules.views.exports.playbook`: each owed duty as the SOAR adapters in
  ``examples/integrations/`` hand it to a playbook, and the earliest due date still open;
- :mod:`~breachrules.views.exports.fields`: the incident document an adapter builds from a
  platform's custom fields, remembering the field each value came from, so that a problem
  names the field the analyst filled in and a fallback or an unread field is warned of.

Every export is deterministic: identifiers are UUIDv5 names of the incident, the moment
of assessment and the obligation, so the same assessment gives the same bytes. The CLI is
``breachrules export INCIDENT --format ocsf|cacao|oscal`` (docs/exports.md).
"""

from __future__ import annotations

import uuid

__all__ = ["NAMESPACE", "name_uuid"]

#: The namespace of every UUIDv5 an export mints (fixed: identifiers are reproducible).
NAMESPACE = uuid.UUID("6f1d5c0e-3b7a-5d2e-9c41-b2e0a7c3d915")


def name_uuid(*parts: str) -> str:
    """A UUIDv5 (RFC 4122 name-based) for ``parts``: the same parts, the same identifier."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))
