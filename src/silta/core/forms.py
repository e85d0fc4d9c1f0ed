"""Form helpers every app's web pages share: forms only parse input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from silta.core.errors import ServiceError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of uploaded files (an empty list when none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class AttachmentsForm(forms.Form):
    """A form with an ``attachments`` field of several files.

    The services and the API call the uploads ``files``; a form field cannot have that
    name (it would hide ``Form.files``, the request's uploads), so a refusal about
    ``files`` is shown on ``attachments``."""

    service_fields = {"files": "attachments"}


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Shows a service's refusal on the form: on its field if the form has it, else on top.

    A form names a service field differently in ``service_fields`` (see ``AttachmentsForm``)."""
    name = getattr(form, "service_fields", {}).get(error.field, error.field)
    field = name if name in form.fields else None
    form.add_error(field, str(error.message))
