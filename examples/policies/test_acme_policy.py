"""Property tests of the Acme policy (examples/policies/acme.yaml).

Run with ``pytest examples/policies``; the tutorial docs/testing-your-policies.md walks
through this file. tests/test_tutorial.py runs it in CI.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from breachrules import Engine, Incident
from breachrules.testing import assert_obligation, run_folder
from breachrules.testing import strategies as brst

HERE = Path(__file__).resolve().parent
POLICY = "XX-ACME"


@cache
def engine() -> Engine:
    """The policy alone: the bundled laws are not needed to test it (and slow to build)."""
    return Engine(paths=[HERE / "acme.yaml"], bundled=False)


# ISP-7 version 3 is in force from 2026-01-01: draw incidents discovered since then.
IN_FORCE = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2026, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
)

# Incidents an Acme policy test cares about: Acme parties (and sometimes others), people
# in Acme's markets and elsewhere, any data element, any fact possibly still unknown.
acme_incidents = brst.incidents(
    jurisdictions=["US-NY", "US-CA", "CA", "GB", "DE", "AU", "JP"],
    party_types=["acme_group", "hipaa_covered_entity"],
    discovered_at=IN_FORCE,
)

# Steered harder: an Acme processor is breached, every fact is known, and the data is
# the kind ISP-7 covers, so most draws are incidents under the policy.
processor_breaches = brst.incidents(
    parties=brst.parties(types=["acme_group"], min_size=2, unknown=()),
    exposures=brst.exposures(
        elements=["name", "email", "credentials", "medical", "other"],
        jurisdictions=["US-NY", "GB", "DE", "JP"],
        unknown=(),
    ),
    breached_role="service_provider",
    discovered_at=IN_FORCE,
    unknown=(),
)


def policy_applies(incident: Incident) -> bool:
    return any("acme_group" in p.types for p in incident.parties)


def test_scenarios_pass() -> None:
    """The hand-written cases in acme_scenarios.yaml all hold."""
    failures = [o for o in run_folder(HERE, engine()) if not o.passed]
    assert not failures, failures


@settings(max_examples=60, deadline=None)
@given(processor_breaches)
def test_processor_breach_requires_notice_to_owner_within_24_hours(incident: Incident) -> None:
    """ISP-7 § 4.1: whenever a processor's breach is an incident under the policy, the
    processor owes the owner notice within 24 hours of discovery, never later."""
    assessment = engine().assess(incident, jurisdictions=[POLICY])
    if not policy_applies(incident) or assessment.determination(POLICY).status != "breach":
        return  # other properties cover these incidents
    assert_obligation(
        assessment,
        POLICY,
        "data_owner",
        "required",
        party=incident.breached.id,
        due=incident.discovered_at + timedelta(hours=24),
    )


@settings(max_examples=60, deadline=None)
@given(acme_incidents)
def test_safe_encryption_means_no_notice(incident: Incident) -> None:
    """ISP-7 § 3.2: if every exposure was encrypted and no key was compromised, nothing
    is owed under the policy, whatever else happened."""
    assessment = engine().assess(_encrypt_all(incident))
    owed = [o for o in assessment.obligations if o.jurisdiction == POLICY]
    assert all(o.status == "not_required" for o in owed), owed


def _encrypt_all(incident: Incident) -> Incident:
    """The same incident with every exposure encrypted and every key safe."""
    return attrs.evolve(
        incident,
        exposures=tuple(
            attrs.evolve(e, encrypted=True, key_compromised=False) for e in incident.exposures
        ),
    )


@settings(max_examples=60, deadline=None)
@given(acme_incidents)
def test_hashed_passwords_spare_the_ciso(incident: Incident) -> None:
    """ISP-7 § 6.2: once the passwords are known to have been hashed, nothing is owed to
    the CISO under § 6.1, whatever else happened. The fact is the policy's own
    (``facts.XX-ACME.passwords_hashed``), so the strategies leave it unknown: set it."""
    hashed = attrs.evolve(incident, facts={POLICY: {"passwords_hashed": True}})
    for ob in engine().assess(hashed).obligations:
        if ob.jurisdiction == POLICY and ob.recipient == "ciso":
            assert ob.status == "not_required", ob


@settings(max_examples=60, deadline=None)
@given(acme_incidents)
def test_unknown_facts_are_named(incident: Incident) -> None:
    """A duty the policy cannot decide yet is conditional and says which facts decide it,
    so the incident team knows what to find out first."""
    for ob in engine().assess(incident).obligations:
        if ob.jurisdiction == POLICY and ob.status == "conditional":
            assert ob.missing_facts, ob
