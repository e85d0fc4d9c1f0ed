"""Subjects that Silta writes itself, stored as keys and shown in the reader's language.

A thread that Silta starts (a referral's thread, "Forwarded application") stores
``silta:<family>:<code>`` in ``Thread.subject``, not the sender's words: a Swedish reader
sees "Överförd ansökan" where the Finnish sender saw "Siirretty hakemus". The app
that owns a family registers how to label its codes (lazy translations, read at use, so a
type added at run time has its subject too); ``SubjectField`` turns a stored key
into the label in the active language whenever the subject is read, so pages, the API,
e-mails and exports all show it the same way. A subject that people typed is stored and
shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import Promise

PREFIX = "silta:"
Label = str | Promise
_FAMILIES: dict[str, Callable[[str], Label | None]] = {}


def register_family(family: str, label_of: Callable[[str], Label | None]) -> None:
    """Declare a family of system subjects and how to label a code (None: unknown)."""
    _FAMILIES[family] = label_of


def key(family: str, code: str) -> str:
    """What to store in ``Thread.subject`` for a system subject."""
    if family not in _FAMILIES or _FAMILIES[family](code) is None:
        raise KeyError(f"no subject {code!r} in {family!r}")
    return f"{PREFIX}{family}:{code}"


def _label(value: str) -> Label | None:
    if not value.startswith(PREFIX):
        return None
    family, _sep, code = value[len(PREFIX) :].partition(":")
    label_of = _FAMILIES.get(family)
    return label_of(code) if label_of else None


class SystemSubject(str):
    """A system subject read in the active language; it saves back as its key."""

    stored: str

    def __new__(cls, value: str, label: Label) -> SystemSubject:
        text = super().__new__(cls, str(label))
        text.stored = value
        return text


def display(value: Any) -> Any:
    if isinstance(value, SystemSubject):
        value = value.stored
    if isinstance(value, str) and (label := _label(value)) is not None:
        return SystemSubject(value, label)
    return value


class _SubjectAttribute(DeferredAttribute):
    def __get__(self, instance: Any, cls: Any = None) -> Any:
        value = super().__get__(instance, cls)
        return value if instance is None else display(value)


class SubjectField(models.CharField):
    """A ``CharField`` whose system keys read as translated labels (no schema change)."""

    descriptor_class = _SubjectAttribute

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, SystemSubject):
            return value.stored
        return super().get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return display(value)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
