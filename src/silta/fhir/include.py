"""``_include`` and ``_revinclude`` of a search (the resource table declares which).

An included resource is read through its own read, so it follows the same access rule and
audit as a read by id; one the key may not read is left out. An ``_include`` or
``_revinclude`` the resource type does not declare (``*`` included) is a 400, and so is one
it refuses on purpose (``refused_includes``: ``Task:focus``), with its own code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.core.errors import ServiceError
from silta.fhir.outcome import FhirError
from silta.fhir.registry import RESOURCES, ResourceType
from silta.fhir.search import Search

PARAMS = ("_include", "_revinclude")


def params_of(spec: ResourceType) -> tuple[str, ...]:
    """The include parameters a search of ``spec`` accepts."""
    return (("_include",) if spec.includes else ()) + (("_revinclude",) if spec.revincludes else ())


def check(spec: ResourceType, search: Search) -> None:
    refused = sorted(set(search.params.get("_include", [])) & set(spec.refused_includes))
    if refused:
        raise FhirError(
            400,
            "include_refused",
            _(
                "%(values)s is not offered: reading the referral records that it was "
                "received, which a search does not do. Read the ServiceRequest by its id."
            )
            % {"values": ", ".join(refused)},
        )
    for name, known in (("_include", spec.includes), ("_revinclude", spec.revincludes)):
        unknown = sorted(set(search.params.get(name, [])) - set(known))
        if unknown:
            raise FhirError(
                400,
                "unknown_include",
                _("Unknown %(name)s: %(values)s. Supported: %(supported)s.")
                % {"name": name, "values": ", ".join(unknown), "supported": ", ".join(known)},
            )


def _references(rows: list[dict[str, Any]], element: str, kind: str) -> list[str]:
    found: list[str] = []
    for row in rows:
        target = (row.get(element) or {}).get("reference", "")
        ref_type, _slash, ref_id = target.partition("/")
        if ref_type == kind and ref_id not in found:
            found.append(ref_id)
    return found


def included(
    request: HttpRequest,
    actor: Actor,
    spec: ResourceType,
    search: Search,
    rows: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The resources the search's ``_include`` / ``_revinclude`` name, each once."""
    result: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for name in search.params.get("_include", []):
        element, kind = spec.includes[name]
        read = RESOURCES[kind].read
        for ref_id in _references(rows, element, kind):
            if (kind, ref_id) in seen or read is None:
                continue
            seen.add((kind, ref_id))
            try:
                result.append(read(request, actor, ref_id))
            except (ServiceError, FhirError):
                continue  # not readable with this key: left out (the refusal is audited)
    for name in search.params.get("_revinclude", []):
        result += spec.revincludes[name](actor, rows)
    return result
