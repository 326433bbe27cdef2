"""mkdocs hooks: links from a guide to a file outside docs/ point at the repository.

The guides link to example incidents and folders beside the docs
(``../examples/incidents/per-law-findings.json``), which is right for a reader of the
repository and dead on the built site, which holds docs/ only. Before a page is rendered,
each such link is rewritten to the file's page in the repository (``repo_url`` in
mkdocs.yml, ``blob/main/...`` for a file, ``tree/main/...`` for a folder), so the
Markdown stays readable in the repository and every link on the site leads somewhere.
A link to a file that does not exist is left alone, and the strict build reports it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["on_page_markdown", "repository_url"]

LINK = re.compile(r"(\]\()([^)\s#]+)((?:#[^)\s]*)?\))")
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)


def repository_url(repo_url: str, root: Path, target: Path) -> str:
    """The repository page of ``target`` (a file or folder under ``root``)."""
    kind = "tree" if target.is_dir() else "blob"
    return f"{repo_url.rstrip('/')}/{kind}/main/{target.relative_to(root).as_posix()}"


def _rewrite(text: str, page_dir: Path, docs: Path, root: Path, repo_url: str) -> str:
    def replace(m: re.Match[str]) -> str:
        target = m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            return m.group(0)
        resolved = (page_dir / target).resolve()
        if resolved.is_relative_to(docs) or not resolved.exists():
            return m.group(0)
        if not resolved.is_relative_to(root):
            return m.group(0)
        return m.group(1) + repository_url(repo_url, root, resolved) + m.group(3)

    parts: list[str] = []
    last = 0
    for fence in FENCE.finditer(text):
        parts.append(LINK.sub(replace, text[last : fence.start()]))
        parts.append(fence.group(0))
        last = fence.end()
    parts.append(LINK.sub(replace, text[last:]))
    return "".join(parts)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """mkdocs' hook: rewrite links that leave docs/ (see the module docstring)."""
    docs = Path(config["docs_dir"]).resolve()
    root = Path(config["config_file_path"]).resolve().parent
    repo_url = config.get("repo_url")
    if not repo_url or page.file.abs_src_path is None:
        return markdown
    page_dir = Path(page.file.abs_src_path).resolve().parent
    return _rewrite(markdown, page_dir, docs, root, repo_url)
