"""A consent's life in the Finnish UI, and what it means for the messages on it (issue 9).

A Kela benefit processor records the consent the client gave on the application ("the
checkbox") on the client's consent page, opens the shared case with the social unit and
sends a message: the compose form says it goes out on that consent. A social worker
records that the client revoked the consent by phone. The Kela processor's next message in
the same thread, typed on the page still showing the consent, is refused: the refusal is
shown in the lawful-basis fieldset, the text is kept and the statutory bases are offered;
sent again on Totul 18 h §, it goes. The disclosure log lists both messages with their
bases. The consent page, its new-consent and revocation forms and the refusal pass axe
(WCAG 2.1 A and AA rules, as in test_reflow_a11y).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from silta.consents.codes import Category, Purpose
from silta.consents.models import Consent, ConsentWording, Disclosure
from silta.exchange.models import Case, Message, Thread
from tests.e2e.conftest import TIMEOUT_MS, Journey, htmx_submit, submit
from tests.e2e.test_reflow_a11y import _violations

pytestmark = pytest.mark.e2e

# Finnish texts (msgstr in locale/fi/LC_MESSAGES/django.po).
NONE_IN_FORCE = "Suostumusta ei ole voimassa"
RECORDED = "Suostumus kirjattu."
REVOKED = "Suostumus peruutettu. Sen perusteella ei enää luovuteta mitään."
IN_FORCE = "Voimassa"
STATE_REVOKED = "Peruutettu"
ON_THE_APPLICATION = "Hakemuksella"
BY_PHONE = "Puhelimessa"
RECORD_A_REVOCATION = "Kirjaa peruutus"
SENT = "Viesti lähetetty."
REFUSED = "Ei lähetetty: suostumus on peruutettu."
MESSAGE = "Viesti"
CONSENT = "suostumus"
TOTUL_18H = "Totul 18 h §"
DISCLOSURE_LOG = "Organisaatiosi luovutusloki"

WORDING = "hakemus-2026"
APPLICATION = "TO-2026-004217"
SUBJECT = "Toimeentulotukihakemus ja vuokra"
FIRST = "Hei, asiakas hakee perustoimeentulotukea ja kertoo vuokran olevan rästissä."
SECOND = "Lisäys: asiakkaan vuokravakuushakemus on hylätty, päätös tehty tänään."
# Finnish short date (Django's fi format "j.n.Y") and date-time ("j.n.Y G.i").
FI_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
FI_DATETIME = rf"{FI_DATE} \d{{1,2}}\.\d{{2}}"


@pytest.fixture
def scene(journey: Journey) -> Journey:
    """The organisations, a Kela processor and a social worker (both with TOTP), the client,
    and the consent wording printed on the application form. No consent yet, no case."""
    ConsentWording.objects.create(
        version=WORDING,
        text_fi="Suostun siihen, että Kela ja hyvinvointialue vaihtavat asiani tietoja.",
        text_sv="Jag samtycker till att FPA och välfärdsområdet utbyter uppgifter om mig.",
        purposes=list(Purpose.values),
        categories=list(Category.values),
    )
    return journey


def _context(new_context: Any) -> BrowserContext:
    # The page's Content-Security-Policy forbids inline scripts: bypassed to inject axe.
    context: BrowserContext = new_context(bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _no_axe_violations(page: Page, where: str) -> None:
    violations = _violations(page)
    assert not violations, (where, violations)


def _record_consent(page: Page, scene: Journey) -> None:
    """On the client's consent page: the checkbox ticked on the application."""
    panel = reverse("consents:panel", args=[scene.client.public_id])
    page.locator("[data-testid=consents-link]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(panel)}$"))
    expect(page.locator("[data-testid=consents-in-force]")).to_contain_text(NONE_IN_FORCE)
    page.locator(
        f"a[href='{reverse('consents:consent_new', args=[scene.client.public_id])}']"
    ).click()
    given_how = page.locator("input[name=given_how][value=application]")
    expect(given_how).to_be_visible()
    _no_axe_violations(page, "consent page, new consent form")
    given_how.check()
    page.locator("#id_application_reference").fill(APPLICATION)
    page.locator("#id_organiser").select_option(label=scene.world.county.name_fi)
    page.locator(f"input[name=purposes][value={Purpose.JOINT_ASSISTANCE}]").check()
    for category in (Category.BENEFIT_DECISIONS, Category.APPLICATIONS, Category.CONTACT_DETAILS):
        page.locator(f"input[name=categories][value={category}]").check()
    page.locator("#id_wording").select_option(WORDING)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(panel)}$"))
    expect(page.locator(".message-success")).to_have_text(RECORDED)


