"""The compiled-law cache: exact bytes only, never trusted when corrupt or foreign, atomic.

Each test points ``BREACHRULES_CACHE_DIR`` at a folder of its own (never the user's
cache), loads, and then checks what the cache did by what the loader returns and by the
files in that folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from breachrules.law import cache, checks, loader
from breachrules.law.directory import load_directory
from breachrules.law.loader import CODEC, bundled_paths, load_rulesets
from breachrules.law.ruleset import Ruleset

from .conftest import ROOT, incident_doc, last_json_line
from .test_loader import MINIMAL

SMALL = MINIMAL.replace("deadline: {text: within 30 days, days: 30}", "deadline: $deadline")
SMALL = SMALL.replace(
    "      pi: {value: [[name, ssn]], citation: Ex. Code § 1(a)}",
    "      pi: {value: [[name, ssn]], citation: Ex. Code § 1(a)}\n"
    "      deadline: {value: {text: within 30 days, days: 30}, citation: Ex. Code § 1(c)}",
)


#: The obligation's deadline as an entry writes it (text, anchor, days, ...).
_DAYS = b'"within 30 days","discovery",30,'


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("BREACHRULES_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parses (a file read from the cache is not parsed)."""
    seen: list[str] = []
    real = loader._parse

    def counting(file: Path | str, data: bytes) -> object:
        seen.append(Path(file).name)
        return real(file, data)

    monkeypatch.setattr(loader, "_parse", counting)
    return seen


def _entries(folder: Path, kind: str = "ruleset") -> list[Path]:
    return sorted(folder.glob(f"law-*/{kind}-*.json"))


def _days(rulesets: list[Ruleset]) -> int | None:
    return rulesets[0].current.obligations[0].deadline.days


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    file = folder / "us-xx.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_the_cache_gives_what_the_files_give(cache_dir: Path) -> None:
    """Every bundled ruleset and directory entry read back from the cache equals the one
    read from its file (lines, parameters, conditions and paths included)."""
    fresh = load_rulesets(bundled_paths(), cache=False)
    first = load_rulesets(bundled_paths())  # writes the entries
    assert len(_entries(cache_dir)) == len(fresh)
    again = load_rulesets(bundled_paths())  # reads them
    assert again == first == fresh
    assert [r.path for r in again] == [r.path for r in fresh]
    directory = load_directory(bundled_paths(), cache=False)
    load_directory(bundled_paths())
    assert _entries(cache_dir, "directory")
    assert load_directory(bundled_paths()) == directory


def test_an_edited_ruleset_is_seen_at_once(
    cache_dir: Path, tmp_path: Path, parses: list[str]
) -> None:
    file = _write(tmp_path / "rules", SMALL)
    assert _days(load_rulesets([file])) == 30
    assert _days(load_rulesets([file])) == 30
    assert parses == ["us-xx.yaml"]  # the second load came from the cache
    file.write_text(SMALL.replace("days: 30}", "days: 45}"), encoding="utf-8")
    assert _days(load_rulesets([file])) == 45
    assert parses == ["us-xx.yaml"] * 2
    assert len(_entries(cache_dir)) == 2  # one per content; the old one is simply unused
    file.write_text(SMALL, encoding="utf-8")  # back to the first bytes: the first entry
    assert _days(load_rulesets([file])) == 30
    assert len(parses) == 2


def test_a_ruleset_with_problems_is_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    file = _write(tmp_path / "rules", SMALL.replace("recipient: individuals", "recipient: nobody"))
    for _ in range(2):  # the second load reports the same, from the file
        with pytest.raises(Exception, match="nobody") as caught:
            load_rulesets([file])
        assert "us-xx.yaml" in str(caught.value)
    assert _entries(cache_dir) == []


