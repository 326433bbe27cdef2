"""How the contract writes a moment: ISO 8601 with a UTC offset, never naive.

Every layer reads and writes timestamps (the incident's facts, due dates, audit events,
plans), so the two functions live at the bottom, beside the facts they describe.
"""

from __future__ import annotations

from datetime import datetime

__all__ = ["format_timestamp", "kind_of", "parse_timestamp"]


def kind_of(value: object) -> str:
    """A value's JSON kind in a user's words ("a string", "a number", ...), for messages."""
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse_timestamp(value: object) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset; reject anything else."""
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 timestamp string, got {kind_of(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(
            f"{value!r} has no UTC offset; write it as e.g. {value}Z or {value}-05:00 "
            "(a naive timestamp is never read as local time)"
        )
    return parsed


def format_timestamp(value: datetime) -> str:
    """ISO 8601 with the offset kept, ``Z``-free and second precision when possible."""
    return value.isoformat()
