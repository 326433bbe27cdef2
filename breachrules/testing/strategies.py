"""Hypothesis strategies that generate valid incidents, for property-testing policies.

A ruleset is tested best against every incident, not the five its author thought of.
These strategies draw incidents that satisfy the interchange contract (CONTRACT.md
section 1) by construction, so a property failure is always about the policy, never
about a malformed input::

    from hypothesis import given
    from breachrules import strategies as brst

    @given(brst.incidents(jurisdictions=["US-CA", "US-TX"], unknown=()))
    def test_texas_never_needs_more_than_california(incident): ...

One module, one job: drawing valid incidents. The strategies for parties, exposures,
contracts and whole incidents build on each other and share one set of argument checks.

Hypothesis is an optional dependency: install ``breachrules[strategies]`` (or any
environment with ``hypothesis``). This module imports it at the top, so importing
``breachrules.testing.strategies`` without it raises ImportError; nothing else in breachrules
imports this module.

The functions follow Hypothesis's own API style: they are named in the plural, take
keyword arguments that steer what is drawn, accept strategies wherever a fixed choice
would do, and raise :class:`hypothesis.errors.InvalidArgument` for a bad argument as soon
as the strategy is first used.

Invariants every drawn :class:`~breachrules.facts.Incident` keeps (``load_incident`` of
its ``to_dict()`` gives it back):

- party ids are unique; the first party owns the data; every service provider serves an
  earlier party (so the service chain always ends at an owner); ``breached_party`` names
  a party;
- contracts name existing parties (an owner and one of its service providers);
- residence and establishment codes match ISO 3166 (``US-CA``, ``DE``, ``EU``);
- counts are whole and non-negative; ``key_compromised`` is never true when
  ``encrypted`` is false; ``law_enforcement.delay_requested_until`` is not before
  ``discovered_at`` nor ``law_enforcement.delay_requested_at``;
- every timestamp carries a fixed UTC offset.

:func:`_hypothesis_setup_hook` registers the strategies for the attrs types, so that
``st.from_type(Incident)`` (and ``st.builds`` of anything holding one) works once the
``hypothesis`` entry point of this package is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy
from hypothesis.vendor.pretty import for_type_by_name

from breachrules.io.serde import _CODE  # the pattern load_incident applies to codes
from breachrules.model.facts import (
    CLASSIFICATION_FLAGS,
    Classification,
    Contract,
    Exposure,
    Finding,
    Incident,
    LawEnforcement,
    Party,
    Risk,
)
from breachrules.model.vocabulary import DATA_ELEMENTS, GDPR_RISK_LEVELS, PARTY_TYPES

__all__ = [
    "DEFAULT_JURISDICTIONS",
    "UNKNOWABLE",
    "contracts",
    "exposures",
    "incidents",
    "parties",
    "residents",
    "type_strategies",
]

T = TypeVar("T")

#: The residence codes the bundled rulesets reach (and a few EU member states, which
#: GDPR, NIS2 and DORA reach through ``EU``): the default for ``jurisdictions=``.
_US = "AK AL AR AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY"  # noqa: E501
_WORLD = "AE AR AU BR CA CA-QC CH CN CO DE FR IE IT NL ES GB ID IL IN IS JP KE KR LI MX MY NG NO NZ PH SA SG TH TR ZA"  # noqa: E501
DEFAULT_JURISDICTIONS: tuple[str, ...] = (
    *(f"US-{s}" for s in _US.split()),
    *_WORLD.split(),
)

#: Facts that the contract lets be ``null`` (unknown) and that ``unknown=`` may name.
UNKNOWABLE: frozenset[str] = frozenset(
    {
        # exposure facts
        "encrypted",
        "key_compromised",
        "acquired",
        "accessed",
        "paper",
        "destroyed",
        "lost",
        "altered",
        # incident facts
        "good_faith_insider",
        "malicious",
        "harm_likely",
        "gdpr_risk",
        "hipaa_low_probability_of_compromise",
        "significant",
        "major_ict_incident",
        "bank_notification_incident",
        "nydfs_reportable",
        "material",
        # party facts
        "offers_to",
        # contract terms
        "notify_owner_within_hours",
        "individual_notice_by",
        "costs_borne_by",
        "indemnity",
        "liability_cap",
    }
)

#: Fixed offsets that exercise day boundaries in both directions (deadlines are counted
#: in the offset of ``discovered_at``).
_OFFSETS = tuple(timezone(timedelta(hours=h)) for h in (-8, -5, 0, 1, 5.5, 9))
_MIN_DAY = datetime(2019, 1, 1)
_MAX_DAY = datetime(2026, 12, 31, 23, 59, 59)


# --- argument checking (Hypothesis style: fail early, say which argument) ------------------


def _check_range(name: str, low: int, high: int | None, floor: int = 0) -> None:
    for label, value in ((f"min_{name}", low), (f"max_{name}", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidArgument(f"{label}={value!r} must be a whole number")
    if low < floor:
        raise InvalidArgument(f"min_{name}={low!r} must be at least {floor}")
    if high is not None and high < low:
        raise InvalidArgument(f"max_{name}={high!r} is less than min_{name}={low!r}")


def _choices(
    name: str,
    value: Collection[str] | SearchStrategy[str] | None,
    default: Collection[str],
    check: Callable[[str], str | None],
) -> SearchStrategy[str]:
    """A strategy of words from ``value`` (words or a strategy), each word validated."""
    if isinstance(value, SearchStrategy):
        return value.map(lambda word: _checked(name, word, check))
    words: Collection[str] = default if value is None else value
    if isinstance(words, str) or not isinstance(words, Collection):
        raise InvalidArgument(f"{name}={words!r} must be a list of words or a strategy")
    if isinstance(words, set | frozenset):
        words = sorted(words)  # a fixed order, so that derandomized runs repeat
    words = list(dict.fromkeys(words))
    if not words:
        raise InvalidArgument(f"{name} must not be empty")
    for word in words:
        _checked(name, word, check)
    return st.sampled_from(words)


def _checked(name: str, word: object, check: Callable[[str], str | None]) -> str:
    if not isinstance(word, str):
        raise InvalidArgument(f"{name}: {word!r} is not a string")
    problem = check(word)
    if problem:
        raise InvalidArgument(f"{name}: {problem}")
    return word


def _code_problem(code: str) -> str | None:
    if _CODE.match(code):
        return None
    return f"{code!r} is not an ISO 3166 code (a country like 'DE', a subdivision like 'US-CA')"


def _element_problem(word: str) -> str | None:
    if word in DATA_ELEMENTS:
        return None
    return f"{word!r} is not a data element word (CONTRACT section 2: {', '.join(DATA_ELEMENTS)})"


def _type_problem(word: str) -> str | None:
    return None if word and word.strip() == word else f"{word!r} is not a party type word"


def _unknown_set(unknown: Collection[str] | None) -> frozenset[str]:
    """Which facts may be drawn as null: ``None`` means all of them."""
    if unknown is None:
        return UNKNOWABLE
    if isinstance(unknown, str) or not isinstance(unknown, Collection):
        raise InvalidArgument(f"unknown={unknown!r} must be a collection of fact names")
    bad = sorted(set(unknown) - UNKNOWABLE)
    if bad:
        raise InvalidArgument(
            f"unknown= names facts that cannot be unknown: {', '.join(map(repr, bad))} "
            f"(possible: {', '.join(sorted(UNKNOWABLE))})"
        )
    return frozenset(unknown)


def _strategy_or(value: SearchStrategy[T] | None, name: str, default: SearchStrategy[T]) -> Any:
    if value is None:
        return default
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a Hypothesis strategy")
    return value


def _maybe(values: SearchStrategy[T], fact: str, unknown: frozenset[str]) -> Any:
    return st.none() | values if fact in unknown else values


def _lazy(build: Callable[[], SearchStrategy[T]]) -> SearchStrategy[T]:
    """Defer validation to first use, as Hypothesis's own strategies do."""
    return st.deferred(build)


