"""Regional teams (alueellinen tiimi) and cooperation forums (ohjausryhmä, yhteistyöryhmä,
kumppanuusryhmä, työryhmät) of Kela and the social services organisers (Totul 14 e §).

None of this is client data: a text that looks like an identity code is refused.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.cooperation.state import ItemStatus
from silta.organisations.models import Organisation, OrganisationKind, Unit
from silta.reference.models import Municipality


class _Named(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" and self.name_sv else self.name_fi


class RegionalTeam(_Named):
    """Units of both organisations that serve the same municipalities together."""

    units = models.ManyToManyField(Unit, related_name="regional_teams", verbose_name=_("units"))
    municipalities = models.ManyToManyField(
        Municipality, related_name="regional_teams", verbose_name=_("municipalities")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("regional team")
        verbose_name_plural = _("regional teams")
        ordering = ["name_fi"]


class ContactRole(models.TextChoices):
    CONTACT = "contact", _("Contact person")
    DEPUTY = "deputy", _("Deputy contact person")
    MANAGER = "manager", _("Manager")


class TeamContact(models.Model):
    """A named contact person (yhteyshenkilö) of one of the team's units."""

    team = models.ForeignKey(RegionalTeam, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("contact role"), max_length=20, choices=ContactRole.choices)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_contact_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class TeamRoutine(models.Model):
    """One version of the team's agreed routines: versions are only ever added."""

    team = models.ForeignKey(RegionalTeam, on_delete=models.CASCADE, related_name="routines")
    version = models.PositiveIntegerField()
    text = models.TextField(_("agreed routines"), max_length=10000)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=300)
    created_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("agreed routines")
        verbose_name_plural = _("agreed routines")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="team_routine_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.team} v{self.version}"


class ForumKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    COOPERATION_GROUP = "cooperation_group", _("Cooperation group")
    PARTNERSHIP_GROUP = "partnership_group", _("Partnership group")
    WORKING_GROUP = "working_group", _("Working group")


class Forum(_Named):
    """A cooperation forum: its member organisations see it and may propose items; the
    chair unit runs the agenda."""

    kind = models.CharField(_("kind"), max_length=30, choices=ForumKind.choices)
    organisations = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("member organisations")
    )
    units = models.ManyToManyField(
        Unit, related_name="forums", blank=True, verbose_name=_("member units")
    )
    chair_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair unit")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cooperation forum")
        verbose_name_plural = _("cooperation forums")
        ordering = ["kind", "name_fi"]


class ItemTopic(models.TextChoices):
    GUIDELINES = "guidelines", _("Guidelines and their changes")
    PROCESSES = "processes", _("Working processes")
    REACHABILITY = "reachability", _("Reachability")
    INFORMATION_EXCHANGE = "information_exchange", _("Exchange of information")
    CONCERN = "concern", _("Contacts to social services (SHL 35 §)")
    TRAINING = "training", _("Training and job-shadowing")
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    topic = models.CharField(_("topic"), max_length=30, choices=ItemTopic.choices)
    side = models.CharField(_("proposing side"), max_length=32, choices=OrganisationKind.choices)
    proposing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_by_label = models.CharField(max_length=300)
    proposed_at = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    decision = models.TextField(_("decision"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    updated_at = models.DateTimeField()
    updated_by_label = models.CharField(max_length=300)
    # Grows with every move: a move from an older page is refused as stale.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["forum", "status"], name="agenda_item_forum_status")]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUpAction(models.Model):
    """What a decision commits a unit to do, by when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner unit")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description
