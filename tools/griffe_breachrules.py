"""A griffe extension that makes the API reference read the docstrings as they are written.

The package's docstrings follow Sphinx conventions, because that is what ``help()`` and
most editors show: fields are documented by ``#:`` comments above them, and names are
cross-referenced with roles (``:func:`load_incident```). mkdocstrings renders neither:
a field without a docstring is left out of its class, and a role prints as raw text.
Rather than rewriting a hundred docstrings into a syntax only the site understands, this
extension translates at build time (``mkdocs.yml``, ``extensions:``):

- every annotated class attribute of an attrs class (its fields) gets the ``#:`` comment
  above it as its docstring, so each public class lists its fields with their types;
- every role becomes a cross-reference to the object it names when that object is
  rendered on the site, and plain code otherwise (an ``optional`` autoref: never a dead
  link, never a build warning).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["SphinxSource"]

ROLE = re.compile(r":(?:py:)?(func|class|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")


def _hash_colon_comment(attr: griffe.Attribute) -> str | None:
    """The ``#:`` comment lines directly above ``attr``, as one paragraph."""
    if attr.lineno is None or attr.filepath is None or isinstance(attr.filepath, list):
        return None
    try:
        lines = attr.lines_collection[attr.filepath]
    except KeyError:
        return None
    found: list[str] = []
    n = attr.lineno - 2
    while n >= 0 and lines[n].strip().startswith("#:"):
        found.insert(0, lines[n].strip()[2:].strip())
        n -= 1
    return " ".join(found) or None


def _resolve(obj: griffe.Object, target: str) -> str | None:
    """The canonical path of the object a role names, looked up the way Sphinx would:
    as written, then in the object's module and class, then from the package."""
    collection = obj.modules_collection
    module = obj.module
    candidates = [target]
    if obj.is_class or obj.is_module:
        candidates.append(f"{obj.path}.{target}")
    parent = obj.parent
    if parent is not None and parent.is_class:
        candidates.append(f"{parent.path}.{target}")
    candidates += [f"{module.path}.{target}", f"{module.package.path}.{target}"]
    for path in candidates:
        try:
            found = collection.get_member(path)
            return str(found.final_target.path if found.is_alias else found.path)
        except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError):
            continue
    return None


def _crossrefs(obj: griffe.Object, text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        short, target = m.group(2), m.group(3)
        title = target.rsplit(".", 1)[-1] if short else target
        path = _resolve(obj, target)
        if path is None:
            return f"`{title}`"
        return f'<autoref identifier="{path}" optional><code>{title}</code></autoref>'

    return ROLE.sub(replace, text)


def _walk(obj: griffe.Object, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    if obj.docstring is not None and ROLE.search(obj.docstring.value):
        obj.docstring.value = _crossrefs(obj, obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias:
            _walk(member, seen)  # type: ignore[arg-type]


class SphinxSource(griffe.Extension):
    """Fields from ``#:`` comments; roles as cross-references (see the module docstring)."""

    def on_attribute_instance(
        self, *, attr: griffe.Attribute, agent: griffe.Visitor | griffe.Inspector, **_: Any
    ) -> None:
        if attr.docstring is not None or not isinstance(attr.parent, griffe.Class):
            return
        text = _hash_colon_comment(attr)
        if text is not None:
            attr.docstring = griffe.Docstring(
                text,
                lineno=attr.lineno,
                parent=attr,
                parser=agent.docstring_parser,
                parser_options=agent.docstring_options,
            )

    def on_package(self, *, pkg: griffe.Module, **_: Any) -> None:
        _walk(pkg, set())
