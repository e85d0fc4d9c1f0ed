"""Properties of the disclosure decision over generated consents and disclosures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from silta.consents.bases import BASES
from silta.consents.codes import Category, Circumstance, DisclosureKind, Purpose
from silta.consents.rules import (
    BASIS_CODES,
    CONSENT_CHECKS,
    CONSENT_NOT_FOUND,
    NO_CONSENT,
    NOT_BETWEEN_ORGANISATIONS,
    Allowed,
    ConsentTerms,
    Party,
    Question,
    Refused,
    basis_failure,
    consent_failure,
    decide,
)

HKI = ZoneInfo("Europe/Helsinki")
PARTIES = [
    Party(1, 100, True),
    Party(2, 100, True),
    Party(11, 200, False),
    Party(12, 200, False),
    Party(21, 300, False),
]
CODES = set(CONSENT_CHECKS) | set(BASIS_CODES) | {NO_CONSENT, CONSENT_NOT_FOUND}
CODES.add(NOT_BETWEEN_ORGANISATIONS)

days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31))
moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(HKI)
)


@st.composite
def consents(draw: st.DrawFn, consent_id: int) -> ConsentTerms:
    start = draw(days)
    return ConsentTerms(
        id=consent_id,
        organiser_id=draw(st.sampled_from([200, 300])),
        kela_unit_ids=draw(st.frozensets(st.sampled_from([1, 2]), max_size=1)),
        social_unit_ids=draw(st.frozensets(st.sampled_from([11, 12, 21]), max_size=2)),
        other_unit_ids=draw(st.frozensets(st.sampled_from([11, 12, 21]), max_size=1)),
        purposes=draw(st.frozensets(st.sampled_from(Purpose.values), min_size=1)),
        categories=draw(st.frozensets(st.sampled_from(Category.values), min_size=1)),
        valid_from=start,
        valid_until=start + dt.timedelta(days=draw(st.integers(0, 800))),
        revoked_at=draw(st.none() | moments),
    )


consent_lists = st.lists(st.integers(1, 50), unique=True, max_size=4).flatmap(
    lambda ids: st.tuples(*[consents(i) for i in ids]).map(list)
)
questions = st.builds(
    Question,
    kind=st.sampled_from(DisclosureKind.values),
    category=st.sampled_from(Category.values),
    purpose=st.sampled_from(Purpose.values),
    discloser=st.sampled_from(PARTIES),
    recipient=st.sampled_from(PARTIES),
    at=moments,
    circumstance=st.sampled_from(["", *Circumstance.values]),
)
basis_ids = st.none() | st.sampled_from([*BASES, "unknown"])


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists, basis_ids)
def test_an_allowed_disclosure_rests_on_a_covering_consent_or_a_sufficient_basis(q, terms, basis):
    decision = decide(q, terms, basis_id=basis)
    if isinstance(decision, Refused):
        assert decision.code in CODES
        return
    if decision.consent_id is not None:
        chosen = next(t for t in terms if t.id == decision.consent_id)
        assert consent_failure(chosen, q) is None
    else:
        assert basis is not None
        assert all(consent_failure(t, q) is not None for t in terms)
        assert basis_failure(BASES[basis], q) is None
        assert decision.inform_client == BASES[basis].inform_client


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists)
def test_every_offered_basis_makes_the_disclosure_lawful(q, terms):
    decision = decide(q, terms)
    if not isinstance(decision, Refused):
        return
    for basis in decision.lawful_bases:
        conditions = sorted(BASES[basis].conditions)
        affirmed = Question(**{**q.__dict__, "circumstance": conditions[0] if conditions else ""})
        assert isinstance(decide(affirmed, terms, basis_id=basis), Allowed), basis


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists, consents(99), basis_ids)
def test_a_revoked_or_expired_consent_never_allows_anything(q, terms, extra, basis):
    before = decide(q, terms, basis_id=basis)
    revoked = ConsentTerms(**{**extra.__dict__, "revoked_at": q.at - dt.timedelta(seconds=1)})
    expired = ConsentTerms(
        **{**extra.__dict__, "revoked_at": None, "valid_until": q.at.date() - dt.timedelta(days=1)}
    )
    for dead in (revoked, expired):
        after = decide(q, [*terms, dead], basis_id=basis)
        assert isinstance(after, Allowed) == isinstance(before, Allowed)
        if isinstance(after, Allowed):
            assert after.consent_id != 99


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists)
def test_narrowing_a_consent_never_widens_what_is_allowed(q, terms):
    if not terms:
        return
    narrowed = [
        ConsentTerms(**{**t.__dict__, "purposes": frozenset(sorted(t.purposes)[:1])}) for t in terms
    ]
    if isinstance(decide(q, narrowed), Allowed):
        assert isinstance(decide(q, terms), Allowed)


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists, st.integers(1, 2000))
def test_once_expired_a_consent_stays_expired(q, terms, later_days):
    later = Question(**{**q.__dict__, "at": q.at + dt.timedelta(days=later_days)})
    for t in terms:
        if consent_failure(t, q) == "consent_expired":
            assert consent_failure(t, later) in ("consent_expired", "consent_revoked")


@settings(max_examples=60, deadline=None)
@given(questions, consent_lists)
def test_nothing_is_decided_inside_one_organisation(q, terms):
    """Decided on the organisations' identity: two counties are two organisations."""
    if q.discloser.organisation_id == q.recipient.organisation_id:
        assert decide(q, terms) == Refused(NOT_BETWEEN_ORGANISATIONS, ())
    else:
        assert decide(q, terms) != Refused(NOT_BETWEEN_ORGANISATIONS, ())


@settings(max_examples=100, deadline=None)
@given(questions, consent_lists, basis_ids)
def test_between_two_organisers_only_a_consent_naming_the_other_allows(q, terms, basis):
    if q.discloser.is_kela or q.recipient.is_kela:
        return
    decision = decide(q, terms, basis_id=basis)
    if isinstance(decision, Refused):
        assert decision.lawful_bases == ()
        return
    assert decision.consent_id is not None and decision.basis_id is None
    chosen = next(t for t in terms if t.id == decision.consent_id)
    parties = {q.discloser, q.recipient}
    organiser = next(p for p in parties if p.organisation_id == chosen.organiser_id)
    (other,) = parties - {organiser}
    assert other.unit_id in chosen.other_unit_ids
