from django.urls import path

from silta.oidc import views

app_name = "oidc"
urlpatterns = [
    # "start" is the client's (settings.SILTA_CLIENT_SIGN_IN_START, the portal's button).
    path("oidc/client/start/", views.client_start, name="start"),
    path("oidc/client/callback/", views.client_callback, name="client_callback"),
    # The client's sign-out (settings.SILTA_CLIENT_SIGN_OUT, the own view's button): a page
    # of the own view (/oma/), for signed-in clients only.
    path("oma/ulos/tunnistus/", views.client_sign_out, name="client_sign_out"),
    path("oidc/staff/", views.staff_start, name="staff"),
    path("oidc/staff/callback/", views.staff_callback, name="staff_callback"),
    path("oidc/staff/code/", views.staff_code, name="staff_code"),
    # The staff's sign-out (the header's button): Silta's, then the provider's if any.
    path("oidc/staff/sign-out/", views.staff_sign_out, name="staff_sign_out"),
]
