"""The guide: drafts, the other organisation's named review, the owner's publishing, kept
and dated versions, the demo label, local variants and search in Finnish and Swedish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.knowledge import guide, selectors
from silta.knowledge.inputs import ReviewInput, ReviewRequestInput
from silta.knowledge.models import GuideVersion, PublishedVersionChanged, VersionState
from silta.knowledge.tests.scene import reviewed, text
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def _entry(knowledge, slug):
    return knowledge.entries[slug]


def test_an_unreviewed_version_is_not_published_even_by_the_owner(world, knowledge):
    draft = guide.version_draft(
        actor=world.actor("kela_processor"), entry=_entry(knowledge, "eyeglasses"), data=text("L")
    )
    with pytest.raises(Invalid) as refused:
        guide.version_publish(actor=world.actor("kela_manager"), version=draft)
    assert refused.value.code == "not_reviewed"
    draft.refresh_from_db()
    assert (draft.state, draft.published_at) == (VersionState.DRAFT, None)


def test_the_reviewer_must_come_from_the_other_organisation(world, knowledge):
    kela = world.actor("kela_processor")
    draft = guide.version_draft(actor=kela, entry=_entry(knowledge, "eyeglasses"), data=text("L"))
    colleague = ReviewRequestInput(reviewer_id=world.users["kela_other_unit"].public_id)
    with pytest.raises(Invalid) as refused:
        guide.review_request(actor=kela, version=draft, data=colleague)
    assert refused.value.code == "reviewer_required"
    # An administrator of the other side drafts nothing, so cannot review either.
    admin = ReviewRequestInput(reviewer_id=world.users["social_admin"].public_id)
    with pytest.raises(Invalid):
        guide.review_request(actor=kela, version=draft, data=admin)
    draft.refresh_from_db()
    assert (draft.state, draft.reviewer) == (VersionState.DRAFT, None)


def test_only_the_named_reviewer_approves_and_only_an_owner_publishes(world, knowledge):
    kela = world.actor("kela_processor")
    entry = _entry(knowledge, "eyeglasses")
    draft = guide.version_draft(actor=kela, entry=entry, data=text("Silmälasit"))
    named = ReviewRequestInput(reviewer_id=world.users["social_worker"].public_id)
    guide.review_request(actor=kela, version=draft, data=named)
    approve = ReviewInput(kind="approve")
    for other in ("social_counsellor", "social_manager", "kela_processor", "kela_manager"):
        with pytest.raises(Forbidden):
            guide.review_add(actor=world.actor(other), version=draft, data=approve)
    # The owner's people may answer with a comment, not approve.
    guide.review_add(actor=kela, version=draft, data=ReviewInput(kind="comment", body="Kiitos"))
    comment = guide.review_add(
        actor=world.actor("social_worker"),
        version=draft,
        data=ReviewInput(kind="comment", body="Lisätkää hintaraja"),
    )
    assert (comment.unit, comment.author) == (world.social_unit, world.users["social_worker"])
    guide.review_add(actor=world.actor("social_worker"), version=draft, data=approve)
    draft.refresh_from_db()
    assert draft.state == VersionState.REVIEWED and draft.reviewed_at is not None
    for not_owner in ("kela_processor", "social_manager", "social_worker"):
        with pytest.raises(Forbidden):
            guide.version_publish(actor=world.actor(not_owner), version=draft)
    published = guide.version_publish(actor=world.actor("kela_manager"), version=draft)
    assert published.state == VersionState.PUBLISHED and published.is_verified
    assert AuditEvent.objects.filter(action="denied", user=world.users["social_manager"]).count()


def test_changes_requested_send_the_version_back_to_draft(world, knowledge):
    version = knowledge.entries["rent"].versions.get(number=2)
    guide.review_add(
        actor=world.actor("social_worker"),
        version=version,
        data=ReviewInput(kind="changes", body="Lisää esimerkki"),
    )
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT
    with pytest.raises(Invalid):  # a request for changes needs words
        guide.review_add(
            actor=world.actor("social_worker"), version=version, data=ReviewInput(kind="changes")
        )


def test_every_published_version_is_kept_unchanged_and_dated(world, knowledge):
    entry = _entry(knowledge, "moving-costs")
    with pytest.raises(Conflict):  # one open draft (here: reviewed, unpublished) at a time
        guide.version_draft(actor=world.actor("kela_processor"), entry=entry, data=text("B"))
    first = guide.version_publish(
        actor=world.actor("kela_manager"), version=entry.versions.get(number=2)
    )
    second = reviewed(world, entry, "Muuttokulut 2027")
    guide.version_publish(actor=world.actor("kela_manager"), version=second)
    kept = GuideVersion.objects.get(pk=first.pk)
    assert (kept.title_fi, kept.published_at, kept.state) == (
        "Muuttokustannukset",
        first.published_at,
        VersionState.PUBLISHED,
    )
    page = selectors.entry_page(actor=world.actor("social_worker"), entry=entry)
    assert [v.number for v in page.history] == [3, 2]
    assert page.shown.version is not None and page.shown.version.number == 3
    kept.title_fi = "Muutettu jälkikäteen"
    with pytest.raises(PublishedVersionChanged):
        kept.save()


def test_the_demo_label_is_shown_until_an_owner_publishes_a_reviewed_version(world, knowledge):
    entry = _entry(knowledge, "moving-costs")
    http = browser_client("fi")
    http.force_login(world.users["social_worker"])
    url = reverse("knowledge:entry", args=[entry.slug])
    before = http.get(url).content.decode()
    assert 'data-testid="demo-label"' in before
    assert "Demosisältöä" in before or "Demo content" in before
    listing = http.get(reverse("knowledge:guide")).content.decode()
    assert listing.count("tag-warn") == 15  # every starter entry is labelled
    guide.version_publish(actor=world.actor("kela_manager"), version=entry.versions.get(number=2))
    after = http.get(url).content.decode()
    assert 'data-testid="demo-label"' not in after
    assert "Muuttokustannukset" in after
    assert http.get(reverse("knowledge:guide")).content.decode().count("tag-warn") == 14


def test_a_draft_is_not_shown_as_the_entry_and_not_to_others(world, knowledge):
    entry = _entry(knowledge, "rent-deposit")
    page = selectors.entry_page(actor=world.actor("social_worker"), entry=entry)
    assert page.shown.version is not None and page.draft is None
    assert page.shown.version.state == VersionState.DEMO
    own = selectors.entry_page(actor=world.actor("kela_processor"), entry=entry)
    assert own.draft is not None and own.draft.number == 2


def test_an_organiser_keeps_its_own_local_variant_next_to_the_national_entry(world, knowledge):
    national = _entry(knowledge, "rent-deposit")
    with pytest.raises(Forbidden):  # Kela owns the national entry, not variants
        guide.variant_create(actor=world.actor("kela_processor"), national=national)
    variant = guide.variant_create(actor=world.actor("social_worker"), national=national)
    assert (variant.owner, variant.national) == (world.county, national)
    with pytest.raises(Conflict):
        guide.variant_create(actor=world.actor("social_counsellor"), national=national)
    draft = variant.versions.get()
    assert draft.state == VersionState.DRAFT and draft.title_fi == "Vuokravakuus"
    with pytest.raises(Forbidden):
        guide.version_edit(actor=world.actor("kela_processor"), version=draft, data=text("X"))
    guide.version_edit(
        actor=world.actor("social_worker"), version=draft, data=text("Vakuus Pohjois-Savossa")
    )
    # Its reviewer comes from Kela.
    with pytest.raises(Invalid):
        guide.review_request(
            actor=world.actor("social_worker"),
            version=draft,
            data=ReviewRequestInput(reviewer_id=world.users["social_counsellor"].public_id),
        )
    guide.review_request(
        actor=world.actor("social_worker"),
        version=draft,
        data=ReviewRequestInput(reviewer_id=world.users["kela_processor"].public_id),
    )
    guide.review_add(
        actor=world.actor("kela_processor"), version=draft, data=ReviewInput(kind="approve")
    )
    with pytest.raises(Forbidden):  # Kela's manager does not own the county's variant
        guide.version_publish(actor=world.actor("kela_manager"), version=draft)
    guide.version_publish(actor=world.actor("social_manager"), version=draft)
    page = selectors.entry_page(actor=world.actor("kela_processor"), entry=national)
    assert [row.entry for row in page.variants] == [variant]
    shown = page.variants[0].version
    assert shown is not None and shown.title_fi == "Vakuus Pohjois-Savossa"
    assert not page.variants[0].is_demo


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vuokravakuus", {"rent-deposit"}),
        ("vuokravakuuden", {"rent-deposit"}),  # genitive
        ("hyresgaranti", {"rent-deposit"}),
        ("hyresgarantin", {"rent-deposit"}),  # Swedish definite form
        ("SILMÄLASIT", {"eyeglasses"}),
        ("glasögon", {"eyeglasses"}),
        ("glasogon", {"eyeglasses"}),  # typed without the diacritics
        ("begravning", {"funeral-costs"}),
        ("tandvård", {"dental-care"}),
        ("hautauskulut", {"funeral-costs"}),
        ("sähkökatko", {"electricity-arrears"}),
        ("sähkö", {"household-electricity", "electricity-arrears"}),
        ("kvantfysik", set()),
    ],
)
def test_search_in_finnish_and_swedish(world, knowledge, query, expected):
    rows = selectors.guide_list(actor=world.actor("social_worker"), query=query)
    assert {row.entry.slug for row in rows} == expected


def test_search_finds_a_national_entry_by_its_local_variant(world, knowledge):
    national = _entry(knowledge, "furniture")
    variant = guide.variant_create(actor=world.actor("social_worker"), national=national)
    guide.version_edit(
        actor=world.actor("social_worker"),
        version=variant.versions.get(),
        data=text("Kalusteet", summary="Kierrätyskeskuksen lahjakortti"),
    )
    version = reviewed_variant(world, variant)
    guide.version_publish(actor=world.actor("social_manager"), version=version)
    rows = selectors.guide_list(actor=world.actor("kela_processor"), query="lahjakortti")
    assert [row.entry.slug for row in rows] == ["furniture"]


def reviewed_variant(world, variant):
    version = variant.versions.get()
    guide.review_request(
        actor=world.actor("social_worker"),
        version=version,
        data=ReviewRequestInput(reviewer_id=world.users["kela_processor"].public_id),
    )
    guide.review_add(
        actor=world.actor("kela_processor"), version=version, data=ReviewInput(kind="approve")
    )
    return version


def test_a_guide_entry_touched_by_an_upcoming_change_says_so_and_links_it(world, knowledge):
    http = browser_client("fi")
    http.force_login(world.users["social_worker"])
    page = http.get(reverse("knowledge:entry", args=["rent-deposit"])).content.decode()
    link = reverse("knowledge:bulletin", args=[knowledge.bulletin.public_id])
    assert 'data-testid="changing-on"' in page and link in page
    assert knowledge.bulletin.effective_date.strftime("%-d.%-m.%Y") in page
    other = http.get(reverse("knowledge:entry", args=["rent"])).content.decode()
    assert 'data-testid="changing-on"' not in other


def test_a_change_in_effect_no_longer_shows_as_upcoming(world, knowledge):
    bulletin = knowledge.bulletin
    entry = knowledge.entries["rent-deposit"]
    assert selectors.upcoming_changes(entry) == [bulletin]
    later = bulletin.effective_date + dt.timedelta(days=1)
    assert selectors.upcoming_changes(entry, today=later) == []
