from __future__ import annotations

import pytest

from silta.cooperation.models import Forum, ForumKind


@pytest.fixture
def forum(world) -> Forum:
    """A cooperation group of Kela and the Pohjois-Savo county, chaired by Kuopio."""
    forum = Forum.objects.create(
        name_fi="Yhteistyöryhmä",
        name_sv="Samarbetsgruppen",
        kind=ForumKind.COOPERATION_GROUP,
        chair_unit=world.social_unit,
    )
    forum.organisations.set([world.kela, world.county])
    return forum
