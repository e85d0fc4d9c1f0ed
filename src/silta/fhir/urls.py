from django.urls import path, re_path

from silta.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Patient/_search", views.patient_search, name="patient_search"),
    path("<str:resource_type>", views.type_level, name="type"),
    path("<str:resource_type>/<str:resource_id>", views.instance_level, name="instance"),
    re_path(r"^(?P<rest>.+)$", views.not_found, name="not_found"),
]