# --- residents ---------------------------------------------------------------------------


def residents(
    *,
    jurisdictions: Sequence[str] | SearchStrategy[str] | None = None,
    min_count: int = 0,
    max_count: int | None = 100_000,
    min_size: int = 1,
    max_size: int | None = 3,
) -> SearchStrategy[dict[str, int]]:
    """Affected people per place of residence: ``{"US-CA": 1200, "DE": 12}``.

    ``jurisdictions``: the residence codes to draw from (ISO 3166), or a strategy of codes;
    default :data:`DEFAULT_JURISDICTIONS`. ``min_count``/``max_count`` bound each count,
    ``min_size``/``max_size`` the number of places. Thresholds in the law are "more than
    N", so steer counts around them (``min_count=495, max_count=505``) to test both sides.
    """

    def build() -> SearchStrategy[dict[str, int]]:
        _check_range("count", min_count, max_count)
        _check_range("size", min_size, max_size)
        codes = _choices("jurisdictions", jurisdictions, DEFAULT_JURISDICTIONS, _code_problem)
        if not isinstance(jurisdictions, SearchStrategy):
            available = len(set(jurisdictions or DEFAULT_JURISDICTIONS))
            if min_size > available:
                raise InvalidArgument(
                    f"min_size={min_size} places cannot be drawn from {available} jurisdictions"
                )
        return st.dictionaries(
            codes,
            st.integers(min_count, max_count),
            min_size=min_size,
            max_size=max_size,
        )

    return _lazy(build)


