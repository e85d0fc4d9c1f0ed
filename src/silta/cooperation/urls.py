from django.urls import path

from silta.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("cooperation/teams/", views.teams, name="teams"),
    path("cooperation/teams/<uuid:team_id>/", views.team_detail, name="team"),
    path("cooperation/teams/<uuid:team_id>/routines/", views.team_routines, name="routines"),
    path("cooperation/forums/", views.forums, name="forums"),
    path("cooperation/forums/<uuid:forum_id>/", views.forum_detail, name="forum"),
    path("cooperation/forums/<uuid:forum_id>/propose/", views.propose, name="propose"),
    path("cooperation/items/<uuid:item_id>/", views.item_detail, name="item"),
    path("cooperation/items/<uuid:item_id>/move/", views.item_move, name="move"),
    path("cooperation/items/<uuid:item_id>/actions/", views.followup_add, name="followup_add"),
    path("cooperation/actions/<uuid:action_id>/done/", views.followup_done, name="followup_done"),
    path("cooperation/decisions/", views.decisions, name="decisions"),
]
