from django.urls import path

from silta.portal import views

app_name = "portal"
urlpatterns = [
    path("oma/", views.home, name="home"),
    path("oma/kirjaudu/", views.sign_in, name="sign_in"),
    path("oma/ulos/", views.sign_out, name="sign_out"),
]
