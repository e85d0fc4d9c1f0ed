"""Where the own view's sign-out button posts: the identity provider's relying party when
it is installed (``SILTA_CLIENT_SIGN_OUT``: Silta's session, then the provider's), else
the own view's own sign-out (Silta's session only)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def client_sign_out_url() -> str:
    try:
        return reverse(settings.SILTA_CLIENT_SIGN_OUT)
    except NoReverseMatch:
        return reverse("portal:sign_out")
