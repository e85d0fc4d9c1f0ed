"""Staff: keep one referral from the client's own view (or release it), with the reason
recorded. Reached from the referral page; the staff middleware guards it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from silta.accounts.request import AuthenticatedRequest
from silta.core.errors import ServiceError
from silta.core.forms import add_service_error
from silta.core.views import service_errors
from silta.portal.forms import WithholdForm
from silta.portal.matters import visible
from silta.portal.models import LAW, TELL_CLIENT
from silta.portal.selectors import active_withholding
from silta.portal.services import WithholdInput, release, withhold
from silta.referrals.selectors import referral_get


@service_errors
@require_http_methods(["GET", "POST"])
def withholding(request: AuthenticatedRequest, referral_id: Any) -> HttpResponse:
    actor = request.actor
    referral = referral_get(actor=actor, referral_id=referral_id)
    form = WithholdForm(request.POST if "withhold" in request.POST else None)
    if request.method == "POST":
        try:
            if "release" in request.POST:
                release(actor=actor, referral=referral)
                messages.success(request, _("The client sees this referral again."))
                return redirect("portal:withholding", referral.public_id)
            if form.is_valid():
                withhold(
                    actor=actor,
                    referral=referral,
                    data=WithholdInput(
                        reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
                    ),
                )
                messages.success(request, _("The client does not see this referral now."))
                return redirect("portal:withholding", referral.public_id)
        except ServiceError as exc:
            add_service_error(form, exc)
    current = active_withholding(referral)
    context = {
        "referral": referral,
        "form": form,
        "current": current,
        "law": LAW,
        "told": TELL_CLIENT,
        "type_shows": visible(referral),
    }
    return render(
        request, "portal/staff_withholding.html", context, status=400 if form.errors else 200
    )
