"""Safe YAML that remembers the line of every mapping and list, for ``file:line`` problems.

PyYAML's safe loader with two changes: each mapping and list keeps the line it started
on, and dates stay strings (the loader checks them itself, with a clear message).

:func:`load_yaml` reads with libyaml's C parser (``yaml.CSafeLoader``) where PyYAML was
built with it: the pure-Python parser spent some 1.4 s on the bundled rulesets, libyaml
about a sixth of that. The C parser gives every node its line too, so the documents (lines
included) are the same; only its wording of a syntax error differs, so a document it
rejects is read again by the pure-Python parser, whose message and line are the ones
reported. ``yaml`` itself is imported only when a file is actually parsed (a cached
ruleset is never parsed; see :mod:`breachrules.law.cache`).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from breachrules.errors import Problem, RulesetError
from breachrules.model.timestamps import date_problem

if TYPE_CHECKING:
    import yaml

# LineLoader is made by the module's __getattr__ on first use.
__all__ = [  # noqa: F822
    "LineLoader",
    "field_path",
    "line_of",
    "load_yaml",
    "located",
    "located_list",
    "parse_located",
    "plain",
]


class _LocatedDict(dict[str, Any]):
    line: int = 0
    lines: dict[str, int]


class _LocatedList(list[Any]):
    line: int = 0
    lines: list[int]


_LOADERS: tuple[type[Any], type[Any]] | None = None


def _loaders() -> tuple[type[Any], type[Any]]:
    """(the pure-Python loader, the fastest loader available), built on first use."""
    global _LOADERS
    if _LOADERS is not None:
        return _LOADERS
    import yaml

    resolvers = {
        first: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(loader: Any, node: yaml.MappingNode) -> _LocatedDict:
        result = _LocatedDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "a key must be a plain word, not a list or mapping",
                    key_node.start_mark,
                )
            key = loader.construct_object(key_node, deep=True)
            if str(key) in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[str(key)] = loader.construct_object(value_node, deep=True)
            result.lines[str(key)] = key_node.start_mark.line + 1
        return result

    def construct_sequence(loader: Any, node: yaml.SequenceNode) -> _LocatedList:
        result = _LocatedList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result

    def guarded(tag: str | None, construct: Any) -> Any:
        """``construct``, its errors said as YAML errors with the line: an explicit
        ``!!timestamp 2025-02-30`` or an integer of 5,000 digits raised a bare ValueError,
        which no caller took for a problem of the file."""

        def build(loader: Any, node: yaml.Node) -> Any:
            try:
                return construct(loader, node)
            except (ValueError, TypeError, OverflowError) as exc:
                value = str(node.value) if isinstance(node, yaml.ScalarNode) else node.tag
                text = value if len(value) <= 40 else f"{value[:40]}..."
                short = str(tag).replace("tag:yaml.org,2002:", "!!")
                why = date_problem(value[:10]) if short == "!!timestamp" else None
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read {text!r} as {short}: {why or exc}", node.start_mark
                ) from None

        return build

    made: list[type[Any]] = []
    bases = [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)]
    for base in bases:
        loader: Any = type("LineLoader", (base,), {"__doc__": _LINE_LOADER_DOC})
        for tag, construct in dict(base.yaml_constructors).items():
            if not inspect.isgeneratorfunction(construct):  # lists and maps fill in later
                loader.add_constructor(tag, guarded(tag, construct))
        loader.yaml_implicit_resolvers = resolvers
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
        made.append(loader)
    _LOADERS = (made[0], made[1])
    return _LOADERS


_LINE_LOADER_DOC = "Safe YAML that remembers lines and leaves dates as strings (we parse them)."


def __getattr__(name: str) -> Any:
    """``LineLoader``, the pure-Python loader, is made when first asked for (it needs
    ``yaml``, which a process that reads only cached rulesets never imports)."""
    if name == "LineLoader":
        return _loaders()[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_yaml(text: str) -> Any:
    """Parse ``text`` as safe YAML with lines (libyaml where present).

    A document libyaml rejects is parsed again in pure Python, so that the error raised
    (``yaml.YAMLError``, with its line) is worded the same with or without libyaml.
    """
    import yaml

    pure, fast = _loaders()
    if fast is not pure:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=pure)


def parse_located(name: str, data: bytes) -> Any:
    """The YAML document in the bytes of file ``name``, with lines; RulesetError with the
    file (and line) when it is not UTF-8 or not YAML: rulesets, scenario files and the
    regulator directory are read through here, so none can fail without saying where."""
    import yaml

    try:
        return load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text (byte {exc.start}: {exc.reason})"
        raise RulesetError([Problem("", reason, name)]) from None
    except RecursionError:
        raise RulesetError([Problem("", "nested too deeply", name)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        raise RulesetError([Problem("", reason, name, line)]) from None


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


def plain(value: Any) -> Any:
    """A deep copy of located YAML (the dict and list subclasses with lines) as plain dicts
    and lists, e.g. to dump it again or to compare it with parsed JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def line_of(doc: object, path: Sequence[str | int]) -> int | None:
    """The line of the deepest node along ``path`` that we know a line for.

    For a key, the line of the key itself: a key whose value is a block mapping or list
    (``longest:`` with its fields on the lines below) is on its own line, and the value's
    node starts one or more lines further down, at its first field or item (past any blank
    lines and comments), which is not what the author wrote wrong.
    """
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
    return line


def field_path(path: Iterable[str | int]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out
