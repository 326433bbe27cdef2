"""The documentation site builds with ``mkdocs build --strict``, and its links hold.

The build renders every page and the API reference (mkdocstrings reads the docstrings),
so a broken cross-reference, a page missing from the navigation or a docstring that no
longer renders fails here rather than on the published site. The tests then read the
site the build wrote: every relative link on every page leads to a file and anchor of the
site, the API reference lists each public class's fields, and no Sphinx role is left as
raw text. The Markdown sources (docs/, the READMEs) are checked too, for readers of the
repository.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
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


def _build(site: Path) -> tuple[subprocess.CompletedProcess[str], float]:
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
            str(site),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUDGET_SECONDS,
        check=False,
    )
    return done, time.monotonic() - started


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for this module's tests (a failed build fails each of them)."""
    path = tmp_path_factory.mktemp("site") / "site"
    done, elapsed = _build(path)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not warnings, "\n".join(warnings)
    assert elapsed < BUDGET_SECONDS, f"mkdocs build took {elapsed:.1f}s"
    return path


def test_site_builds_strict(site: Path) -> None:
    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    for name in ("breachrules.Engine.assess", "breachrules.views.notebook.threshold_map"):
        assert f'id="{name}"' in reference, f"{name} is missing from the API reference"


def test_reference_lists_every_field_of_every_public_class(site: Path) -> None:
    """Each attrs class the package exports lists its fields, each with its type, and a
    field documented by a ``#:`` comment shows that text."""
    import html

    import attrs

    import breachrules

    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    missing = []
    for name in breachrules.__all__:
        cls = getattr(breachrules, name)
        if not (isinstance(cls, type) and attrs.has(cls)):
            continue
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            if f'id="breachrules.{name}.{field.name}"' not in reference:
                missing.append(f"{name}.{field.name}")
    assert missing == []
    text = html.unescape(re.sub(r"<[^>]+>", "", reference))
    # the type of a field and its #: comment
    assert "told_at: datetime | None = None" in text
    assert "when this party was told of the incident" in text


def test_no_raw_sphinx_roles_on_the_site(site: Path) -> None:
    """Cross-references render as links (or as code when their target is not on the
    site), never as ``:func:`...``` text."""
    import html

    # Markdown has already turned the backticks into <code>: look for the role's name.
    role = re.compile(r":(?:func|class|meth|attr|mod|data|exc|obj|const):(?=[`~\w])")
    raw = {}
    for page in site.rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        if found := role.findall(text):
            raw[str(page.relative_to(site))] = len(found)
    assert raw == {}
    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    # breachrules.model.facts: ":func:`breachrules.load_incident`" became a link
    assert 'href="#breachrules.load_incident"' in reference


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "id" and value:
                self.ids.add(value)
            if key in ("href", "src") and value and tag in ("a", "link", "img", "script"):
                self.links.append(value)


def test_no_dead_links_on_the_built_site(site: Path) -> None:
    """Every relative link on every page the build wrote leads to a file of the site, and
    to an element with that id when it names an anchor (links to the repository and other
    sites are absolute and not fetched: no network in the tests)."""
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    dead = []
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 10
    for page in pages:
        for link in parse(page).links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("//"):
                continue
            path, _, anchor = link.partition("#")
            path = path.split("?", 1)[0]
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(f"{page.relative_to(site)}: {link}")
                continue
            if anchor and target.suffix == ".html" and anchor not in parse(target).ids:
                dead.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert dead == []


def test_links_leaving_docs_point_at_the_repository(site: Path) -> None:
    """A guide's link to an example file outside docs/ leads to the file's page in the
    repository on the site (tools/mkdocs_hooks.py)."""
    facts = (site / "facts" / "index.html").read_text(encoding="utf-8")
    assert (
        'href="https://github.com/breachrules/breachrules/blob/main/'
        'examples/incidents/per-law-findings.json"'
    ) in facts
    policies = (site / "testing-your-policies" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/breachrules/breachrules/tree/main/examples/policies"' in (
        policies
    )


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


def _anchors(markdown: Path) -> set[str]:
    """The anchors of a Markdown file's headings, as mkdocs and GitHub make them."""
    text = FENCE.sub("", markdown.read_text(encoding="utf-8"))
    found = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", text, re.M):
        words = re.sub(r"[^\w\s-]", "", heading.replace("`", "")).strip().lower()
        found.add(re.sub(r"[\s]+", "-", words))
    return found


MARKDOWN = [
    *sorted(DOCS.glob("*.md")),
    ROOT / "README.md",
    ROOT / "examples" / "integrations" / "README.md",
]


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    """Every relative link in the docs and READMEs names a file that exists, and a heading
    of it when it names an anchor (the site's own links are checked on the built site)."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.name}: broken links {broken}"


def test_readme_names_the_contract_file_that_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\(([^()\s]*contract\.md)\)", readme, re.I))
    assert named == {"docs/contract.md"}
    assert (ROOT / "docs" / "contract.md").is_file()


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
