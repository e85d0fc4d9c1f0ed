"""Panels that apps above the directory add to its unit page and its listing.

The directory does not import them (they are higher layers): an app registers a panel
function at start-up, and the directory's views ask every registered panel for the units
they show. A panel returns, per unit primary key, an HTML fragment it rendered from its
own template (``compact`` for the listing's cards, full for the unit page); units with
nothing to show are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString

from silta.organisations.models import Unit

UnitPanel = Callable[[Sequence[Unit], dt.datetime, bool], dict[int, SafeString]]

_panels: dict[str, UnitPanel] = {}


def register_unit_panel(name: str, panel: UnitPanel) -> None:
    """Register (or replace, by ``name``) a panel; called from ``AppConfig.ready``."""
    _panels[name] = panel


def unit_panels(
    units: Sequence[Unit], now: dt.datetime, *, compact: bool
) -> dict[int, list[SafeString]]:
    """Every panel's fragments per unit, in the order the panels were registered."""
    result: dict[int, list[SafeString]] = {u.pk: [] for u in units}
    for panel in list(_panels.values()):
        for unit_id, html in panel(units, now, compact).items():
            if unit_id in result:
                result[unit_id].append(html)
    return result
