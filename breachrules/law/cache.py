"""The compiled-law cache: each ruleset file, once loaded, kept as checked JSON.

Why: a command-line call is a new process, and reading the bundled rulesets (YAML parsing,
schema checks, condition parsing) cost well over a second of every ``breachrules assess``
before any law was applied. Loading the same bytes gives the same :class:`Ruleset`, so the
result is kept in the user's cache directory and read back in milliseconds.

What is trusted, and why (see ``docs/security.md``):

- An entry is used only for exactly the bytes it was made from and only by the code that
  made it: its name and header carry the SHA-256 of the ruleset file, and a fingerprint
  of the breachrules version, of the source of the modules that build a ruleset, and of
  the holidays release (whose calendars the loader checks a ruleset against). An edited
  ruleset has another hash, so it is loaded afresh at once; an upgrade is a new
  fingerprint.
- Entries are JSON, never pickle: reading one cannot run code. Every object in it is one
  of the classes the loader named, built field by field, each field checked against its
  declared type; the body's own SHA-256 is checked before it is parsed. Anything else
  (a truncated, corrupt or foreign file) is ignored and the ruleset is loaded from its
  file, and the entry rewritten.
- On POSIX the cache is used only in a folder owned by the user, that no one else may
  write (made with mode 0700), and each entry must be owned by the user: an entry that
  someone else could have written is never read.
- Entries are written to a temporary file and moved into place (``os.replace``), so two
  processes writing the same entry at once each leave a whole file and a reader never
  sees half of one. A folder that cannot be written is simply not used.

``BREACHRULES_CACHE_DIR`` names the folder (the default is the platform's user cache
folder, from ``platformdirs``). Where that default cannot be made (a read-only home, as in
AWS Lambda or a read-only container), entries go to a folder of the user's own in the
system's temporary folder instead (:func:`temporary_folder`), held to the same rules: a
process per incident would otherwise parse every ruleset it reaches on every call. A
folder named by ``BREACHRULES_CACHE_DIR`` has no such stand-in: what the user names is
used, or nothing is. ``BREACHRULES_NO_CACHE=1``, ``breachrules --no-cache`` or
:func:`configure` turn the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from breachrules._version import __version__
from breachrules.law.checks import Build, builders, hints, listed

__all__ = [
    "FORMAT",
    "Codec",
    "LawCache",
    "cache_folder",
    "configure",
    "default_cache",
    "enabled",
    "fingerprint",
    "temporary_folder",
]

#: The layout of an entry; a change to it is a new fingerprint.
FORMAT = 2

_ENABLED: bool | None = None  # None: as the environment says


def configure(*, enabled: bool | None = None) -> None:
    """Turn the cache on or off for this process (``None``: as the environment says).

    The command line's ``--no-cache`` calls ``configure(enabled=False)``.
    """
    global _ENABLED
    _ENABLED = enabled


def enabled() -> bool:
    """Whether the cache is on: not turned off by :func:`configure` or
    ``BREACHRULES_NO_CACHE`` (any value but empty, ``0``, ``false`` or ``no``)."""
    if _ENABLED is not None:
        return _ENABLED
    off = os.environ.get("BREACHRULES_NO_CACHE", "").strip().lower()
    return off in ("", "0", "false", "no")


def cache_folder() -> Path:
    """Where entries live: ``BREACHRULES_CACHE_DIR``, or the user cache folder."""
    named = os.environ.get("BREACHRULES_CACHE_DIR", "")
    if named:
        return Path(named).expanduser()
    import platformdirs  # only when no folder is named

    return Path(platformdirs.user_cache_dir("breachrules", appauthor=False))


def temporary_folder() -> Path:
    """The stand-in for a user cache folder that cannot be made: ``breachrules-<uid>`` in
    the system's temporary folder (``breachrules`` where there are no POSIX user ids; the
    temporary folder is the user's own there). Made with mode 0700; one that someone else
    made first is not private, so it is not used."""
    import tempfile  # only when the default folder cannot be made

    owner = f"-{os.getuid()}" if hasattr(os, "getuid") else ""
    return Path(tempfile.gettempdir()) / f"breachrules{owner}"


def fingerprint() -> str:
    """What an entry must have been written by: this format, this breachrules version,
    the source of the modules that turn a file into the cached objects, and the holidays
    release the loader checks calendars and places against.

    The sources are hashed (a few milliseconds) so that a changed loader never reads
    entries an older one wrote, even between releases of the same version number.
    """
    global _FINGERPRINT
    if _FINGERPRINT is not None:
        return _FINGERPRINT
    digest = hashlib.sha256(f"breachrules {__version__} cache format {FORMAT}".encode())
    package = Path(__file__).resolve().parents[1]
    sources = sorted((package / "law").glob("*.py"))
    sources += [package / "model" / "vocabulary.py", package / "model" / "decisions.py"]
    import importlib.util  # holidays itself is not imported: only its version file is read

    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin:
        sources.append(Path(spec.origin).parent / "version.py")
    for source in sources:
        try:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        except OSError:
            digest.update(source.name.encode() + b"\0missing")
    _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


_FINGERPRINT: str | None = None


class _Invalid(ValueError):
    """An entry that is not exactly what this version writes."""


class Codec:
    """JSON for a fixed set of attrs classes, checked field by field when read.

    An object is ``{"@": class name, "f": [field values in order]}``; a tuple
    ``{"@t": [...]}``, a date ``{"@d": "YYYY-MM-DD"}``, a mapping ``{"@m": [[key, value],
    ...]}`` (so that no key of the law's data can pass for a tag), and an object equal to
    one before it ``{"@r": n}``. A field declared as a tuple of one exact type
    (:func:`~breachrules.law.checks.listed`) is a plain list, made a tuple by the reader
    once every item is checked. Only the classes named here are ever built.
    """

    def __init__(self, classes: Iterable[type[Any]]) -> None:
        self._classes = {c.__name__: c for c in classes}
        self._fields: dict[str, tuple[str, ...]] = {
            name: tuple(f.name for f in attrs.fields(c)) for name, c in self._classes.items()
        }
        self._builds: dict[str, Build] | None = None
        self._listed: dict[str, tuple[bool, ...]] | None = None

    @property
    def classes(self) -> tuple[type[Any], ...]:
        """The classes this codec stores, in the order it was given them."""
        return tuple(self._classes.values())

    def _field_checks(self) -> dict[str, Build]:
        """Each class's checking builder (see :func:`~breachrules.law.checks.builders`), made
        on first use."""
        if self._builds is None:
            self._builds = builders(self._classes.values())
        return self._builds

    def dumps(self, value: Any) -> str:
        """``value`` as JSON; an object equal to one written before is written as a
        reference to it (``{"@r": n}``: the n-th object built while reading), so a rule
        that several versions of a law share is stored, and later built, once."""
        if self._listed is None:
            self._listed = {
                c.__name__: tuple(map(listed, types_))
                for c, types_ in hints(self._classes.values()).items()
            }
        seen: dict[Any, int] = {}
        return json.dumps(self._encode(value, seen)[0], ensure_ascii=False, separators=(",", ":"))

    def _encode(self, value: Any, seen: dict[Any, int], as_list: bool = False) -> tuple[Any, Any]:
        """(the JSON form of ``value``, a key equal for equal values). ``as_list``: a field
        :func:`~breachrules.law.checks.listed` names, whose tuple is written as a list."""
        if as_list and type(value) is not tuple:
            raise TypeError(f"the cache cannot store a {type(value).__name__} for a tuple")
        if value is None or isinstance(value, bool | int | float | str):
            return value, (type(value), value)
        name = type(value).__name__
        if name in self._classes and type(value) is self._classes[name]:
            assert self._listed is not None
            parts = [
                self._encode(getattr(value, f), seen, as_list)
                for f, as_list in zip(self._fields[name], self._listed[name], strict=True)
            ]
            key = (name, *(k for _, k in parts))
            if key in seen:
                return {"@r": seen[key]}, key
            seen[key] = len(seen)  # numbered as the reader builds them: children first
            return {"@": name, "f": [p for p, _ in parts]}, key
        if isinstance(value, tuple | list):
            parts = [self._encode(v, seen) for v in value]
            key = (type(value), *(k for _, k in parts))
            items = [p for p, _ in parts]
            return ({"@t": items} if isinstance(value, tuple) and not as_list else items), key
        if isinstance(value, dict):
            pairs = [(str(k), self._encode(v, seen)) for k, v in value.items()]
            key = (dict, *((k, e[1]) for k, e in pairs))
            return {"@m": [[k, e[0]] for k, e in pairs]}, key
        if type(value) is date:
            return {"@d": value.isoformat()}, (date, value)
        raise TypeError(f"the cache cannot store a {type(value).__name__}")

    def loads(self, text: str | bytes) -> Any:
        """The value in ``text``; :class:`_Invalid` unless every object is well formed."""
        builds = self._field_checks()
        built: list[Any] = []
        append = built.append

        def hook(o: dict[str, Any]) -> Any:
            if "@" in o:
                name, values = o["@"], o.get("f")
                if len(o) != 2 or type(name) is not str or type(values) is not list:
                    raise _Invalid("an object of no known class")
                build = builds.get(name)
                if build is None:
                    raise _Invalid("an object of no known class")
                made = build(values)
                if made is None:
                    raise _Invalid(f"a {name} whose fields are not of their types")
                append(made)
                return made
            if len(o) != 1:
                raise _Invalid("an untagged object")
            if "@r" in o:
                n = o["@r"]
                if type(n) is not int or not 0 <= n < len(built):
                    raise _Invalid("a reference to no object read before")
                return built[n]
            if "@t" in o and type(o["@t"]) is list:
                return tuple(o["@t"])
            if "@d" in o and type(o["@d"]) is str:
                return date.fromisoformat(o["@d"])
            if "@m" in o and type(o["@m"]) is list:
                pairs = o["@m"]
                for p in pairs:  # a loop, not all() on a generator: see checks._list_of
                    if type(p) is not list or len(p) != 2 or type(p[0]) is not str:
                        raise _Invalid("a mapping that is not key and value pairs")
                return dict(pairs)
            raise _Invalid("an unknown tag")

        try:
            return json.loads(text, object_hook=hook)
        except (ValueError, TypeError, RecursionError) as exc:  # _Invalid is a ValueError
            raise _Invalid(str(exc)) from None


class LawCache:
    """Entries in one folder: ``get`` and ``put`` by kind and the source's SHA-256.

    Never raises for the cache's own sake: an entry it cannot read is a miss, and an entry
    it cannot write is skipped (the caller has the value anyway).
    """

    def __init__(self, folder: Path | None, fallback: Callable[[], Path] | None = None) -> None:
        #: The folder of this version's entries, or None when the cache is not usable.
        self.folder: Path | None = None
        self._broken = False
        self._use(folder)
        # Where to go instead when ``folder`` cannot be made (see :func:`temporary_folder`),
        # asked only then: finding the temporary folder costs a new process an import.
        self._fallback = fallback if folder is not None else None

    def _use(self, folder: Path | None) -> None:
        self.folder = None if folder is None else folder / f"law-{fingerprint()[:20]}"
        # The folder and the one that holds it as text: each ``get`` checks both and opens
        # a file in the first, and a ``Path`` made for each costs a new process about as
        # much as the checks themselves (about 1 ms over the entries of an assessment).
        self._where = "" if self.folder is None else os.fspath(self.folder)
        self._above = "" if self.folder is None else os.fspath(self.folder.parent)

    def _ready(self, create: bool) -> bool:
        """Whether the folder exists (made, if ``create``) and only the user can write it.

        Asked again before every read and write (two ``stat`` calls): a folder whose mode
        changes while a long-running host lives is judged as it is now. A folder that does
        not exist gives way to the fallback, if there is one, once the fallback exists (to
        read) or the folder cannot be made (to write).
        """
        if self.folder is None or self._broken:
            return False
        try:
            if create and not os.path.isdir(self._where):
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            return _private(self._where, self._above)
        except OSError:
            if self._fallback is not None and not os.path.isdir(self._where):
                fallback = self._fallback()
                if create or os.path.isdir(fallback):
                    self._fallback = None
                    with contextlib.suppress(OSError):
                        fallback.mkdir(mode=0o700, exist_ok=True)
                    self._use(fallback)
                    return self._ready(create)
            self._broken = create  # cannot be made: do not try again for every file
            return False

    def _path(self, kind: str, digest: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{kind}-{digest}.json"

    def _name(self, kind: str, digest: str) -> str:
        """:meth:`_path` as text (what ``get`` opens)."""
        return os.path.join(self._where, f"{kind}-{digest}.json")

    def get(self, kind: str, digest: str, codec: Codec) -> Any | None:
        """The value stored for source ``digest``, or None (missing, foreign or corrupt)."""
        if not self._ready(create=False):
            return None
        try:
            with open(self._name(kind, digest), "rb") as handle:
                if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                    return None
                data = handle.read()
        except OSError:
            return None
        head, _, body = data.partition(b"\n")
        try:
            header = json.loads(head)
        except ValueError:
            return None
        expected = _header(kind, digest, hashlib.sha256(body).hexdigest())
        if header != expected:
            return None
        try:
            return codec.loads(body)
        except _Invalid:
            return None

    def put(self, kind: str, digest: str, value: Any, codec: Codec) -> None:
        """Store ``value`` for source ``digest`` (atomically; silently not, if it cannot)."""
        if not self._ready(create=True):
            return
        body = codec.dumps(value).encode("utf-8")
        header = json.dumps(_header(kind, digest, hashlib.sha256(body).hexdigest()))
        target = self._path(kind, digest)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            with open(temporary, "xb") as handle:
                handle.write(header.encode("utf-8") + b"\n" + body)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _header(kind: str, digest: str, body: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "breachrules": __version__,
        "fingerprint": fingerprint(),
        "kind": kind,
        "source_sha256": digest,
        "body_sha256": body,
    }


def _private(folder: str, above: str) -> bool:
    """Whether ``folder`` (and ``above``, the folder that holds it) belong to the user and
    no one else may write them. Always true where there are no POSIX owners (Windows)."""
    if not hasattr(os, "getuid"):
        return os.path.isdir(folder)
    uid = os.getuid()
    for path in (folder, above):
        status = os.stat(path)
        if status.st_uid != uid or status.st_mode & 0o022:
            return False
    return True


_DEFAULT: tuple[tuple[bool, str, str], LawCache] | None = None


def default_cache() -> LawCache:
    """The cache as the environment and :func:`configure` say now (kept while they do)."""
    global _DEFAULT
    named = os.environ.get("BREACHRULES_CACHE_DIR", "")
    key = (enabled(), named, fingerprint())
    if _DEFAULT is None or _DEFAULT[0] != key:
        if not key[0]:
            store = LawCache(None)
        elif named:  # what the user names is used, or nothing is
            store = LawCache(cache_folder())
        else:
            store = LawCache(cache_folder(), temporary_folder)
        _DEFAULT = (key, store)
    return _DEFAULT[1]
