"""The example notebooks run: each is executed top to bottom and any error fails the test.

They are executed on a kernel running this very interpreter (a kernelspec written to a
temporary directory), so a Jupyter installation elsewhere on the machine cannot make them
run against another Python or another copy of breachrules. They are stored with outputs
cleared, which is checked too, so that the repository never carries stale results.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, incident_doc

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

NOTEBOOKS = ROOT / "examples" / "notebooks"
KERNEL = "breachrules-test"
BUDGET_SECONDS = 60


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JUPYTER_PATH with one kernelspec that runs ``sys.executable``."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"})
    )
    return root


def test_there_are_notebooks() -> None:
    assert len(sorted(NOTEBOOKS.glob("*.ipynb"))) >= 2


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {n} has outputs: clear them"
            assert cell.execution_count is None, f"{path.name} cell {n} has an execution count"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_runs(path: Path, kernel_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=BUDGET_SECONDS,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.monotonic()
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.1f}s"
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "error"
    ]
    assert not errors, errors


# The views themselves, quickly, in this process.


def test_html_views_escape_what_they_are_given(engine: Any) -> None:
    from breachrules import load_incident
    from breachrules.views.notebook import assessment_html, incident_html, plan_html

    doc = incident_doc(title="<script>alert('x')</script>")
    doc["parties"][0]["name"] = "A & B <Corp>"
    incident = load_incident(doc)
    assessment = engine.assess(incident)
    pages = [incident_html(incident), assessment_html(assessment), plan_html(assessment.plan())]
    assert "<script>alert" not in pages[0]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in pages[0]
    assert "A &amp; B &lt;Corp&gt;" in pages[0]
    assert "Cal. Civ. Code § 1798.82(f)" in pages[1]  # obligations keep their citations
    assert "US-CA:notify-attorney-general" in pages[1]
    assert "Letter to affected individuals" in pages[2]


def test_to_dataframe_has_one_row_per_obligation_by_due_date(engine: Any) -> None:
    from breachrules import load_incident
    from breachrules.views.notebook import to_dataframe

    assessment = engine.assess(load_incident(incident_doc()))
    df = to_dataframe(assessment)
    assert sorted(df["id"]) == sorted(o.id for o in assessment.obligations)
    dated = df["due"].dropna()
    assert list(dated) == sorted(dated)
    assert str(df["due"].dt.tz) == "UTC"


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from breachrules.views.notebook import to_dataframe

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'breachrules\[notebook\]'"):
        to_dataframe(None)


def test_local_sweep_and_threshold_map(engine: Any) -> None:
    from breachrules.views.notebook import local_sweep, threshold_map

    counts = [499, 500, 501]
    points = local_sweep(
        engine,
        incident_doc(),
        {"exposures[0].residents.US-CA": counts, "good_faith_insider": [False, True]},
        jurisdictions=["US-CA"],
    )
    assert [p.values for p in points] == [(n, g) for n in counts for g in (False, True)]
    ag = [p.obligations.get("US-CA:notify-attorney-general") for p in points if not p.values[1]]
    assert ag == ["not_required", "not_required", "required"]
    one = threshold_map(points, 0, labels=["residents", "insider"])
    two = threshold_map(points, 0, 1, obligations=["US-CA:notify-attorney-general"])
    assert one._repr_png_().startswith(b"\x89PNG")
    assert [ax.get_title() for ax in two.axes] == ["US-CA:notify-attorney-general"]
    with pytest.raises(ValueError, match="not a position"):
        threshold_map(points, 2)
