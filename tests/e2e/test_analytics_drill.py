"""A unit manager opens the handoff figures, sees the chart drawn by the project's own
Chart.js under the strict Content-Security-Policy, and clicks a bar to reach the list of
the unit's referrals behind it (issue 12). The data set is ``silta.analytics.tests.scene``
(hand-counted): Kuopio returned R1 twice as "the expense belongs to basic assistance".
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from silta.accounts.roles import Role
from silta.analytics.tests import scene
from tests.e2e.conftest import TIMEOUT_MS, Journey
from tests.factories import make_user

pytestmark = pytest.mark.e2e
CHART = "chart-returns_by_reason"


def _bar_centre(page: Page, chart_id: str, index: int) -> dict[str, float]:
    """Where the index-th bar of the first series is drawn, in the canvas's pixels."""
    return page.evaluate(
        """([id, index]) => {
            const chart = Chart.getChart(id);
            const bar = chart.getDatasetMeta(0).data[index];
            return {x: bar.x, y: (bar.y + bar.base) / 2};
        }""",
        [chart_id, index],
    )


def test_a_manager_opens_the_chart_and_drills_down_to_the_list(
    live_server: Any, new_context: Any, login: Any, journey: Journey
) -> None:
    world = journey.world
    data = scene.build(world)
    manager = make_user(world.social_unit, Role.UNIT_MANAGER, "maija.esimies", totp=True)
    context = new_context()  # the CSP stays on: the chart must draw without inline script
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, manager)

    page.locator(f"header nav a[href='{reverse('analytics:dashboard')}']").click()
    expect(page.locator("h1")).to_contain_text(world.county.name_fi)
    page.locator("#analytics-scope").select_option(f"unit:{world.social_unit.public_id}")
    page.locator("#analytics-from").fill("2026-10")
    page.locator("#analytics-to").fill("2026-11")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(world.social_unit.name_fi)

    # The chart is drawn from its json_script data; its table is beside it.
    canvas = page.locator(f"#{CHART}")
    expect(canvas).to_be_visible()
    page.wait_for_function("id => !!(window.Chart && Chart.getChart(id))", arg=CHART)
    table = page.locator("[data-testid=table-returns_by_reason]")
    expect(table.locator("tbody tr").first).to_contain_text("2")

    # A click on the first bar (the most returns: basic assistance) opens the list.
    point = _bar_centre(page, CHART, 0)
    canvas.click(position=point)
    expect(page).to_have_url(re.compile(r"/analytics/drill/\?"))
    rows = page.locator("[data-testid=drill-list] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("a")).to_have_attribute(
        "href", reverse("referrals:detail", args=[data["r1"].public_id])
    )
    assert not [e for e in errors if "Content Security Policy" in e], errors
