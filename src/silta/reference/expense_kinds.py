"""Expense kinds (menolajit): the code list that the division-of-labour guide, referrals,
threads, bulletins and the handoff figures share.

The guide's text about each kind (who pays, in what order, the conditions) lives in the
knowledge app, keyed by these codes (``GuideEntry.expense_kind``); the work records the
code alone, so the apps below knowledge can carry it without importing the guide.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.core.errors import Invalid


class ExpenseKind(models.TextChoices):
    RENT = "rent", _("Rent and other housing costs")
    RENT_DEPOSIT = "rent-deposit", _("Rent deposit")
    RENT_ARREARS = "rent-arrears", _("Rent arrears")
    MOVING_COSTS = "moving-costs", _("Moving costs")
    FURNITURE = "furniture", _("Furniture and household appliances")
    HOUSEHOLD_ELECTRICITY = "household-electricity", _("Household electricity")
    ELECTRICITY_ARREARS = "electricity-arrears", _("Electricity arrears")
    MEDICINE = "medicine", _("Medicine")
    DENTAL_CARE = "dental-care", _("Dental care")
    EYEGLASSES = "eyeglasses", _("Eyeglasses")
    CHILD_HOBBY = "child-hobby", _("A child's hobby")
    CHILD_VISITS = "child-visits", _("Travel to meet one's child")
    FUNERAL_COSTS = "funeral-costs", _("Funeral costs")
    DEBTS = "debts", _("Debts")
    EARLY_CHILDHOOD_FEES = "early-childhood-fees", _("Early childhood education fees")


# The longest code; the fields that record a kind use it as their length.
CODE_LENGTH = 40
# The API's description of an expense-kind field (OpenAPI is in English).
EXPENSE_KIND_HELP = (
    "The expense kind in the division-of-labour guide's terms: one of "
    + ", ".join(kind.value for kind in ExpenseKind)
    + "; empty for none"
)


def expense_kind_label(code: str) -> str:
    """The kind in the reader's language; an unknown (retired) code is shown as it is."""
    return str(ExpenseKind(code).label) if code in ExpenseKind.values else code


def clean_expense_kind(code: str | None) -> str:
    """A code from the list, or "" for none; anything else is refused (nothing changed)."""
    code = (code or "").strip()
    if code and code not in ExpenseKind.values:
        raise Invalid(
            _("Choose the expense kind from the list."),
            code="expense_kind_unknown",
            field="expense_kind",
        )
    return code


def expense_kind_choices() -> list[tuple[str, object]]:
    """Form choices: none first, then the kinds (labels translated when shown)."""
    return [("", "—"), *((kind.value, kind.label) for kind in ExpenseKind)]


# Whether the guide has an entry for a code. The guide (knowledge, a higher layer)
# registers its lookup at start-up; the work asks here without importing it.
_guide_lookup: list[Callable[[str], bool]] = []


def register_guide_lookup(lookup: Callable[[str], bool]) -> None:
    _guide_lookup[:] = [lookup]


def guide_has_entry(code: str) -> bool:
    """True when the guide has an entry for ``code`` (every listed code when no guide is
    installed to ask)."""
    if code not in ExpenseKind.values:
        return False
    return all(lookup(code) for lookup in _guide_lookup)
