"""Directory resources through the directory's own selector (``unit_page``): any valid
key reads them; directory data is not client data, so nothing is audited (as in the
JSON API's directory)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from silta.directory.models import Channel
from silta.directory.selectors import unit_page
from silta.fhir.mappings.directory import (
    has_location,
    location_resource,
    organisation_resource,
    practitioner_role_resource,
    service_resource,
    unit_resource,
)
from silta.fhir.outcome import FhirError
from silta.fhir.search import Search, reference_ids
from silta.organisations.models import Organisation
from silta.organisations.selectors import unit_by_public_id
from silta.workdays.calendar import today

BY_ORGANIZATION = ("organization",)


def _not_found() -> FhirError:
    return FhirError(404, "not_found", _("Not found."))


def organization_read(*, organization_id: str) -> dict[str, Any]:
    """A unit, or an organisation (Kela, a county) by its id."""
    ids = reference_ids([organization_id], "", "id")
    unit = unit_by_public_id(ids[0])
    if unit is not None:
        return unit_resource(unit)
    organisation = Organisation.objects.filter(public_id=ids[0]).first()
    if organisation is None:
        raise _not_found()
    return organisation_resource(organisation)


def _unit_of_channel(channel_id: str) -> Any:
    ids = reference_ids([channel_id], "", "id")
    unit_id = Channel.objects.filter(public_id=ids[0]).values_list("unit__public_id", flat=True)
    found = unit_id.first()
    if found is None:
        raise _not_found()
    page = unit_page(unit_id=found)
    channel = next((c.channel for c in page.channels if c.channel.public_id == ids[0]), None)
    if channel is None:
        raise _not_found()
    return page.unit, channel


def service_read(*, service_id: str) -> dict[str, Any]:
    unit, channel = _unit_of_channel(service_id)
    return service_resource(unit, channel, today())


def location_read(*, location_id: str) -> dict[str, Any]:
    unit, channel = _unit_of_channel(location_id)
    if not has_location(channel):
        raise _not_found()
    return location_resource(unit, channel)


def _page_of(search: Search) -> Any:
    value = search.first("organization")
    if value is None:
        raise FhirError(
            400,
            "organization_required",
            _("Search by organization (organization=Organization/<unit id>)."),
        )
    return unit_page(unit_id=reference_ids([value], "Organization", "organization")[0])


def _chunk(rows: list[dict[str, Any]], search: Search) -> tuple[list[dict[str, Any]], bool]:
    return rows[search.offset : search.offset + search.count], len(
        rows
    ) > search.offset + search.count


def service_search(*, search: Search) -> tuple[list[dict[str, Any]], bool]:
    page, day = _page_of(search), today()
    return _chunk([service_resource(page.unit, c.channel, day) for c in page.channels], search)


def location_search(*, search: Search) -> tuple[list[dict[str, Any]], bool]:
    page = _page_of(search)
    rows = [
        location_resource(page.unit, c.channel) for c in page.channels if has_location(c.channel)
    ]
    return _chunk(rows, search)


def practitioner_role_search(*, search: Search) -> tuple[list[dict[str, Any]], bool]:
    page = _page_of(search)
    return _chunk([practitioner_role_resource(page.unit, m) for m in page.members], search)
