"""The knowledge scene on top of the shared test world (``tests.factories``).

The starter guide (owned by Kela); "rent" v2 in review with Kuopio's social worker as
the named reviewer, "rent-deposit" v2 a draft, "moving-costs" v2 reviewed and waiting for
its owner; a bulletin from Kela Itä's manager about rent deposits to the Pohjois-Savo
county, with one PDF. The bulletin and its file have fixed public ids, so the
permission matrix can name them before the scene exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from silta.knowledge import bulletins, guide
from silta.knowledge.demo import load_starter
from silta.knowledge.inputs import (
    BulletinInput,
    ReviewInput,
    ReviewRequestInput,
    StepInput,
    VersionInput,
)
from silta.knowledge.models import Bulletin, BulletinAttachment, GuideEntry, GuideVersion
from tests.factories import World, pdf

BULLETIN_ID = uuid.UUID("6f1d3b0e-8a8e-4c55-9a37-0c4b2f7e1a01")
FILE_ID = uuid.UUID("6f1d3b0e-8a8e-4c55-9a37-0c4b2f7e1a02")


def text(title: str, summary: str = "Lyhyesti", payer: str = "basic") -> VersionInput:
    return VersionInput(
        title_fi=title,
        title_sv=f"{title} (sv)",
        summary_fi=summary,
        summary_sv=f"{summary} (sv)",
        steps=(StepInput(payer=payer, note_fi="Huomio", note_sv="Obs"),),
        law="Totul 7 b §",
    )


def reviewed(world: World, entry: GuideEntry, title: str) -> GuideVersion:
    """A new version of ``entry`` approved by Kuopio's social worker."""
    kela = world.actor("kela_processor")
    version = guide.version_draft(actor=kela, entry=entry, data=text(title))
    reviewer = world.users["social_worker"].public_id
    guide.review_request(actor=kela, version=version, data=ReviewRequestInput(reviewer_id=reviewer))
    guide.review_add(
        actor=world.actor("social_worker"), version=version, data=ReviewInput(kind="approve")
    )
    version.refresh_from_db()
    return version


def bulletin_input(world: World, **changes: object) -> BulletinInput:
    values: dict[str, object] = {
        "title": "Vuokravakuudet maksusitoumuksina",
        "summary": "Kela myöntää vuokravakuudet vain maksusitoumuksina.",
        "what_changes": "Rahana maksettavia vakuuksia ei enää myönnetä.",
        "why": "Yhtenäinen käytäntö.",
        "effective_date": timezone.localdate() + dt.timedelta(days=30),
        "expense_kinds": ("rent-deposit",),
        "organisations": (world.county.public_id,),
        **changes,
    }
    return BulletinInput.model_validate(values)


@dataclass
class Knowledge:
    entries: dict[str, GuideEntry]
    bulletin: Bulletin


def build(world: World) -> Knowledge:
    entries = {e.slug: e for e in load_starter(world.kela)}
    kela = world.actor("kela_processor")
    in_review = guide.version_draft(actor=kela, entry=entries["rent"], data=text("Vuokra"))
    guide.review_request(
        actor=kela,
        version=in_review,
        data=ReviewRequestInput(reviewer_id=world.users["social_worker"].public_id),
    )
    guide.version_draft(actor=kela, entry=entries["rent-deposit"], data=text("Vuokravakuus"))
    reviewed(world, entries["moving-costs"], "Muuttokustannukset")
    bulletin = bulletins.bulletin_publish(
        actor=world.actor("kela_manager"),
        unit=world.kela_unit,
        data=bulletin_input(world),
        files=[pdf("ohje.pdf")],
    )
    Bulletin.objects.filter(pk=bulletin.pk).update(public_id=BULLETIN_ID)
    BulletinAttachment.objects.filter(bulletin=bulletin).update(public_id=FILE_ID)
    bulletin.refresh_from_db()
    return Knowledge(entries, bulletin)
