"""Audit object types are shown in the reader's language, not as model names."""

from __future__ import annotations

from django.utils import translation

from silta.audit.models import AuditEvent, object_type_label


def test_object_types_are_translated() -> None:
    with translation.override("fi"):
        assert object_type_label("client") == "Asiakas"
        assert object_type_label("thread") != "thread"
    with translation.override("sv"):
        assert object_type_label("client") == "Klient"
    with translation.override("en"):
        assert AuditEvent(object_type="attachment").object_type_label == "Attachment"
    assert object_type_label("") == ""
    assert object_type_label("unknown_model") == "unknown_model"
