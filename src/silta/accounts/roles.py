"""Roles and what each may do: the one table every permission check is built from.

A user holds a role per unit (``Membership``). Every check asks: does the actor hold, in a
unit that is a party to the object, a role whose permission set contains the action?
API keys act for their unit with the ``INTEGRATION`` role.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.organisations.models import OrganisationKind


class Role(models.TextChoices):
    KELA_BENEFIT_PROCESSOR = "kela_benefit_processor", _("Kela benefit processor")
    KELA_SERVICE_ADVISOR = "kela_service_advisor", _("Kela service advisor")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SOCIAL_COUNSELLOR = "social_counsellor", _("Social counsellor")
    SOCIAL_ASSISTANCE_PROCESSOR = "social_assistance_processor", _("Social assistance processor")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    # Reads every organisation's audit trail; each of its reads is itself audited.
    PLATFORM_AUDITOR = "platform_auditor", _("Platform auditor")
    INTEGRATION = "integration", _("Integration (API key)")


class Perm(models.TextChoices):
    CLIENT_LOOKUP = "client_lookup", _("Find a client by identity code")
    CLIENT_CREATE = "client_create", _("Add a client")
    CASE_OPEN = "case_open", _("Open a shared case")
    CASE_VIEW = "case_view", _("View the unit's cases and messages")
    MESSAGE_SEND = "message_send", _("Send messages and documents")
    ATTACHMENT_DOWNLOAD = "attachment_download", _("Download documents")
    THREAD_CLAIM = "thread_claim", _("Claim a thread for oneself")
    THREAD_ASSIGN = "thread_assign", _("Assign a thread to a colleague")
    UNIT_LOAD_VIEW = "unit_load_view", _("See the unit's inbox load")
    CALLBACK_REQUEST = "callback_request", _("Ask a unit to call back")
    CALLBACK_HANDLE = "callback_handle", _("Handle the unit's call-back requests")
    CONSENT_RECORD = "consent_record", _("Record a client's consent or power of attorney")
    CONSENT_REVOKE = "consent_revoke", _("Revoke a consent or power of attorney")
    POA_VERIFY = "poa_verify", _("Verify a power of attorney")
    DIRECTORY_EDIT = "directory_edit", _("Keep the unit's directory entry up to date")
    COOPERATION = "cooperation", _("Take part in regional teams and cooperation forums")
    FORUM_CHAIR = "forum_chair", _("Chair a cooperation forum: schedule and decide its items")
    TEAM_MANAGE = (
        "team_manage",
        _("Set up the unit's regional teams: member units, municipalities, contact persons"),
    )
    MEETING_ORGANISE = "meeting_organise", _("Arrange meetings on the unit's cases")
    AUDIT_READ = "audit_read", _("Read the own organisation's audit trail")
    AUDIT_READ_ALL = "audit_read_all", _("Read every organisation's audit trail")
    ACCESS_REPORT = "access_report", _("Make a client's access-log report (703/2023 11 §)")
    KNOWLEDGE_READ = "knowledge_read", _("Read the guide and guideline-change bulletins")
    KNOWLEDGE_EDIT = "knowledge_edit", _("Draft and review division-of-labour guide entries")
    KNOWLEDGE_PUBLISH = (
        "knowledge_publish",
        _("Publish the organisation's guide entries and guideline-change bulletins"),
    )
    ANALYTICS_VIEW = (
        "analytics_view",
        _("See handoff and deadline figures (aggregates, no client data)"),
    )
    WEBHOOKS_MANAGE = "webhooks_manage", _("Manage the unit's webhook subscriptions")


_CASEWORK = frozenset(
    {
        Perm.CLIENT_LOOKUP,
        Perm.CLIENT_CREATE,
        Perm.CASE_OPEN,
        Perm.CASE_VIEW,
        Perm.MESSAGE_SEND,
        Perm.ATTACHMENT_DOWNLOAD,
        Perm.THREAD_CLAIM,
        Perm.CALLBACK_REQUEST,
        Perm.CALLBACK_HANDLE,
        Perm.CONSENT_RECORD,
        Perm.CONSENT_REVOKE,
        Perm.POA_VERIFY,
        Perm.MEETING_ORGANISE,
        # Regional teams and forum items are not client data (silta.cooperation).
        Perm.COOPERATION,
        # The division-of-labour guide and bulletins (silta.knowledge): no client data.
        Perm.KNOWLEDGE_READ,
    }
)
# People who do the case work draft guide entries of their organisation and review the
# other organisation's (a named reviewer); systems do not.
_GUIDE_WORK = _CASEWORK | {Perm.KNOWLEDGE_EDIT}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.KELA_BENEFIT_PROCESSOR: _GUIDE_WORK,
    # Service advisors serve clients at Kela's offices: they follow and continue the
    # exchange but do not open new shared cases or add clients.
    Role.KELA_SERVICE_ADVISOR: frozenset(
        {
            Perm.CLIENT_LOOKUP,
            Perm.CASE_VIEW,
            Perm.MESSAGE_SEND,
            Perm.ATTACHMENT_DOWNLOAD,
            Perm.THREAD_CLAIM,
            Perm.CALLBACK_REQUEST,
            Perm.CALLBACK_HANDLE,
            Perm.CONSENT_RECORD,
            Perm.CONSENT_REVOKE,
            Perm.POA_VERIFY,
            Perm.MEETING_ORGANISE,
            Perm.COOPERATION,
            Perm.KNOWLEDGE_READ,
        }
    ),
    Role.SOCIAL_WORKER: _GUIDE_WORK,
    Role.SOCIAL_COUNSELLOR: _GUIDE_WORK,
    Role.SOCIAL_ASSISTANCE_PROCESSOR: _GUIDE_WORK,
    # Managers own their unit's directory entry (named editors are added per unit) and,
    # in a forum's chair unit, run its agenda (and set the forum up: its organiser).
    # They set up the regional teams their unit belongs to. They own their
    # organisation's guide entries and publish its guideline-change bulletins.
    Role.UNIT_MANAGER: _GUIDE_WORK
    | {
        Perm.THREAD_ASSIGN,
        Perm.UNIT_LOAD_VIEW,
        Perm.DIRECTORY_EDIT,
        Perm.FORUM_CHAIR,
        Perm.TEAM_MANAGE,
        Perm.KNOWLEDGE_PUBLISH,
        Perm.ANALYTICS_VIEW,
    },
    # Administrators manage organisations, units, users and roles in the admin; they do
    # not read client data (client-data act 703/2023 9 §: access only for a work task).
    # The organisation's audit trail is theirs to read (only their organisation's events).
    # The organisation's handoff and deadline figures are aggregates (silta.analytics).
    # Webhook subscriptions (silta.webhooks) carry ids only: an administrator's to manage.
    Role.ORGANISATION_ADMIN: frozenset(
        {Perm.AUDIT_READ, Perm.ACCESS_REPORT, Perm.ANALYTICS_VIEW, Perm.WEBHOOKS_MANAGE}
    ),
    Role.PLATFORM_AUDITOR: frozenset({Perm.AUDIT_READ_ALL}),
    # A power of attorney is verified by a named worker, never by a system.
    # The chair unit's own system may move its forum's items, a unit's system keep the
    # unit's teams and publish its bulletins (the API offers no guide editing).
    Role.INTEGRATION: (_CASEWORK - {Perm.THREAD_CLAIM, Perm.POA_VERIFY})
    | {
        Perm.FORUM_CHAIR,
        Perm.TEAM_MANAGE,
        Perm.KNOWLEDGE_PUBLISH,
        Perm.ACCESS_REPORT,
        Perm.ANALYTICS_VIEW,
        Perm.WEBHOOKS_MANAGE,
    },
}

# Which organisation kinds each role exists in.
ROLE_ORGANISATION_KINDS: dict[Role, frozenset[str]] = {
    Role.KELA_BENEFIT_PROCESSOR: frozenset({OrganisationKind.KELA}),
    Role.KELA_SERVICE_ADVISOR: frozenset({OrganisationKind.KELA}),
    Role.SOCIAL_WORKER: frozenset({OrganisationKind.SOCIAL_SERVICES}),
    Role.SOCIAL_COUNSELLOR: frozenset({OrganisationKind.SOCIAL_SERVICES}),
    Role.SOCIAL_ASSISTANCE_PROCESSOR: frozenset({OrganisationKind.SOCIAL_SERVICES}),
    Role.UNIT_MANAGER: frozenset({OrganisationKind.KELA, OrganisationKind.SOCIAL_SERVICES}),
    Role.ORGANISATION_ADMIN: frozenset({OrganisationKind.KELA, OrganisationKind.SOCIAL_SERVICES}),
    Role.PLATFORM_AUDITOR: frozenset({OrganisationKind.KELA, OrganisationKind.SOCIAL_SERVICES}),
    Role.INTEGRATION: frozenset({OrganisationKind.KELA, OrganisationKind.SOCIAL_SERVICES}),
}

# Roles an administrator can give to a person (INTEGRATION belongs to API keys only).
PERSON_ROLES = [role for role in Role if role != Role.INTEGRATION]


def role_allows(role: str, perm: Perm) -> bool:
    try:
        return perm in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
