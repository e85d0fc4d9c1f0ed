from django.urls import path

from silta.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("directory/units/<uuid:unit_id>/callback/", views.new, name="new"),
    path("clients/<uuid:client_id>/callback/<uuid:unit_id>/", views.new, name="new_for_client"),
    path("callbacks/<uuid:request_id>/", views.detail, name="detail"),
    path("callbacks/<uuid:request_id>/claim/", views.claim, name="claim"),
    path("callbacks/<uuid:request_id>/attempt/", views.attempt, name="attempt"),
    path("callbacks/<uuid:request_id>/complete/", views.complete, name="complete"),
    path("callbacks/<uuid:request_id>/cancel/", views.cancel, name="cancel"),
    path("units/<uuid:unit_id>/callbacks/", views.queue, name="queue"),
    path("units/<uuid:unit_id>/callbacks/sent/", views.sent, name="sent"),
]
