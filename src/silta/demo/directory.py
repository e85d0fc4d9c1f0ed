"""Demo directory: who serves which municipalities, phone hours, a 24/7 emergency line,
owners, one stale entry, and a few call-back requests in different states."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.callbacks import services as callbacks
from silta.demo.clock import DemoClock
from silta.directory.hours import TimeRange
from silta.directory.models import ChannelKind, Topic, UnitEditor
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.organisations.models import Organisation, Unit, UnitKind
from silta.reference.models import KelaServiceArea, Municipality

T = dt.time
OFFICE = {d: (TimeRange.of(T(9), T(11)), TimeRange.of(T(12), T(15))) for d in range(5)}
CALLBACK_HOURS = {d: (TimeRange.of(T(8), T(16)),) for d in range(5)}


def _phone(
    unit: Unit,
    label_fi: str,
    label_sv: str,
    number: str,
    hours: dict,
    kind: str = ChannelKind.PHONE,
    always_open: bool = False,
) -> None:
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=kind,
            label_fi=label_fi,
            label_sv=label_sv,
            phone=number,
            weekly=hours,
            always_open=always_open,
            closed_on_holidays=not always_open,
        ),
    )


def _municipalities(organiser_code: str) -> list[str]:
    return list(
        Municipality.objects.filter(organiser_code=organiser_code, is_current=True).values_list(
            "code", flat=True
        )
    )


def seed(units: dict[str, Unit], users: dict[str, User], clock: DemoClock) -> None:
    _areas(units)
    _channels(units)
    _emergency_unit()
    now = timezone.now()
    for key, unit in units.items():
        # One entry left unverified for 120 days, to show the stale flag.
        verified = now - dt.timedelta(days=120 if key == "vantaa_family" else 10)
        Unit.objects.filter(pk=unit.pk).update(verified_at=verified)
    UnitEditor.objects.create(unit=units["kuopio_adult"], user=users["sos.tyontekija"])
    _callbacks(units, users, clock)


def _areas(units: dict[str, Unit]) -> None:
    east = KelaServiceArea.objects.get(name_fi__icontains="Itäisen")
    south = KelaServiceArea.objects.get(name_fi__icontains="Eteläisen")
    for key, area in (("kela_east", east), ("kela_south", south)):
        codes = list(area.municipalities.filter(is_aland=False).values_list("code", flat=True))
        service_areas_set(unit=units[key], topic=Topic.BASIC_ASSISTANCE, municipality_codes=codes)
    psavo, vantaa = _municipalities("13"), _municipalities("04")
    service_areas_set(
        unit=units["kuopio_adult"], topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297", "749"]
    )
    service_areas_set(
        unit=units["kuopio_adult"], topic=Topic.SOCIAL_ASSISTANCE, municipality_codes=["297", "749"]
    )
    service_areas_set(
        unit=units["psavo_assistance"],
        topic=Topic.SOCIAL_ASSISTANCE,
        municipality_codes=[c for c in psavo if c not in ("297", "749")],
    )
    service_areas_set(
        unit=units["vantaa_adult"], topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=vantaa
    )
    service_areas_set(
        unit=units["vantaa_adult"], topic=Topic.SOCIAL_ASSISTANCE, municipality_codes=vantaa
    )
    service_areas_set(
        unit=units["vantaa_family"], topic=Topic.CHILD_AND_FAMILY, municipality_codes=vantaa
    )


def _channels(units: dict[str, Unit]) -> None:
    _phone(
        units["kuopio_adult"], "Aikuissosiaalityön puhelinaika", "Telefontid", "017 182 000", OFFICE
    )
    _phone(
        units["kuopio_adult"],
        "Soittopyyntölinja",
        "Återuppringning",
        "017 182 010",
        CALLBACK_HOURS,
        kind=ChannelKind.CALLBACK,
    )
    channel_save(
        user=None,
        unit=units["kuopio_adult"],
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.VISITING_ADDRESS,
            label_fi="Asiointipiste",
            label_sv="Besöksadress",
            street="Suokatu 42",
            postal_code="70110",
            city="Kuopio",
            weekly={d: (TimeRange.of(T(9), T(15)),) for d in range(5)},
        ),
    )
    channel_save(
        user=None,
        unit=units["kuopio_adult"],
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.SECURE_EMAIL,
            label_fi="Suojattu sähköposti",
            label_sv="Skyddad e-post",
            email="aikuissosiaalityo@demo.invalid",
        ),
    )
    _phone(
        units["psavo_assistance"], "Toimeentulotuen neuvonta", "Rådgivning", "017 182 100", OFFICE
    )
    _phone(
        units["vantaa_adult"],
        "Aikuissosiaalityön neuvonta",
        "Rådgivning",
        "09 839 10000",
        {d: (TimeRange.of(T(9), T(12)),) for d in range(5)},
    )
    _phone(
        units["vantaa_family"],
        "Perhesosiaalityö",
        "Familjesocialt arbete",
        "09 839 20000",
        {d: (TimeRange.of(T(10), T(12)),) for d in (0, 2, 4)},
    )
    for key in ("kela_east", "kela_south"):
        _phone(
            units[key],
            "Kelan yhteistyönumero sosiaalitoimelle",
            "FPA:s samarbetsnummer",
            "020 692 200",
            {d: (TimeRange.of(T(8), T(16)),) for d in range(5)},
        )
    # Kela's customer-service units (one per service area, from load_organisers): the
    # public service numbers and the partners' call-back line.
    service_hours = {d: (TimeRange.of(T(9), T(16)),) for d in range(5)}
    for unit in Unit.objects.filter(kind=UnitKind.KELA_SERVICE_UNIT).order_by("pk"):
        _phone(unit, "Toimeentulotuki", "Utkomststöd", "020 692 207", service_hours)
        _phone(
            unit,
            "Toimeentulotuki ruotsiksi",
            "Utkomststöd på svenska",
            "020 692 227",
            service_hours,
        )
        _phone(
            unit,
            "Yhteistyökumppaneiden soittopyynnöt",
            "Återuppringning för samarbetspartner",
            "020 692 200",
            CALLBACK_HOURS,
            kind=ChannelKind.CALLBACK,
        )


def _emergency_unit() -> None:
    psavo = Organisation.objects.get(organiser_code="13")
    unit = Unit.objects.create(
        organisation=psavo,
        kind="emergency",
        name_fi="Sosiaalipäivystys, Pohjois-Savo",
        name_sv="Socialjour, Norra Savolax",
        verified_at=timezone.now() - dt.timedelta(days=5),
    )
    service_areas_set(unit=unit, topic=Topic.EMERGENCY, municipality_codes=_municipalities("13"))
    _phone(unit, "Sosiaalipäivystys 24/7", "Socialjour 24/7", "017 263 3333", {}, always_open=True)


def _callbacks(units: dict[str, Unit], users: dict[str, User], clock: DemoClock) -> None:
    kela = Actor.for_user(users["kela.kasittelija"])
    worker = Actor.for_user(users["sos.tyontekija"])
    clock.set(1, "13:20")
    first = callbacks.callback_request(
        actor=kela,
        requester_unit_id=units["kela_east"].pk,
        unit=units["kuopio_adult"],
        data=callbacks.CallbackInput(
            topic=Topic.ADULT_SOCIAL_WORK,
            urgency="normal",
            phone="020 692 200",
            description="Yleinen kysymys täydentävän tuen käytännöistä.",
            preferred_times="aamupäivisin",
        ),
    )
    clock.set(0, "08:12")
    callbacks.callback_request(
        actor=kela,
        requester_unit_id=units["kela_east"].pk,
        unit=units["kuopio_adult"],
        data=callbacks.CallbackInput(
            topic=Topic.SOCIAL_ASSISTANCE,
            urgency="urgent",
            phone="020 692 200",
            description="Vuokravakuuden käsittelyvastuu: kumpi hoitaa?",
        ),
    )
    clock.later(25)
    callbacks.callback_claim(actor=worker, request=first)
    clock.set(6, "10:02")
    done = callbacks.callback_request(
        actor=kela,
        requester_unit_id=units["kela_east"].pk,
        unit=units["kuopio_adult"],
        data=callbacks.CallbackInput(
            topic=Topic.ADULT_SOCIAL_WORK,
            urgency="normal",
            phone="020 692 200",
            description="Yhteistyöpalaverin sopiminen.",
        ),
    )
    clock.set(5, "14:40")
    callbacks.callback_complete(
        actor=worker,
        request=done,
        data=callbacks.CompleteInput(outcome="resolved", note="Palaveri sovittu torstaille."),
    )
