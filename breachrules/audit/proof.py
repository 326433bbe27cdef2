"""Reading an audit log back (its events, and the form new events must keep) and proving
it: the chain, the key, the anchors, the checkpoints (see :mod:`breachrules.audit.log` for
what each protects against).

Verification is one job: each event is checked by every protection in turn, and the
first that fails is named, so this module holds all of them together.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from breachrules.audit.keys import KeyRing
from breachrules.engine.audit import GENESIS, event_hash, exposure_facts, verify_chain
from breachrules.errors import BreachrulesError
from breachrules.io.serde import load_incident

__all__ = [
    "LogEvent",
    "Verification",
    "anchor_path",
    "check_assessment",
    "checkpoint_message",
    "content_hash",
    "head_line",
    "log_form",
    "read_events",
    "repair",
    "rule_inputs",
    "verify",
    "written_form",
]

_CHECKPOINT_CONTEXT = "breachrules-checkpoint-v1"


@attrs.frozen
class LogEvent:
    """One line of the log, in the plain form (CloudEvents lines are read into it)."""

    seq: int
    type: str
    at: str
    data: dict[str, Any]
    prev_hash: str
    hash: str
    line: int
    mac: str | None = None
    key_id: str | None = None


@attrs.frozen
class Verification:
    """The result of :func:`verify`: intact, or the first broken event, why, and which
    protection caught it; ``notes`` say what each protection did (or could not do)."""

    ok: bool
    events: int
    last_hash: str
    broken_line: int | None = None
    reason: str | None = None
    #: ``chain``, ``key``, ``anchor`` or ``signature``: the protection that caught it.
    caught_by: str | None = None
    #: Events whose MAC was checked and matched; events that carry none.
    keyed: int = 0
    unkeyed: int = 0
    #: The last line was cut short by an interrupted write (reported, not tampering).
    torn_line: int | None = None
    notes: tuple[str, ...] = ()
    #: The event at which the break was caught. For a break the chain, a MAC or a
    #: signature catches, ``events`` + 1: the events before it are proven intact. An anchor
    #: holds one event's hash, which covers every event before it, so when it catches a
    #: break it proves that one of the events up to it was changed, not which: ``events``
    #: then counts only those a checked MAC proves (none in an unkeyed log).
    broken_event: int | None = None

    @property
    def macs_unchecked(self) -> int:
        """Events that carry a MAC nobody checked (a keyed log verified without its key):
        their chain holds, but anyone can recompute a chain, so they are not proven."""
        return max(0, self.events - self.keyed - self.unkeyed)


def read_event(body: Mapping[str, Any]) -> LogEvent | None:
    names = (
        ("sequence", "type", "time", "data", "prevhash", "hash", "mac", "keyid")
        if "specversion" in body
        else ("seq", "type", "at", "data", "prev_hash", "hash", "mac", "key_id")
    )
    try:
        seq, kind, at, data, prev, digest, mac, key_id = (body.get(n) for n in names)
        if None in (seq, kind, at, data, prev, digest):
            return None
        return LogEvent(
            seq=int(seq),  # type: ignore[arg-type]
            type=str(kind).removeprefix("org.breachrules."),
            at=str(at),
            data=dict(data),  # type: ignore[arg-type]
            prev_hash=str(prev),
            hash=str(digest),
            line=0,
            mac=None if mac is None else str(mac),
            key_id=None if key_id is None else str(key_id),
        )
    except (KeyError, TypeError, ValueError):
        return None


def content_hash(body: Mapping[str, Any]) -> str:
    """The event's hash: its canonical form without ``hash`` and ``mac`` (old logs had
    neither ``mac`` nor ``key_id``, so their hashes are unchanged)."""
    return event_hash({k: v for k, v in body.items() if k != "mac"})


def written_form(body: Mapping[str, Any]) -> bytes:
    """The exact bytes of an event's line as :class:`~breachrules.audit.log.AuditLog`
    writes it (every version has): compact JSON, keys sorted, UTF-8, no newline."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def read_events(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, ends with a newline) for every non-blank line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield number, raw, raw.endswith(b"\n")


def log_form(path: Path) -> tuple[bool, bool, str | None] | None:
    """The form of the log at ``path``, read from its events: whether they are CloudEvents
    (the last one is), whether it is keyed (any event carries a MAC) and the key id of its
    last MAC; None for a log with no event yet."""
    if not path.exists():
        return None
    last: dict[str, Any] | None = None
    keyed, key_id = False, None
    for _, raw, _ in read_events(path):
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue  # a torn line: verify names it
        if not isinstance(body, dict) or read_event(body) is None:
            continue
        last = body
        if body.get("mac") is not None:
            keyed = True
            key_id = str(body.get("keyid" if "specversion" in body else "key_id"))
    if last is None:
        return None
    return "specversion" in last, keyed, key_id


