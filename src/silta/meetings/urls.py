from django.urls import path

from silta.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.index, name="index"),
    path("meetings/actions/", views.actions, name="actions"),
    path("meetings/actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path("meetings/new/<uuid:case_id>/", views.new, name="new"),
    path("meetings/<uuid:meeting_id>/", views.detail, name="detail"),
    path("meetings/<uuid:meeting_id>/times/", views.times, name="times"),
    path("meetings/<uuid:meeting_id>/answer/", views.answer, name="answer"),
    path("meetings/<uuid:meeting_id>/confirm/", views.confirm, name="confirm"),
    path("meetings/<uuid:meeting_id>/place/", views.place, name="place"),
    path("meetings/<uuid:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<uuid:meeting_id>/agenda/", views.agenda, name="agenda"),
    path("meetings/<uuid:meeting_id>/minutes/", views.minutes_view, name="minutes"),
    path("meetings/<uuid:meeting_id>/actions/", views.action_add, name="action_add"),
    path("meetings/<uuid:meeting_id>/invite.ics", views.ics, name="ics"),
]
