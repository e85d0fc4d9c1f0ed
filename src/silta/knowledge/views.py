"""Guide and bulletin pages: read, search, draft, review, publish, acknowledge, ask."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import service_errors
from silta.knowledge import bulletins, guide, permissions, selectors, work
from silta.knowledge.downloads import bulletin_file_response
from silta.knowledge.forms import (
    BulletinForm,
    PostForm,
    ReviewForm,
    ReviewRequestForm,
    VersionForm,
)
from silta.knowledge.models import GuideEntry
from silta.organisations.selectors import own_unit, units_of_actor


@require_GET
@service_errors
def guide_index(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    query = (request.GET.get("q") or "").strip()[:100]
    rows = selectors.guide_list(actor=actor, query=query)
    return render(request, "knowledge/guide.html", {"rows": rows, "query": query})


@require_GET
@service_errors
def entry(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    actor = request.actor
    found = selectors.entry_get(actor=actor, slug=slug)
    page = selectors.entry_page(actor=actor, entry=found)
    own_orgs = permissions.organisations_with(actor, Perm.KNOWLEDGE_READ)
    context = {
        "page": page,
        "own_organisations": own_orgs,
        "can_draft": permissions.editing_unit(actor, found) is not None and page.draft is None,
        "can_vary": permissions.variant_organisation(
            actor, found, {v.entry.owner_id for v in page.variants}
        )
        is not None,
        "returns": work.returns_by_pair(actor=actor, entry=found),
    }
    return render(request, "knowledge/entry.html", context)


@require_GET
@service_errors
def version(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    actor = request.actor
    found = selectors.entry_get(actor=actor, slug=slug)
    shown = selectors.version_get(actor=actor, entry=found, number=number)
    is_reviewer = permissions.reviewing_unit(actor, shown) is not None
    is_editor = permissions.editing_unit(actor, found) is not None
    context = {
        "entry": found,
        "version": shown,
        "is_reviewer": is_reviewer,
        "can_edit": is_editor and shown.state == "draft",
        "can_request_review": is_editor and shown.state == "draft",
        "can_comment": shown.state == "in_review"
        and (is_reviewer or is_editor or permissions.publishing_unit(actor, found) is not None),
        "can_publish": permissions.publishing_unit(actor, found) is not None
        and shown.state == "reviewed",
        "review_request_form": ReviewRequestForm(reviewers=selectors.reviewer_choices(found)),
        "review_form": ReviewForm(),
    }
    return render(request, "knowledge/version.html", context)


def _version_form_page(
    request: AuthenticatedRequest, found: GuideEntry, number: int | None
) -> HttpResponse:
    actor = request.actor
    draft = selectors.version_get(actor=actor, entry=found, number=number) if number else None
    if permissions.editing_unit(actor, found) is None:
        raise deny(actor, detail={"guide_entry": found.slug})
    source = draft or guide.shown_version(found)
    form = VersionForm(request.POST or None, initial=VersionForm.initial_from(source))
    if request.method == "POST":
        try:
            if draft is None:
                saved = guide.version_draft(actor=actor, entry=found, data=form.to_input())
            else:
                saved = guide.version_edit(actor=actor, version=draft, data=form.to_input())
        except (Invalid, Conflict) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("knowledge:version", slug=found.slug, number=saved.number)
    context = {"entry": found, "draft": draft, "form": form}
    return render(request, "knowledge/draft.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@service_errors
def draft_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    found = selectors.entry_get(actor=request.actor, slug=slug)
    return _version_form_page(request, found, None)


@require_http_methods(["GET", "POST"])
@service_errors
def draft_edit(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    found = selectors.entry_get(actor=request.actor, slug=slug)
    return _version_form_page(request, found, number)


def _on_version(request: AuthenticatedRequest, slug: str, number: int, step: str) -> HttpResponse:
    actor = request.actor
    found = selectors.entry_get(actor=actor, slug=slug)
    target = selectors.version_get(actor=actor, entry=found, number=number)
    try:
        if step == "request":
            form = ReviewRequestForm(request.POST, reviewers=selectors.reviewer_choices(found))
            guide.review_request(actor=actor, version=target, data=form.to_input())
            messages.success(request, _("Sent for review."))
        elif step == "review":
            guide.review_add(actor=actor, version=target, data=ReviewForm(request.POST).to_input())
            messages.success(request, _("Review saved."))
        else:
            guide.version_publish(actor=actor, version=target)
            messages.success(request, _("Published. The earlier versions are kept."))
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
    return redirect("knowledge:version", slug=found.slug, number=target.number)


@require_POST
@service_errors
def review_request(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    return _on_version(request, slug, number, "request")


@require_POST
@service_errors
def review(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    return _on_version(request, slug, number, "review")


@require_POST
@service_errors
def publish(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    return _on_version(request, slug, number, "publish")


@require_POST
@service_errors
def variant_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    actor = request.actor
    national = selectors.entry_get(actor=actor, slug=slug)
    try:
        created = guide.variant_create(actor=actor, national=national)
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
        return redirect("knowledge:entry", slug=national.slug)
    messages.success(request, _("Local variant started as a draft."))
    return redirect("knowledge:version", slug=created.slug, number=1)


# --- bulletins ---------------------------------------------------------------------------


@require_GET
@service_errors
def bulletin_index(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    page = selectors.bulletin_list(actor=actor, page=clamp_page(request.GET.get("page")))
    context = {
        "page": page,
        "can_publish": actor.can(Perm.KNOWLEDGE_PUBLISH),
        "today": timezone.localdate(),
    }
    return render(request, "knowledge/bulletins.html", context)


@require_http_methods(["GET", "POST"])
@service_errors
def bulletin_new(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    units = units_of_actor(unit_ids=actor.units_with(Perm.KNOWLEDGE_PUBLISH))
    if not units:
        raise deny(actor, detail={"perm": "knowledge_publish"})
    kinds = [
        (r.entry.slug, r.version.title if r.version else r.entry.slug)
        for r in selectors.guide_list(actor=actor)
    ]
    form = BulletinForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        kinds=kinds,
        organisations=selectors.scope_choices(),
    )
    if request.method == "POST":
        unit = own_unit(
            actor=actor, unit_id=request.POST.get("publisher_unit"), perm=Perm.KNOWLEDGE_PUBLISH
        )
        try:
            created = bulletins.bulletin_publish(
                actor=actor,
                unit=unit,
                data=form.to_input(),
                files=form.cleaned_data.get("attachments") or [],
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Bulletin published."))
            return redirect("knowledge:bulletin", bulletin_id=created.public_id)
    status = 400 if form.errors else 200
    return render(request, "knowledge/bulletin_new.html", {"form": form}, status=status)


@require_GET
@service_errors
def bulletin(request: AuthenticatedRequest, bulletin_id: str) -> HttpResponse:
    actor = request.actor
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    follow_up = permissions.can_follow_up(actor, found)
    own_unit_id, own_ack = selectors.own_acknowledgement(actor, found)
    context = {
        "bulletin": found,
        "follow_up": follow_up,
        "acks": selectors.acknowledgements(found) if follow_up else [],
        "impact": selectors.impact_for_publisher(actor=actor, bulletin=found) if follow_up else [],
        "own_unit_id": own_unit_id,
        "own_ack": own_ack,
        "impact_units": selectors.impact_units(actor, found),
        "posts": found.posts.select_related("unit", "unit__organisation"),
        "post_form": PostForm(),
        "upcoming": found.effective_date >= timezone.localdate(),
    }
    return render(request, "knowledge/bulletin.html", context)


@require_POST
@service_errors
def bulletin_ack(request: AuthenticatedRequest, bulletin_id: str) -> HttpResponse:
    actor = request.actor
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    try:
        bulletins.bulletin_acknowledge(actor=actor, bulletin=found)
    except Invalid as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Acknowledged for your unit."))
    return redirect("knowledge:bulletin", bulletin_id=found.public_id)


@require_POST
@service_errors
def bulletin_post(request: AuthenticatedRequest, bulletin_id: str) -> HttpResponse:
    actor = request.actor
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    try:
        bulletins.bulletin_post(actor=actor, bulletin=found, data=PostForm(request.POST).to_input())
    except Invalid as error:
        messages.error(request, str(error.message))
    return redirect("knowledge:bulletin", bulletin_id=found.public_id)


@require_GET
@service_errors
def bulletin_impact(request: AuthenticatedRequest, bulletin_id: str, unit_id: str) -> HttpResponse:
    actor = request.actor
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    items = selectors.impact_own(actor=actor, bulletin=found, unit=unit)
    return render(request, "knowledge/impact.html", {"bulletin": found, "items": items})


@require_GET
@service_errors
def bulletin_file(request: AuthenticatedRequest, bulletin_id: str, file_id: str) -> FileResponse:
    return bulletin_file_response(actor=request.actor, bulletin_id=bulletin_id, file_id=file_id)
