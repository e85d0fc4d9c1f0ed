"""The referral page shows the referral and guards its steps (issue 7 §2), and the subject
of a referral's thread is a key shown in each reader's language (§6)."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.test import Client as HttpClient

from silta.exchange.models import Thread
from silta.referrals.models import Referral
from silta.referrals.tests.helpers import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world, settings) -> dict[str, HttpClient]:
    settings.SILTA_DEMO_SKIP_TOTP = True
    result = {}
    for key in ("kela_processor", "social_worker"):
        for language in ("en", "sv", "fi"):
            http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
            http.cookies["django_language"] = language  # the reader's chosen language
            http.force_login(world.users[key])
            result[f"{key}:{language}"] = http
    return result


def _section(page: str, testid: str) -> str:
    found = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', page, re.S)
    assert found is not None, testid
    return found.group(2)


def test_received_application_shows_its_content(world, pages) -> None:
    referral = send(world, "forwarded_application", description="Vuokravakuus 900 €")
    social = pages["social_worker:en"]
    page = social.get(f"/referrals/{referral.public_id}/").content.decode()
    assert "Vuokravakuus 900 €" in _section(page, "referral-description")
    attachments = referral.thread.messages.get().attachments.all()
    listed = _section(page, "referral-attachments")
    for attachment in attachments:
        assert f"/attachments/{attachment.public_id}/" in listed
        assert attachment.original_name in listed
    # The thread inline: the sender's message with its documents.
    assert 'class="message-card' in page and "Messages and documents of this referral" in page


def test_contact_shows_its_own_fields_by_label(world, pages) -> None:
    referral = send(
        world, "contact", concerns=["violence", "no_money"], basis="consented", share_back="Vain"
    )
    page = pages["social_worker:en"].get(f"/referrals/{referral.public_id}/").content.decode()
    fields = _section(page, "referral-fields")
    assert "No money for food or medicine, Violence or threat of violence" in fields
    assert "The client consented" in fields and "Vain" in fields


def test_one_step_offered_first_and_the_others_behind_a_choice(world, pages) -> None:
    referral = send(world, "contact")
    social = pages["social_worker:en"]
    url = f"/referrals/{referral.public_id}/"
    page = social.get(url).content.decode()  # received now
    forms = re.findall(r'<form method="post"[^>]*class="action-form" data-action="(\w+)"', page)
    assert forms == ["accept"]
    choice = re.search(r'<form method="get"[^>]*class="action-choice".*?</form>', page, re.S)
    assert choice is not None
    assert re.findall(r'name="action" value="(\w+)"', choice.group(0)) == ["reject", "return"]
    assert 'name="reason"' not in page and 'name="reason_text"' not in page
    # Without JavaScript the choice reloads the page with the chosen step's form...
    chosen = social.get(url, {"action": "return"}).content.decode()
    assert 'data-action="return"' in chosen and 'name="reason"' in chosen
    assert 'name="confirm"' in chosen and "it counts as a handoff" in chosen
    assert world.kela_unit.name in chosen  # who will see the return
    # ...and with htmx only that form comes back.
    fragment = social.get(url, {"action": "reject"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert 'data-action="reject"' in fragment and 'name="reason_text"' in fragment
    assert 'name="reason"' not in fragment  # a return reason only for a return
    # A step the referral cannot take now is not offered.
    assert 'data-action="cancel"' not in social.get(url, {"action": "cancel"}).content.decode()


def test_reject_return_and_cancel_need_confirmation(world, pages) -> None:
    referral = send(world, "contact")
    social = pages["social_worker:en"]
    url = f"/referrals/{referral.public_id}/"
    social.get(url)
    body = {"action": "return", "version": 1, "reason": "wrong_unit", "reason_text": "Ei meille"}
    refused = social.post(f"{url}act/", body)
    assert refused.status_code == 400
    assert "Confirm that you want to do this." in refused.content.decode()
    assert Referral.objects.get().status == "received"
    done = social.post(f"{url}act/", {**body, "confirm": "on"})
    assert done.status_code == 302
    assert (Referral.objects.get().status, Referral.objects.get().handoff_count) == ("returned", 1)
    kela = pages["kela_processor:en"]
    cancel = {"action": "cancel", "version": 2, "reason_text": "Asia hoitui"}
    assert kela.post(f"{url}act/", cancel).status_code == 400
    assert kela.post(f"{url}act/", {**cancel, "confirm": "on"}).status_code == 302
    assert Referral.objects.get().status == "cancelled"


def test_a_service_error_keeps_the_chosen_step_open(world, pages) -> None:
    referral = send(world, "contact")
    social = pages["social_worker:en"]
    url = f"/referrals/{referral.public_id}/"
    social.get(url)
    page = social.post(f"{url}act/", {"action": "return", "version": 1, "confirm": "on"})
    assert page.status_code == 400
    text = page.content.decode()
    assert 'data-action="return"' in text and "Choose why the referral is returned." in text


def test_thread_subject_is_a_key_shown_in_the_readers_language(world, pages) -> None:
    referral = send(world, "forwarded_application")
    stored = Thread.objects.filter(pk=referral.thread_id).values_list("subject", flat=True)
    assert Thread.objects.filter(subject="silta:referral:forwarded_application").count() == 1
    assert getattr(stored.get(), "stored", "") == "silta:referral:forwarded_application"
    thread = f"/threads/{referral.thread.public_id}/"
    swedish = pages["social_worker:sv"].get(thread).content.decode()
    finnish = pages["kela_processor:fi"].get(thread).content.decode()
    assert "<h1>Överförd ansökan</h1>" in swedish and "Siirretty hakemus" not in swedish
    assert "<h1>Siirretty hakemus</h1>" in finnish
    # Saving the thread keeps the key, not the reader's words.
    loaded = Thread.objects.get(pk=referral.thread_id)
    loaded.save()
    assert Thread.objects.filter(subject="silta:referral:forwarded_application").exists()


def test_migration_turns_existing_subjects_into_keys(world) -> None:
    referral = send(world, "forwarded_application")
    Thread.objects.filter(pk=referral.thread_id).update(subject="Siirretty hakemus")
    migration = import_module("silta.referrals.migrations.0003_type_choices_and_subject_keys")
    migration.subjects_to_keys(global_apps, None)
    assert Thread.objects.filter(subject="silta:referral:forwarded_application").count() == 1
    migration.keys_to_subjects(global_apps, None)
    assert Thread.objects.filter(subject="Siirretty hakemus").count() == 1
