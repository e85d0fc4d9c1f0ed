"""What the client's own view keeps of its own: withheld referrals and each organisation's
choice whether its staff are named to clients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WithholdReason(models.TextChoices):
    """Why a worker keeps one referral from the client's own view, and the law for it.

    ``TELL_CLIENT`` (below) says for which reasons the client is told that something is
    not shown: the data-protection act 1050/2018 34 § 3 mom. requires telling the reasons
    for a restriction unless telling would defeat its purpose, which it would where a
    child or another person must be protected from the client.
    """

    # 812/2000 11 § 2 mom. 1 k.: seriously endangers the client's health or development
    CLIENT_HEALTH = "client_health", _("Seeing it now would seriously endanger the client's health")
    # 812/2000 11 § 2 mom. 2 k., lastensuojelulaki 25 §: a child's interest or safety
    CHILD_SAFETY = "child_safety", _("A child's interest or safety")
    # 812/2000 11 § 2 mom. 2 k.: another person's safety or vital interest
    OTHERS_SAFETY = "others_safety", _("Another person's safety")


# The reasons for which the client sees that one item is not shown (1050/2018 34 § 3 mom.).
TELL_CLIENT = frozenset({WithholdReason.CLIENT_HEALTH})
LAW = {
    WithholdReason.CLIENT_HEALTH: "812/2000 11 § 2 mom. 1 k.",
    WithholdReason.CHILD_SAFETY: "812/2000 11 § 2 mom. 2 k., LSL 25 §",
    WithholdReason.OTHERS_SAFETY: "812/2000 11 § 2 mom. 2 k.",
}


class Withholding(models.Model):
    """A referral kept from the client's own view by a worker of a party unit, with the
    recorded reason; lifted (not deleted) when it no longer applies."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=WithholdReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    by_label = models.CharField(max_length=300)
    at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("withheld from the client")
        verbose_name_plural = _("withheld from the client")
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(lifted_at__isnull=True),
                name="withholding_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.reason}"

    @property
    def tells_client(self) -> bool:
        return self.reason in TELL_CLIENT


class OrganisationSetting(models.Model):
    """An organisation's choices for the client's own view."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # 703/2023 11 §: the log report names the organisation and unit; the names of its
    # staff are shown to the client only where the organisation has chosen so.
    show_staff_names = models.BooleanField(_("show staff names to clients"), default=False)

    class Meta:
        verbose_name = _("own-view setting")
        verbose_name_plural = _("own-view settings")

    def __str__(self) -> str:
        return str(self.organisation_id)
