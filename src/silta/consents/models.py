"""Consents, powers of attorney and the disclosure log (aligned with FHIR R4 Consent).

A consent is never edited or deleted: a change is a new consent plus a revocation of the
old one, and the revocation is its own row. Kept 12 years (703/2023 annex). The disclosure
log (luovutusloki, 703/2023 10 §) is append-only like the audit trail: the application
refuses to change rows and on PostgreSQL the same trigger refuses UPDATE and DELETE.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.consents.bases import BASES
from silta.consents.codes import (
    AttorneyKind,
    Category,
    DisclosureKind,
    GivenBy,
    GivenHow,
    PoaScope,
    Purpose,
    RevokedHow,
)
from silta.consents.rules import ConsentTerms, consent_state, terms_of

LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish"))]
# code -> label (lazy, translated when shown), looked up on every consent shown.
_PURPOSES = dict(Purpose.choices)
_CATEGORIES = dict(Category.choices)


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Rows are inserted, never changed or deleted (the database trigger agrees)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model.__name__} rows cannot be deleted.")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("update_conflicts"):  # an upsert would overwrite existing rows
            raise PermissionError(f"{self.model.__name__} rows cannot be changed.")
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{type(self).__name__} rows cannot be deleted.")


def _user_fk(**kwargs: Any) -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


def _unit_fk(**kwargs: Any) -> Any:
    return models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", **kwargs
    )


class ConsentWording(AppendOnly):
    """The exact text a client is shown when consenting, one version in both languages."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text_fi = models.TextField(_("text in Finnish"))
    text_sv = models.TextField(_("text in Swedish"))
    purposes = models.JSONField(_("purposes"), default=list)
    categories = models.JSONField(_("data categories"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta(AppendOnly.Meta):
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.version

    def text(self, language: str) -> str:
        return self.text_sv if language == "sv" else self.text_fi


class Document(models.Model):
    """A scanned document (PDF or image), checked from its bytes."""

    document_name = models.CharField(_("document"), max_length=255, blank=True)
    document_storage_name = models.CharField(max_length=100, blank=True, editable=False)
    document_content_type = models.CharField(max_length=100, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class PowerOfAttorney(Document):
    """A power of attorney (valtakirja): the attorney may act for the principal in the
    matters of its scope. ``external_mandate_ref`` is kept for Suomi.fi e-Authorizations
    (Suomi.fi-valtuudet), to be connected later through an adapter."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("principal")
    )
    attorney_kind = models.CharField(_("attorney is"), max_length=20, choices=AttorneyKind.choices)
    attorney_name = models.CharField(_("attorney"), max_length=200)
    # henkilötunnus or Business ID (Y-tunnus): never in a URL, a log line or an export.
    attorney_identity = models.CharField(_("attorney's identity"), max_length=20)
    scopes = models.JSONField(_("scope"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    external_mandate_ref = models.CharField(
        _("Suomi.fi mandate reference"), max_length=100, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = _user_fk()
    recorded_by_unit = _unit_fk(verbose_name=_("recorded in"))
    recorded_by_label = models.CharField(_("recorded by"), max_length=300)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = _user_fk()
    verified_by_label = models.CharField(_("verified by"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = _user_fk()
    revoked_by_label = models.CharField(_("revoked by"), max_length=300, blank=True)
    revoked_how = models.CharField(
        _("revoked how"), max_length=20, choices=RevokedHow.choices, blank=True
    )

    class Meta:
        verbose_name = _("power of attorney")
        verbose_name_plural = _("powers of attorney")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return self.attorney_name

    @property
    def scope_labels(self) -> list[str]:
        return [str(PoaScope(code).label) for code in self.scopes if code in PoaScope.values]

    def state(self, at: dt.datetime) -> str:
        """in_force, unverified, revoked, not_yet_valid or expired."""
        terms = ConsentTerms(
            id=self.pk or 0,
            organiser_id=0,
            purposes=frozenset(),
            categories=frozenset(),
            valid_from=self.valid_from,
            valid_until=self.valid_until or dt.date.max,
            revoked_at=self.revoked_at,
        )
        state = consent_state(terms, at)
        if state == "in_force" and self.verified_at is None:
            return "unverified"
        return state


class Consent(Document, AppendOnly):
    """One decision of the client to let Kela and social services share data (FHIR R4
    Consent with ``provision.type`` permit)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    given_by = models.CharField(_("given by"), max_length=30, choices=GivenBy.choices)
    representative_name = models.CharField(_("representative"), max_length=200, blank=True)
    representative_identity = models.CharField(
        _("representative's identity code"), max_length=20, blank=True
    )
    power_of_attorney = models.ForeignKey(
        PowerOfAttorney,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("power of attorney"),
    )
    # The parties: Kela and this organiser, narrowed to the named units where any are named.
    organiser = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("social services organiser"),
    )
    units = models.ManyToManyField(
        "organisations.Unit", blank=True, related_name="+", verbose_name=_("named units")
    )
    purposes = models.JSONField(_("purposes"), default=list)
    categories = models.JSONField(_("data categories"), default=list)
    given_how = models.CharField(_("given how"), max_length=20, choices=GivenHow.choices)
    application_reference = models.CharField(_("application reference"), max_length=100, blank=True)
    wording = models.ForeignKey(
        ConsentWording, on_delete=models.PROTECT, related_name="+", verbose_name=_("wording")
    )
    wording_language = models.CharField(_("language shown"), max_length=2, choices=LANGUAGES)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = _user_fk()
    recorded_by_unit = _unit_fk(verbose_name=_("recorded in"))
    recorded_by_label = models.CharField(_("recorded by"), max_length=300)
    api_key = models.ForeignKey(
        "api_keys.ApiKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(AppendOnly.Meta):
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["client", "-valid_until"], name="consent_client_until")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="consent_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m-%d}–{self.valid_until:%Y-%m-%d}"

    @property
    def purpose_labels(self) -> list[str]:
        return [str(_PURPOSES[code]) for code in self.purposes if code in _PURPOSES]

    @property
    def category_labels(self) -> list[str]:
        return [str(_CATEGORIES[code]) for code in self.categories if code in _CATEGORIES]

    @property
    def revoked_at(self) -> dt.datetime | None:
        revocation = getattr(self, "revocation", None)
        return revocation.revoked_at if revocation is not None else None

    def terms(self) -> ConsentTerms:
        """The consent as plain data for ``rules.decide`` (units with their organisations,
        and the revocation, prefetched)."""
        return terms_of(
            id=self.pk,
            organiser_id=self.organiser_id,
            units=[(u.pk, u.organisation_id, u.is_kela) for u in self.units.all()],
            purposes=self.purposes,
            categories=self.categories,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            revoked_at=self.revoked_at,
        )

    def state(self, at: dt.datetime) -> str:
        """in_force, revoked, not_yet_valid or expired (the named units are not read)."""
        return consent_state(
            terms_of(
                id=self.pk,
                organiser_id=self.organiser_id,
                units=(),
                purposes=(),
                categories=(),
                valid_from=self.valid_from,
                valid_until=self.valid_until,
                revoked_at=self.revoked_at,
            ),
            at,
        )


class ConsentRevocation(AppendOnly):
    """The revocation of a consent: who recorded it, when and how the client revoked."""

    consent = models.OneToOneField(
        Consent, on_delete=models.PROTECT, related_name="revocation", verbose_name=_("consent")
    )
    revoked_at = models.DateTimeField(_("revoked"))
    revoked_by = _user_fk()
    revoked_by_unit = _unit_fk(verbose_name=_("recorded in"))
    revoked_by_label = models.CharField(_("revoked by"), max_length=300)
    how = models.CharField(_("how"), max_length=20, choices=RevokedHow.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta(AppendOnly.Meta):
        verbose_name = _("consent revocation")
        verbose_name_plural = _("consent revocations")

    def __str__(self) -> str:
        return f"{self.revoked_at:%Y-%m-%d %H:%M} {self.revoked_by_label}"


class ConsentExpiryWarning(AppendOnly):
    """The consent's case workers were warned that it is about to expire (once per consent:
    the unique consent keeps two workers from sending it twice)."""

    consent = models.OneToOneField(
        Consent, on_delete=models.PROTECT, related_name="expiry_warning", verbose_name=_("consent")
    )
    warned_at = models.DateTimeField(_("warned"))
    working_days_left = models.PositiveSmallIntegerField(_("working days left"))
    recipient_count = models.PositiveIntegerField(_("recipients"))

    class Meta(AppendOnly.Meta):
        verbose_name = _("consent expiry warning")
        verbose_name_plural = _("consent expiry warnings")

    def __str__(self) -> str:
        return f"{self.warned_at:%Y-%m-%d %H:%M} {self.working_days_left}"


def time_ordered_uuid() -> uuid.UUID:
    """A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits.
    A new disclosure's id lands next to the last one in its unique index, so a send
    touches one hot index page instead of reading a random one (issue 9 bench). The
    time it carries is the row's own ``occurred_at``, shown with it everywhere."""
    millis = time.time_ns() // 1_000_000
    random_bits = int.from_bytes(os.urandom(10), "big")
    value = (millis & (1 << 48) - 1) << 80
    value |= 0x7 << 76 | (random_bits >> 62 & 0xFFF) << 64  # version, 12 random bits
    value |= 0b10 << 62 | random_bits & (1 << 62) - 1  # RFC variant, 62 random bits
    return uuid.UUID(int=value)


# Issue 9 bench: every send pays for each index of the disclosure log (at national scale
# a random index page read from disk each). Every read of the log names the client
# (the client's data-use report, an organisation's log of a client on the page and the
# API, the access report, the referral and own-worker look-ups), so the (client, time)
# index serves them all; ``occurred_at`` keeps its own for the admin's date list. The
# foreign keys have no index of their own: their rows (users, units, organisations, API
# keys, consents) are never deleted, and a disclosure row prevents that anyway (PROTECT).


def _log_fk(to: Any, **kwargs: Any) -> Any:
    return models.ForeignKey(
        to, on_delete=models.PROTECT, related_name="+", db_index=False, **kwargs
    )


class Disclosure(AppendOnly):
    """One row of the disclosure log (luovutusloki, 703/2023 10 §): what data went from
    which discloser to which recipient, when, for what purpose, on which consent or
    statutory basis."""

    public_id = models.UUIDField(default=time_ordered_uuid, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    client = _log_fk("clients.Client", verbose_name=_("client"))
    kind = models.CharField(_("disclosure"), max_length=40, choices=DisclosureKind.choices)
    category = models.CharField(_("data category"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=40)
    discloser_user = _user_fk(db_index=False)
    discloser_label = models.CharField(_("discloser"), max_length=300)
    discloser_unit = _log_fk("organisations.Unit", verbose_name=_("discloser unit"))
    discloser_organisation = _log_fk(
        "organisations.Organisation", verbose_name=_("discloser organisation")
    )
    api_key = _log_fk("api_keys.ApiKey", null=True, blank=True)
    recipient_unit = _log_fk("organisations.Unit", verbose_name=_("recipient unit"))
    recipient_organisation = _log_fk(
        "organisations.Organisation", verbose_name=_("recipient organisation")
    )
    consent = _log_fk(Consent, null=True, blank=True, verbose_name=_("consent"))
    statutory_basis = models.CharField(_("statutory basis"), max_length=40, blank=True)
    inform_client = models.BooleanField(_("client to be informed"), default=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta(AppendOnly.Meta):
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="disclosure_client_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | ~models.Q(statutory_basis=""),
                name="disclosure_has_basis",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def basis_law(self) -> str:
        """The section of law of the statutory basis (empty when on a consent only)."""
        basis = BASES.get(self.statutory_basis)
        return basis.law if basis is not None else ""
