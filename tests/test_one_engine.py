"""A command builds its engine once.

After the unverified-points footnote was added, ``breachrules assess`` built a second
``Engine`` to count them, which read every ruleset's outline again and loaded from the
cache the 21 rulesets the assessment had decided from their outlines: about a tenth of
the command's time, found by the bench.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules.cli.main import main
from breachrules.engine import Engine

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "examples" / "incidents" / "multistate-ransomware.json"
)


@pytest.mark.parametrize("command", [["assess"], ["explain", "--as-of", "discovery"]])
def test_a_command_builds_one_engine(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    built: list[Engine] = []
    original = Engine.__init__

    def counting(self: Engine, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "__init__", counting)
    argv = [command[0], str(EXAMPLE)]
    if command[0] == "explain":
        argv += ["US-CA", *command[1:]]
    assert main(argv) == 0
    capsys.readouterr()
    assert len(built) == 1