def anchor_path(path: str | Path) -> Path:
    """Where the head anchor of the log at ``path`` is kept: ``LOG.head`` beside it."""
    p = Path(path)
    return p.with_name(p.name + ".head")


def head_line(events: int, digest: str) -> str:
    """The anchor as one line of text, for publishing: ``breachrules-head v1 7 <hash>``."""
    return f"breachrules-head v1 {events} {digest}"


def _parse_head(text: str) -> tuple[int, str] | None:
    parts = text.split()
    if len(parts) == 4 and parts[:2] == ["breachrules-head", "v1"] and parts[2].isdigit():
        return int(parts[2]), parts[3]
    return None


def verify(
    path: str | Path,
    keys: KeyRing | None = None,
    *,
    anchor: str | None = None,
    public_keys: Sequence[str] = (),
) -> Verification:
    """Check the log at ``path`` with every protection available; name the first break.

    ``keys`` checks each event's MAC (and the anchor's); without them MACs are reported
    unchecked. ``anchor`` is a published head line (:func:`head_line`) to hold the log
    to, besides the anchor file kept beside it. ``public_keys`` (hex Ed25519 keys) are the
    signers whose checkpoints are trusted; a checkpoint by any other key fails.
    """
    path = Path(path)
    prev, count, keyed, unkeyed = GENESIS, 0, 0, 0
    hashes: list[str] = []
    macs: list[bool] = []  # whether each event carries a MAC
    notes: list[str] = []
    seen_mac = False
    torn: int | None = None
    checkpoints = 0

    def broken(line: int, reason: str, by: str) -> Verification:
        return Verification(
            False, count, prev, line, reason, by, keyed, unkeyed, torn, tuple(notes), count + 1
        )

    entries = list(read_events(path))
    for index, (number, raw, complete) in enumerate(entries):
        last = index == len(entries) - 1
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if last and not complete:
                torn = number
                notes.append(
                    f"line {number} is torn (a write was interrupted): it is not an event; "
                    "`breachrules audit repair` moves it aside"
                )
                break
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
            return broken(number, f"not JSON: {msg}", "chain")
        event = read_event(body) if isinstance(body, dict) else None
        if event is None:
            return broken(number, "not an audit event", "chain")
        if event.seq != count + 1:
            return broken(number, f"sequence {event.seq} where {count + 1} was due", "chain")
        if event.prev_hash != prev:
            return broken(number, "prev_hash does not match the event before it", "chain")
        if event.hash != content_hash(body):
            return broken(number, "content does not match its hash", "chain")
        if raw.removesuffix(b"\n") != written_form(body):
            # The hash is over the canonical form, which a space or a reordered key
            # leaves equal: the line must also be byte for byte the text it was written as.
            return broken(
                number,
                "not as written: its bytes differ from the text the event was written as "
                "(an edit that leaves the JSON equal, such as an inserted space)",
                "chain",
            )
        if event.mac is None:
            if seen_mac:
                return broken(
                    number,
                    "carries no MAC though the events before it do: MACs were stripped",
                    "key",
                )
            unkeyed += 1
        else:
            seen_mac = True
            if keys is not None:
                key = keys.find(event.key_id or "")
                if key is None:
                    return broken(
                        number,
                        f"its MAC is under key {event.key_id}, which is not in the key ring",
                        "key",
                    )
                if not hmac.compare_digest(KeyRing.mac(key, event.hash), event.mac):
                    return broken(
                        number,
                        "its MAC does not match: the event was changed and the chain "
                        "recomputed by someone without the key",
                        "key",
                    )
                keyed += 1
        if event.type == "checkpoint":
            problem = _check_checkpoint(event.data, hashes, public_keys)
            if problem is not None:
                return broken(number, problem, "signature")
            checkpoints += 1
        if event.type == "assessment":
            problem = check_assessment(event.data)
            if problem is not None:
                return broken(number, problem, "chain")
        prev, count = event.hash, count + 1
        hashes.append(event.hash)
        macs.append(event.mac is not None)
    if keys is not None and count and unkeyed == count:
        return broken(
            entries[-1][0],
            "a key was given but no event carries a MAC: the log was never keyed, or its "
            "MACs were stripped and its chain recomputed",
            "key",
        )
    for source, head in _anchors(path, keys if seen_mac else None, anchor):
        if isinstance(head, str):
            return broken(entries[-1][0] if entries else 0, head, "anchor")
        events, digest = head
        if events > count:
            return broken(
                entries[-1][0] if entries else 0,
                f"{source} names event {events}, but the log holds {count} complete "
                f"event(s): events were removed from its end",
                "anchor",
            )
        if events and hashes[events - 1] != digest:
            # The anchor holds the hash of event ``events``, which covers every event
            # before it: one of them was changed, and the anchor cannot say which. Only
            # a checked MAC proves an event, and with it those before it (its hash covers
            # theirs): those are what ``events`` and ``last_hash`` of this break give.
            count = _proven(macs[: events - 1]) if keys is not None else 0
            prev = hashes[count - 1] if count else GENESIS
            unkeyed = macs[:count].count(False)
            keyed = count - unkeyed if keys is not None else 0
            return Verification(
                False,
                count,
                prev,
                _line_of(entries, events),
                f"{source} names event {events} with another hash: an event up to "
                f"event {events} was rewritten",
                "anchor",
                keyed,
                unkeyed,
                torn,
                tuple(notes),
                events,
            )
        behind = count - events
        notes.append(
            f"{source}: matches event {events}"
            + (f" ({behind} later event(s) not yet anchored)" if behind else "")
        )
    if keys is None and seen_mac:
        notes.append("MACs not checked: no key given (set BREACHRULES_AUDIT_KEY_FILE)")
    if checkpoints:
        signer = "trusted key" if public_keys else "key each names (pass --public-key to trust)"
        notes.append(f"{checkpoints} signed checkpoint(s) valid under the {signer}")
    return Verification(True, count, prev, None, None, None, keyed, unkeyed, torn, tuple(notes))


