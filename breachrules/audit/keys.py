"""The audit log's keys: an HMAC-SHA-256 key ring the host controls, and the Ed25519 key
pair that signs checkpoints (made here, so that no other tool is needed for it).

Kept apart from the log so that how a key is found (a file, an environment variable)
and how it is rotated can be read in one place (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from breachrules.errors import BreachrulesError, InvalidArgument, Problem

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "KeyRing",
    "new_signing_key",
    "public_key_hex",
    "public_key_problem",
    "signing_key",
    "signing_public_key",
]

#: The environment variable holding the audit key itself (text, at least 32 characters).
KEY_ENV = "BREACHRULES_AUDIT_KEY"
#: The environment variable naming a key file (one key per line, the first is current).
KEY_FILE_ENV = "BREACHRULES_AUDIT_KEY_FILE"
_MAC_CONTEXT = b"breachrules-audit-mac-v1\n"
_MIN_KEY = 32


@attrs.frozen
class KeyRing:
    """The secret keys of a keyed log: the first signs new events, all of them verify.

    Rotate by putting a new key first and keeping the old ones below it: events written
    under an old key still verify, new ones carry the new key's id. Never put a key in the
    log's folder or in version control; the host's secret store or an environment
    variable set by the service manager are the places for it.
    """

    keys: tuple[bytes, ...]

    def __attrs_post_init__(self) -> None:
        if not self.keys:
            raise InvalidArgument([Problem("audit key", "no key given")])
        for key in self.keys:
            if len(key) < _MIN_KEY:
                raise InvalidArgument(
                    [
                        Problem(
                            "audit key",
                            f"a key of {len(key)} bytes is too short; use at least {_MIN_KEY} "
                            "(e.g. the output of `openssl rand -hex 32`)",
                        )
                    ]
                )

    @classmethod
    def from_file(cls, path: str | Path) -> KeyRing:
        """One key per line (``#`` starts a comment); the first line is the current key."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidArgument([Problem("--key-file", f"cannot read {path}: {exc}")]) from None
        keys = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        return cls(tuple(k.encode("utf-8") for k in keys))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KeyRing | None:
        """The key ring the host configured, or None: ``BREACHRULES_AUDIT_KEY_FILE`` names
        a key file, else ``BREACHRULES_AUDIT_KEY`` holds one key."""
        env = os.environ if environ is None else environ
        if env.get(KEY_FILE_ENV):
            return cls.from_file(env[KEY_FILE_ENV])
        if env.get(KEY_ENV):
            return cls((env[KEY_ENV].strip().encode("utf-8"),))
        return None

    def key_id(self, key: bytes) -> str:
        """A public name for ``key`` (16 hex digits), which reveals nothing of it."""
        return hmac.new(key, b"breachrules-key-id", hashlib.sha256).hexdigest()[:16]

    @property
    def current(self) -> tuple[str, bytes]:
        return self.key_id(self.keys[0]), self.keys[0]

    def find(self, key_id: str) -> bytes | None:
        return next((k for k in self.keys if hmac.compare_digest(self.key_id(k), key_id)), None)

    @staticmethod
    def mac(key: bytes, digest: str) -> str:
        return hmac.new(key, _MAC_CONTEXT + digest.encode("ascii"), hashlib.sha256).hexdigest()


def _need_signing() -> None:
    """Refuse plainly when the optional ``cryptography`` is not installed."""
    try:
        import cryptography  # noqa: F401
    except ImportError:  # pragma: no cover - without the optional extra
        raise BreachrulesError(
            "signed checkpoints need `pip install breachrules[signing]`"
        ) from None


def new_signing_key(path: str | Path) -> str:
    """Write a new Ed25519 private key to ``path`` (PEM, PKCS #8, unencrypted, readable by
    its owner only; an existing file is never overwritten) and return its public key as
    the 64 hex digits ``audit verify --public-key`` takes."""
    _need_signing()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidArgument(
            [Problem("PEM", f"{path} exists: a signing key is never overwritten")]
        ) from None
    except OSError as exc:
        raise InvalidArgument([Problem("PEM", f"cannot write {path}: {exc}")]) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return signing_public_key(pem)


def signing_key(private_key_pem: bytes) -> Any:
    """The Ed25519 private key of a PEM text (a ``cryptography`` key object), or a usage
    problem naming ``--signing-key``: the one reading of a signing key, for the
    checkpoint that signs with it and for the public key printed of it."""
    _need_signing()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidArgument([Problem("--signing-key", f"not a PEM key: {exc}")]) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidArgument([Problem("--signing-key", "not an Ed25519 private key")])
    return key


def public_key_hex(key: Any) -> str:
    """The raw public key of an Ed25519 private key object, as 64 hex digits."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return str(raw.hex())


def signing_public_key(private_key_pem: bytes) -> str:
    """The public key of an Ed25519 private key (PEM), as 64 hex digits."""
    return public_key_hex(signing_key(private_key_pem))


def public_key_problem(text: str) -> str | None:
    """Why ``text`` is not an Ed25519 public key as ``--public-key`` takes it (64 hex
    digits: the raw 32 bytes), or None. A malformed key trusts nobody, so every
    checkpoint would read as forged: it is a mistake in the command, said as one."""
    if any(c not in string.hexdigits for c in text):
        return f"{text!r} is not hexadecimal: give the 64 hex digits of an Ed25519 public key"
    if len(text) != 64:
        return (
            f"{len(text)} hex digits: an Ed25519 public key is 64 (its raw 32 bytes; "
            "`breachrules audit keygen` prints one)"
        )
    return None
