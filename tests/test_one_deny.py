"""Every refusal goes through ``silta.audit.denial.deny`` (issue 9).

``deny`` writes the one audit "denied" row and returns the one error to raise (404 when
the object's existence is not told, 403 otherwise). A module that writes a "denied" row
itself would be a second way to refuse: the scan below fails on any module under
``src/silta`` (tests aside) that names ``AuditAction.DENIED``, except the few listed here,
each with its reason and the number of times it may name it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from silta.audit.denial import deny, deny_row
from silta.audit.models import AuditAction, AuditEvent
from silta.core.errors import Forbidden, NotFound
from tests.factories import World

SRC = Path(__file__).resolve().parent.parent / "src" / "silta"
NEEDLE = "AuditAction.DENIED"

# Path (under src/silta) -> (mentions allowed, why).
ALLOWED = {
    # The helper itself: the one place that writes the row.
    "audit/denial.py": (1, "deny_row writes the denied row for deny and NoLawfulBasis"),
    # A read, not a refusal: the client's access report leaves refusals out.
    "consents/access_report.py": (1, "the report's query excludes denied rows"),
    # The same read in the client's own view ("who has used my data").
    "portal/report.py": (1, "the data-use report's query excludes denied rows"),
}


def _mentions() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if "tests" in relative.parts:
            continue
        count = path.read_text(encoding="utf-8").count(NEEDLE)
        if count:
            found[relative.as_posix()] = count
    return found


def test_no_module_writes_its_own_denied_row() -> None:
    found = _mentions()
    unexpected = {
        path: count
        for path, count in found.items()
        if path not in ALLOWED or count > ALLOWED[path][0]
    }
    assert not unexpected, (
        f"Refuse through silta.audit.denial.deny (raise deny(...)), not {NEEDLE}: {unexpected}"
    )
    # The scan really reads the tree: the helper is found where it is.
    assert found.get("audit/denial.py") == 1


@pytest.mark.django_db
def test_deny_writes_one_row_and_returns_the_error(world: World) -> None:
    actor = world.actor("social_worker")
    client = world.clients[0]
    before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()

    with translation.override("en"):
        hidden = deny(actor, hide=True, client=client, detail={"thing": "x"})
        refused = deny(actor, message="Nope.", code="nope", detail={"perm": "p"})
        plain = deny(actor)

    assert isinstance(hidden, NotFound) and hidden.status == 404
    assert str(hidden.message) == "Not found."
    assert isinstance(refused, Forbidden) and refused.status == 403
    assert (str(refused.message), refused.code) == ("Nope.", "nope")
    assert isinstance(plain, Forbidden) and plain.code == "forbidden"
    assert str(plain.message) == "Your role does not allow this."
    rows = list(AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("id")[before:])
    assert [row.detail for row in rows] == [{"thing": "x"}, {"perm": "p"}, {}]
    assert rows[0].client == client and rows[0].user == actor.user
    assert rows[0].unit_id == world.social_unit.pk

    deny_row(actor, detail={"disclose": "k"})
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 4
