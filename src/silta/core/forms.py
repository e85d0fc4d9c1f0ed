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


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Shows a service's refusal on the form: on its field if the form has it, else on top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
