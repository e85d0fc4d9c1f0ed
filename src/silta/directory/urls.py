from django.urls import path

from silta.directory import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/route/", views.routing, name="route"),
    path("directory/units/<uuid:unit_id>/", views.unit_detail, name="unit"),
    path("directory/units/<uuid:unit_id>/verify/", views.unit_verify, name="verify"),
    path("directory/units/<uuid:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("directory/units/<uuid:unit_id>/channels/new/", views.channel_edit, name="channel_new"),
    path(
        "directory/units/<uuid:unit_id>/channels/<uuid:channel_id>/",
        views.channel_edit,
        name="channel_edit",
    ),
    path(
        "directory/units/<uuid:unit_id>/channels/<uuid:channel_id>/delete/",
        views.channel_delete,
        name="channel_delete",
    ),
    path("about/", views.about, name="about"),
]