# --- exposures ---------------------------------------------------------------------------


def exposures(
    *,
    elements: Sequence[str] | SearchStrategy[str] | None = None,
    min_elements: int = 1,
    max_elements: int | None = 4,
    residents: SearchStrategy[dict[str, int]] | None = None,
    jurisdictions: Sequence[str] | SearchStrategy[str] | None = None,
    unknown: Collection[str] | None = None,
    paper: bool = False,
) -> SearchStrategy[Exposure]:
    """One group of people whose data was exposed the same way.

    ``elements``: data element words to draw from (CONTRACT section 2) or a strategy of
    them; ``min_elements``/``max_elements`` bound how many. ``residents``: a strategy of
    resident counts (default :func:`residents` over ``jurisdictions``). ``unknown``: which
    of the exposure facts (``encrypted``, ``key_compromised``, ``acquired``, ``accessed``,
    ``paper``, ``destroyed``, ``lost``, ``altered``) may be drawn as null; default: any
    fact in :data:`UNKNOWABLE`. ``paper``: also draw paper records (the contract's default
    is computerized data, ``False``).
    A compromised key is only ever drawn for data that is, or may be, encrypted.
    """
    resident_strategy = residents
    outer_jurisdictions = jurisdictions

    def build() -> SearchStrategy[Exposure]:
        _check_range("elements", min_elements, max_elements, floor=1)
        words = _choices("elements", elements, DATA_ELEMENTS, _element_problem)
        if not isinstance(elements, SearchStrategy):
            available = len(set(elements or DATA_ELEMENTS))
            if min_elements > available:
                raise InvalidArgument(
                    f"min_elements={min_elements} cannot be drawn from {available} words"
                )
        if resident_strategy is not None and outer_jurisdictions is not None:
            raise InvalidArgument("pass residents= or jurisdictions=, not both")
        people = _strategy_or(
            resident_strategy,
            "residents",
            _residents_default(outer_jurisdictions),
        )
        if not isinstance(paper, bool):
            raise InvalidArgument(f"paper={paper!r} must be True or False")
        known = _unknown_set(unknown)
        return _exposure(words, min_elements, max_elements, people, known, paper)

    return _lazy(build)


def _residents_default(
    jurisdictions: Sequence[str] | SearchStrategy[str] | None,
) -> SearchStrategy[dict[str, int]]:
    return residents(jurisdictions=jurisdictions)


@st.composite
def _exposure(
    draw: st.DrawFn,
    words: SearchStrategy[str],
    min_elements: int,
    max_elements: int | None,
    people: SearchStrategy[dict[str, int]],
    unknown: frozenset[str],
    paper: bool,
) -> Exposure:
    chosen = draw(st.lists(words, min_size=min_elements, max_size=max_elements, unique=True))
    bools = st.booleans()
    encrypted = draw(_maybe(bools, "encrypted", unknown))
    # A key cannot be compromised for data that was not encrypted (serde's rule).
    key_values = st.just(False) if encrypted is False else bools
    key_compromised = draw(_maybe(key_values, "key_compromised", unknown))
    return Exposure(
        elements=tuple(chosen),
        residents=draw(people),
        encrypted=encrypted,
        key_compromised=key_compromised,
        acquired=draw(_maybe(bools, "acquired", unknown)),
        accessed=draw(_maybe(bools, "accessed", unknown)),
        paper=draw(_maybe(bools, "paper", unknown)) if paper else False,
        destroyed=draw(_maybe(bools, "destroyed", unknown)),
        lost=draw(_maybe(bools, "lost", unknown)),
        altered=draw(_maybe(bools, "altered", unknown)),
    )


