"""Two rulesets with one code: a user's own ruleset replaces the bundled one.

Counsel amend a law by copying its bundled file, editing the copy and loading it beside
the bundled rulesets (``--rulesets my/rules``, ``breachrules test my/wa``,
``Engine(["my/rules"])``). The copy's code is the bundled one's, so it replaces it: the
assessments, the tests and ``impact`` read the copy, and a warning names both files
(:class:`RulesetOverride`, issued once per pair: a folder copied whole is one warning
naming the folder). Two of the user's own files with one code, or two bundled ones, are
still an error: nothing says which of them is meant.

Both :func:`breachrules.law.loader.load_rulesets` and
:class:`breachrules.law.library.Library` decide through :class:`Codes`, so every command
that loads rulesets (``assess``, ``test``, ``validate``, ``impact``) decides alike.
"""

from __future__ import annotations

import warnings
from pathlib import Path

__all__ = ["Codes", "RulesetOverride", "bundled_paths", "is_bundled"]

#: Beyond this many replaced rulesets under one folder, one warning names the folders.
_LISTED = 3


class RulesetOverride(UserWarning):
    """A user's ruleset replaces the bundled ruleset with the same code."""


def bundled_paths() -> list[Path]:
    """Where the rulesets shipped with breachrules live (inside the wheel, or the checkout)."""
    here = Path(__file__).resolve().parents[1]  # the breachrules package
    for candidate in (here / "_bundled_rulesets", here.parent / "rulesets"):
        if candidate.is_dir():
            return [candidate]
    return []


def is_bundled(file: Path) -> bool:
    """Whether ``file`` is one of the rulesets shipped with breachrules."""
    resolved = file.resolve()
    return any(resolved.is_relative_to(root) for root in bundled_paths())


class Codes:
    """The file kept for each code as files are read, in order (see the module)."""

    def __init__(self) -> None:
        self.kept: dict[str, Path] = {}
        #: (code, user's root, user's file, bundled file) of each replacement, in order.
        self.replaced: list[tuple[str, Path, Path, Path]] = []

    def add(self, code: str, file: Path, root: Path) -> str | None:
        """Whether ``file`` (read under ``root``) is kept for ``code``: ``"new"``, or
        ``"replaces"`` when it replaces the bundled file kept so far; None when it is
        left out (the same file again, or a bundled file a user's file replaced). A
        clash with no user/bundled pair to settle it raises ``ValueError`` naming the
        file kept."""
        before = self.kept.get(code)
        if before is None:
            self.kept[code] = file
            return "new"
        if before.resolve() == file.resolve():
            return None  # the same file named twice (itself and its folder): once
        mine, theirs = is_bundled(file), is_bundled(before)
        if theirs and not mine:
            self.kept[code] = file
            self.replaced.append((code, root, file, before))
            return "replaces"
        if mine and not theirs:
            self.replaced.append((code, Path(), before, file))
            return None
        raise ValueError(f"{code} is also defined in {before}")

    def warn(self) -> None:
        """One :class:`RulesetOverride` per replacement, or per folder that replaces many."""
        by_root: dict[Path, list[tuple[str, Path, Path]]] = {}
        for code, root, file, bundled in self.replaced:
            by_root.setdefault(root if root.is_dir() else Path(), []).append((code, file, bundled))
        for root, pairs in by_root.items():
            if root != Path() and len(pairs) > _LISTED:
                folders = sorted({str(_root_of(b)) for _, _, b in pairs})
                warnings.warn(
                    f"the {len(pairs)} rulesets under {root} with bundled codes replace the "
                    f"bundled ones (in {', '.join(folders)})",
                    RulesetOverride,
                    stacklevel=1,
                )
                continue
            for code, file, bundled in pairs:
                warnings.warn(
                    f"{file} replaces the bundled {code} ruleset {bundled}",
                    RulesetOverride,
                    stacklevel=1,
                )


def _root_of(file: Path) -> Path:
    resolved = file.resolve()
    return next((root for root in bundled_paths() if resolved.is_relative_to(root)), file)
