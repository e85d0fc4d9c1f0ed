from django.urls import path

from silta.consents import views

app_name = "consents"
urlpatterns = [
    path("clients/<uuid:client_id>/consents/", views.panel, name="panel"),
    path("clients/<uuid:client_id>/consents/new/", views.consent_new, name="consent_new"),
    path(
        "clients/<uuid:client_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke_page,
        name="consent_revoke",
    ),
    path("clients/<uuid:client_id>/consents/disclosures/", views.disclosures, name="disclosures"),
    path("clients/<uuid:client_id>/powers-of-attorney/new/", views.poa_new, name="poa_new"),
    path(
        "clients/<uuid:client_id>/powers-of-attorney/<uuid:poa_id>/verify/",
        views.poa_verify_page,
        name="poa_verify",
    ),
    path(
        "clients/<uuid:client_id>/powers-of-attorney/<uuid:poa_id>/revoke/",
        views.poa_revoke_page,
        name="poa_revoke",
    ),
]