# --- parties -----------------------------------------------------------------------------


def parties(
    *,
    types: Sequence[str] | SearchStrategy[str] | None = None,
    max_types: int = 2,
    jurisdictions: Sequence[str] | SearchStrategy[str] | None = None,
    min_size: int = 1,
    max_size: int = 3,
    providers: bool = True,
    unknown: Collection[str] | None = None,
) -> SearchStrategy[list[Party]]:
    """A valid list of parties: an owner first, then service providers.

    Each provider serves an earlier party, so a sub-processor chain always ends at the
    owner. ``types``: party type words to draw from (default: CONTRACT section 3) or a
    strategy; ``max_types`` per party. ``jurisdictions``: codes for ``established_in``
    and ``offers_to``. ``providers=False`` draws owners only (each a separate owner).
    ``unknown``: whether ``offers_to`` may be null (the only party fact that can be).
    """

    def build() -> SearchStrategy[list[Party]]:
        _check_range("size", min_size, max_size, floor=1)
        if isinstance(max_types, bool) or not isinstance(max_types, int) or max_types < 0:
            raise InvalidArgument(f"max_types={max_types!r} must be a whole number >= 0")
        if not isinstance(providers, bool):
            raise InvalidArgument(f"providers={providers!r} must be True or False")
        words = _choices("types", types, PARTY_TYPES, _type_problem)
        codes = _choices("jurisdictions", jurisdictions, DEFAULT_JURISDICTIONS, _code_problem)
        known = _unknown_set(unknown)
        return _parties(words, max_types, codes, min_size, max_size, providers, known)

    return _lazy(build)


@st.composite
def _parties(
    draw: st.DrawFn,
    words: SearchStrategy[str],
    max_types: int,
    codes: SearchStrategy[str],
    min_size: int,
    max_size: int,
    providers: bool,
    unknown: frozenset[str],
) -> list[Party]:
    count = draw(st.integers(min_size, max_size))
    out: list[Party] = []
    for i in range(count):
        is_provider = providers and i > 0 and draw(st.booleans())
        pid = f"{'provider' if is_provider else 'owner'}-{i}"
        places = st.lists(codes, max_size=2, unique=True).map(tuple)
        offers = draw(_maybe(places, "offers_to", unknown))
        out.append(
            Party(
                id=pid,
                data_role="service_provider" if is_provider else "owner",
                name=f"Party {i}",
                serves=out[draw(st.integers(0, i - 1))].id if is_provider else None,
                types=tuple(draw(st.lists(words, max_size=max_types, unique=True))),
                established_in=draw(places),
                offers_to=offers,
            )
        )
    return out


# --- contracts ---------------------------------------------------------------------------


def contracts(
    *,
    owner: str | SearchStrategy[str] = "owner-0",
    provider: str | SearchStrategy[str] = "provider-1",
    ids: SearchStrategy[str] | None = None,
    min_hours: int = 0,
    max_hours: int | None = 720,
    unknown: Collection[str] | None = None,
) -> SearchStrategy[Contract]:
    """Notification and liability terms between ``owner`` and ``provider``.

    ``owner``/``provider``: party ids (or strategies of them); they must name parties of
    the incident the contract goes into, which :func:`incidents` arranges itself.
    ``min_hours``/``max_hours`` bound ``notify_owner_within_hours``. ``unknown``: which
    terms may be absent (null): any of ``notify_owner_within_hours``,
    ``individual_notice_by``, ``costs_borne_by``, ``indemnity``, ``liability_cap``.
    """

    def build() -> SearchStrategy[Contract]:
        _check_range("hours", min_hours, max_hours)
        owners = _party_ids("owner", owner)
        providers_ = _party_ids("provider", provider)
        names = _strategy_or(ids, "ids", st.just("contract-0"))
        known = _unknown_set(unknown)
        who = st.sampled_from(["owner", "provider"])
        return st.builds(
            Contract,
            id=names,
            owner=owners,
            provider=providers_,
            notify_owner_within_hours=_maybe(
                st.integers(min_hours, max_hours), "notify_owner_within_hours", known
            ),
            individual_notice_by=_maybe(who, "individual_notice_by", known),
            costs_borne_by=_maybe(who, "costs_borne_by", known),
            indemnity=_maybe(st.booleans(), "indemnity", known),
            liability_cap=_maybe(st.integers(0, 10_000_000).map(float), "liability_cap", known),
        )

    return _lazy(build)


