"""Expense kinds (menolajit): the code list that the division-of-labour guide, referrals,
threads, bulletins and the handoff figures share.

The guide's text about each kind (who pays, in what order, the conditions) lives in the
knowledge app, keyed by these codes (``GuideEntry.expense_kind``); the work records the
code alone, so the apps below knowledge can carry it without importing the guide.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


def expense_kind_label(code: str) -> str:
    """The kind in the reader's language; an unknown (retired) code is shown as it is."""
    return str(ExpenseKind(code).label) if code in ExpenseKind.values else code