def test_consent_recorded_used_revoked_then_statutory_basis(
    live_server: Any, new_context: Any, login: Any, scene: Journey, artifacts: Path
) -> None:
    world, client = scene.world, scene.client
    kela = _context(new_context).new_page()

    # 1. The Kela processor records the consent on the client's consent page.
    login(kela, scene.kela_user)
    kela.goto(live_server.url + reverse("clients:detail", args=[client.public_id]))
    expect(kela.locator("h1")).to_have_text(client.full_name)
    _record_consent(kela, scene)
    in_force = kela.locator("[data-testid=consents-in-force] article")
    expect(in_force).to_have_count(1)
    expect(in_force.locator("h3 .status")).to_have_text(IN_FORCE)
    expect(in_force).to_contain_text(f"{ON_THE_APPLICATION} {APPLICATION}")
    consent = Consent.objects.get(client=client)
    assert (consent.given_how, consent.organiser_id, consent.recorded_by) == (
        "application",
        world.county.pk,
        scene.kela_user,
    )
    _no_axe_violations(kela, "consent page, consent in force")
    kela.screenshot(path=artifacts / "1-kela-consent-recorded.png", full_page=True)

    # 2. The shared case with the social unit, and a message on the consent: the compose
    #    form names the consent it goes out on.
    kela.locator(f"a[href='{reverse('clients:detail', args=[client.public_id])}']").click()
    kela.locator("#id_acting_unit").select_option(label=world.kela_unit.name_fi)
    kela.locator("#id_counterpart_unit").select_option(
        label=f"{world.county.name_fi} – {world.social_unit.name_fi}"
    )
    submit(kela, reverse("exchange:case_open", args=[client.public_id]))
    expect(kela).to_have_url(re.compile(r"/cases/[0-9a-f-]+/$"))
    case = Case.objects.get(client=client)
    basis = kela.locator("[data-testid=basis-consent]")
    expect(basis).to_contain_text(ON_THE_APPLICATION.lower())
    expect(kela.locator("[data-testid=basis-missing]")).to_have_count(0)
    kela.locator("#id_subject").fill(SUBJECT)
    kela.locator("#id_body").fill(FIRST)
    submit(kela, reverse("exchange:thread_start", args=[case.public_id]))
    expect(kela).to_have_url(re.compile(r"/threads/[0-9a-f-]+/$"))
    expect(kela.locator(".message-success")).to_have_text(SENT)
    thread = Thread.objects.get(case=case)
    expect(kela.locator("article.message-card")).to_have_count(1)
    # The reply form, loaded now, still says "on the consent".
    expect(kela.locator("#thread-body [data-testid=basis-consent]")).to_be_visible()

    # 3. The client phones the social worker and revokes the consent; she records it on
    #    the consent page (the form comes in place with htmx).
    social = _context(new_context).new_page()
    login(social, scene.social_worker)
    panel = reverse("consents:panel", args=[client.public_id])
    social.goto(live_server.url + panel)
    card = social.locator("[data-testid=consents-in-force] article")
    expect(card).to_have_count(1)
    card.get_by_role("link", name=RECORD_A_REVOCATION).click()
    form = card.locator("#revoke-form form")
    expect(form).to_be_visible()
    expect(social).to_have_url(re.compile(rf"{re.escape(panel)}$"))  # swapped in place
    _no_axe_violations(social, "consent page, revocation form")
    form.locator("input[name=how][value=phone]").check()
    form.locator("button[type=submit]").click()
    expect(social.locator(".message-success")).to_have_text(REVOKED)
    expect(social).to_have_url(re.compile(rf"{re.escape(panel)}$"))
    expect(social.locator("[data-testid=consents-in-force]")).to_contain_text(NONE_IN_FORCE)
    revoked = social.locator("[data-testid=consent-history] article")
    expect(revoked).to_have_count(1)
    expect(revoked.locator("h3 .status")).to_have_text(STATE_REVOKED)
    expect(revoked).to_contain_text(BY_PHONE)
    expect(revoked).to_contain_text(scene.social_worker.display_name)
    social.screenshot(path=artifacts / "3-social-consent-revoked.png", full_page=True)

    # 4. Kela's page still shows the consent; the next message is refused all the same.
    #    The refusal is in the basis fieldset, the text is kept, the bases are offered.
    kela.locator("#id_body").fill(SECOND)
    htmx_submit(kela, reverse("exchange:message_send", args=[thread.public_id]))
    fieldset = kela.locator("#thread-body [data-testid=basis]")
    expect(fieldset.locator("[data-testid=basis-error]")).to_contain_text(REFUSED)
    expect(fieldset.locator("[data-testid=basis-error]")).to_contain_text(TOTUL_18H)
    expect(fieldset.locator("[data-testid=basis-consent]")).to_have_count(0)
    expect(fieldset.locator("[data-testid=basis-missing]")).to_be_visible()
    expect(kela.locator("#id_body")).to_have_value(SECOND)
    totul = fieldset.locator("input[type=radio][name=statutory_basis][value=totul_18h]")
    expect(totul).not_to_be_checked()
    expect(fieldset.get_by_label(re.compile(TOTUL_18H))).to_have_count(1)
    expect(kela.locator("#thread-body .message-success")).to_have_count(0)
    expect(kela.locator("article.message-card")).to_have_count(1)
    assert Message.objects.filter(thread=thread).count() == 1
    _no_axe_violations(kela, "thread, send refused")
    kela.screenshot(path=artifacts / "4-kela-refused.png", full_page=True)

    # 5. On Totul 18 h § the kept text goes.
    totul.check()
    htmx_submit(kela, reverse("exchange:message_send", args=[thread.public_id]))
    expect(kela.locator("#thread-body .message-success")).to_have_text(SENT)
    cards = kela.locator("article.message-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(1).locator(".body")).to_have_text(SECOND)
    expect(kela.locator("#id_body")).to_have_value("")
    expect(kela.locator("[data-testid=basis-error]")).to_have_count(0)

    # 6. The disclosure log, newest first: the Totul 18 h § message, then the one on the
    #    consent (the refused attempt disclosed nothing and is not there).
    kela.goto(live_server.url + panel)
    kela.get_by_role("link", name=DISCLOSURE_LOG).click()
    expect(kela).to_have_url(
        re.compile(rf"{re.escape(reverse('consents:disclosures', args=[client.public_id]))}$")
    )
    rows = kela.locator("[data-testid=disclosure-log] li").filter(
        has_text=re.compile(rf"^{FI_DATETIME} {MESSAGE} ·")
    )
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(TOTUL_18H)
    expect(rows.nth(0)).not_to_contain_text(CONSENT)
    expect(rows.nth(1)).to_contain_text(re.compile(rf"{CONSENT} {FI_DATE}–{FI_DATE}"))
    expect(rows.nth(1)).not_to_contain_text(TOTUL_18H)
    for row in (rows.nth(0), rows.nth(1)):
        expect(row).to_contain_text(f"→ {world.social_unit.name_fi}")
    kela.screenshot(path=artifacts / "6-kela-disclosure-log.png", full_page=True)
    sent = Disclosure.objects.filter(client=client, kind="message").order_by("occurred_at", "id")
    assert [(d.consent_id, d.statutory_basis) for d in sent] == [
        (consent.pk, ""),
        (None, "totul_18h"),
    ]
