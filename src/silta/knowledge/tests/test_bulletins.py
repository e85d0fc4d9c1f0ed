"""Bulletins: publishing refuses bad input and changes nothing; receiving units
acknowledge (who, when); the publisher and managers see who has not; Q&A."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from silta.api_keys.services import api_key_issue
from silta.core.errors import Forbidden, Invalid, NotFound
from silta.knowledge import bulletins, selectors
from silta.knowledge.inputs import PostInput
from silta.knowledge.models import Acknowledgement, Bulletin, BulletinAttachment
from silta.knowledge.tests.scene import bulletin_input
from tests.factories import browser_client, pdf, png

pytestmark = pytest.mark.django_db


def _publish(world, files=(), key="kela_manager", unit=None, **changes):
    return bulletins.bulletin_publish(
        actor=world.actor(key),
        unit=unit or world.kela_unit,
        data=bulletin_input(world, **changes),
        files=list(files),
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"effective_date": None}, "effective_date_required"),
        ({"organisations": ()}, "scope_required"),
        ({"organisations": "own"}, "scope_required"),
        ({"expense_kinds": (), "topics": ()}, "scope_required"),
        ({"expense_kinds": ("unicorns",)}, "expense_kind_unknown"),
        ({"topics": ("astrology",)}, "topic_unknown"),
        ({"title": "  "}, "text_required"),
    ],
)
def test_a_bulletin_without_date_or_scope_is_refused_and_nothing_is_written(
    world, knowledge, changes, code
):
    if changes.get("organisations") == "own":
        changes["organisations"] = (world.kela.public_id,)
    before = Bulletin.objects.count()
    with pytest.raises(Invalid) as refused:
        _publish(world, files=[pdf()], **changes)
    assert refused.value.code == code
    assert Bulletin.objects.count() == before
    assert BulletinAttachment.objects.count() == 1  # the scene's only


def test_attachments_must_be_pdf_and_nothing_is_stored_when_refused(world, knowledge):
    before = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    with pytest.raises(Invalid) as refused:
        _publish(world, files=[pdf("a.pdf"), png()])
    assert refused.value.code == "attachment_not_pdf"
    after = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    assert after == before
    created = _publish(world, files=[pdf("ohje.pdf")])
    assert [a.original_name for a in created.attachments.all()] == ["ohje.pdf"]


def test_only_managers_and_systems_publish(world, knowledge):
    with pytest.raises(Forbidden):
        _publish(world, key="kela_processor")
    with pytest.raises(Forbidden):  # not for another unit than their own
        _publish(world, key="kela_manager", unit=world.kela_unit2)


def test_receiving_units_acknowledge_once_and_the_publisher_sees_who_has_not(world, knowledge):
    bulletin = knowledge.bulletin
    rows = selectors.acknowledgements(bulletin)
    assert [(r.unit, r.acknowledgement) for r in rows] == [
        (world.social_unit, None),
        (world.social_unit2, None),
    ]  # the county's units; Kela's own and the other county's are not receivers
    first = bulletins.bulletin_acknowledge(
        actor=world.actor("social_counsellor"), bulletin=bulletin
    )
    again = bulletins.bulletin_acknowledge(actor=world.actor("social_worker"), bulletin=bulletin)
    assert first.pk == again.pk and first.label == "Social_Counsellor Testinen"
    rows = selectors.acknowledgements(bulletin)
    assert [(r.unit, r.acknowledgement) for r in rows] == [
        (world.social_unit2, None),
        (world.social_unit, first),
    ]


def test_the_publishers_side_does_not_acknowledge_its_own_bulletin(world, knowledge):
    for key in ("kela_processor", "kela_other_unit"):
        with pytest.raises(Invalid) as refused:
            bulletins.bulletin_acknowledge(actor=world.actor(key), bulletin=knowledge.bulletin)
        assert refused.value.code == "own_bulletin"
    assert not Acknowledgement.objects.exists()


def test_organisations_not_concerned_do_not_see_the_bulletin(world, knowledge):
    with pytest.raises(NotFound):
        selectors.bulletin_get(
            actor=world.actor("social_other_org"), bulletin_id=knowledge.bulletin.public_id
        )
    with pytest.raises(NotFound):  # administrators read no guide or bulletins
        selectors.bulletin_get(
            actor=world.actor("social_admin"), bulletin_id=knowledge.bulletin.public_id
        )


def test_the_follow_up_table_is_for_the_publisher_and_managers(world, knowledge):
    url = reverse("knowledge:bulletin", args=[knowledge.bulletin.public_id])
    seen = {}
    for key in ("kela_manager", "social_manager", "kela_processor", "social_worker"):
        http = browser_client("fi")
        http.force_login(world.users[key])
        seen[key] = 'data-testid="acks"' in http.get(url).content.decode()
    assert seen == {
        "kela_manager": True,
        "social_manager": True,
        "kela_processor": False,
        "social_worker": False,
    }


def test_questions_and_answers(world, knowledge):
    bulletin = knowledge.bulletin
    question = bulletins.bulletin_post(
        actor=world.actor("social_worker"),
        bulletin=bulletin,
        data=PostInput(body="Koskeeko muutos myös vireillä olevia hakemuksia?"),
    )
    answer = bulletins.bulletin_post(
        actor=world.actor("kela_manager"),
        bulletin=bulletin,
        data=PostInput(body="Koskee 1.3. jälkeen saapuneita."),
    )
    assert (question.unit, answer.unit) == (world.social_unit, world.kela_unit)
    with pytest.raises(Invalid):
        bulletins.bulletin_post(
            actor=world.actor("social_worker"), bulletin=bulletin, data=PostInput(body=" ")
        )
    with pytest.raises(Forbidden):
        bulletins.bulletin_post(
            actor=world.actor("social_other_org"), bulletin=bulletin, data=PostInput(body="?")
        )
    assert list(bulletin.posts.all()) == [question, answer]


def test_the_api_publishes_lists_and_acknowledges_with_json_errors(client, world, knowledge):
    kela = api_key_issue(unit=world.kela_unit, name="Kela CMS").plaintext
    county = api_key_issue(unit=world.social_unit, name="County CMS").plaintext
    body = {
        "title": "Hautauskulut",
        "summary": "Uusi ohje",
        "what_changes": "Enimmäismäärä",
        "effective_date": None,
        "expense_kinds": ["funeral-costs"],
        "organisations": [str(world.kela.public_id)],
    }
    headers = {"Authorization": f"Bearer {county}", "Accept-Language": "en"}
    refused = client.post(
        "/api/v1/knowledge/bulletins", body, content_type="application/json", headers=headers
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "effective_date_required" and refused.json()["message"]
    body["effective_date"] = "2030-03-01"
    created = client.post(
        "/api/v1/knowledge/bulletins", body, content_type="application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    bulletin_id = created.json()["id"]
    own = client.post(f"/api/v1/knowledge/bulletins/{bulletin_id}/acknowledge", headers=headers)
    assert (own.status_code, own.json()["code"]) == (400, "own_bulletin")
    kela_headers = {"Authorization": f"Bearer {kela}"}
    ack = client.post(
        f"/api/v1/knowledge/bulletins/{bulletin_id}/acknowledge", headers=kela_headers
    )
    assert ack.status_code == 200 and ack.json()["unit_id"] == str(world.kela_unit.public_id)
    listed = client.get("/api/v1/knowledge/bulletins", headers=kela_headers).json()
    assert {item["id"] for item in listed["items"]} == {
        bulletin_id,
        str(knowledge.bulletin.public_id),
    }
    search = client.get("/api/v1/knowledge/guide?q=begravning", headers=kela_headers).json()
    assert [row["slug"] for row in search] == ["funeral-costs"]
    assert search[0]["demo_content"] is True
    assert search[0]["upcoming_changes"][0]["bulletin_id"] == bulletin_id


def test_the_web_form_publishes_with_a_pdf_and_shows_errors_in_place(world, knowledge):
    http = browser_client("fi")
    http.force_login(world.users["social_manager"])
    form: dict[str, Any] = {
        "publisher_unit": str(world.social_unit.public_id),
        "title": "Lapsen harrastukset",
        "summary": "Uusi enimmäismäärä",
        "what_changes": "Enintään 300 euroa vuodessa",
        "topics": ["child_and_family"],
        "expense_kinds": ["child-hobby"],
        "organisations": [str(world.kela.public_id)],
    }
    refused = http.post(reverse("knowledge:bulletin_new"), form)
    assert refused.status_code == 400
    assert "Anna päivä, josta alkaen muutos on voimassa." in refused.content.decode()
    before = Bulletin.objects.count()
    form |= {"effective_date": "2030-01-01", "attachments": [pdf("ohje.pdf")]}
    created = http.post(reverse("knowledge:bulletin_new"), form)
    assert created.status_code == 302 and Bulletin.objects.count() == before + 1
    bulletin = Bulletin.objects.order_by("-pk").first()
    assert bulletin is not None and bulletin.publisher_unit == world.social_unit
    assert [a.original_name for a in bulletin.attachments.all()] == ["ohje.pdf"]
    # Kela's units receive it; the county's own units do not.
    assert {r.unit for r in selectors.acknowledgements(bulletin)} == {
        world.kela_unit,
        world.kela_unit2,
    }
