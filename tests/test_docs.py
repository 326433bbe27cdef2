"""The worked examples in the docs are real: each console block is run and compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from breachrules.cli import main

from .conftest import ROOT

PAGES = [
    "before-you-notify.md",
    "audit-and-evidence.md",
    "liability-and-contracts.md",
    "facts.md",
    "testing-your-policies.md",
    "notices.md",
    "register-and-impact.md",
    "exports.md",
]
BLOCK = re.compile(r"```console\n\$ (?P<cmd>[^\n]*)\n(?P<out>.*?)```", re.S)


def run_page(
    text: str, cwd: Path, capsys: pytest.CaptureFixture[str]
) -> list[tuple[str, str, str]]:
    """(command, documented output, actual output) for each console block, in order."""
    results = []
    for m in BLOCK.finditer(text):
        cmd = m["cmd"]
        quiet = cmd.endswith("> /dev/null")
        argv = shlex.split(cmd.removesuffix("> /dev/null"))
        assert argv[0] == "breachrules"
        argv = [a if not a.startswith("examples/") else str(ROOT / a) for a in argv[1:]]
        argv = [a if a not in ("audit.jsonl", "drafts") else str(cwd / a) for a in argv]
        capsys.readouterr()
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"{cmd} exited {code}: {err}"
        results.append((cmd, m["out"], "" if quiet else out))
    return results


@pytest.mark.parametrize("page", PAGES)
def test_worked_examples_match(
    page: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every documented command prints exactly what the page shows."""
    text = (ROOT / "docs" / page).read_text()
    results = run_page(text, tmp_path, capsys)
    assert results, "no console blocks found"
    for cmd, documented, actual in results:
        assert actual.replace(str(tmp_path) + "/", "") == documented, (
            f"output of: {cmd} (regenerate with: python -m tests.test_docs)"
        )


def regenerate() -> None:
    """Rewrite the console blocks with current output: ``python -m tests.test_docs``."""
    import contextlib
    import io
    import tempfile

    for page in PAGES:
        path = ROOT / "docs" / page
        cwd = Path(tempfile.mkdtemp())

        def fill(m: re.Match[str], cwd: Path = cwd) -> str:
            cmd = m["cmd"]
            quiet = cmd.endswith("> /dev/null")
            argv = shlex.split(cmd.removesuffix("> /dev/null"))[1:]
            argv = [a if not a.startswith("examples/") else str(ROOT / a) for a in argv]
            argv = [a if a not in ("audit.jsonl", "drafts") else str(cwd / a) for a in argv]
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                main(argv)
            out = "" if quiet else buffer.getvalue().replace(str(cwd) + "/", "")
            return f"```console\n$ {cmd}\n{out}```"

        path.write_text(BLOCK.sub(fill, path.read_text()))


if __name__ == "__main__":
    regenerate()
