"""The incidents already checked as documents are, remembered by identity.

:func:`~breachrules.io.serde.load_incident` tells it of each incident it returns and
:func:`~breachrules.io.checked.checked_incident` of each it checks, so that
``Engine.assess`` checks an incident built in Python once, and one loaded from a document
never (see :mod:`breachrules.io.checked`). An entry goes when its incident does.
"""

from __future__ import annotations

import threading
import weakref

from breachrules.model.facts import Incident

__all__ = ["recall", "remember"]

#: id(incident) -> (a weak reference to it, the incident to assess in its place, or None
#: for the incident itself: a strong reference to it here would keep every incident ever
#: loaded alive for as long as the process runs).
_SEEN: dict[int, tuple[weakref.ref[Incident], Incident | None]] = {}
_LOCK = threading.Lock()


def recall(incident: Incident) -> Incident | None:
    """The incident to assess for ``incident`` if it was checked, else None."""
    found = _SEEN.get(id(incident))
    if found is not None and found[0]() is incident:
        return incident if found[1] is None else found[1]
    return None


def remember(incident: Incident, result: Incident) -> None:
    """``incident`` is checked, and ``result`` is what to assess in its place."""
    key = id(incident)
    seen, lock = _SEEN, _LOCK  # held here: at exit the module's names may be gone first

    def gone(_: object) -> None:
        with lock:
            entry = seen.get(key)
            if entry is not None and entry[0]() is None:
                del seen[key]

    with _LOCK:
        _SEEN[key] = (weakref.ref(incident, gone), None if result is incident else result)
