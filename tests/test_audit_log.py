"""The audit log proves itself: keyed chain, head anchor, signed checkpoints, torn lines,
failed writes, and records that must name an obligation the log's assessments produced."""

from __future__ import annotations

import errno
import json
import os
from datetime import timedelta
from pathlib import Path

import attrs
import pytest

from breachrules import AuditLog, Engine, load_incident
from breachrules.audit.log import AuditLogError, KeyRing, anchor_path, verify
from breachrules.audit.proof import written_form
from breachrules.cli import main
from breachrules.engine.audit import event_hash
from breachrules.errors import InvalidArgument

from .conftest import EXAMPLES

DAY2 = EXAMPLES / "evolving" / "day-2.json"
KEY_A = b"a" * 32 + b"-first-key"
KEY_B = b"b" * 32 + b"-second-key"
CA = ["US-CA"]


@pytest.fixture(scope="module")
def assessed(engine: Engine):  # type: ignore[no-untyped-def]
    incident = load_incident(DAY2)
    return incident, engine.assess(incident, jurisdictions=CA)


def _write(path: Path, assessed, keys: KeyRing | None = None) -> AuditLog:  # type: ignore[no-untyped-def]
    from breachrules import NoticeRecord

    incident, a = assessed
    log = AuditLog(path, keys=keys)
    log.record_assessment(incident, a)
    log.record_notice(
        NoticeRecord(
            "US-CA:notify-individuals", a.as_of + timedelta(days=40), incident_id=incident.id
        )
    )
    return log


