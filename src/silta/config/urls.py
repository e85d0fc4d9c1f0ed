from django.contrib import admin
from django.urls import include, path

from silta.config.api import api
from silta.core.health import healthz, readyz
from silta.notifications import views as notifications
from silta.portal.session import client_required

urlpatterns = [
    # The API and FHIR first: the apps' pages below are included at the root, so every
    # path would otherwise be tried against all of their patterns first (issue 10).
    path("api/v1/", api.urls),
    path("fhir/R4/", include("silta.fhir.urls")),
    path("", include("silta.exchange.urls")),
    path("", include("silta.accounts.urls")),
    path("", include("silta.clients.urls")),
    path("", include("silta.directory.urls")),
    path("", include("silta.callbacks.urls")),
    path("", include("silta.referrals.urls")),
    path("", include("silta.consents.urls")),
    path("", include("silta.meetings.urls")),
    path("", include("silta.bookings.urls")),
    path("", include("silta.cooperation.urls")),
    path("", include("silta.portal.urls")),
    # The client's notification choices: a page of the own view, behind its client guard.
    path(
        "oma/ilmoitukset/",
        client_required(notifications.preferences),
        name="notification_preferences",
    ),
    path("knowledge/", include("silta.knowledge.urls")),
    path("analytics/", include("silta.analytics.urls")),
    path("", include("silta.oidc.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
