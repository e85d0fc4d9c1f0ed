"""The division-of-labour guide (työnjako-opas) and guideline-change bulletins
(ohjemuutostiedotteet).

A ``GuideEntry`` is one expense kind (rent deposit, eyeglasses...): the national entry,
or an organiser's local variant of it. Its text lives in ``GuideVersion`` rows, appended
and never rewritten once published: an editor of the owning organisation drafts, a named
reviewer of the other organisation comments and approves, an owner publishes. The entry
shows its latest published version; until there is one, the starter (demo) text with a
label saying it is still to be verified.

A ``Bulletin`` tells the other side of a change in guidelines: the units of the concerned
organisations acknowledge it, ask in its question-and-answer thread, and see their own
open items it touches (``impact``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.organisations.models import Organisation, Unit
from silta.reference.expense_kinds import CODE_LENGTH, ExpenseKind


def _in_language(fi: str, sv: str) -> str:
    return sv if get_language() == "sv" and sv else fi


class Payer(models.TextChoices):
    """Who covers an expense, in the order the guide gives (Totul 14 §: basic first)."""

    PRIMARY_BENEFIT = "primary_benefit", _("A primary benefit (e.g. housing allowance)")
    BASIC = "basic", _("Basic social assistance (Kela)")
    SUPPLEMENTARY = "supplementary", _("Supplementary social assistance (organiser)")
    PREVENTIVE = "preventive", _("Preventive social assistance (organiser)")
    OTHER_SERVICE = "other_service", _("Another service")
    CLIENT = "client", _("The client's own means or the basic amount")


class GuideEntry(models.Model):
    """An expense kind: the national entry (``national`` empty, owned by Kela) or an
    organiser's local variant of one (owned by that organiser)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    # The expense kind's code (``reference.expense_kinds``): the key the work records.
    # One national entry per kind; its local variants carry the same code.
    expense_kind = models.CharField(
        _("expense kind"), max_length=CODE_LENGTH, choices=ExpenseKind.choices
    )
    national = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="variants"
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # directory.Topic codes: which cases and call-backs the expense kind concerns (impact).
    topics = models.JSONField(default=list, blank=True)
    # Words that name the expense kind in thread subjects, fi and sv (impact, search).
    keywords = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Folded (lower case, no diacritics) text of the shown version and the keywords.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["expense_kind"],
                condition=models.Q(national__isnull=True),
                name="guideentry_one_national_per_kind",
            ),
            models.UniqueConstraint(
                fields=["expense_kind", "owner"], name="guideentry_one_per_kind_and_owner"
            ),
        ]
        indexes = [models.Index(fields=["expense_kind"], name="guideentry_kind")]

    def __str__(self) -> str:
        return self.slug

    @property
    def is_variant(self) -> bool:
        return self.national_id is not None

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class VersionState(models.TextChoices):
    # The starter text shipped with Silta: never presented as a verified conclusion.
    DEMO = "demo", _("Demo content, to be verified")
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


class PublishedVersionChanged(Exception):
    """A published version is a dated record: it is never rewritten."""


class GuideVersion(models.Model):
    entry = models.ForeignKey(GuideEntry, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=VersionState.choices)
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    summary_fi = models.TextField(_("in short, in Finnish"), max_length=2000)
    summary_sv = models.TextField(_("in short, in Swedish"), max_length=2000)
    # [{"payer": Payer, "note_fi": str, "note_sv": str}, ...] in the order they apply.
    steps = models.JSONField(default=list)
    conditions_fi = models.TextField(_("conditions in Finnish"), max_length=4000, blank=True)
    conditions_sv = models.TextField(_("conditions in Swedish"), max_length=4000, blank=True)
    law = models.CharField(_("section of law"), max_length=200, blank=True)
    kela_reference = models.CharField(_("Kela's guideline"), max_length=300, blank=True)
    organiser_reference = models.CharField(
        _("the organiser's guideline"), max_length=300, blank=True
    )
    examples_fi = models.TextField(_("worked examples in Finnish"), max_length=4000, blank=True)
    examples_sv = models.TextField(_("worked examples in Swedish"), max_length=4000, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=300)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    review_requested_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="guideversion_unique_number")
        ]
        indexes = [models.Index(fields=["entry", "state", "-number"], name="guideversion_state")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and (
            GuideVersion.objects.filter(pk=self.pk, state=VersionState.PUBLISHED).exists()
        ):
            raise PublishedVersionChanged(self.pk)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return _in_language(self.title_fi, self.title_sv)

    @property
    def summary(self) -> str:
        return _in_language(self.summary_fi, self.summary_sv)

    @property
    def conditions(self) -> str:
        return _in_language(self.conditions_fi, self.conditions_sv)

    @property
    def examples(self) -> str:
        return _in_language(self.examples_fi, self.examples_sv)

    @property
    def is_verified(self) -> bool:
        """Published after review: only then is the text the owners' word."""
        return self.state == VersionState.PUBLISHED and self.reviewed_at is not None

    def step_rows(self) -> list[tuple[str, str]]:
        """(who pays, note) in order, in the reader's language."""
        rows = []
        for step in self.steps:
            payer = step.get("payer", "")
            label = str(Payer(payer).label) if payer in Payer.values else payer
            rows.append((label, _in_language(step.get("note_fi", ""), step.get("note_sv", ""))))
        return rows


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    APPROVE = "approve", _("Approved")
    CHANGES = "changes", _("Changes requested")


class GuideComment(models.Model):
    """A review comment on a version: the named reviewer's (or the editors')."""

    version = models.ForeignKey(GuideVersion, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField(max_length=10, choices=CommentKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"


class Bulletin(models.Model):
    """A guideline change (ohjemuutostiedote) from one side to the organisations concerned."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publisher_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_by_label = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    what_changes = models.TextField(_("what changes"), max_length=8000)
    why = models.TextField(_("why"), max_length=4000, blank=True)
    effective_date = models.DateField(_("effective date"))
    topics = models.JSONField(default=list, blank=True)
    expense_kinds = models.ManyToManyField(GuideEntry, related_name="bulletins", blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="+")

    class Meta:
        verbose_name = _("guideline-change bulletin")
        verbose_name_plural = _("guideline-change bulletins")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["effective_date"], name="bulletin_effective")]

    def __str__(self) -> str:
        return self.title


class BulletinAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="attachments")
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class Acknowledgement(models.Model):
    """A receiving unit has read the bulletin: who, when."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    label = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "unit"], name="acknowledgement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.unit_id}"


class BulletinPost(models.Model):
    """A question or an answer in the bulletin's thread (no client data)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="posts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    label = models.CharField(max_length=300)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.public_id)