def _recompute(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    """What an insider does: edit an event, recompute every hash by the documented
    algorithm (SHA-256 of RFC 8785 without ``hash``), keep whatever MAC was there."""
    prev = "0" * 64
    lines = []
    for text in path.read_text().splitlines():
        body = json.loads(text)
        edit(body)
        body["prev_hash"] = prev
        body["hash"] = event_hash({k: v for k, v in body.items() if k != "mac"})
        prev = body["hash"]
        lines.append(written_form(body).decode())  # the insider writes the log's own form
    path.write_text("\n".join(lines) + "\n")


def _late_letter_on_time(body: dict) -> None:  # type: ignore[type-arg]
    if body["type"] == "notice_sent":
        body["data"]["sent_at"] = "2026-09-20T00:00:00-07:00"
        body["at"] = body["data"]["sent_at"]


# --- records --------------------------------------------------------------------------------


def test_a_typo_is_refused_with_the_near_miss(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed)
    args = ["audit", "record", str(log.path), "--sent-at", "2026-10-01T00:00:00Z"]
    assert main([*args, "--obligation", "US-TX:notify-individual"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'US-CA:notify-individuals'?" in err
    assert len(log.events()) == 2  # nothing written


def test_a_forced_record_logs_its_reason(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed)
    args = ["audit", "record", str(log.path), "--sent-at", "2026-10-01T00:00:00Z"]
    reason = "sent under the Texas law before the ruleset was loaded"
    assert main([*args, "--obligation", "US-TX:notify-individuals", "--force", reason]) == 0
    assert log.events()[-1].data["forced"] == reason
    from breachrules import NoticeRecord

    with pytest.raises(InvalidArgument):
        log.record_notice(NoticeRecord("x", assessed[1].as_of), forced="  ")


# --- the protections ------------------------------------------------------------------------


def test_deleting_the_last_event_fails_verify(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed)
    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text("".join(lines[:-1]))
    result = log.verify()
    assert not result.ok and result.caught_by == "anchor"
    assert main(["audit", "verify", str(log.path)]) == 1
    assert "anchor: CAUGHT" in capsys.readouterr().out


def test_a_published_head_catches_what_the_file_beside_the_log_cannot(
    tmp_path: Path,
    assessed,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    log = _write(tmp_path / "a.jsonl", assessed)
    assert main(["audit", "head", str(log.path)]) == 0
    published = capsys.readouterr().out.strip()
    assert published.startswith("breachrules-head v1 2 ")
    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text("".join(lines[:-1]))
    anchor_path(log.path).unlink()  # the insider removes the anchor too
    assert log.verify().ok  # nothing beside the log can tell
    assert not log.verify(anchor=published).ok
    assert main(["audit", "verify", str(log.path), "--anchor", published]) == 1


def test_a_recomputed_chain_fails_a_keyed_log(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    keys = KeyRing((KEY_A,))
    log = _write(tmp_path / "a.jsonl", assessed, keys)
    _recompute(log.path, _late_letter_on_time)
    result = verify(log.path, keys)
    assert not result.ok and result.caught_by == "key" and result.broken_line == 2
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY_A + b"\n")
    assert main(["audit", "report", str(log.path), "--key-file", str(key_file)]) == 1
    assert "tampered log would prove nothing" in capsys.readouterr().err


def test_a_recomputed_unkeyed_chain_is_said_to_be_unprotected(
    tmp_path: Path, assessed, capsys
) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed)
    anchor_path(log.path).unlink()
    _recompute(log.path, _late_letter_on_time)
    assert main(["audit", "verify", str(log.path)]) == 0
    out = capsys.readouterr().out
    assert "this log is unkeyed" in out and "recompute every hash undetected" in out


def test_stripping_the_macs_fails_when_the_key_is_given(tmp_path: Path, assessed) -> None:  # type: ignore[no-untyped-def]
    keys = KeyRing((KEY_A,))
    log = _write(tmp_path / "a.jsonl", assessed, keys)
    anchor_path(log.path).unlink()

    def strip(body: dict) -> None:  # type: ignore[type-arg]
        body.pop("mac"), body.pop("key_id")
        _late_letter_on_time(body)

    _recompute(log.path, strip)
    result = verify(log.path, keys)
    assert not result.ok and result.caught_by == "key"


def test_key_rotation(tmp_path: Path, assessed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed, KeyRing((KEY_A,)))
    rotated = AuditLog(log.path, keys=KeyRing((KEY_B, KEY_A)))
    from breachrules import NoticeRecord

    rotated.record_notice(NoticeRecord("US-CA:offer-identity-theft-services", assessed[1].as_of))
    assert rotated.verify().ok and rotated.verify().keyed == 3
    assert len({e.key_id for e in rotated.events()}) == 2
    assert not verify(log.path, KeyRing((KEY_B,))).ok  # the old key is still needed
    key_file = tmp_path / "ring"
    key_file.write_bytes(KEY_B + b"\n# retired 2026-11\n" + KEY_A + b"\n")
    monkeypatch.setenv("BREACHRULES_AUDIT_KEY_FILE", str(key_file))
    assert AuditLog(log.path).verify().keyed == 3


def test_an_old_log_still_reads_and_verifies(tmp_path: Path, assessed) -> None:  # type: ignore[no-untyped-def]
    """A log written before keys and anchors (no ``mac``, no ``.head``) verifies as before."""
    log = _write(tmp_path / "a.jsonl", assessed)
    anchor_path(log.path).unlink()
    result = log.verify()
    assert result.ok and result.unkeyed == 2 and result.keyed == 0
    assert len(log.notices()) == 1


def test_signed_checkpoints(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    log = _write(tmp_path / "a.jsonl", assessed)
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "signer.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )
    args = ["audit", "checkpoint", str(log.path), "--signing-key", str(pem)]
    assert main([*args, "--at", "2026-10-20T00:00:00Z"]) == 0
    assert main(["audit", "verify", str(log.path), "--public-key", public]) == 0
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )
    capsys.readouterr()
    assert main(["audit", "verify", str(log.path), "--public-key", other]) == 1
    assert "signed: CAUGHT" in capsys.readouterr().out
    anchor_path(log.path).unlink()

    def forge(body: dict) -> None:  # type: ignore[type-arg]
        if body["type"] == "checkpoint":
            body["data"]["head"] = "f" * 64

    _recompute(log.path, forge)
    assert log.verify().caught_by == "signature"


# --- faults ---------------------------------------------------------------------------------


def test_a_torn_line_is_torn_not_tampering(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    """A process killed mid-write leaves half a line: the events before it verify, the
    line is reported torn, appending waits for `audit repair`, which moves it aside."""
    log = _write(tmp_path / "a.jsonl", assessed)
    with log.path.open("ab") as handle:
        handle.write(b'{"seq":3,"type":"notice_sent","data":{"obli')
    result = log.verify()
    assert result.ok and result.events == 2 and result.torn_line == 3
    assert main(["audit", "verify", str(log.path)]) == 0
    assert "line 3 is torn" in capsys.readouterr().out
    from breachrules import NoticeRecord

    with pytest.raises(AuditLogError, match="torn"):
        log.record_notice(NoticeRecord("US-CA:notify-individuals", assessed[1].as_of))
    assert main(["audit", "repair", str(log.path)]) == 0
    assert log.path.with_name("a.jsonl.torn").read_bytes().startswith(b'{"seq":3')
    log.record_notice(NoticeRecord("US-CA:notify-individuals", assessed[1].as_of))
    assert log.verify().ok and log.verify().events == 3


def test_a_torn_anchored_event_is_not_excused(tmp_path: Path, assessed) -> None:  # type: ignore[no-untyped-def]
    """Cutting the last anchored event in half is no interrupted write: the anchor says so."""
    log = _write(tmp_path / "a.jsonl", assessed)
    data = log.path.read_bytes()
    log.path.write_bytes(data[: len(data) - 40])
    assert log.verify().caught_by == "anchor"


def test_a_full_disk_leaves_no_partial_event(tmp_path: Path, assessed, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "a.jsonl", assessed)
    before = log.path.read_bytes()
    real = os.write

    def half_then_full(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        if len(data) > 100:
            real(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    args = ["audit", "record", str(log.path), "--sent-at", "2026-10-01T00:00:00Z"]
    assert main([*args, "--obligation", "US-CA:notify-individuals"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device; nothing was appended" in err and "Traceback" not in err
    monkeypatch.undo()
    assert log.path.read_bytes() == before and log.verify().ok


def test_a_read_only_folder_is_a_clear_error(tmp_path: Path, assessed, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    def denied(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    code = main(
        ["assess", str(DAY2), "--jurisdiction", "US-CA", "--audit-log", str(tmp_path / "x.jsonl")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Permission denied" in err and "Traceback" not in err


def test_a_sending_in_the_future_is_refused(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    """The log is append-only: a notice recorded as sent a year from now could never be
    taken back, so it is refused and nothing is written."""
    log = _write(tmp_path / "a.jsonl", assessed)
    args = ["audit", "record", str(log.path), "--obligation", "US-CA:notify-individuals"]
    assert main([*args, "--sent-at", "2099-01-01T00:00:00Z"]) == 2
    assert "is in the future" in capsys.readouterr().err
    assert len(log.events()) == 2


def test_record_finds_the_one_incident_that_owes_the_obligation(
    tmp_path: Path, assessed, engine: Engine, capsys
) -> None:  # type: ignore[no-untyped-def]
    """With two incidents in the log, `--incident` may be left out when only one of them
    has the obligation; where both have it, the option is asked for, naming them."""
    log = _write(tmp_path / "a.jsonl", assessed)
    other = load_incident(EXAMPLES / "multistate-ransomware.json")
    log.record_assessment(other, engine.assess(other, jurisdictions=["US-TX"]))
    args = ["audit", "record", str(log.path), "--sent-at", "2026-10-01T00:00:00Z"]
    assert main([*args, "--obligation", "US-TX:notify-individuals"]) == 0
    assert log.events()[-1].data["incident_id"] == other.id
    second = attrs.evolve(assessed[0], id="SECOND-CA")
    log.record_assessment(second, engine.assess(second, jurisdictions=CA))
    assert main([*args, "--obligation", "US-CA:notify-individuals"]) == 2
    assert "--incident" in capsys.readouterr().err


# --- a log keeps its form -------------------------------------------------------------------


def _record(log: Path, *extra: str) -> list[str]:
    return [
        "audit",
        "record",
        str(log),
        "--obligation",
        "US-CA:notify-individuals",
        "--sent-at",
        "2026-10-01T00:00:00Z",
        *extra,
    ]


def test_forgetting_the_key_once_is_refused_not_written(
    tmp_path: Path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """A keyed log appended to without its key would read as MACs stripped and refuse every
    later append: the append is refused instead (exit 2), naming the key variable, and the
    log stays whole."""
    key_file = tmp_path / "key.txt"
    key_file.write_bytes(KEY_A + b"\n")
    log = tmp_path / "kk.jsonl"
    monkeypatch.setenv("BREACHRULES_AUDIT_KEY_FILE", str(key_file))
    assess = ["assess", str(DAY2), "--jurisdiction", "US-CA", "--format", "json"]
    assert main([*assess, "--audit-log", str(log)]) == 0
    monkeypatch.delenv("BREACHRULES_AUDIT_KEY_FILE")
    before = log.read_bytes()
    capsys.readouterr()
    assert main(_record(log)) == 2
    err = capsys.readouterr().err
    assert "is keyed" in err and "BREACHRULES_AUDIT_KEY_FILE" in err
    assert "nothing was appended" in err
    assert main([*assess, "--audit-log", str(log)]) == 2  # nor a later assessment
    assert log.read_bytes() == before
    with pytest.raises(AuditLogError, match="is keyed"):  # the library refuses alike
        AuditLog(log).append("note", {}, "2026-10-01T00:00:00Z")
    assert verify(log, KeyRing((KEY_A,))).ok
    other = tmp_path / "other.txt"
    other.write_bytes(KEY_B + b"\n")
    capsys.readouterr()
    assert main(_record(log, "--key-file", str(other))) == 2  # the wrong key
    assert "not in the key ring" in capsys.readouterr().err
    assert main(_record(log, "--key-file", str(key_file))) == 0
    assert verify(log, KeyRing((KEY_A,))).ok and verify(log, KeyRing((KEY_A,))).keyed == 2


def test_a_key_given_to_an_unkeyed_log_is_refused_with_what_to_do(
    tmp_path: Path, assessed, capsys
) -> None:  # type: ignore[no-untyped-def]
    log = _write(tmp_path / "u.jsonl", assessed)
    before = log.path.read_bytes()
    key_file = tmp_path / "key.txt"
    key_file.write_bytes(KEY_A + b"\n")
    assert main(_record(log.path, "--key-file", str(key_file))) == 2
    err = capsys.readouterr().err
    assert "is unkeyed" in err and "unset BREACHRULES_AUDIT_KEY_FILE" in err
    assert log.path.read_bytes() == before


def test_a_cloudevents_log_is_not_appended_plain_events(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`verify` cannot tell a plain event after CloudEvents ones from a sound log: the
    append is refused instead, naming --cloudevents; and the reverse."""
    ce, plain = tmp_path / "ce.jsonl", tmp_path / "plain.jsonl"
    assess = ["assess", str(DAY2), "--jurisdiction", "US-CA", "--format", "json"]
    assert main([*assess, "--audit-log", str(ce), "--cloudevents"]) == 0
    assert main([*assess, "--audit-log", str(plain)]) == 0
    capsys.readouterr()
    assert main(_record(ce)) == 2
    assert "--cloudevents" in capsys.readouterr().err
    assert main([*assess, "--audit-log", str(ce)]) == 2
    assert main([*assess, "--audit-log", str(plain), "--cloudevents"]) == 2
    assert "append without --cloudevents" in capsys.readouterr().err
    assert len(ce.read_text().splitlines()) == len(plain.read_text().splitlines()) == 1
    assert main(_record(ce, "--cloudevents")) == 0
    assert all('"specversion"' in line for line in ce.read_text().splitlines())


# --- an anchor names the event it catches ---------------------------------------------------


@pytest.mark.parametrize("where", ["published", "file"])
def test_an_anchor_names_the_rewritten_event(tmp_path: Path, assessed, capsys, where) -> None:  # type: ignore[no-untyped-def]
    """Event 2 of 2 rewritten and its hash recomputed: the anchor catches event 2 (there is
    no event 3). Its hash covers event 1 too, and without a MAC on each the log cannot say
    which was changed: neither is proven (UT11 3)."""
    log = _write(tmp_path / "u.jsonl", assessed)
    published = log.head()
    lines = log.path.read_text().splitlines()
    body = json.loads(lines[1])
    _late_letter_on_time(body)
    body["hash"] = event_hash({k: v for k, v in body.items() if k != "mac"})
    log.path.write_text(lines[0] + "\n" + written_form(body).decode() + "\n")
    args = ["audit", "verify", str(log.path)]
    if where == "published":
        anchor_path(log.path).unlink()
        args += ["--anchor", published]
    result = log.verify(anchor=published if where == "published" else None)
    assert result.caught_by == "anchor" and result.broken_line == 2
    assert (result.broken_event, result.events) == (2, 0)
    assert main(args) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "broken: line 2 (event 2):" in out
    assert "names event 2 with another hash" in out
    assert "events 1-2 are not proven" in out and "intact;" not in out
    assert "anchor: CAUGHT" in out and "key: none" in out


# --- when a notice was recorded -------------------------------------------------------------

OFFER = "US-CA:offer-identity-theft-services"


def test_a_back_dated_notice_is_flagged_not_shown_on_time(tmp_path: Path, assessed, capsys) -> None:  # type: ignore[no-untyped-def]
    """A notice recorded weeks after its due date, claiming a sending before it, keeps the
    status the claim gives it, but the log's moment of recording is written and said: the
    report marks it and says how long after, and that its date runs backwards."""
    log = _write(tmp_path / "a.jsonl", assessed)  # notify-individuals: sent 2026-10-25
    args = ["audit", "record", str(log.path), "--obligation", OFFER, "--method", "email"]
    args += ["--sent-at", "2026-10-14T12:00:00-07:00"]
    assert main([*args, "--recorded-at", "2026-12-07T09:00:00Z"]) == 0
    event = log.events()[-1]
    assert event.at == "2026-10-14T12:00:00-07:00"  # the sending, as the host gives it
    assert event.data["recorded_at"] == "2026-12-07T09:00:00+00:00"
    capsys.readouterr()
    report = ["audit", "report", str(log.path), "--as-of", "2026-12-07T10:00:00Z"]
    assert main(report) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"on_time * {OFFER}" in out
    assert "recorded 2026-12-07T09:00:00+00:00, 53d 14h after the sending it records" in out
    assert "after its due date (2026-10-14T23:59:59-07:00)" in out
    # event 2 was recorded by the wall clock (today), event 3 says 09:00 today: backwards
    assert "event 3 was recorded 2026-12-07T09:00:00+00:00, before event 2 (a notice sent" in out
    assert main([*report, "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)[assessed[0].id]
    offer = next(e for e in entries if e["obligation_id"] == OFFER)
    assert offer["status"] == "on_time" and offer["recorded_after_due"] is True
    assert offer["recorded_after_sent_seconds"] == 53 * 86400 + 14 * 3600
    assert len(offer["doubts"]) == 2


def test_the_moment_of_recording_is_the_wall_clock_and_never_before_the_sending(
    tmp_path: Path, assessed, capsys
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    log = _write(tmp_path / "a.jsonl", assessed)
    recorded = datetime.fromisoformat(log.events()[-1].data["recorded_at"])
    assert abs((datetime.now(UTC) - recorded).total_seconds()) < 60
    assert log.notices()[0].recorded_at == recorded
    args = ["audit", "record", str(log.path), "--obligation", OFFER]
    args += ["--sent-at", "2026-10-14T12:00:00-07:00", "--recorded-at", "2026-10-01T00:00:00Z"]
    assert main(args) == 2
    assert "--recorded-at" in capsys.readouterr().err
    assert len(log.events()) == 2


def test_one_notice_serving_several_duties_is_recorded_for_each(
    tmp_path: Path, assessed, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`plan` merges duties into one action: each --obligation gets its event, each naming
    the others; none is dropped, and a typo in one writes none."""
    log = _write(tmp_path / "a.jsonl", assessed)
    args = ["audit", "record", str(log.path), "--sent-at", "2026-10-01T00:00:00Z"]
    both = ["--obligation", "US-CA:notify-individuals", "--obligation", OFFER]
    assert main([*args, "--obligation", "US-CA:notify-individual", *both[2:]]) == 2
    assert len(log.events()) == 2  # nothing written
    capsys.readouterr()
    assert main([*args, *both]) == 0
    out = capsys.readouterr().out
    assert f"recorded {OFFER} as event 4" in out
    last = log.events()[-2:]
    assert [e.data["obligation_id"] for e in last] == ["US-CA:notify-individuals", OFFER]
    assert last[0].data["sent_with"] == [OFFER]
    assert last[1].data["sent_with"] == ["US-CA:notify-individuals"]
    assert {n.obligation_id for n in log.notices()} == {"US-CA:notify-individuals", OFFER}
