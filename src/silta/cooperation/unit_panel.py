"""The directory's "Regional teams" panel (registered with ``directory.panels`` at
start-up): a unit's teams on its directory card (names) and on its unit page (each team's
contact persons with their reachability now, from the directory's hours)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from silta.cooperation.selectors import teams_of_units
from silta.organisations.models import Unit


def unit_teams_panel(
    units: Sequence[Unit], now: dt.datetime, compact: bool
) -> dict[int, SafeString]:
    by_unit = teams_of_units(list(units), now, with_contacts=not compact)
    return {
        unit_id: mark_safe(
            render_to_string("cooperation/_unit_teams.html", {"teams": teams, "compact": compact})
        )
        for unit_id, teams in by_unit.items()
        if teams
    }
