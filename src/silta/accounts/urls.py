from django.urls import path

from silta.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/authenticator/", views.totp_enrol_view, name="totp_enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
]
