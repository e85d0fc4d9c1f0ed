from django.urls import path

from silta.oidc import views

app_name = "oidc"
urlpatterns = [
    # "start" is the client's (settings.SILTA_CLIENT_SIGN_IN_START, the portal's button).
    path("oidc/client/start/", views.client_start, name="start"),
    path("oidc/client/callback/", views.client_callback, name="client_callback"),
    path("oidc/staff/", views.staff_start, name="staff"),
    path("oidc/staff/callback/", views.staff_callback, name="staff_callback"),
    path("oidc/staff/code/", views.staff_code, name="staff_code"),
]
