"""The pages: charts drawn by an external script from json_script data (no inline
script), a table beside each chart, CSV and XLSX of each table, the list behind a bar for
one's own unit only, the THL file, and bad input refused with a message."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from silta.audit.models import AuditEvent
from tests.factories import browser_client

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-10", "to": "2026-11"}


def signed_in(user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    http = browser_client(language)
    http.force_login(user)
    return http


def _get(client, name, *args, **params):
    return client.get(reverse(f"analytics:{name}", args=args), params)


def test_the_dashboard_draws_charts_from_data_with_tables_beside_them(world, data):
    client = signed_in(world.users["social_manager"])
    response = _get(client, "dashboard", scope="organisation", key=world.county.public_id, **PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<canvas id="chart-handoffs_by_pair"' in html
    assert 'id="chart-handoffs_by_pair-data" type="application/json"' in html
    assert 'data-testid="table-handoffs_by_pair"' in html
    # Every script is a file of our own (the CSP allows no inline script).
    assert all("src=" in tag for tag in re.findall(r"<script(?![^>]*application/json)[^>]*>", html))
    assert "/static/analytics/chart.umd.min.js" in html
    assert reverse("analytics:thl", args=[world.county.public_id]) in html


def test_csv_and_xlsx_of_a_table_carry_its_rows(world, data):
    client = signed_in(world.users["social_manager"])
    params = {"scope": "organisation", "key": world.county.public_id, **PERIOD}
    text = _get(client, "export", "returns_by_reason", "csv", **params).content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Reason", "Returns"]
    assert rows[1] == ["The expense belongs to basic assistance (Kela)", "2"]
    response = _get(client, "export", "response_by_organiser", "xlsx", **params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Pohjois-Savon hyvinvointialue", 4, 50, 0.7, 3, 66.7, 4.3, 1] in values
    assert AuditEvent.objects.filter(
        action="export", detail__analytics="returns_by_reason"
    ).exists()


def test_a_bar_leads_to_the_own_units_referrals(world, data):
    client = signed_in(world.users["social_manager"])
    page = _get(client, "dashboard", scope="unit", key=world.social_unit.public_id, **PERIOD)
    links = re.findall(r'href="(/analytics/drill/\?[^"]+)"', page.content.decode())
    assert links
    reason = next(link for link in links if "basic_assistance_expense" in link)
    listing = client.get(reason.replace("&amp;", "&"))
    assert listing.status_code == 200
    found = re.findall(r"/referrals/([0-9a-f-]{36})/", listing.content.decode())
    assert found == [str(data["r1"].public_id)]


def test_the_list_behind_a_bar_is_only_for_ones_own_unit(world, data):
    vantaa = {"unit": world.other_social_unit.public_id, **PERIOD}
    kuopio = {"unit": world.social_unit.public_id, **PERIOD}
    manager = signed_in(world.users["social_manager"])
    assert _get(manager, "drill", **kuopio).status_code == 200
    assert _get(manager, "drill", **vantaa).status_code == 404
    # The unit's other staff and the organisation's analyst see figures, not clients.
    for key in ("social_worker", "social_admin"):
        assert _get(signed_in(world.users[key]), "drill", **kuopio).status_code == 404
    assert AuditEvent.objects.filter(action="denied", detail__analytics="drill").count() == 3


def test_thl_monitoring_file_for_the_whole_organiser(world, data):
    client = signed_in(world.users["social_admin"])
    response = _get(client, "thl", world.county.public_id, year="2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:3] == ["Month", "Category", "Arrived"]
    assert [r[0] for r in rows[2:]] == ["2026-04"] * 3 + ["2026-10"] * 3
    other = signed_in(world.users["social_other_org_manager"])
    assert _get(other, "thl", world.county.public_id, year="2026").status_code == 404


def test_a_too_long_or_reversed_period_shows_a_message_and_changes_nothing(world, data):
    client = signed_in(world.users["social_manager"])
    before = AuditEvent.objects.count()
    long = _get(client, "dashboard", **{"from": "2019-01", "to": "2026-11"})
    assert long.status_code == 400
    assert "at most five years" in long.content.decode()
    reversed_ = _get(client, "dashboard", **{"from": "2026-11", "to": "2026-01"})
    assert reversed_.status_code == 400
    assert "ends before it starts" in reversed_.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_thl_file_is_offered_to_organisers_only(world, data):
    kela = world.kela_unit.organisation
    client = signed_in(world.users["kela_admin"])
    page = _get(client, "dashboard", scope="organisation", key=kela.public_id, **PERIOD)
    assert page.status_code == 200
    assert 'data-testid="thl-export"' not in page.content.decode()
    assert _get(client, "thl", kela.public_id, year="2026").status_code == 400
