"""JSON Patch (RFC 6902) on a resource's JSON: add, replace, remove and test."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _

from silta.fhir.outcome import FhirError


def _bad(message: str) -> FhirError:
    return FhirError(422, "invalid_patch", message)


def _parts(pointer: Any) -> list[str]:
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise _bad(_("A patch path is a JSON pointer such as /status."))
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _parent(doc: Any, parts: list[str]) -> tuple[Any, str]:
    node = doc
    for part in parts[:-1]:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise _bad(
                _("The patch path does not exist: /%(path)s.") % {"path": "/".join(parts)}
            ) from None
    return node, parts[-1]


def _missing(parts: list[str]) -> FhirError:
    return _bad(_("The patch path does not exist: /%(path)s.") % {"path": "/".join(parts)})


def _test(current: Any, op: dict[str, Any]) -> None:
    if current != op.get("value"):
        raise FhirError(409, "patch_test_failed", _("A patch test did not match."))


def _apply_list(node: list[Any], key: str, op: dict[str, Any], parts: list[str]) -> None:
    name = op.get("op")
    index = len(node) if key == "-" else int(key) if key.isdigit() else -1
    if not 0 <= index <= len(node) - (0 if name == "add" else 1):
        raise _missing(parts)
    if name == "add":
        node.insert(index, op.get("value"))
    elif name == "replace":
        node[index] = op.get("value")
    elif name == "remove":
        del node[index]
    else:
        _test(node[index], op)


def _apply(doc: Any, op: dict[str, Any]) -> None:
    name, parts = op.get("op"), _parts(op.get("path"))
    if name not in ("add", "replace", "remove", "test"):
        raise _bad(_("Supported patch operations: add, replace, remove, test."))
    node, key = _parent(doc, parts)
    if isinstance(node, list):
        _apply_list(node, key, op, parts)
        return
    if not isinstance(node, dict) or (name != "add" and key not in node):
        raise _missing(parts)
    if name in ("add", "replace"):
        node[key] = op.get("value")
    elif name == "remove":
        del node[key]
    else:
        _test(node[key], op)


def apply_patch(resource: dict[str, Any], patch: Any) -> dict[str, Any]:
    """``resource`` with ``patch`` applied (a list of operations); the original is kept."""
    if not isinstance(patch, list) or not all(isinstance(op, dict) for op in patch):
        raise _bad(_("A JSON Patch is a list of operations."))
    doc = copy.deepcopy(resource)
    for op in patch:
        _apply(doc, op)
    return doc
