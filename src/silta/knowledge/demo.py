"""Demo content of the guide and a guideline change.

``load_starter`` writes the fifteen starter entries (``starter``) as demo versions owned
by Kela: shown labelled "demo content, to be verified by the content owners" until an
owner publishes a reviewed version. ``seed`` (demo_seed) adds Pohjois-Savo's local variant
of the rent deposit entry and a bulletin from Kela about rent deposits.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.knowledge import bulletins, guide
from silta.knowledge.inputs import BulletinInput
from silta.knowledge.models import GuideEntry, GuideVersion, VersionState
from silta.knowledge.starter import BASIC_REF, ORGANISER_REF, STARTERS, Starter
from silta.organisations.models import Organisation, Unit


def _demo_version(entry: GuideEntry, number: int, item: Starter, label: str) -> GuideVersion:
    return GuideVersion.objects.create(
        entry=entry,
        number=number,
        state=VersionState.DEMO,
        title_fi=item.title[0],
        title_sv=item.title[1],
        summary_fi=item.summary[0],
        summary_sv=item.summary[1],
        steps=[{"payer": p, "note_fi": fi, "note_sv": sv} for p, fi, sv in item.steps],
        conditions_fi=item.conditions[0],
        conditions_sv=item.conditions[1],
        law=item.law,
        kela_reference=BASIC_REF,
        organiser_reference=ORGANISER_REF,
        examples_fi=item.example[0],
        examples_sv=item.example[1],
        created_at=timezone.now(),
        created_by_label=label,
    )


def load_starter(kela: Organisation) -> list[GuideEntry]:
    """The starter entries as demo versions (idempotent: existing slugs are kept)."""
    entries = []
    for position, item in enumerate(STARTERS, start=1):
        entry, created = GuideEntry.objects.get_or_create(
            slug=item.slug,
            defaults={
                "expense_kind": item.slug,
                "owner": kela,
                "topics": list(item.topics),
                "keywords": item.keywords,
                "position": position,
            },
        )
        if created:
            _demo_version(entry, 1, item, "Silta")
            guide.refresh_search_text(entry)
        entries.append(entry)
    return entries


RENT_DEPOSIT_VARIANT = Starter(
    slug="rent-deposit",
    topics=(),
    keywords="",
    title=("Vuokravakuus (Pohjois-Savo)", "Hyresgaranti (Norra Savolax)"),
    summary=(
        "Kun vuokravakuus ei kuulu perustoimeentulotukeen, hyvinvointialue myöntää sen "
        "maksusitoumuksena vuokranantajalle, ei rahana.",
        "När hyresgarantin inte hör till det grundläggande stödet beviljar "
        "välfärdsområdet den som betalningsförbindelse till hyresvärden, inte i pengar.",
    ),
    steps=(
        ("basic", "Kelan maksusitoumus ensin", "FPA:s betalningsförbindelse först"),
        ("supplementary", "Maksusitoumuksena", "Som betalningsförbindelse"),
    ),
    conditions=(
        "Hakemus Kelan päätöksen jälkeen; sosiaalityöntekijän arvio asumisen tarpeesta.",
        "Ansökan efter FPA:s beslut; socialarbetarens bedömning av boendebehovet.",
    ),
    law="Totul 7 c §",
    example=(
        "Asunnoton nuori saa vuokra-asunnon: vakuus maksusitoumuksena.",
        "En bostadslös ung person får en hyresbostad: garantin som betalningsförbindelse.",
    ),
)


def seed() -> None:
    """The demo world's guide and one bulletin (after the organisations and users)."""
    kela = Organisation.objects.get(kind="kela")
    entries = {e.slug: e for e in load_starter(kela)}
    county = Organisation.objects.filter(organiser_code="13").first()
    if county is None:
        return
    national = entries["rent-deposit"]
    variant = GuideEntry.objects.create(
        slug=f"{national.slug}-{county.organiser_code}",
        national=national,
        expense_kind=national.expense_kind,
        owner=county,
        topics=national.topics,
        keywords=national.keywords,
        position=national.position,
    )
    _demo_version(variant, 1, RENT_DEPOSIT_VARIANT, "Silta")
    guide.refresh_search_text(variant)
    manager = User.objects.filter(username="kela.esihenkilo").first()
    if manager is None:
        return
    actor = Actor.for_user(manager)
    unit = Unit.objects.get(pk=actor.memberships[0].unit_id)
    bulletins.bulletin_publish(
        actor=actor,
        unit=unit,
        data=BulletinInput(
            title="Vuokravakuudet maksusitoumuksina 1.3. alkaen (demo)",
            summary="Kela myöntää vuokravakuudet perustoimeentulotuessa vain maksusitoumuksina.",
            what_changes="Rahana maksettavia vuokravakuuksia ei enää myönnetä (demo-esimerkki).",
            why="Yhtenäinen käytäntö koko maassa (demo-esimerkki).",
            effective_date=timezone.localdate() + dt.timedelta(days=30),
            topics=(),
            expense_kinds=("rent-deposit",),
            organisations=tuple(
                o.public_id
                for o in Organisation.objects.filter(kind="social_services")
                if o.units.exists()
            ),
        ),
    )
