"""Every role x every cooperation page, and every unit's API key x every endpoint.

Teams are read by every staff member (like the directory); their routines are kept by
the people of the team's units (Kela Itä, Kuopio adult social work, Kuopio social
assistance). The cooperation group's members are Kela and the Pohjois-Savo county: the
other county's staff get 404 (cross-organisation denial), administrators too (their role
takes no part in cooperation). Kuopio's manager chairs: only they move items and add
follow-up actions; Kela Itä owns the decision's follow-up action. The scene is
``scene.py`` on top of ``tests.permissions``.

Setting up: every unit manager may start a team or a forum, but a team must include the
manager's own unit and a forum's chair unit's organisation must be a member (the Vantaa
manager's try with Kuopio's units is a 400); a team is edited by the managers of its units
only (Kela Itä's and Kuopio's, not Vantaa's: 403), a forum by its chair only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from silta.cooperation.tests.scene import Coop, find_or_build, meeting_day
from tests.permissions import (
    Endpoint,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _cooperation_scene(module_scene, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        find_or_build(module_scene.world)


def coop(scene: Scene) -> Coop:
    return find_or_build(scene.world)


def _page(name: str, obj: str = "") -> Any:
    def request(scene: Scene, _key: str) -> Any:
        c = coop(scene)
        target: Any = {
            "team": c.team,
            "forum": c.forum,
            "proposed": c.items["proposed"],
            "decided": c.items["decided"],
            "action": c.action,
        }.get(obj)
        args = [target.public_id] if target is not None else []
        return reverse(f"cooperation:{name}", args=args)

    return request


def _get(name: str, obj: str = "") -> Any:
    path = _page(name, obj)
    return lambda s, key: get(path(s, key))


def _post(name: str, obj: str, data: dict[str, Any]) -> Any:
    path = _page(name, obj)
    return lambda s, key: post(path(s, key), data)


def _followup(scene: Scene, _key: str) -> Any:
    data = {
        "description": "Koulutus",
        "owner_unit_id": str(scene.world.social_unit.public_id),
        "due_date": meeting_day().isoformat(),
    }
    return post(_page("followup_add", "decided")(scene, _key), data)


def _units(scene: Scene, *names: str) -> list[str]:
    return [str(getattr(scene.world, name).public_id) for name in names]


def _team_data(scene: Scene, *units: str) -> dict[str, Any]:
    return {"name_fi": "Uusi tiimi", "unit_ids": _units(scene, *units), "municipalities": "297"}


def _forum_data(scene: Scene, key: str) -> dict[str, Any]:
    """A forum of Kela and Pohjois-Savo chaired from the caller's own unit."""
    return {
        "name_fi": "Uusi ryhmä",
        "kind": "working_group",
        "organisation_ids": [str(scene.world.kela.public_id), str(scene.world.county.public_id)],
        "chair_unit_id": str(scene.unit_of(key).public_id),
    }


def _team_new(scene: Scene, key: str) -> Any:
    return post(reverse("cooperation:team_new"), _team_data(scene, "kela_unit", "social_unit"))


def _team_edit(scene: Scene, key: str) -> Any:
    data = _team_data(scene, "kela_unit", "social_unit", "social_unit2")
    return post(_page("team_edit", "team")(scene, key), data)


def _forum_new(scene: Scene, key: str) -> Any:
    return post(reverse("cooperation:forum_new"), _forum_data(scene, key))


def _forum_edit(scene: Scene, key: str) -> Any:
    return post(_page("forum_edit", "forum")(scene, key), _forum_data(scene, key))


ALL = (200,) * 13
ROUTINES = (200, 200, 200, 403, 200, 200, 200, 200, 403, 403, 200, 403, 403)
MEMBERS = (200, 200, 200, 404, 200, 200, 200, 200, 404, 200, 200, 404, 404)
MEMBERS_POST = tuple(302 if code == 200 else code for code in MEMBERS)
CHAIR = (403, 403, 403, 404, 403, 403, 403, 302, 404, 403, 403, 404, 404)
MANAGERS = (403, 403, 200, 403, 403, 403, 403, 200, 403, 403, 403, 403, 200)
TEAM_MANAGERS = (403, 403, 200, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403)
FORUM_CHAIR = (403, 403, 403, 404, 403, 403, 403, 200, 404, 403, 403, 404, 404)
PROPOSAL = {"title": "Tavoitettavuus", "description": "Puhelinajat", "topic": "reachability"}
SCHEDULE = {"action": "schedule", "meeting_date": meeting_day().isoformat()}

# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | Kela Etelä, Kuopio social assistance, Vantaa worker, manager.
WEB: dict[str, Row] = {
    "coop_teams": Row(ALL, _get("teams")),
    "coop_team": Row(ALL, _get("team", "team")),
    "coop_routines": Row(ROUTINES, _get("routines", "team")),
    "coop_routines_save": Row(
        (302, 302, 302, 403,   302, 302, 302, 302, 403,   403, 302, 403, 403),
        _post("routines", "team", {"text": "Soitamme toisillemme", "based_on_version": "0"}),
    ),
    "coop_forums": Row(ALL, _get("forums")),
    "coop_forum": Row(MEMBERS, _get("forum", "forum")),
    "coop_propose": Row(MEMBERS, _get("propose", "forum")),
    "coop_propose_save": Row(MEMBERS_POST, _post("propose", "forum", PROPOSAL)),
    "coop_item": Row(MEMBERS, _get("item", "proposed")),
    "coop_move": Row(CHAIR, _post("move", "proposed", SCHEDULE)),
    "coop_followup_add": Row(CHAIR, _followup),
    "coop_followup_done": Row(
        (302, 302, 302, 404,   403, 403, 403, 302, 404,   403, 403, 404, 404),
        _post("followup_done", "action", {}),
    ),
    "coop_decisions": Row(ALL, _get("decisions")),
    "coop_team_new": Row(MANAGERS, _get("team_new")),
    "coop_team_new_save": Row(
        (403, 403, 302, 403,   403, 403, 403, 302, 403,   403, 403, 403, 400), _team_new
    ),
    "coop_team_edit": Row(TEAM_MANAGERS, _get("team_edit", "team")),
    "coop_team_edit_save": Row(
        tuple(302 if code == 200 else code for code in TEAM_MANAGERS), _team_edit
    ),
    "coop_forum_new": Row(MANAGERS, _get("forum_new")),
    "coop_forum_new_save": Row(
        (403, 403, 302, 403,   403, 403, 403, 302, 403,   403, 403, 403, 400), _forum_new
    ),
    "coop_forum_edit": Row(FORUM_CHAIR, _get("forum_edit", "forum")),
    "coop_forum_edit_save": Row(
        tuple(302 if code == 200 else code for code in FORUM_CHAIR), _forum_edit
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoopEndpoint(Endpoint):
    """An endpoint naming the cooperation scene's team, forum or item."""

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        c = coop(scene)
        path = self.path.format(
            team_id=c.team.public_id,
            forum_id=c.forum.public_id,
            item_id=c.items["proposed"].public_id,
        )
        if self.body is not None:
            body = json.dumps(self.body(scene, unit_key))
            return self.method, path, {"data": body, "content_type": "application/json"}
        return self.method, path, {}


def _fixed(body: dict[str, Any]) -> Any:
    return lambda _scene, _unit_key: body


def _api_team(*units: str) -> Any:
    def body(scene: Scene, _unit_key: str) -> dict[str, Any]:
        return {
            "name_fi": "API-tiimi",
            "unit_ids": _units(scene, *units),
            "municipalities": ["297"],
        }

    return body


def _api_forum(scene: Scene, unit_key: str) -> dict[str, Any]:
    data = _forum_data(scene, "kela_processor")
    return {**data, "chair_unit_id": str(getattr(scene.world, unit_key).public_id)}


API: dict[str, Endpoint] = {
    "coop_teams": CoopEndpoint("get", "/api/v1/teams"),
    "coop_team": CoopEndpoint("get", "/api/v1/teams/{team_id}"),
    "coop_forums": CoopEndpoint("get", "/api/v1/forums"),
    "coop_forum": CoopEndpoint("get", "/api/v1/forums/{forum_id}"),
    "coop_items": CoopEndpoint("get", "/api/v1/forums/{forum_id}/items"),
    "coop_propose": CoopEndpoint("post", "/api/v1/forums/{forum_id}/items", body=_fixed(PROPOSAL)),
    "coop_team_create": CoopEndpoint(
        "post", "/api/v1/teams", body=_api_team("kela_unit", "social_unit")
    ),
    "coop_team_update": CoopEndpoint(
        "put", "/api/v1/teams/{team_id}", body=_api_team("kela_unit", "social_unit", "social_unit2")
    ),
    "coop_forum_create": CoopEndpoint("post", "/api/v1/forums", body=_api_forum),
    "coop_forum_update": CoopEndpoint("put", "/api/v1/forums/{forum_id}", body=_api_forum),
    "coop_move": CoopEndpoint(
        "post",
        "/api/v1/agenda-items/{item_id}/move",
        body=_fixed({"action": "schedule", "meeting_date": meeting_day().isoformat()}),
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "coop_teams":      (200, 200, 200, 200, 200),
    "coop_team":       (200, 200, 200, 200, 200),
    "coop_forums":     (200, 200, 200, 200, 200),
    "coop_forum":      (200, 200, 200, 200, 404),  # Vantaa's county is not a member
    "coop_items":      (200, 200, 200, 200, 404),
    "coop_propose":    (201, 201, 201, 201, 404),
    "coop_move":       (403, 200, 403, 403, 404),  # only the chair unit's system
    # a team must include the key's own unit; it is edited by its units' systems
    "coop_team_create": (201, 201, 400, 400, 400),
    "coop_team_update": (200, 200, 403, 200, 403),
    # chaired from the key's unit, whose organisation must be a member
    "coop_forum_create": (201, 201, 201, 201, 400),
    "coop_forum_update": (403, 200, 403, 403, 404),  # the chair unit's system only
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
