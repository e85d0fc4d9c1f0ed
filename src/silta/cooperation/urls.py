from django.urls import path

from silta.cooperation import setup_views, views

app_name = "cooperation"
urlpatterns = [
    path("cooperation/teams/", views.teams, name="teams"),
    path("cooperation/teams/new/", setup_views.team_new, name="team_new"),
    path("cooperation/teams/<uuid:team_id>/", views.team_detail, name="team"),
    path("cooperation/teams/<uuid:team_id>/edit/", setup_views.team_edit, name="team_edit"),
    path("cooperation/teams/<uuid:team_id>/routines/", views.team_routines, name="routines"),
    path("cooperation/forums/", views.forums, name="forums"),
    path("cooperation/forums/new/", setup_views.forum_new, name="forum_new"),
    path("cooperation/forums/<uuid:forum_id>/", views.forum_detail, name="forum"),
    path("cooperation/forums/<uuid:forum_id>/edit/", setup_views.forum_edit, name="forum_edit"),
    path("cooperation/forums/<uuid:forum_id>/propose/", views.propose, name="propose"),
    path("cooperation/items/<uuid:item_id>/", views.item_detail, name="item"),
    path("cooperation/items/<uuid:item_id>/move/", views.item_move, name="move"),
    path("cooperation/items/<uuid:item_id>/actions/", views.followup_add, name="followup_add"),
    path("cooperation/actions/<uuid:action_id>/done/", views.followup_done, name="followup_done"),
    path("cooperation/decisions/", views.decisions, name="decisions"),
]
