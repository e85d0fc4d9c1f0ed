"""Demo meetings (called by ``demo_seed`` after the cases and referrals): on Kuopio's
shared cases with Kela Itä, one tripartite meeting still finding a time (answers in,
waiting for the organiser to confirm), one confirmed at the social services' visiting
address (linked to the demo's meeting request, kolmikantainen tapaaminen, Totul 14 d §)
and one held last week with minutes and two agreed actions (one done, one due soon).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.exchange.models import Case
from silta.meetings import minutes, services
from silta.meetings.inputs import (
    ActionInput,
    ActionStatusInput,
    AgendaInput,
    AnswerInput,
    ConfirmInput,
    MeetingInput,
    MinutesInput,
    TimeAnswerInput,
)
from silta.meetings.models import Meeting
from silta.organisations.models import Unit
from silta.referrals.models import Referral
from silta.referrals.types import ReferralType
from silta.workdays.calendar import HELSINKI, add_working_days

if TYPE_CHECKING:
    from silta.demo.clock import DemoClock

ORGANISER, KELA = "sos.tyontekija", "kela.kasittelija"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)


def _kuopio_cases(units: dict[str, Unit]) -> list[Case]:
    return list(
        Case.objects.filter(
            kela_unit=units["kela_east"], social_unit=units["kuopio_adult"]
        ).order_by("pk")
    )


def _create(
    organiser: Actor, case: Case, kela: User, place_unit: Unit, **values: object
) -> Meeting:
    data = MeetingInput.model_validate(
        {
            "kind": "tripartite",
            "participant_ids": [kela.public_id],
            "place_kind": "unit_address",
            "place_unit_id": place_unit.public_id,
            **values,
        }
    )
    return services.meeting_create(actor=organiser, case=case, data=data)


def _answer(actor: Actor, meeting: Meeting, answers: dict[dt.datetime, str]) -> None:
    data = AnswerInput(answers=[TimeAnswerInput(starts_at=t, answer=a) for t, a in answers.items()])
    services.meeting_answer(actor=actor, meeting=meeting, data=data)


def _confirm(organiser: Actor, meeting: Meeting, starts_at: dt.datetime) -> None:
    services.meeting_confirm(
        actor=organiser, meeting=meeting, data=ConfirmInput(starts_at=starts_at)
    )


def seed(units: dict[str, Unit], users: dict[str, User], clock: DemoClock) -> None:
    """Three meetings in three states; leaves the clock at the end of today."""
    organiser, kela = Actor.for_user(users[ORGANISER]), Actor.for_user(users[KELA])
    cases = _kuopio_cases(units)
    first, second = cases[0], cases[1] if len(cases) > 1 else cases[0]
    place = units["kuopio_adult"]
    _held(organiser, kela, first, users[KELA], units, clock)
    _confirmed(organiser, kela, second, users[KELA], place, clock)
    _scheduling(organiser, kela, first, users[KELA], place, clock)
    clock.set(0, "23:59")


def _held(
    organiser: Actor,
    kela: Actor,
    case: Case,
    kela_user: User,
    units: dict[str, Unit],
    clock: DemoClock,
) -> None:
    """Held five working days ago: the client attended; Kela's decision is due soon."""
    times = [clock.set(5, "10:00"), clock.set(4, "13:00")]
    clock.set(8, "09:20")
    meeting = _create(
        organiser,
        case,
        kela_user,
        units["kuopio_adult"],
        title="Kolmikantainen tapaaminen: asumisen tilanne",
        agenda=["Vuokrarästit ja häätöuhka", "Vuokravakuus ja toimeentulotuki"],
        times=times,
    )
    clock.set(8, "11:05")
    _answer(kela, meeting, {times[0]: "yes", times[1]: "maybe"})
    clock.set(7, "08:40")
    _confirm(organiser, meeting, times[0])
    clock.set(5, "14:30")
    participants = list(meeting.participants.all())
    today = clock.today
    meeting = minutes.minutes_record(
        actor=organiser,
        meeting=meeting,
        data=MinutesInput(
            attended_ids=[p.public_id for p in participants],
            client_attended=True,
            agreed="Asiakas hakee Kelasta toimeentulotukea vuokrarästeihin ja vuokravakuuteen; "
            "sosiaalityö sopii vuokranantajan kanssa maksusuunnitelmasta.",
            actions=[
                ActionInput(
                    text="Maksusuunnitelma vuokranantajan kanssa",
                    owner_unit_id=units["kuopio_adult"].public_id,
                    due_date=add_working_days(clock.now.date(), 3),
                ),
                ActionInput(
                    text="Päätös toimeentulotuesta vuokrarästeihin ja vuokravakuuteen",
                    owner_unit_id=units["kela_east"].public_id,
                    due_date=add_working_days(today, 2),
                ),
            ],
        ),
    )
    done = meeting.actions.get(owner_unit=units["kuopio_adult"])
    clock.set(2, "15:10")
    minutes.action_set_status(actor=organiser, action=done, data=ActionStatusInput(status="done"))


def _confirmed(
    organiser: Actor, kela: Actor, case: Case, kela_user: User, place: Unit, clock: DemoClock
) -> None:
    """Confirmed for next week at the visiting address, on the client's meeting request."""
    today = clock.today
    times = [_at(add_working_days(today, 5), 10), _at(add_working_days(today, 6), 13)]
    request = (
        Referral.objects.filter(case=case, type=ReferralType.MEETING_REQUEST).order_by("pk").first()
    )
    clock.set(2, "09:30")
    meeting = _create(
        organiser,
        case,
        kela_user,
        place,
        title="Kolmikantainen tapaaminen asiakkaan pyynnöstä",
        referral_id=request.public_id if request is not None else None,
        agenda=["Asiakkaan toive yhteisestä tapaamisesta", "Työllistymistä tukevat palvelut"],
        times=times,
    )
    clock.set(1, "10:15")
    _answer(kela, meeting, {times[0]: "yes", times[1]: "no"})
    services.agenda_add(
        actor=kela, meeting=meeting, data=AgendaInput(text="Perusosan alentamisen harkinta")
    )
    clock.set(1, "13:40")
    _confirm(organiser, meeting, times[0])


def _scheduling(
    organiser: Actor, kela: Actor, case: Case, kela_user: User, place: Unit, clock: DemoClock
) -> None:
    """Two times proposed this morning, both answered: the organiser has yet to confirm."""
    today = clock.today
    times = [_at(add_working_days(today, 3), 9), _at(add_working_days(today, 4), 14)]
    clock.set(0, "08:30")
    meeting = _create(
        organiser,
        case,
        kela_user,
        place,
        title="Seurantatapaaminen: asumisen tilanne",
        agenda=["Miten maksusuunnitelma on toteutunut"],
        times=times,
    )
    _answer(organiser, meeting, {times[0]: "yes", times[1]: "yes"})
    clock.set(0, "09:15")
    _answer(kela, meeting, {times[0]: "no", times[1]: "yes"})