def _party_ids(name: str, value: str | SearchStrategy[str]) -> SearchStrategy[str]:
    if isinstance(value, SearchStrategy):
        return value
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"{name}={value!r} must be a party id or a strategy of them")
    return st.just(value)


# --- incidents ---------------------------------------------------------------------------


def incidents(
    *,
    jurisdictions: Sequence[str] | SearchStrategy[str] | None = None,
    elements: Sequence[str] | SearchStrategy[str] | None = None,
    party_types: Sequence[str] | SearchStrategy[str] | None = None,
    exposures: SearchStrategy[Exposure] | None = None,
    parties: SearchStrategy[list[Party]] | None = None,
    min_exposures: int = 1,
    max_exposures: int = 3,
    min_count: int = 0,
    max_count: int | None = 100_000,
    contracts: bool = True,
    unknown: Collection[str] | None = None,
    discovered_at: SearchStrategy[datetime] | None = None,
    timestamps: bool = True,
    breached_role: str | None = None,
) -> SearchStrategy[Incident]:
    """Complete, valid incidents (CONTRACT section 1).

    Steer what is drawn with:

    - ``jurisdictions``: residence and establishment codes (default
      :data:`DEFAULT_JURISDICTIONS`); ``elements``: data element words; ``party_types``:
      party type words (each a list of words or a strategy of one word);
    - ``min_exposures``/``max_exposures`` and ``min_count``/``max_count`` (people per
      place), or whole strategies: ``exposures=`` (e.g. :func:`exposures` with your own
      arguments) and ``parties=`` (:func:`parties`); ``elements``, ``min_count`` and
      ``max_count`` steer only the default exposures, ``party_types`` only the default
      parties, and ``jurisdictions`` both defaults;
    - ``contracts``: whether to draw contracts between the owner and its providers;
    - ``unknown``: the facts (from :data:`UNKNOWABLE`) that may be null; default all,
      ``unknown=()`` for incidents whose every fact is established;
    - ``discovered_at``: a strategy of timezone-aware datetimes (default 2019 to 2026 in
      a handful of UTC offsets); ``timestamps=False`` leaves the optional timestamps
      (determination, ransom, classification, law enforcement) unset;
    - ``breached_role``: ``"owner"`` or ``"service_provider"`` to draw only incidents
      whose breached party has that data role (a processor breach, say); by default any
      party may be the breached one.
    """
    exposure_strategy = exposures
    party_strategy = parties
    with_contracts = contracts

    def build() -> SearchStrategy[Incident]:
        _check_range("exposures", min_exposures, max_exposures)
        known = _unknown_set(unknown)
        if exposure_strategy is not None and elements is not None:
            raise InvalidArgument("pass elements= to exposures(...), not beside exposures=")
        people = residents(jurisdictions=jurisdictions, min_count=min_count, max_count=max_count)
        exposure_s = _strategy_or(
            exposure_strategy,
            "exposures",
            _exposure_of(elements, people, known),
        )
        party_s = _strategy_or(
            party_strategy,
            "parties",
            _parties_of(party_types, jurisdictions, known),
        )
        when = _strategy_or(discovered_at, "discovered_at", _moments())
        if breached_role not in (None, "owner", "service_provider"):
            raise InvalidArgument(
                f"breached_role={breached_role!r} must be 'owner', 'service_provider' or None"
            )
        if breached_role == "service_provider" and party_strategy is None:
            # at least two parties, so that a provider can be drawn at all
            party_s = _parties_of(party_types, jurisdictions, known, 2)
        for flag, label in ((with_contracts, "contracts"), (timestamps, "timestamps")):
            if not isinstance(flag, bool):
                raise InvalidArgument(f"{label}={flag!r} must be True or False")
        return _incident(
            exposure_s,
            party_s,
            min_exposures,
            max_exposures,
            with_contracts,
            known,
            when,
            timestamps,
            breached_role,
        )

    return _lazy(build)


