"""The documentation site builds with ``mkdocs build --strict``, and its links hold.

The build renders every page and the API reference (mkdocstrings reads the docstrings),
so a broken cross-reference, a page missing from the navigation or a docstring that no
longer renders fails here rather than on the published site. mkdocs.yml reports links to
files outside docs/ (``../examples/...``) at INFO instead of failing on them, so this test
checks every relative link itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings")
pytest.importorskip("mkdocstrings_handlers.python")

DOCS = ROOT / "docs"
BUDGET_SECONDS = 60
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def test_site_builds_strict(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUDGET_SECONDS,
        check=False,
    )
    elapsed = time.monotonic() - started
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not warnings, "\n".join(warnings)
    assert elapsed < BUDGET_SECONDS, f"mkdocs build took {elapsed:.1f}s"
    reference = (tmp_path / "site" / "reference" / "index.html").read_text(encoding="utf-8")
    for name in ("breachrules.Engine.assess", "breachrules.views.notebook.threshold_map"):
        assert f'id="{name}"' in reference, f"{name} is missing from the API reference"


def _nav_pages(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _nav_pages(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _nav_pages(value)


def test_every_page_is_in_the_navigation() -> None:
    # mkdocs.yml names a Python function (the Mermaid fence formatter): read it with a
    # loader that keeps such tags as plain text instead of importing anything.
    loader = type("_Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    listed = set(_nav_pages(config["nav"]))
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages - listed == set(), "add these pages to the nav in mkdocs.yml"
    assert listed - pages == set(), "the nav in mkdocs.yml names pages that do not exist"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    """Links between pages resolve inside docs/; links outside docs/ name a real file."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            continue
        path = target.split("#", 1)[0]
        if path and not (page.parent / path).resolve().exists():
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


def test_contract_page_keeps_every_name_of_the_original() -> None:
    """docs/contract.md grows only additively: every heading and every backticked name of
    the original contract is still in the living copy (renaming or removing one needs
    schema version 2)."""
    source = ROOT.parent / "shared" / "spec" / "CONTRACT.md"
    if not source.exists():
        pytest.skip(f"{source} is not available here")
    original = source.read_text(encoding="utf-8")
    living = (DOCS / "contract.md").read_text(encoding="utf-8")
    headings = [line for line in original.splitlines() if line.startswith("#")]
    assert [h for h in headings if h not in living.splitlines()] == []
    names = set(re.findall(r"`([^`\n]+)`", original))
    assert sorted(n for n in names if f"`{n}`" not in living) == []