def _proven(macs: Sequence[bool]) -> int:
    """How many events a checked MAC proves: up to the last that carries one (its hash
    covers every event before it, the unkeyed ones written before keying included)."""
    return max((n for n, mac in enumerate(macs, start=1) if mac), default=0)


def _line_of(entries: list[tuple[int, bytes, bool]], seq: int) -> int:
    return entries[seq - 1][0] if 0 < seq <= len(entries) else 0


def _anchors(
    path: Path, keys: KeyRing | None, published: str | None
) -> Iterator[tuple[str, tuple[int, str] | str]]:
    """Each anchor to check: the file beside the log, then a published head line.
    A string in place of ``(events, hash)`` says why the anchor itself is not sound."""
    file = anchor_path(path)
    if file.exists():
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
            events, digest = int(doc["events"]), str(doc["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            yield "the head anchor", f"{file.name} is not a head anchor"
            return
        if keys is not None:  # a keyed log's anchor must carry a MAC under the ring
            key = keys.find(str(doc.get("key_id")))
            body = f"{events} {digest}"
            mac = str(doc.get("mac"))
            if key is None or not hmac.compare_digest(KeyRing.mac(key, body), mac):
                yield "the head anchor", f"{file.name}: its MAC does not match (forged)"
                return
        yield f"the head anchor ({file.name})", (events, digest)
    if published is not None:
        head = _parse_head(published)
        if head is None:
            yield "the published head", "the published head is not a `breachrules-head v1` line"
            return
        yield "the published head", head


def _check_checkpoint(
    data: Mapping[str, Any], hashes: list[str], public_keys: Sequence[str]
) -> str | None:
    try:
        events, head = int(data["events"]), str(data["head"])
        public, signature = str(data["public_key"]), str(data["signature"])
    except (KeyError, TypeError, ValueError):
        return "a checkpoint without events, head, public_key and signature"
    if events != len(hashes) or (events and hashes[-1] != head):
        return f"the checkpoint names event {events} and a head the log does not have there"
    if public_keys and public.lower() not in {k.lower() for k in public_keys}:
        return f"the checkpoint is signed by key {public[:16]}..., which is not trusted"
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:  # pragma: no cover - without the optional extra
        return "a signed checkpoint cannot be checked: install breachrules[signing]"
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            bytes.fromhex(signature), checkpoint_message(events, head)
        )
    except (InvalidSignature, ValueError):
        return "the checkpoint's Ed25519 signature does not match"
    return None


def rule_inputs(audit: Sequence[Mapping[str, Any]], index: int) -> dict[str, Any]:
    """The facts the rule of ``audit[index]`` read, by contract path, with their values.

    A ``rule_values`` event names the exposures it was evaluated on and which of their
    fields it read; their values are in the assessment's one ``facts`` event, earlier in
    the same chain and named by its hash (``facts_event``), and the incident-wide facts
    are in the event itself. A ``determination`` event that lists the exposures its
    obligations' reasons read (``affected``) gives nothing here, but each of them must be
    recorded. (An old ``rule_evaluated`` event recorded only its value: it proves no
    inputs, and gives none here.) Raises ``ValueError`` when a reference cannot be resolved.
    """
    event = audit[index]
    detail = event.get("detail") or {}
    kind = event.get("event")
    if kind == "determination" and "affected" in detail:
        # The exposures whose facts the law's obligation reasons read (written when those
        # reasons name the fields instead of listing the values): they must be recorded.
        exposures = _facts_event(audit, index, detail)
        for i in detail["affected"]:
            if i != -1 and (not isinstance(i, int) or not 0 <= i < len(exposures)):
                raise ValueError(f"refers to exposure {i!r}, which its facts event lacks")
        return {}
    if kind != "rule_values":
        return {}
    exposures = _facts_event(audit, index, detail)
    out: dict[str, Any] = {}
    for group in (detail.get("values") or {}).values():
        for i in group:
            if i == -1:  # the incident itself: no exposure in the law's reach
                continue
            if not isinstance(i, int) or not 0 <= i < len(exposures):
                raise ValueError(f"refers to exposure {i!r}, which its facts event lacks")
            for name in detail.get("exposure_facts") or ():
                if name not in exposures[i]:
                    raise ValueError(f"refers to exposures[{i}].{name}, which is not recorded")
                out[f"exposures[{i}].{name}"] = exposures[i][name]
    out.update(detail.get("facts") or {})
    return out


def _facts_event(
    audit: Sequence[Mapping[str, Any]], index: int, detail: Mapping[str, Any]
) -> list[Any]:
    """The exposures of the ``facts`` event a rule event refers to: the one whose hash it
    names (``facts_event``), or in an assessment written before that reference, the last
    one before it in the chain."""
    found = [e for e in audit[:index] if e.get("event") == "facts"]
    named = detail.get("facts_event")
    if named is not None:
        found = [e for e in found if e.get("hash") == named]
    if not found:
        raise ValueError("refers to a facts event that is not before it in the chain")
    exposures = (found[-1].get("detail") or {}).get("exposures")
    if not isinstance(exposures, list):
        raise ValueError("its facts event holds no exposures")
    return exposures


def check_assessment(data: Mapping[str, Any]) -> str | None:
    """What is wrong with a logged assessment's own audit, or None: its hash chain must
    hold, every rule event's inputs must resolve (:func:`rule_inputs`), and its ``facts``
    event must record the logged incident's exposures as they are."""
    doc, incident = data.get("assessment"), data.get("incident")
    if not isinstance(doc, Mapping) or not isinstance(doc.get("audit"), list):
        return None  # not an assessment the engine wrote (nothing of its audit to prove)
    audit = doc["audit"]
    broken = verify_chain(audit)
    if broken is not None:
        return f"its assessment's audit chain breaks at event {broken + 1}"
    for index, event in enumerate(audit):
        try:
            rule_inputs(audit, index)
        except ValueError as exc:
            return f"its assessment's audit event {index + 1} {exc}"
        if (
            event.get("event") == "facts"
            and isinstance(incident, Mapping)
            and (event.get("detail") or {}).get("exposures") != _recorded(incident)
        ):
            return (
                f"its assessment's audit event {index + 1} records facts other than "
                "the logged incident's"
            )
    return None


def _recorded(incident: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The logged incident's exposures as a ``facts`` event records them."""
    try:
        loaded = load_incident(dict(incident))
    except BreachrulesError:  # an unreadable incident matches no facts event
        return None
    return exposure_facts(loaded.exposures)


def checkpoint_message(events: int, head: str) -> bytes:
    return f"{_CHECKPOINT_CONTEXT}\n{events}\n{head}".encode("ascii")


def repair(path: str | Path) -> int | None:
    """Move a torn last line (an interrupted write) to ``LOG.torn``; its line number, or
    None when the log ends cleanly. Nothing else is changed."""
    path = Path(path)
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return None
    cut = data.rfind(b"\n") + 1
    torn = data[cut:]
    with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
        json.loads(torn)
        return None  # a complete event that only lacks its newline is no torn line
    aside = path.with_name(path.name + ".torn")
    with aside.open("ab") as handle:
        handle.write(torn + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    with path.open("r+b") as handle:
        handle.truncate(cut)
        handle.flush()
        os.fsync(handle.fileno())
    return data[:cut].count(b"\n") + 1