def _exposure_of(
    elements: Sequence[str] | SearchStrategy[str] | None,
    people: SearchStrategy[dict[str, int]],
    known: frozenset[str],
) -> SearchStrategy[Exposure]:
    return exposures(elements=elements, residents=people, unknown=known)


def _parties_of(
    party_types: Sequence[str] | SearchStrategy[str] | None,
    jurisdictions: Sequence[str] | SearchStrategy[str] | None,
    known: frozenset[str],
    min_size: int = 1,
) -> SearchStrategy[list[Party]]:
    return parties(
        types=party_types,
        jurisdictions=jurisdictions,
        unknown=known,
        min_size=min_size,
        max_size=max(3, min_size),
    )


def _moments() -> SearchStrategy[datetime]:
    return st.builds(
        lambda naive, tz: naive.replace(microsecond=0, tzinfo=tz),
        st.datetimes(min_value=_MIN_DAY, max_value=_MAX_DAY),
        st.sampled_from(_OFFSETS),
    )


def _later(draw: st.DrawFn, start: datetime, max_days: int = 60) -> datetime:
    seconds = draw(st.integers(0, max_days * 86_400))
    return start + timedelta(seconds=seconds)


@st.composite
def _incident(
    draw: st.DrawFn,
    exposure_s: SearchStrategy[Exposure],
    party_s: SearchStrategy[list[Party]],
    min_exposures: int,
    max_exposures: int,
    with_contracts: bool,
    unknown: frozenset[str],
    when: SearchStrategy[datetime],
    timestamps: bool,
    breached_role: str | None,
) -> Incident:
    people = draw(party_s)
    if not people:
        raise InvalidArgument("parties= drew an empty list; an incident needs a party")
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise InvalidArgument(f"parties= drew duplicate party ids: {ids}")
    discovered = draw(when)
    if discovered.tzinfo is None or discovered.utcoffset() is None:
        raise InvalidArgument("discovered_at= must draw timezone-aware datetimes")
    bools = st.booleans()
    candidates = [p.id for p in people if breached_role in (None, p.data_role)]
    # No party with the wanted role: discard this draw (Hypothesis tries another).
    assume(bool(candidates))
    breached = draw(st.sampled_from(candidates))
    terms: list[Contract] = []
    if with_contracts:
        by_id = {p.id: p for p in people}
        for p in people:
            if p.data_role != "service_provider" or p.serves not in by_id:
                continue
            if draw(bools):
                # A contract binds a provider to the party it serves (one tier), as the
                # engine reads contracts up a chain of providers.
                terms.append(
                    draw(
                        contracts(
                            owner=str(p.serves),
                            provider=p.id,
                            ids=st.just(f"contract-{len(terms)}"),
                            unknown=unknown,
                        )
                    )
                )

    def stamp() -> datetime | None:
        if not timestamps or not draw(bools):
            return None
        return _later(draw, discovered)

    occurred = (
        discovered - timedelta(seconds=draw(st.integers(0, 90 * 86_400))) if draw(bools) else None
    )
    delay = stamp()
    classification = Classification(
        **{name: draw(_maybe(bools, name, unknown)) for name in CLASSIFICATION_FLAGS},
        classified_at=stamp(),
        bank_determined_at=stamp(),
        nydfs_determined_at=stamp(),
    )
    exposures_drawn = tuple(
        draw(st.lists(exposure_s, min_size=min_exposures, max_size=max_exposures))
    )
    return Incident(
        id=f"GEN-{draw(st.integers(0, 9999)):04d}",
        discovered_at=discovered,
        parties=tuple(people),
        exposures=exposures_drawn,
        title=None,
        occurred_at=occurred,
        breach_determined_at=stamp(),
        materiality_determined_at=stamp(),
        ransom_paid_at=stamp(),
        breached_party=breached,
        contracts=tuple(terms),
        risk=Risk(
            harm_likely=draw(_maybe(bools, "harm_likely", unknown)),
            findings=_findings(draw, exposures_drawn, stamp),
            gdpr_risk=draw(_maybe(st.sampled_from(GDPR_RISK_LEVELS), "gdpr_risk", unknown)),
            hipaa_low_probability_of_compromise=draw(
                _maybe(bools, "hipaa_low_probability_of_compromise", unknown)
            ),
        ),
        good_faith_insider=draw(_maybe(bools, "good_faith_insider", unknown)),
        malicious=draw(_maybe(bools, "malicious", unknown)),
        law_enforcement=_law_enforcement(draw, delay),
        classification=classification,
    )


