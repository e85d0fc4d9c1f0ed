"""A client's consents and powers of attorney: the panel, recording and revoking.

Views only parse and render: reads go through ``selectors``, writes through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.consents.forms import ConsentForm, PoaForm, RevokeForm
from silta.consents.permissions import can_record_consent, can_revoke_consent, can_verify_poa
from silta.consents.poa_services import poa_record, poa_revoke, poa_verify
from silta.consents.selectors import (
    consent_client,
    consent_get,
    consent_panel,
    disclosure_log_for_client,
    organisers,
    other_organiser_units,
    own_units,
    poa_get,
    relates,
    usable_powers,
    wordings,
)
from silta.consents.services import consent_record, consent_revoke, require_unit
from silta.core.errors import Invalid
from silta.core.forms import add_service_error
from silta.core.views import service_errors


def _actor(request: AuthenticatedRequest) -> Any:
    return request.actor


def _to_panel(client: Any) -> HttpResponse:
    return redirect("consents:panel", client_id=client.public_id)


@require_http_methods(["GET"])
@service_errors
def panel(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    actor = _actor(request)
    context = {
        "panel": consent_panel(actor=actor, client_id=client_id),
        "can_record": can_record_consent(actor),
        "can_revoke": can_revoke_consent(actor),
        "can_verify": can_verify_poa(actor),
    }
    return render(request, "consents/panel.html", context)


@require_http_methods(["GET", "POST"])
@service_errors
def consent_new(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    actor = _actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    require_unit(actor, Perm.CONSENT_RECORD)
    texts = wordings()
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        wordings=texts,
        organisers=organisers(),
        units=own_units(actor),
        other_units=other_organiser_units(actor),
        powers=usable_powers(client) if relates(actor, client) else [],
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(
                actor=actor,
                client=client,
                data=form.to_input(),
                document=form.cleaned_data["document"],
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return _to_panel(client)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "form": form, "wordings": texts}
    return render(request, "consents/consent_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@service_errors
def consent_revoke_page(
    request: AuthenticatedRequest, client_id: str, consent_id: str
) -> HttpResponse:
    """A confirmation page, then the revocation (sharing on the consent stops at once)."""
    actor = _actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    consent = consent_get(actor=actor, consent_id=consent_id, client=client)
    require_unit(actor, Perm.CONSENT_REVOKE)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_revoke(actor=actor, consent=consent, **form.cleaned_data)
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Consent revoked. Nothing more is shared on it."))
            return _to_panel(client)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "consent": consent, "form": form}
    return render(request, "consents/consent_revoke.html", context, status=status)


@require_http_methods(["GET", "POST"])
@service_errors
def poa_new(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    actor = _actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    require_unit(actor, Perm.CONSENT_RECORD)
    form = PoaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            poa_record(
                actor=actor,
                client=client,
                data=form.to_input(),
                document=form.cleaned_data["document"],
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Power of attorney recorded. It counts once verified."))
            return _to_panel(client)
    status = 400 if request.method == "POST" else 200
    return render(request, "consents/poa_new.html", {"client": client, "form": form}, status=status)


@require_POST
@service_errors
def poa_verify_page(request: AuthenticatedRequest, client_id: str, poa_id: str) -> HttpResponse:
    actor = _actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    poa = poa_get(actor=actor, poa_id=poa_id, client=client)
    poa_verify(actor=actor, poa=poa)
    messages.success(request, _("Power of attorney verified."))
    return _to_panel(client)


@require_http_methods(["GET", "POST"])
@service_errors
def poa_revoke_page(request: AuthenticatedRequest, client_id: str, poa_id: str) -> HttpResponse:
    actor = _actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    poa = poa_get(actor=actor, poa_id=poa_id, client=client)
    require_unit(actor, Perm.CONSENT_REVOKE)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poa_revoke(actor=actor, poa=poa, how=form.cleaned_data["how"])
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Power of attorney revoked."))
            return _to_panel(client)
    status = 400 if request.method == "POST" else 200
    context = {"client": client, "poa": poa, "form": form}
    return render(request, "consents/poa_revoke.html", context, status=status)


@require_http_methods(["GET"])
@service_errors
def disclosures(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    client, rows = disclosure_log_for_client(actor=_actor(request), client_id=client_id)
    return render(request, "consents/disclosures.html", {"client": client, "rows": rows})
