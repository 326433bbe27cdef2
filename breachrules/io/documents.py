"""Text into a document: the one way bytes and strings become JSON values.

Files, standard input, strings and the adapters all come through :func:`parse_document`,
so a byte-order mark, bytes that are not UTF-8, a repeated key, hostile depth or size
and numbers beyond a float are treated the same wherever a document enters.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from breachrules.errors import InvalidIncident, Problem

__all__ = [
    "LIMITS",
    "join_path",
    "moments_as_text",
    "parse_document",
    "read_source",
    "shape_problems",
]

#: What an incident document may hold (docs/security.md). Past these a document is
#: refused with the limit named: nothing real comes near them, and each keeps a hostile
#: or broken input from exhausting memory, the stack, or the calendar.
LIMITS: dict[str, int] = {
    "bytes": 16 * 1024 * 1024,  # a document's size in UTF-8
    "depth": 32,  # objects and lists nested in one another
    "count": 10_000_000_000,  # affected people in one place (more than live on Earth)
    "hours": 87_600,  # a contract's notice window: ten years
    "days": 3_660,
}


def join_path(path: str, step: str | int | None) -> str:
    if step is None:
        return path
    if isinstance(step, int):
        return f"{path}[{step}]"
    if step == "" or not re.fullmatch(r"[A-Za-z0-9_\-]+", step):
        return f"{path}[{json.dumps(step)}]"  # an odd key keeps a visible, exact path
    return f"{path}.{step}" if path else step


class _Duplicated(dict[str, Any]):
    """An object in which some key appeared more than once (``twice`` says which)."""

    twice: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    twice: list[str] = []
    for key, value in pairs:
        if key in out and key not in twice:
            twice.append(key)
        out[key] = value
    if not twice:
        return out
    marked = _Duplicated(out)
    marked.twice = twice
    return marked


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _document_problem(reason: str) -> InvalidIncident:
    return InvalidIncident([Problem("(document)", reason)])


def parse_document(data: bytes | str) -> object:
    """Parse an incident document's bytes or text into plain JSON values, or refuse it.

    The one way text becomes a document (files, standard input, strings, the adapters):
    a UTF-8 byte-order mark is accepted; bytes that are not UTF-8, a document larger or
    more deeply nested than :data:`LIMITS`, ``NaN``/``Infinity`` and numbers beyond a
    float, and an object that names the same key twice are refused with
    :class:`InvalidIncident` (a repeated key would otherwise silently keep its last value).
    """
    if isinstance(data, bytes | bytearray):
        if len(data) > LIMITS["bytes"]:
            raise _document_problem(_too_big(len(data)))
        raw = bytes(data)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _document_problem("UTF-16 text; save the document as UTF-8")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start]
            raise _document_problem(
                f"not UTF-8 text: byte 0x{byte:02x} at offset {exc.start} "
                "(save the document as UTF-8)"
            ) from None
    else:
        text = data.removeprefix("\ufeff")
        if (
            len(text) > LIMITS["bytes"] // 4
            and len(text.encode("utf-8", "replace")) > LIMITS["bytes"]
        ):
            raise _document_problem(_too_big(len(text.encode("utf-8", "replace"))))
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_no_constant, parse_float=_finite
        )
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise _document_problem(reason) from None
    except RecursionError:
        raise _document_problem(_too_deep()) from None
    except ValueError as exc:  # NaN, 1e999, an integer of thousands of digits
        raise _document_problem(f"not valid JSON: {exc}") from None
    problems = list(shape_problems(value, check_kinds=False))
    if problems:
        raise InvalidIncident(problems)
    return value


def _too_big(size: int) -> str:
    return f"the document is {size:,} bytes; the limit is {LIMITS['bytes']:,}"


def _too_deep() -> str:
    return f"nested more than {LIMITS['depth']} levels deep (the limit)"


def shape_problems(value: object, check_kinds: bool) -> Iterator[Problem]:
    """Depth, repeated keys and (for documents built in Python) values JSON cannot hold.

    Iterative, so that a hostile depth cannot exhaust the stack before it is measured.
    """
    stack: list[tuple[object, str, int]] = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, Mapping | list | tuple) and depth > LIMITS["depth"]:
            yield Problem(path or "(document)", _too_deep())
            return
        if isinstance(node, _Duplicated):
            for key in node.twice:
                yield Problem(
                    join_path(path, key),
                    f"the key {key!r} appears more than once in one object; "
                    "which value was meant cannot be known",
                )
        if isinstance(node, Mapping):
            for key, inner in node.items():
                if check_kinds and not isinstance(key, str):
                    yield Problem(path or "(document)", f"a key must be a string, got {key!r}")
                    continue
                stack.append((inner, join_path(path, str(key)), depth + 1))
        elif isinstance(node, list | tuple):
            stack.extend((inner, join_path(path, i), depth + 1) for i, inner in enumerate(node))
        elif check_kinds and isinstance(node, datetime):
            if node.tzinfo is None or node.utcoffset() is None:  # an aware one is a moment
                yield Problem(path or "(document)", _naive(node))
        elif check_kinds and not (
            node is None
            or type(node) in (str, bool, int)
            or (type(node) is float and math.isfinite(node))
        ):
            what = "a number JSON can hold" if isinstance(node, float) else "a JSON value"
            yield Problem(path or "(document)", f"{node!r} is not {what}")


def _naive(moment: datetime) -> str:
    full = moment.replace(microsecond=0).isoformat()
    return (
        f"{moment!r} has no UTC offset; give a timezone-aware datetime "
        f"(tzinfo=timezone.utc or a ZoneInfo) or an ISO 8601 string such as '{full}Z' "
        "(a naive timestamp is never read as local time)"
    )


def moments_as_text(value: object) -> object:
    """``value`` with every timezone-aware ``datetime`` written as its ISO 8601 text, the
    form a document holds: a mapping built in Python may give a timestamp either way.
    Called once :func:`shape_problems` has passed it (its depth is bounded); ``value``
    itself is returned when it holds no ``datetime``, and is never changed."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = {key: moments_as_text(inner) for key, inner in value.items()}
        same = all(items[key] is inner for key, inner in value.items())
        return value if same else items
    if isinstance(value, list | tuple):
        inners = [moments_as_text(inner) for inner in value]
        return value if all(a is b for a, b in zip(inners, value, strict=True)) else inners
    return value


def read_source(source: str | bytes | Path) -> object:
    if isinstance(source, bytes | bytearray):
        return parse_document(source)
    if isinstance(source, Path):
        return parse_document(_read_file(source))
    stripped = source.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")) or not stripped:
        return parse_document(source)
    return parse_document(_read_file(Path(source)))


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > LIMITS["bytes"]:
            raise _document_problem(f"{path}: {_too_big(size)}")
        return path.read_bytes()
    except OSError as exc:
        raise _document_problem(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL in the name
        raise _document_problem(f"neither JSON nor a readable file name ({exc})") from None
