"""An :class:`~breachrules.model.facts.Incident` built in Python, checked as a document is.

The Python API mirrors the contract field for field (CONTRACT section 6), and the data
classes do no validation of their own: ``Exposure(elements="ssn")``, ``acquired="no"``, a
naive ``discovered_at`` or ``residents={"US-TX": -500}`` were assessed as given (a wrong
``not_breach``, naive due dates, people silently dropped), and ``elements=["nme"]`` failed
deep in the engine. ``Engine.assess`` now hands every ``Incident`` to
:func:`checked_incident`, which reads it the way :func:`~breachrules.io.serde.load_incident`
reads a document (the same problems, with the same field paths, as
:class:`~breachrules.errors.InvalidIncident`), and gives back the incident to assess.

It costs nothing on the hot path: an incident ``load_incident`` made, or one checked
before, is remembered (by identity, for as long as it lives) and not checked again; only
an incident built or changed in Python (``Incident(...)``, ``attrs.evolve``) is checked,
once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from breachrules.io._seen import recall, remember
from breachrules.io.serde import load_incident
from breachrules.model.bindings import bind
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp

__all__ = ["checked_incident"]


def checked_incident(incident: Incident) -> Incident:
    """``incident`` checked as :func:`load_incident` checks a document: the incident to
    assess (``incident`` itself, or, where it holds a list for a tuple, the same incident
    with tuples), or :class:`~breachrules.errors.InvalidIncident` naming each problem by
    its field path. ``extensions`` are carried through unread, as in a document."""
    found = recall(incident)
    if found is not None:
        return found
    document = _as_document(incident)
    document["extensions"] = {}
    loaded = attrs.evolve(load_incident(document), extensions=incident.extensions)
    result = incident if loaded == incident else loaded
    remember(incident, result)
    return result


def _as_document(value: Any) -> Any:
    """``value`` as the document ``load_incident`` reads, each value as given (a string
    stays a string where a list is due, so it is reported as one, not read as a list of
    letters); a timestamp is written as text, as a document holds it."""
    if attrs.has(type(value)):
        return {f.name: _as_document(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, list | tuple):
        return [_as_document(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _as_document(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return format_timestamp(value)
    return value


bind("checked_incident", checked_incident)