def _law_enforcement(draw: st.DrawFn, notified: datetime | None) -> LawEnforcement:
    """The agency's involvement: told at ``notified``, and if so a delay asked for until
    later, made orally or in writing at that moment or not dated, with some further
    determinations (each of the later facts possibly unknown)."""
    if notified is None:
        return LawEnforcement()
    return LawEnforcement(
        notified_at=notified,
        delay_requested_until=_later(draw, notified),
        delay_requested_at=notified if draw(st.booleans()) else None,
        delay_in_writing=draw(st.none() | st.booleans()),
        delay_extensions=draw(st.none() | st.integers(0, 3)),
    )


def _findings(
    draw: st.DrawFn, exposures: tuple[Exposure, ...], stamp: Callable[[], datetime | None]
) -> dict[str, Finding]:
    """Per-law risk findings for some of the places with affected residents (a US state's
    residence code is its ruleset's code), each possibly partial."""
    places = sorted({code for e in exposures for code in e.residents})
    chosen = draw(st.lists(st.sampled_from(places), max_size=2, unique=True)) if places else []
    maybe = st.none() | st.booleans()
    return {
        code: Finding(
            harm_likely=draw(maybe),
            in_writing=draw(maybe),
            law_enforcement_consulted=draw(maybe),
            made_at=stamp(),
        )
        for code in chosen
    }


# --- st.from_type --------------------------------------------------------------------------


def type_strategies() -> dict[str, SearchStrategy[Any]]:
    """The strategy ``st.from_type`` uses for each fact type, by kind."""
    return {
        "incident": incidents(),
        "exposure": exposures(),
        "party": parties(max_size=1, providers=False).map(lambda ps: ps[0]),
        "contract": contracts(),
        "risk": st.builds(
            Risk,
            harm_likely=st.none() | st.booleans(),
            gdpr_risk=st.none() | st.sampled_from(GDPR_RISK_LEVELS),
            hipaa_low_probability_of_compromise=st.none() | st.booleans(),
        ),
    }


def _hypothesis_setup_hook() -> None:
    """Register the strategies for the fact types, so ``st.from_type(Incident)`` works.

    The installed package's ``hypothesis`` entry point does this lazily (see
    :mod:`breachrules.testing._hypothesis_hook`); call it yourself where the package is
    not installed.
    """
    by_kind = type_strategies()
    for kind, cls in (
        ("incident", Incident),
        ("exposure", Exposure),
        ("party", Party),
        ("contract", Contract),
        ("risk", Risk),
    ):
        st.register_type_strategy(cls, by_kind[kind])


# --- how a failing incident is printed -------------------------------------------------------


def _print_incident(incident: Incident, printer: Any, cycle: bool) -> None:
    """Print a drawn incident as a ``load_incident({...})`` call (a Python literal, so it
    can be pasted and run): the contract document without unknown values and empty lists,
    so a shrunk counterexample is a few lines, ready for
    :func:`breachrules.testing.cases.scenario_case`."""
    from breachrules.testing.cases import compact_json, incident_document

    printer.text(f"load_incident({compact_json(incident_document(incident), python=True)})")


# Hypothesis' pretty printer looks a type up by module and name; an incident drawn from
# these strategies is built directly (not with st.builds), so this printer is the one used.
for_type_by_name(Incident.__module__, Incident.__qualname__, _print_incident)
