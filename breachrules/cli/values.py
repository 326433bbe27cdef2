"""Plain values the commands print: a time left as words, results made JSON-ready."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from breachrules.model.timestamps import format_timestamp

__all__ = ["duration", "jsonable"]


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "no fixed date"
    sign, seconds = ("OVERDUE by " if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    text = f"{days}d {hours}h" if days else f"{hours}h {(rest % 3600) // 60}m"
    return sign + text + ("" if sign else " left")


def jsonable(value: Any) -> Any:
    """attrs.asdict output made JSON-ready: timestamps in ISO 8601 with offset."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_timestamp(value)
    if attrs.has(type(value)):
        return jsonable(attrs.asdict(value))
    return value
