from django.urls import path

from silta.referrals import views

app_name = "referrals"
urlpatterns = [
    path("cases/<uuid:case_id>/referrals/new/", views.new, name="new"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/act/", views.act, name="act"),
    path("referrals/<uuid:referral_id>/meeting.ics", views.ics, name="ics"),
    path("units/<uuid:unit_id>/referrals/sent/", views.sent, name="sent"),
    path("units/<uuid:unit_id>/referrals/received/", views.received, name="received"),
    path("units/<uuid:unit_id>/referrals/report/", views.report, name="report"),
]
