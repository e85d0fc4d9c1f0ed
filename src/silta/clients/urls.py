from django.urls import path

from silta.clients import views

app_name = "clients"
urlpatterns = [
    path("clients/find/", views.client_find, name="find"),
    path("clients/new/", views.client_add, name="add"),
    path("clients/<uuid:client_id>/", views.client_detail, name="detail"),
    path(
        "clients/<uuid:client_id>/identity-code/",
        views.identity_code_reveal,
        name="identity_code",
    ),
]
