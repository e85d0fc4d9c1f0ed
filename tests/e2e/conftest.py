"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium (`make chromium`).
Run with `DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -q tests/e2e`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make between browser steps would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from silta.accounts.models import User
from silta.accounts.roles import Role
from silta.clients.models import Client
from silta.reference.loaders import DEFAULT_FILE, load_municipalities, read_rows
from silta.reference.models import Municipality
from tests.factories import PASSWORD, World, build_world, make_user, test_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A Finnish user's browser: Accept-Language fi-FI, so the UI is in Finnish.
    return {
        **browser_context_args,
        "locale": "fi-FI",
        "timezone_id": "Europe/Helsinki",
        "viewport": VIEWPORT,
    }


@pytest.fixture
def municipalities(transactional_db: None) -> None:
    """The data migration's municipalities are flushed after the first transactional test."""
    if not Municipality.objects.filter(code="297").exists():
        load_municipalities(read_rows(DEFAULT_FILE), year=2025, model=Municipality)


@dataclass
class Journey:
    """The organisations of ``build_world()`` plus two named users with TOTP and a client."""

    world: World
    kela_user: User
    social_worker: User
    client: Client


def _person(unit: Any, role: str, username: str, first: str, last: str) -> User:
    user = make_user(unit, role, username, totp=True)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def journey(municipalities: None) -> Journey:
    world = build_world()
    kela_user = _person(
        world.kela_unit, Role.KELA_BENEFIT_PROCESSOR, "kaisa.laine", "Kaisa", "Laine"
    )
    worker = _person(world.social_unit, Role.SOCIAL_WORKER, "sanna.virtanen", "Sanna", "Virtanen")
    client = Client.objects.create(
        identity_code=test_code(42),
        first_names="Matti Juhani",
        last_name="Meikäläinen",
        municipality_id="297",
    )
    return Journey(world=world, kela_user=kela_user, social_worker=worker, client=client)


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


@pytest.fixture
def login(live_server: Any) -> Callable[[Page, User], None]:
    """Sign in through the login form: username, password and the current one-time code."""

    def _login(page: Page, user: User) -> None:
        page.goto(live_server.url + reverse("accounts:login"))
        expect(page.locator("html")).to_have_attribute("lang", "fi")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_otp_token").fill(current_code(user))
        page.locator("main form button[type=submit]").click()
        # Signed in: the home page redirects to the user's first unit's inbox.
        expect(page).to_have_url(re.compile(r"/units/[0-9a-f-]+/inbox/$"))
        expect(page.locator(".current-user")).to_have_text(user.display_name)

    return _login


def submit(page: Page, action: str) -> None:
    """Click the submit button of the form posting to ``action``."""
    page.locator(f"form[action='{action}'] button[type=submit]").click()


def htmx_submit(page: Page, action: str, target: str = "#thread-body") -> None:
    """Submit an htmx form and wait until its response has replaced ``target``.

    Waiting for the swap (not just for some text) matters when the new state looks like the
    old one, e.g. the same validation error twice in a row.
    """
    old = page.locator(target).element_handle()
    assert old is not None
    with page.expect_response(
        lambda response: response.url.endswith(action) and response.request.method == "POST"
    ):
        submit(page, action)
    old.wait_for_element_state("hidden")  # detached: the response has been swapped in


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """test-artifacts/<test name>/: screenshots kept after the run (gitignored)."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def readme_screenshots() -> Path | None:
    """Where to save the README screenshots (SILTA_SCREENSHOT_DIR), if asked for."""
    target = os.environ.get("SILTA_SCREENSHOT_DIR")
    if not target:
        return None
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
