"""The identity providers Silta trusts, from the environment (``silta.config.settings``).

Clients: one provider (Suomi.fi e-Identification, or an organisation's broker in front of
it) whose ID token carries the personal identity code in a configured claim. Staff: any
number of providers, one per organisation (Entra ID, Keycloak...), chosen on the login page
or by the e-mail address's domain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# RFC 8176 authentication method references that mean more than one factor.
MFA_AMR = frozenset({"mfa", "otp", "hwk"})


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    # Staff only: e-mail domains that choose this provider, the organisation whose units its
    # rules may grant ("kela" or a county's organiser code), ACR values that mean MFA.
    domains: tuple[str, ...] = ()
    organisation: str = ""
    mfa_acr: tuple[str, ...] = ()

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def asserts_mfa(self, claims: dict[str, object]) -> bool:
        """Did the provider say it used more than one factor (``amr``) or an ACR we accept?"""
        amr = claims.get("amr")
        if isinstance(amr, list) and MFA_AMR & {str(v).lower() for v in amr}:
            return True
        return bool(self.mfa_acr) and str(claims.get("acr", "")) in self.mfa_acr


CLIENT_KEY = "client"


def client_provider() -> Provider | None:
    """The clients' provider, or ``None`` when client sign-in is not configured."""
    if not settings.SILTA_OIDC_CLIENT_ISSUER:
        return None
    return Provider(
        key=CLIENT_KEY,
        label="",
        issuer=settings.SILTA_OIDC_CLIENT_ISSUER,
        client_id=settings.SILTA_OIDC_CLIENT_ID,
        client_secret=settings.SILTA_OIDC_CLIENT_SECRET,
        scopes=settings.SILTA_OIDC_CLIENT_SCOPES,
    )


def _staff_provider(entry: dict[str, object]) -> Provider:
    try:
        key = str(entry["key"])
        return Provider(
            key=key,
            label=str(entry.get("label") or key),
            issuer=str(entry["issuer"]),
            client_id=str(entry["client_id"]),
            client_secret=str(entry.get("client_secret", "")),
            scopes=str(entry.get("scopes") or "openid profile email groups"),
            domains=tuple(str(d).lower() for d in entry.get("domains", ()) or ()),  # type: ignore[attr-defined]
            organisation=str(entry.get("organisation", "")),
            mfa_acr=tuple(str(a) for a in entry.get("mfa_acr", ()) or ()),  # type: ignore[attr-defined]
        )
    except (KeyError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"SILTA_OIDC_STAFF_PROVIDERS: each provider needs key, issuer and client_id ({exc})"
        ) from exc


@cache
def _parse_staff(raw: str) -> tuple[Provider, ...]:
    if not raw.strip():
        return ()
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured("SILTA_OIDC_STAFF_PROVIDERS is not valid JSON.") from exc
    if not isinstance(entries, list):
        raise ImproperlyConfigured("SILTA_OIDC_STAFF_PROVIDERS must be a JSON list.")
    providers = tuple(_staff_provider(entry) for entry in entries)
    keys = [p.key for p in providers]
    if len(set(keys)) != len(keys) or CLIENT_KEY in keys:
        raise ImproperlyConfigured("SILTA_OIDC_STAFF_PROVIDERS: keys must be unique.")
    return providers


def staff_providers() -> tuple[Provider, ...]:
    return _parse_staff(settings.SILTA_OIDC_STAFF_PROVIDERS)


def staff_provider(key: str) -> Provider | None:
    return next((p for p in staff_providers() if p.key == key), None)


def staff_provider_for_email(email: str) -> Provider | None:
    """The provider whose domains include the address's domain (``@kela.fi`` -> Kela)."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return next((p for p in staff_providers() if domain in p.domains), None)
