"""Which addresses a webhook may be sent to (server-side request forgery, the Standard
Webhooks specification's "SSRF" section).

Only https, to a public address. Plain http and the loopback range are allowed only when
``SILTA_WEBHOOK_ALLOW_LOOPBACK`` is on (development and tests, where the receiver runs on
this machine). Private, link-local and reserved addresses are never allowed: the host
name is checked when the subscription is saved and its resolved addresses again at every
delivery (a name may point elsewhere later).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from silta.core.errors import Invalid

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _loopback_allowed() -> bool:
    return bool(settings.SILTA_WEBHOOK_ALLOW_LOOPBACK)


def address_allowed(address: IpAddress) -> bool:
    if address.is_loopback:
        return _loopback_allowed()
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str) -> str:
    """The URL, stripped, if a subscription may use it; else ``Invalid`` (field ``url``)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host, _port = (parts.hostname or "").lower(), parts.port
    except ValueError:  # an unclosed IPv6 bracket, a port out of range...
        host, parts = "", urlsplit("")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        host = ""  # no whitespace or control characters (they would reach the request line)
    literal = _literal(host)
    loopback = host in LOOPBACK_NAMES or (literal is not None and literal.is_loopback)
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise Invalid(
            _("Give the full https address of the receiver."), code="url_invalid", field="url"
        )
    if loopback and not _loopback_allowed():
        raise Invalid(
            _("The address must not point to this server."), code="url_not_allowed", field="url"
        )
    if parts.scheme == "http" and not loopback:
        raise Invalid(_("The address must begin with https://."), code="url_not_https", field="url")
    if literal is not None and not address_allowed(literal):
        raise Invalid(_("The address must be a public one."), code="url_not_allowed", field="url")
    return url


def resolve(host: str, port: int) -> IpAddress:
    """The first address of ``host``, refused (``OSError``) if any address is not allowed."""
    found = [
        ipaddress.ip_address(str(info[4][0]).split("%")[0])
        for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    ]
    if not found:
        raise OSError("no address")
    for address in found:
        if not address_allowed(address):
            raise OSError(f"address not allowed: {address}")
    return found[0]
