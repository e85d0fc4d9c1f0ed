"""A service's refusal lands on the form field it is about, under the form's own name."""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict

from silta.core.errors import ServiceError
from silta.core.forms import AttachmentsForm, MultipleFileField, add_service_error


class _Upload(AttachmentsForm):
    body = forms.CharField(required=False)
    attachments = MultipleFileField(label="Attachments")


def _refused(field: str | None) -> _Upload:
    form = _Upload(data={})
    assert form.is_valid()
    add_service_error(form, ServiceError("Not allowed.", code="refused", field=field))
    return form


def test_a_refusal_about_the_services_files_shows_on_the_attachments_field() -> None:
    form = _refused("files")
    assert form.errors == {"attachments": ["Not allowed."]}


def test_a_refusal_about_a_field_the_form_has_shows_on_that_field() -> None:
    assert _refused("body").errors == {"body": ["Not allowed."]}


def test_a_refusal_about_a_field_the_form_lacks_shows_on_top() -> None:
    assert _refused("subject").errors == {"__all__": ["Not allowed."]}


def test_the_attachments_field_leaves_the_forms_own_files_alone() -> None:
    """A field named ``files`` would hide ``Form.files`` (the request's uploads)."""
    uploads: MultiValueDict = MultiValueDict()
    form = _Upload(data={}, files=uploads)
    assert form.files is uploads
    assert "files" not in form.fields
