from django.urls import path

from silta.portal import staff_views, views

app_name = "portal"
urlpatterns = [
    path("oma/", views.home, name="home"),
    path("oma/kirjaudu/", views.sign_in, name="sign_in"),
    path("oma/ulos/", views.sign_out, name="sign_out"),
    path("oma/kenen/", views.acting_for, name="acting_for"),
    path("oma/tapaamiset/", views.meetings, name="meetings"),
    path(
        "oma/tapaamiset/<uuid:meeting_id>/kalenteri.ics",
        views.meeting_calendar,
        name="meeting_calendar",
    ),
    path(
        "oma/tapaamiset/ajanvaraus/<uuid:booking_id>/kalenteri.ics",
        views.booking_calendar,
        name="booking_calendar",
    ),
    path("oma/suostumukset/", views.consents, name="consents"),
    path("oma/suostumukset/anna/", views.consent_give, name="consent_give"),
    path("oma/suostumukset/peru/", views.consent_revoke, name="consent_revoke"),
    path("oma/tietojen-kaytto/", views.data_use_page, name="data_use"),
    # Staff: keep one referral from the client's own view (a control on the referral page).
    path(
        "referrals/<uuid:referral_id>/client-view/",
        staff_views.withholding,
        name="withholding",
    ),
]