def _rewrite_body(entry: Path, body: bytes) -> None:
    """Replace an entry's body and make its header match, as someone who knows the format
    could: only the classes and the field types then stand between it and the loader."""
    head = json.loads(entry.read_bytes().partition(b"\n")[0])
    head["body_sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(json.dumps(head).encode() + b"\n" + body)


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "empty",
        "garbage",
        "flipped byte",
        "header of another version",
        "unknown class",
        "field of the wrong type",
        "reference to nothing",
        "extra field",
    ],
)
def test_a_corrupt_or_foreign_entry_is_ignored_and_rebuilt(
    cache_dir: Path, tmp_path: Path, damage: str
) -> None:
    file = _write(tmp_path / "rules", SMALL)
    expected = load_rulesets([file], cache=False)
    load_rulesets([file])
    (entry,) = _entries(cache_dir)
    data = entry.read_bytes()
    head, _, body = data.partition(b"\n")
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "garbage":
        entry.write_bytes(os.urandom(300))
    elif damage == "flipped byte":
        entry.write_bytes(head + b"\n" + body.replace(b"30", b"31", 1))
    elif damage == "header of another version":
        other = json.loads(head)
        other["breachrules"] = "0.0.0-older"
        entry.write_bytes(json.dumps(other).encode() + b"\n" + body)
    elif damage == "unknown class":
        _rewrite_body(entry, body.replace(b'"@":"Deadline"', b'"@":"Popen"', 1))
    elif damage == "field of the wrong type":
        _rewrite_body(entry, body.replace(_DAYS, _DAYS.replace(b",30,", b',"30",'), 1))
    elif damage == "reference to nothing":
        _rewrite_body(entry, re.sub(rb'\{"@r":\d+\}', b'{"@r":9999}', body, count=1))
    elif damage == "extra field":
        _rewrite_body(entry, body.replace(b'"@":"Source","f":[', b'"@":"Source","f":[1,', 1))
    assert entry.read_bytes() != data
    assert load_rulesets([file]) == expected  # from the file: its tests ran again
    assert entry.read_bytes().partition(b"\n")[0] == head  # rewritten whole
    assert CODEC.loads(entry.read_bytes().partition(b"\n")[2]) == attrs.evolve(
        expected[0], path=None
    )


def test_each_damage_above_reaches_what_it_names(cache_dir: Path, tmp_path: Path) -> None:
    """The byte patterns the test above replaces are in the entry (else it tests nothing)."""
    file = _write(tmp_path / "rules", SMALL)
    load_rulesets([file])
    (entry,) = _entries(cache_dir)
    body = entry.read_bytes().partition(b"\n")[2]
    for pattern in (b'"@":"Deadline"', _DAYS, b'"@":"Source","f":['):
        assert pattern in body
    assert re.search(rb'\{"@r":\d+\}', body)  # the Version its one law shares


_WORKER = """
import sys
from breachrules.law.loader import bundled_paths, load_rulesets
sys.stdin.readline()  # start together
rulesets = load_rulesets(bundled_paths())
print(len(rulesets), sum(len(r.laws) for r in rulesets))
"""


