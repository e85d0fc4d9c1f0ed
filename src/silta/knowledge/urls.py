from django.urls import path

from silta.knowledge import views, work_views

app_name = "knowledge"
urlpatterns = [
    path("guide/", views.guide_index, name="guide"),
    path("guide/hint/", work_views.hint, name="hint"),
    path("guide/kinds/<slug:code>/", work_views.by_kind, name="by_kind"),
    path("guide/<slug:slug>/", views.entry, name="entry"),
    path("guide/<slug:slug>/draft/", views.draft_new, name="draft_new"),
    path("guide/<slug:slug>/variant/", views.variant_new, name="variant_new"),
    path("guide/<slug:slug>/v/<int:number>/", views.version, name="version"),
    path("guide/<slug:slug>/v/<int:number>/edit/", views.draft_edit, name="draft_edit"),
    path(
        "guide/<slug:slug>/v/<int:number>/review-request/",
        views.review_request,
        name="review_request",
    ),
    path("guide/<slug:slug>/v/<int:number>/review/", views.review, name="review"),
    path("guide/<slug:slug>/v/<int:number>/publish/", views.publish, name="publish"),
    path("bulletins/", views.bulletin_index, name="bulletins"),
    path("bulletins/new/", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<uuid:bulletin_id>/", views.bulletin, name="bulletin"),
    path("bulletins/<uuid:bulletin_id>/acknowledge/", views.bulletin_ack, name="bulletin_ack"),
    path("bulletins/<uuid:bulletin_id>/posts/", views.bulletin_post, name="bulletin_post"),
    path(
        "bulletins/<uuid:bulletin_id>/impact/<uuid:unit_id>/",
        views.bulletin_impact,
        name="bulletin_impact",
    ),
    path(
        "bulletins/<uuid:bulletin_id>/files/<uuid:file_id>/",
        views.bulletin_file,
        name="bulletin_file",
    ),
]
