"""Demo cooperation: the Kuopio regional team and the Pohjois-Savo cooperation group with
items in different states, proposed from both sides (called by ``demo_seed``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.cooperation import services
from silta.cooperation.models import ContactRole, Forum, ForumKind, RegionalTeam, TeamContact
from silta.organisations.models import Unit
from silta.reference.models import Municipality

ROUTINES = "\n".join(
    [
        "Kelan ratkaisuasiantuntija soittaa Kuopion aikuissosiaalityön "
        "takaisinsoittonumeroon, kun asiakkaan tilanne huolestuttaa; sosiaalityö soittaa "
        "takaisin samana päivänä.",
        "Vuokravakuudet: Kela ratkaisee ensin perustoimeentulotuen ja siirtää hakemuksen "
        "viipymättä, jos siinä on täydentävään kuuluvia menoja.",
        "Tiimi tapaa kuukauden ensimmäisenä tiistaina klo 9.00 Teamsissa.",
    ]
)

ITEMS = [
    # (proposer, title, description, topic, steps)
    (
        "kela.kasittelija",
        "Ohjeistusmuutokset ja niiden vaikutus sosiaalityöhön",
        "Kelan ohjemuutokset ovat lisänneet sosiaalitoimen työtä ilman ennakkotietoa. "
        "Ehdotus: Kela kertoo muutoksista ryhmälle kuukautta ennen voimaantuloa.",
        "guidelines",
        ["schedule", "discuss", "decide"],
    ),
    (
        "sos.tyontekija",
        "Vuokravakuuksien pallottelu",
        "Vuokravakuushakemukset kiertävät Kelan ja sosiaalitoimen välillä. "
        "Sovitaan yhteinen linja siitä, kumpi käsittelee ensin.",
        "processes",
        ["schedule"],
    ),
    (
        "sos.johtaja",
        "Huoli-ilmoitusten tarkistuslista Kelalle",
        "Työryhmän tarkistuslista auttaa tunnistamaan huolestuttavat tilanteet (SHL 35 §).",
        "concern",
        [],
    ),
]


def seed(units: dict[str, Unit], users: dict[str, User]) -> None:
    team = RegionalTeam.objects.create(
        name_fi="Kuopion alueellinen tiimi", name_sv="Kuopios regionala team"
    )
    team.units.set([units["kela_east"], units["kuopio_adult"], units["psavo_assistance"]])
    team.municipalities.set(Municipality.objects.filter(code__in=["297", "749"]))
    for username, unit_key, role in (
        ("kela.esihenkilo", "kela_east", ContactRole.CONTACT),
        ("kela.kasittelija", "kela_east", ContactRole.DEPUTY),
        ("sos.tyontekija", "kuopio_adult", ContactRole.CONTACT),
        ("sos.johtaja", "kuopio_adult", ContactRole.MANAGER),
        ("sos.etuus", "psavo_assistance", ContactRole.CONTACT),
    ):
        TeamContact.objects.create(team=team, unit=units[unit_key], user=users[username], role=role)
    services.team_routines_save(
        actor=Actor.for_user(users["sos.johtaja"]),
        team=team,
        data=services.RoutinesInput(text=ROUTINES),
    )
    forum = Forum.objects.create(
        name_fi="Pohjois-Savon yhteistyöryhmä",
        name_sv="Samarbetsgruppen i Norra Savolax",
        kind=ForumKind.COOPERATION_GROUP,
        chair_unit=units["kuopio_adult"],
    )
    forum.organisations.set([units["kela_east"].organisation, units["kuopio_adult"].organisation])
    forum.units.set([units["kela_east"], units["kuopio_adult"], units["psavo_assistance"]])
    _agenda(forum, units, users)


def _agenda(forum: Forum, units: dict[str, Unit], users: dict[str, User]) -> None:
    chair = Actor.for_user(users["sos.johtaja"])
    today = timezone.localdate()
    for username, title, description, topic, steps in ITEMS:
        item = services.item_propose(
            actor=Actor.for_user(users[username]),
            forum=forum,
            data=services.ProposeInput(title=title, description=description, topic=topic),
        )
        for step in steps:
            data = services.MoveInput(
                action=step,
                meeting_date=today if len(steps) > 1 else today + dt.timedelta(days=14),
                decision="Kela tiedottaa ohjemuutoksista yhteistyöryhmälle kuukautta ennen "
                "voimaantuloa; sosiaalitoimi kertoo vaikutuksista seuraavassa kokouksessa.",
            )
            item = services.item_move(actor=chair, item=item, data=data)
        if item.status == "decided":
            services.followup_add(
                actor=chair,
                item=item,
                data=services.FollowUpInput(
                    description="Kela lähettää ohjemuutosten tiedotteen tiimeille",
                    owner_unit_id=units["kela_east"].public_id,
                    due_date=today + dt.timedelta(days=30),
                ),
            )
