"""Demo cooperation: the Kuopio regional team and the Pohjois-Savo cooperation group with
items in different states, proposed from both sides (called by ``demo_seed``). The team is
set up by Kuopio's unit manager and the group by its chair through the set-up services,
as on the set-up pages, so the printed logins (``SETUP_LOGINS``) reach those pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.cooperation import services, setup_services
from silta.cooperation.models import ContactRole, Forum, ForumKind
from silta.organisations.models import Unit

# Who reaches the set-up pages in the demo (printed by ``demo_logins``).
SETUP_LOGINS = [
    "Regional teams (Yhteistyö > Alueelliset tiimit): sos.johtaja and kela.esihenkilo "
    "(unit managers) create a team and edit the Kuopio team.",
    "Cooperation forums (Yhteistyö > Yhteistyöryhmät): sos.johtaja chairs the Pohjois-Savo "
    "cooperation group (edit it) and creates new forums; kela.esihenkilo creates forums "
    "chaired from Kela Itä.",
]

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
    manager = Actor.for_user(users["sos.johtaja"])
    contacts = [
        setup_services.ContactInput(
            user_id=users[username].public_id, unit_id=units[unit_key].public_id, role=role
        )
        for username, unit_key, role in (
            ("kela.esihenkilo", "kela_east", ContactRole.CONTACT),
            ("kela.kasittelija", "kela_east", ContactRole.DEPUTY),
            ("sos.tyontekija", "kuopio_adult", ContactRole.CONTACT),
            ("sos.johtaja", "kuopio_adult", ContactRole.MANAGER),
            ("sos.etuus", "psavo_assistance", ContactRole.CONTACT),
        )
    ]
    members = [units["kela_east"], units["kuopio_adult"], units["psavo_assistance"]]
    team = setup_services.team_create(
        actor=manager,
        data=setup_services.TeamInput(
            name_fi="Kuopion alueellinen tiimi",
            name_sv="Kuopios regionala team",
            unit_ids=[u.public_id for u in members],
            municipalities=["297", "749"],
            contacts=contacts,
        ),
    )
    services.team_routines_save(
        actor=manager, team=team, data=services.RoutinesInput(text=ROUTINES)
    )
    forum = setup_services.forum_create(
        actor=manager,
        data=setup_services.ForumInput(
            name_fi="Pohjois-Savon yhteistyöryhmä",
            name_sv="Samarbetsgruppen i Norra Savolax",
            kind=ForumKind.COOPERATION_GROUP,
            organisation_ids=[
                units["kela_east"].organisation.public_id,
                units["kuopio_adult"].organisation.public_id,
            ],
            unit_ids=[u.public_id for u in members],
            chair_unit_id=units["kuopio_adult"].public_id,
        ),
    )
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
