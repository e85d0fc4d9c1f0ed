from django.urls import path, re_path

from silta.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(
        r"^tables/(?P<table_key>[a-z0-9_]+)\.(?P<output>csv|xlsx)$", views.export, name="export"
    ),
    path("drill/", views.drill, name="drill"),
    path("thl/<uuid:organisation_id>/", views.thl, name="thl"),
]
