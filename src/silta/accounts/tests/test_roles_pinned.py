"""Permission labels (issue 15, mutation testing): each permission is shown to admins
with its own translatable description, never the name Django derives from its value."""

from __future__ import annotations

from silta.accounts.roles import Perm


def test_every_permission_has_its_own_written_label_not_one_made_from_its_value():
    for perm in Perm:
        derived = perm.name.replace("_", " ").title()
        assert str(perm.label) != derived, perm.value
        assert str(perm.label)[:1].isupper() and " " in str(perm.label), perm.value
    labels = [str(perm.label) for perm in Perm]
    assert len(set(labels)) == len(labels)
