"""Safe YAML that remembers the line of every mapping and list, for ``file:line`` problems.

PyYAML's safe loader with two changes: each mapping and list keeps the line it started
on, and dates stay strings (the loader checks them itself, with a clear message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml

__all__ = ["LineLoader", "field_path", "line_of", "located", "located_list"]


class _LocatedDict(dict[str, Any]):
    line: int = 0
    lines: dict[str, int]


class _LocatedList(list[Any]):
    line: int = 0
    lines: list[int]


class LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers lines and leaves dates as strings (we parse them)."""


LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> _LocatedDict:
    result = _LocatedDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=True)
        if str(key) in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> _LocatedList:
    result = _LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def located(items: dict[str, Any], line: int, lines: dict[str, int]) -> dict[str, Any]:
    """A mapping the loader builds itself (a version expanded from dated value series)
    that keeps the lines of what it was built from, so its problems have ``file:line``."""
    result = _LocatedDict(items)
    result.line = line
    result.lines = dict(lines)
    return result


def located_list(items: list[Any], line: int, lines: list[int]) -> list[Any]:
    """:func:`located` for a list."""
    result = _LocatedList(items)
    result.line = line
    result.lines = list(lines)
    return result


def line_of(doc: object, path: Sequence[str | int]) -> int | None:
    """The line of the deepest node along ``path`` that we know a line for."""
    line = getattr(doc, "line", None)
    node: Any = doc
    for step in path:
        if isinstance(node, _LocatedDict) and step in node:
            line = node.lines.get(str(step), line)
            node = node[str(step)]
        elif isinstance(node, _LocatedList) and isinstance(step, int) and step < len(node):
            line = node.lines[step]
            node = node[step]
        else:
            break
        line = (
            getattr(node, "line", line) if isinstance(node, _LocatedDict | _LocatedList) else line
        )
    return line


def field_path(path: Iterable[str | int]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
