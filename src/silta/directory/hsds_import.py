"""Import an HSDS 3.0 directory file: validate everything first, then apply all or nothing.

Errors name the place in the file (``[2].services[0].phones[1].number``), so whoever
made the file can fix it. Organisations are matched by id, then by organiser code (Kela
by its identifier); units and channels by id. For each imported unit the file is
authoritative: its channels, hours and service areas are replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from silta.core.errors import Invalid
from silta.directory import hsds
from silta.directory.hours import DAY_MINUTES, TimeRange, validate_ranges
from silta.directory.models import Channel, ChannelKind, ServiceArea, Topic
from silta.directory.services import (
    ChannelInput,
    channel_values,
    channel_write_hours,
    unit_refresh_search_text,
)
from silta.organisations.models import Organisation, OrganisationKind, Unit, UnitKind
from silta.reference.models import Municipality
from silta.workdays.calendar import HELSINKI

MAX_ERRORS = 50


@dataclass
class ImportResult:
    organisations: int = 0
    units: int = 0
    channels: int = 0
    errors: list[str] = field(default_factory=list)


def _terms(attributes: list[dict[str, Any]] | None, taxonomy: str) -> list[str]:
    return [
        a["taxonomy_term"]["code"]
        for a in attributes or []
        if isinstance(a.get("taxonomy_term"), dict)
        and a["taxonomy_term"].get("taxonomy") == taxonomy
    ]


def _minutes(text: str | None) -> int:
    hours, minutes = (text or "").split(":")[:2]
    value = int(hours) * 60 + int(minutes[:2])
    return DAY_MINUTES if value == DAY_MINUTES - 1 else value


class _Parser:
    """Reads the file into plain values, collecting errors with their paths."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.municipalities = set(Municipality.objects.values_list("code", flat=True))

    def error(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{path}: {message}")

    def schema(self, data: Any) -> None:
        if not isinstance(data, list):
            self.error("$", _("the file must be a JSON list of organisations"))
            return
        validator = Draft202012Validator(hsds.organization_schema())
        for index, organization in enumerate(data):
            for problem in validator.iter_errors(organization):
                where = "".join(
                    f"[{p}]" if isinstance(p, int) else f".{p}" for p in problem.absolute_path
                )
                self.error(f"[{index}]{where}", problem.message)

    def organisation(self, index: int, item: dict[str, Any]) -> dict[str, Any]:
        identifiers = {
            i.get("identifier_type"): i.get("identifier")
            for i in item.get("organization_identifiers") or []
        }
        is_kela = hsds.KELA_IDENTIFIER in identifiers
        code = identifiers.get(hsds.ORGANISER_CODE) or ""
        if not is_kela and not code:
            self.error(
                f"[{index}].organization_identifiers",
                _("an organiser code (fi:organiser_code) or the Kela identifier is required"),
            )
        return {
            "id": item.get("id"),
            "is_kela": is_kela,
            "code": code,
            "name_fi": item.get("name", ""),
            "name_sv": item.get("alternate_name") or "",
            "units": [
                self.unit(f"[{index}].services[{n}]", s)
                for n, s in enumerate(item.get("services") or [])
            ],
        }

    def unit(self, path: str, item: dict[str, Any]) -> dict[str, Any]:
        kinds = _terms(item.get("attributes"), hsds.TAXONOMY_KIND)
        kind = kinds[0] if kinds else ""
        if kind not in UnitKind.values:
            self.error(f"{path}.attributes", _("unknown unit kind “%(kind)s”") % {"kind": kind})
        areas = []
        for n, area in enumerate(item.get("service_areas") or []):
            code = area.get("extent") or ""
            topics = _terms(area.get("attributes"), hsds.TAXONOMY_TOPIC)
            if code not in self.municipalities:
                self.error(
                    f"{path}.service_areas[{n}].extent",
                    _("unknown municipality code “%(code)s”") % {"code": code},
                )
            if not topics or topics[0] not in Topic.values:
                self.error(f"{path}.service_areas[{n}].attributes", _("unknown topic"))
            areas.append((code, topics[0] if topics else ""))
        assured = item.get("assured_date")
        return {
            "id": item.get("id"),
            "name_fi": item.get("name", ""),
            "kind": kind,
            "name_sv": item.get("alternate_name") or "",
            "description_fi": item.get("description") or "",
            "is_active": item.get("status") == "active",
            "areas": areas,
            "verified": dt.date.fromisoformat(assured) if assured else None,
            "channels": [
                self.channel(f"{path}.service_at_locations[{n}]", sal)
                for n, sal in enumerate(item.get("service_at_locations") or [])
            ],
        }

    def channel(self, path: str, sal: dict[str, Any]) -> dict[str, Any] | None:
        location = sal.get("location") or {}
        kinds = _terms(location.get("attributes"), hsds.TAXONOMY_CHANNEL)
        flags = _terms(location.get("attributes"), hsds.TAXONOMY_FLAG)
        address = (location.get("addresses") or [{}])[0]
        url = location.get("url") or ""
        phones = sal.get("phones") or []
        data = ChannelInput(
            kind=kinds[0] if kinds else "",
            label_fi=location.get("name") or "",
            label_sv=location.get("alternate_name") or "",
            phone=phones[0].get("number", "") if phones else "",
            email=url.removeprefix("mailto:") if url.startswith("mailto:") else "",
            street=address.get("address_1", ""),
            postal_code=address.get("postal_code", ""),
            city=address.get("city", ""),
            always_open=hsds.FLAG_ALWAYS_OPEN in flags,
            closed_on_holidays=hsds.FLAG_OPEN_ON_HOLIDAYS not in flags,
        )
        try:
            values = channel_values(data)
            weekly, exceptions = self.schedules(path, sal.get("schedules") or [])
        except Invalid as error:
            self.error(path, str(error.message))
            return None
        if data.label_fi == ChannelKind(data.kind).label:
            values["label_fi"] = ""
        return {
            "id": location.get("id"),
            "values": values,
            "input": ChannelInput(**{**data.__dict__, "weekly": weekly, "exceptions": exceptions}),
        }

    def schedules(self, path: str, rows: list[dict[str, Any]]) -> tuple[dict, dict]:
        weekly: dict[int, list[TimeRange]] = {}
        exceptions: dict[dt.date, list[TimeRange]] = {}
        for n, row in enumerate(rows):
            try:
                days = [hsds.BYDAY.index(d) for d in (row.get("byday") or "").split(",") if d]
                if row.get("valid_from"):
                    day = dt.date.fromisoformat(row["valid_from"])
                    bucket = exceptions.setdefault(day, [])
                    if row.get("opens_at"):
                        bucket.append(
                            TimeRange(_minutes(row["opens_at"]), _minutes(row["closes_at"]))
                        )
                    continue
                for day_index in days:
                    weekly.setdefault(day_index, []).append(
                        TimeRange(_minutes(row["opens_at"]), _minutes(row["closes_at"]))
                    )
            except (ValueError, KeyError, TypeError) as exc:
                raise Invalid(
                    _("schedules[%(n)d] cannot be read") % {"n": n}, code="hsds_schedule"
                ) from exc
        return (
            {d: validate_ranges(r) for d, r in weekly.items()},
            {d: validate_ranges(r) for d, r in exceptions.items()},
        )


def import_directory(data: Any) -> ImportResult:
    """Validate the whole file; if anything is wrong, change nothing and list the errors."""
    parser = _Parser()
    parser.schema(data)
    parsed = []
    if not parser.errors:
        parsed = [parser.organisation(i, item) for i, item in enumerate(data)]
    if parser.errors:
        return ImportResult(errors=parser.errors)
    result = ImportResult()
    with transaction.atomic():
        for org_data in parsed:
            _apply_organisation(org_data, result)
    return result


def _apply_organisation(data: dict[str, Any], result: ImportResult) -> None:
    org = Organisation.objects.filter(public_id=data["id"]).first()
    if org is None:
        org = (
            Organisation.objects.filter(kind=OrganisationKind.KELA).first()
            if data["is_kela"]
            else Organisation.objects.filter(organiser_code=data["code"]).first()
        )
    values = {
        "name_fi": data["name_fi"],
        "name_sv": data["name_sv"],
        "kind": OrganisationKind.KELA if data["is_kela"] else OrganisationKind.SOCIAL_SERVICES,
        "organiser_code": "" if data["is_kela"] else data["code"],
    }
    if org is None:
        org = Organisation.objects.create(public_id=data["id"], **values)
    else:
        Organisation.objects.filter(pk=org.pk).update(**values)
    result.organisations += 1
    for unit_data in data["units"]:
        _apply_unit(org, unit_data, result)


def _apply_unit(org: Organisation, data: dict[str, Any], result: ImportResult) -> None:
    verified = (
        dt.datetime.combine(data["verified"], dt.time(12), tzinfo=HELSINKI)
        if data["verified"]
        else None
    )
    values = {
        "organisation": org,
        "name_fi": data["name_fi"],
        "name_sv": data["name_sv"],
        "kind": data["kind"],
        "description_fi": data["description_fi"],
        "is_active": data["is_active"],
        "verified_at": verified,
    }
    unit, _created = Unit.objects.update_or_create(public_id=data["id"], defaults=values)
    ServiceArea.objects.filter(unit=unit).delete()
    ServiceArea.objects.bulk_create(
        ServiceArea(unit=unit, municipality_id=code, topic=topic)
        for code, topic in sorted(set(data["areas"]))
    )
    keep = []
    for position, channel_data in enumerate(c for c in data["channels"] if c):
        channel, _new = Channel.objects.update_or_create(
            public_id=channel_data["id"],
            unit=unit,
            defaults={**channel_data["values"], "position": position},
        )
        channel_write_hours(channel, channel_data["input"])
        keep.append(channel.pk)
        result.channels += 1
    Channel.objects.filter(unit=unit).exclude(pk__in=keep).delete()
    unit_refresh_search_text(unit)
    result.units += 1
