"""A tripartite meeting (kolmikantainen tapaaminen, Totul 14 d §) in the Finnish UI, in two
browser contexts: the social worker proposes two times on a shared case, the Kela
processor answers, the social worker confirms (the invitation downloads as .ics), records
the minutes after the meeting with an agreed action owned by the Kela unit, and the Kela
processor marks the action done on "my open actions"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import BrowserContext, Page, expect

from silta.meetings.models import ActionStatus, Meeting, MeetingAction, MeetingStatus
from tests.e2e.conftest import TIMEOUT_MS, Journey, submit

pytestmark = pytest.mark.e2e

TITLE = "Kolmikantainen tapaaminen: vuokravakuus"
AGREED = "Asiakas hakee vuokravakuutta Kelasta; sosiaalityö tukee asunnon säilymisessä."
ACTION = "Päätös vuokravakuudesta"


def _page(new_context: Any) -> Page:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _slot(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _shown(moment: dt.date, fmt: str) -> str:
    """The time (or the date) as the Finnish pages print it."""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment)
    with translation.override("fi"):
        return formats.date_format(moment, fmt)


def test_social_worker_and_kela_arrange_hold_and_follow_up_a_tripartite_meeting(
    live_server: Any, new_context: Any, login: Any, journey: Journey
) -> None:
    world = journey.world
    case = world.open_case(journey.client)  # on the client's consent (the checkbox)
    first, second = _slot(7, 10), _slot(8, 13)
    social, kela = _page(new_context), _page(new_context)

    # 1. The social worker arranges the meeting on the shared case, proposing two times.
    login(social, journey.social_worker)
    social.goto(live_server.url + reverse("meetings:new", args=[case.public_id]))
    expect(social.locator("h1")).to_be_visible()
    social.locator("input[name=kind][value=tripartite]").check()
    social.locator("#id_title").fill(TITLE)
    social.locator(f"input[name=participant_ids][value='{journey.kela_user.public_id}']").check()
    social.locator("input[name=place_kind][value=phone]").check()
    social.locator("#id_place_details").fill("029 000 1234, PIN 5566")
    social.locator("#id_time_1").fill(timezone.localtime(first).strftime("%Y-%m-%dT%H:%M"))
    social.locator("#id_time_2").fill(timezone.localtime(second).strftime("%Y-%m-%dT%H:%M"))
    social.locator("main form:has(#id_title) button[type=submit]").click()  # posts to itself
    expect(social).to_have_url(re.compile(r"/meetings/[0-9a-f-]+/$"))
    meeting = Meeting.objects.get(case=case)
    detail = reverse("meetings:detail", args=[meeting.public_id])
    assert meeting.status == MeetingStatus.SCHEDULING
    assert [t.starts_at for t in meeting.times.all()] == [first, second]
    expect(social.locator("h1")).to_have_text(TITLE)

    # 2. The Kela processor finds it among the upcoming meetings and answers yes to one.
    login(kela, journey.kela_user)
    kela.locator(f"header nav a[href='{reverse('meetings:index')}']").click()
    kela.locator(f"main a[href='{detail}']").click()
    expect(kela.locator("h1")).to_have_text(TITLE)
    times = {t.starts_at: t for t in meeting.times.all()}
    answer = reverse("meetings:answer", args=[meeting.public_id])
    form = kela.locator(f"form[action='{answer}']")
    expect(form).to_have_count(1)  # only their own answers
    form.locator(f"input[name='answer_{times[first].pk}'][value=yes]").check()
    form.locator(f"input[name='answer_{times[second].pk}'][value=no]").check()
    submit(kela, answer)
    expect(kela.locator("#times-heading + table tbody tr").first).to_contain_text("Kyllä")

    # 3. The social worker sees the answer and confirms that time: the invitation is out.
    social.goto(live_server.url + detail)
    expect(social.locator("#times-heading + table tbody tr").first).to_contain_text("Kyllä")
    confirm = reverse("meetings:confirm", args=[meeting.public_id])
    chosen = times[first].starts_at.isoformat()  # as stored (UTC)
    social.locator(f"form[action='{confirm}'] input[value='{chosen}']").check()
    submit(social, confirm)
    status = social.locator("[data-testid=meeting-status]")
    expect(status).to_have_text("Vahvistettu")
    expect(social.locator("[data-testid=meeting-time]")).to_contain_text(
        _shown(first, "DATETIME_FORMAT")
    )
    ics_url = reverse("meetings:ics", args=[meeting.public_id])
    link = social.locator(f"a[href='{ics_url}']")
    expect(link).to_be_visible()
    invitation = social.request.get(live_server.url + ics_url)
    assert invitation.ok and invitation.headers["content-type"].startswith("text/calendar")
    body = invitation.text()
    assert "METHOD:REQUEST" in body and first.astimezone(dt.UTC).strftime("%Y%m%dT%H%M") in body

    # 4. The meeting is held (its time moves into the past); the social worker records
    #    who attended, the client too, what was agreed, and an action for the Kela unit.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    social.goto(live_server.url + detail)
    minutes = reverse("meetings:minutes", args=[meeting.public_id])
    form = social.locator(f"form[action='{minutes}']")
    for participant in meeting.participants.all():
        form.locator(f"input[name=attended_ids][value='{participant.public_id}']").check()
    form.locator("input[name=client_attended][value=yes]").check()
    form.locator("textarea[name=agreed]").fill(AGREED)
    submit(social, minutes)
    expect(status).to_have_text("Pidetty (muistio kirjattu)")
    expect(social.locator("[data-testid=client-attended]")).to_have_text("Kyllä")
    add = reverse("meetings:action_add", args=[meeting.public_id])
    form = social.locator(f"form[action='{add}']")
    form.locator("input[name=text]").fill(ACTION)
    form.locator("select[name=owner]").select_option(f"unit:{world.kela_unit.public_id}")
    due = timezone.localdate() + dt.timedelta(days=5)
    form.locator("input[name=due_date]").fill(due.isoformat())
    submit(social, add)
    expect(social.locator("#actions-heading + table tbody tr")).to_contain_text(ACTION)
    action = MeetingAction.objects.get(meeting=meeting)
    assert (action.owner_unit, action.due_date, action.status) == (world.kela_unit, due, "open")

    # 5. The Kela processor sees it on "my open actions" and marks it done.
    kela.goto(live_server.url + reverse("meetings:index"))
    kela.locator(f"main a[href='{reverse('meetings:actions')}']").click()
    row = kela.locator("[data-testid=action-row]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(ACTION)
    expect(row).to_contain_text(_shown(due, "SHORT_DATE_FORMAT"))
    row.locator(f"select#status-{action.public_id}").select_option("done")
    row.locator("button[type=submit]").click()
    expect(kela.locator("[data-testid=action-row]")).to_have_count(0)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_at is not None
    assert action.updated_by_label.startswith(journey.kela_user.display_name)
