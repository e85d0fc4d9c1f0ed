from django.urls import path

from silta.exchange import inbox_views, views

app_name = "exchange"
urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("units/<uuid:unit_id>/inbox/", inbox_views.inbox, name="inbox"),
    path("units/<uuid:unit_id>/inbox/claim/", inbox_views.inbox_claim, name="inbox_claim"),
    path("units/<uuid:unit_id>/load/", inbox_views.load, name="load"),
    path("clients/<uuid:client_id>/cases/", views.case_open, name="case_open"),
    # The client's own worker is named on the client page; the write discloses (exchange).
    path(
        "clients/<uuid:client_id>/own-worker/<uuid:unit_id>/", views.own_worker, name="own_worker"
    ),
    path("cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/threads/", views.thread_start, name="thread_start"),
    path("threads/<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<uuid:thread_id>/messages/", views.message_send, name="message_send"),
    path("threads/<uuid:thread_id>/claim/", views.thread_claim, name="thread_claim"),
    path("threads/<uuid:thread_id>/assign/", views.thread_assign, name="thread_assign"),
    path("threads/<uuid:thread_id>/status/", views.thread_status, name="thread_status"),
    path("attachments/<uuid:attachment_id>/", views.attachment_download, name="download"),
]
