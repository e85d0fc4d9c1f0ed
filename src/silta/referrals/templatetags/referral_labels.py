"""Labels a referral list shows per row, read from the tables directly: a model's
``get_status_display`` rebuilds and hashes every lazy choice label on each call, which
was a third of the overdue list's time in Python."""

from __future__ import annotations

from django import template

from silta.referrals.state import Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """A referral status in the reader's language (the code itself if unknown)."""
    return str(Status(code).label) if code in Status.values else code
