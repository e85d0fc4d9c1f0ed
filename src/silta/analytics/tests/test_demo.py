"""The demo's manager sees a year of handoff and response-time figures as charts."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from silta.accounts.models import User
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def test_the_demo_dashboard_shows_a_year_of_figures():
    call_command("demo_seed", stdout=io.StringIO())
    http = browser_client("fi")
    http.force_login(User.objects.get(username="sos.johtaja"))
    page = http.get(reverse("analytics:dashboard")).content.decode()
    assert 'data-testid="table-handoffs_by_month"' in page
    assert 'data-testid="table-returns_by_reason"' in page
    assert page.count("<canvas") >= 8
    assert "Meno kuuluu perustoimeentulotukeen (Kela)" in page