def test_processes_writing_at_the_same_time_leave_whole_entries(cache_dir: Path) -> None:
    env = {**os.environ, "BREACHRULES_CACHE_DIR": str(cache_dir)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [w.communicate("go\n", timeout=300)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert len(set(outputs)) == 1
    entries = _entries(cache_dir)
    assert len(entries) == int(outputs[0].split()[0])
    assert not list(cache_dir.glob("law-*/.*.tmp"))  # every temporary file moved or removed
    store = cache.LawCache(cache_dir)
    for entry in entries:
        digest = entry.stem.split("-", 1)[1]
        assert isinstance(store.get("ruleset", digest, CODEC), Ruleset | str)
    assert load_rulesets(bundled_paths()) == load_rulesets(bundled_paths(), cache=False)


def test_a_cache_folder_that_cannot_be_written_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(blocker / "cache"))
    file = _write(tmp_path / "rules", SMALL)
    assert _days(load_rulesets([file])) == 30
    assert _days(load_rulesets([file])) == 30


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs reads XDG_CACHE_HOME")
def test_a_default_folder_that_cannot_be_made_gives_way_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    """A read-only home (AWS Lambda, a read-only container): entries go to a private folder
    in the temporary folder, and the next process reads them there instead of parsing."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("BREACHRULES_CACHE_DIR", raising=False)
    monkeypatch.delenv("BREACHRULES_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(cache, "_DEFAULT", None)
    file = _write(tmp_path / "rules", SMALL)
    assert _days(load_rulesets([file])) == 30
    fallback = cache.temporary_folder()
    assert fallback.parent == tmp_path / "tmp"
    assert len(_entries(fallback)) == 1
    if hasattr(os, "getuid"):
        assert fallback.name == f"breachrules-{os.getuid()}"
        assert fallback.stat().st_mode & 0o777 == 0o700
    monkeypatch.setattr(cache, "_DEFAULT", None)  # as a new process starts
    assert _days(load_rulesets([file])) == 30
    assert parses == ["us-xx.yaml"]  # the second load read the entry


def test_a_named_folder_has_no_stand_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    """What ``BREACHRULES_CACHE_DIR`` names is used, or nothing is."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("BREACHRULES_NO_CACHE", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    file = _write(tmp_path / "rules", SMALL)
    load_rulesets([file])
    load_rulesets([file])
    assert parses == ["us-xx.yaml", "us-xx.yaml"]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_failed_write_leaves_no_file(cache_dir: Path, tmp_path: Path, monkeypatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(cache.os, "replace", refuse)
    file = _write(tmp_path / "rules", SMALL)
    assert _days(load_rulesets([file])) == 30
    assert _entries(cache_dir) == []
    assert not list(cache_dir.glob("law-*/.*"))


def test_a_read_only_cache_folder_is_read_but_not_written(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    """Entries already there are used; new ones are not written, and loading goes on.
    (Simulated by refusing to create files, so that it also holds as root, who may write
    in a folder of mode 0500; the real mode is tested below where it can be.)"""
    file = _write(tmp_path / "rules", SMALL)
    load_rulesets([file])
    (entry,) = _entries(cache_dir)

    def read_only(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "x" in mode or "w" in mode:
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(cache, "open", read_only, raising=False)
    file.write_text(SMALL.replace("days: 30}", "days: 45}"), encoding="utf-8")
    assert _days(load_rulesets([file])) == 45
    assert _entries(cache_dir) == [entry]
    file.write_text(SMALL, encoding="utf-8")
    assert _days(load_rulesets([file])) == 30
    assert len(parses) == 2  # the first and the edited bytes; the last from the entry


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_an_entry_others_could_write_is_never_read(cache_dir: Path, tmp_path: Path) -> None:
    """A planted entry (a valid one, for these exact bytes, saying 99 days) is read from a
    private folder, and ignored once the folder is writable by others."""
    file = _write(tmp_path / "rules", SMALL)
    load_rulesets([file])
    (entry,) = _entries(cache_dir)
    body = entry.read_bytes().partition(b"\n")[2]
    _rewrite_body(entry, body.replace(_DAYS, _DAYS.replace(b",30,", b",99,"), 1))
    assert _days(load_rulesets([file])) == 99  # the format alone cannot tell: the folder can
    entry.parent.chmod(0o777)
    try:
        assert _days(load_rulesets([file])) == 30
    finally:
        entry.parent.chmod(0o700)


def test_no_cache_reads_and_writes_nothing(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path / "rules", SMALL)
    load_rulesets([file], cache=False)
    assert not cache_dir.exists()
    monkeypatch.setenv("BREACHRULES_NO_CACHE", "1")
    load_rulesets([file])
    assert not cache_dir.exists()


def _cli(*args: str, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BREACHRULES_CACHE_DIR": str(cache_dir)}
    env.pop("BREACHRULES_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "breachrules", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_a_users_own_rulesets_folder(cache_dir: Path, tmp_path: Path) -> None:
    """``--rulesets FOLDER``: the user's files are cached like the bundled ones (their
    scenario files skipped), an edit is seen on the next call, and ``--no-cache`` reads
    and writes nothing."""
    folder = tmp_path / "mine"
    mine = SMALL.replace("code: US-XX", "code: XA").replace("[XX-ZZ]", "[XA]")
    _write(folder, mine)
    (folder / "xa.test.yaml").write_text("ruleset: XA\ncases: []\n", encoding="utf-8")
    incident = incident_doc()
    incident["exposures"][0]["residents"] = {"XA": 10}
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(incident), encoding="utf-8")
    args = ["--rulesets", str(folder), "assess", str(path), "--format", "json"]
    args += ["--as-of", "discovery"]

    def due() -> str:
        run = _cli(*args, cache_dir=cache_dir)
        assert run.returncode == 0, run.stderr
        doc = json.loads(run.stdout)
        return next(o["due"] for o in doc["obligations"] if o["jurisdiction"] == "XA")

    first = due()
    hashes = {hashlib.sha256(f.read_bytes()).hexdigest() for f in folder.iterdir()}
    cached = {e.stem.split("-", 1)[1] for e in _entries(cache_dir)}
    assert hashes <= cached  # the ruleset and the scenario file (as "not a ruleset")
    assert due() == first
    (folder / "us-xx.yaml").write_text(mine.replace("days: 30}", "days: 60}"), encoding="utf-8")
    later = due()
    assert later > first
    fresh = tmp_path / "fresh-cache"
    run = _cli("--no-cache", *args, cache_dir=fresh)
    assert run.returncode == 0, run.stderr
    assert not fresh.exists()


def test_the_field_types_are_what_typing_reads_from_the_annotations() -> None:
    """The cache evaluates every annotation of a codec's classes in one ``eval`` (a
    ``ForwardRef`` per field cost more than the entries a call reads): the types must be
    exactly what ``typing.get_type_hints`` gives, field by field, for every codec."""
    import typing

    from breachrules.law import calendars, directory, library

    for codec in (CODEC, directory.CODEC, library.OUTLINE_CODEC, calendars._DATES):
        classes = list(codec._classes.values())
        hints = checks.hints(classes)
        assert set(hints) == set(classes)
        for cls, types in hints.items():
            expected = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
            assert types == [expected[f.name] for f in attrs.fields(cls)], cls.__name__


def test_each_class_is_checked_and_built_by_one_generated_function() -> None:
    """Every class of the ruleset codec has its builder: a list of values of the right
    types gives the object, one value of another type (or one value too many) gives None."""
    from breachrules.law.ruleset import Source

    builds = CODEC._field_checks()
    assert set(builds) == set(CODEC._classes)
    url = "https://example.org/1"
    assert builds["Source"]([url, "Ex. Code"]) == Source(url, "Ex. Code")
    assert builds["Source"]([url, None]) == Source(url)
    assert builds["Source"]([url, 1]) is None
    assert builds["Source"]([url, None, None]) is None


def test_tuples_and_mappings_are_checked_item_by_item() -> None:
    """A field declared as a tuple of one exact type is written as a plain list, and the
    reader checks every item before it makes the tuple (no hook call per tuple); a
    mapping of one exact type is checked by a shared helper. A tagged tuple where a list
    is written, or one item of another type, makes the entry a miss."""
    from datetime import date

    from breachrules.law.ruleset import Parameter, Reach, Version

    builds = CODEC._field_checks()
    reach = Reach(("US-CA", "US"), ("US",))
    text = CODEC.dumps(reach)
    assert text == '{"@":"Reach","f":[["US-CA","US"],["US"],false,null,false]}'
    read = CODEC.loads(text)
    assert read == reach and type(read.residents) is tuple
    assert builds["Reach"]([["US-CA", "US"], ["US"], False, None, False]) == reach
    assert builds["Reach"]([["US-CA", 1], ["US"], False, None, False]) is None
    assert builds["Reach"]([("US-CA", "US"), ("US",), False, None, False]) is None
    with pytest.raises(cache._Invalid):
        CODEC.loads('{"@":"Reach","f":[{"@t":["US-CA"]},["US"],false,null,false]}')
    with pytest.raises(TypeError):  # a list where a tuple is declared is never written
        CODEC.dumps(Reach(["US-CA"]))  # type: ignore[arg-type]
    day, rate = date(2020, 1, 1), Parameter(30, "s. 1")
    assert builds["Version"]([day, "s. 1", None, {"days": rate}, None]) == Version(
        day, "s. 1", parameters={"days": rate}
    )
    assert builds["Version"]([day, "s. 1", None, {"days": 30}, None]) is None
    assert builds["Version"]([day, "s. 1", None, {1: rate}, None]) is None
    assert builds["Version"]([day, "s. 1", None, [("days", rate)], None]) is None


def test_the_packaged_checks_are_the_ones_the_classes_give_now() -> None:
    """The factories compiled with the package (law/_checks_built.py) are, key and code,
    what ``checks.source`` writes for each of the package's codecs today. Failing here
    means a cached class changed: regenerate the module with
    ``PYTHONPATH=. python -m breachrules.law.checks``."""
    import ast
    import importlib
    import inspect

    from breachrules.law import _checks_built

    texts = []
    for where in checks.PACKAGE_CODECS:
        module, name = where.split(":")
        texts.append(checks.source(getattr(importlib.import_module(module), name).classes)[0])
    assert list(_checks_built.FACTORIES) == texts, "regenerate law/_checks_built.py"
    for text, factory in _checks_built.FACTORIES.items():
        packaged = ast.parse(inspect.getsource(factory)).body[0]
        assert isinstance(packaged, ast.FunctionDef)
        packaged.name = "_make"
        assert ast.dump(packaged) == ast.dump(ast.parse(text).body[0])


def test_the_package_codecs_compile_no_checks_in_a_new_process(tmp_path: Path) -> None:
    """What spares a new process compiling the checks (about 2 ms of each ``breachrules
    assess``): the package's codecs find their factories compiled with the package, and
    a codec of other classes still compiles its own."""
    code = (
        "import builtins, json\n"
        "seen = []\n"
        "real = builtins.compile\n"
        "def spy(source, name, *a, **k):\n"
        "    seen.append(name)\n"
        "    return real(source, name, *a, **k)\n"
        "from breachrules.law import directory, library, loader\n"
        "from breachrules.law.cache import Codec\n"
        "from breachrules.law.ruleset import Source\n"
        "builtins.compile = spy\n"
        "for codec in (loader.CODEC, library.OUTLINE_CODEC, directory.CODEC):\n"
        "    assert codec._field_checks()\n"
        "packaged = list(seen)\n"
        "other = Codec([Source])._field_checks()\n"
        "print(json.dumps([packaged, seen[len(packaged):], sorted(other)]))\n"
    )
    packaged, other, built = last_json_line(code)
    assert "<cache checks>" not in packaged
    assert other == ["<cache checks>"] and built == ["Source"]


def test_a_ruleset_read_from_the_cache_names_its_file_as_evolve_would() -> None:
    """The loader gives a cached ruleset its file by building it positionally (faster than
    ``attrs.evolve``): every field must be a positional argument, and the result is what
    ``evolve`` gives, for every bundled ruleset."""
    assert all(f.init and not f.kw_only for f in attrs.fields(Ruleset))
    here = Path("elsewhere.yaml")
    for ruleset in load_rulesets(bundled_paths()):
        moved = loader._at(ruleset, here)
        assert moved == attrs.evolve(ruleset, path=here)
        assert moved.path is here and repr(moved) == repr(attrs.evolve(ruleset, path=here))
