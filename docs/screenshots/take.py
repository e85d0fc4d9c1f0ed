"""Retake the README screenshots from a running demo (`make demo`), with Debian's Chromium.

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000]

Desktop width 1280 px, and the inbox once more at 320 px (a phone). Never
`playwright install`: the browser is /usr/bin/chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).parent
PASSWORD = "silta-demo-2026"  # noqa: S105 (the demo's)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/inbox/")


def shoot(page: Page, name: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=HERE / name)
    print("saved", HERE / name)


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        desk = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fi-FI")
        page = desk.new_page()
        sign_in(page, base, "sos.tyontekija")
        page.goto(page.url + "?filter=all&sort=due")
        shoot(page, "inbox.png")
        # The Kuopio client's case: a referral, a returned one's steps, messages.
        row = page.locator("table.inbox tbody tr", has_text="Lehtonen").first
        row.locator("a[href*='/threads/']").click()
        page.locator(".breadcrumbs a[href*='/cases/']").click()
        page.wait_for_url("**/cases/**")
        page.locator("ol.timeline details").first.evaluate("d => d.open = true")
        shoot(page, "case.png")
        page.goto(f"{base}/directory/?q=Kuopio")
        shoot(page, "directory.png")
        page.goto(f"{base}/")
        received = page.locator("main a[href*='/referrals/received/']").first
        received.click()
        page.locator("main table a[href*='/referrals/']").first.click()
        shoot(page, "referral.png")
        # The lawful basis (issue 9): a Kela processor replying on a case that social
        # services opened on Totul 15 § (the client gave no consent) is offered the bases.
        kela = desk.new_page()
        sign_in(kela, base, "kela.kasittelija")
        kela.goto(kela.url + "?filter=all")
        thread = kela.locator("table.inbox tbody tr", has_text="lausunto perusosan").first
        thread.locator("a[href*='/threads/']").click()
        kela.wait_for_url("**/threads/**")
        reply = kela.locator("#thread-body section.panel")
        reply.scroll_into_view_if_needed()
        reply.screenshot(path=HERE / "basis.png")
        print("saved", HERE / "basis.png")
        # A client's consents at a glance (Kela's view: the context is signed in as Kela now).
        page.goto(f"{base}/")
        page.locator("table.inbox tbody tr", has_text="Lehtonen").first.locator(
            "a[href*='/threads/']"
        ).click()
        page.locator(".breadcrumbs a[href*='/cases/']").click()
        page.wait_for_url("**/cases/**")
        client = page.locator(".breadcrumbs a[href*='/clients/']").first.get_attribute("href")
        page.goto(f"{base}{client}consents/")
        shoot(page, "consents.png")
        phone = browser.new_context(viewport={"width": 320, "height": 740}, locale="fi-FI")
        small = phone.new_page()
        sign_in(small, base, "sos.tyontekija")
        small.goto(small.url + "?filter=all&sort=due")
        shoot(small, "inbox-320px.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
