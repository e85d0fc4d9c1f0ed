"""Find active content in a PDF: JavaScript and actions that run by themselves.

A PDF can carry JavaScript (``/JS``, ``/JavaScript``), an action run when it is opened
(``/OpenAction``) or when a page or field is used (``/AA``, additional actions), and a
command that starts another program (``/Launch``). Documents exchanged between Kela and
social services have no need for any of these. The scan reads the name tokens of the
file, with ``#xx`` escapes decoded (``/J#53`` is ``/JS``), and of its Flate-compressed
streams (object streams can hide dictionaries), decompressing at most a bounded amount
so a compression bomb cannot exhaust memory.
"""

from __future__ import annotations

import re
import zlib

ACTIVE_NAMES = frozenset({"JS", "JavaScript", "OpenAction", "AA", "Launch"})
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
MAX_INFLATED = 64 * 1024 * 1024


def _names(data: bytes) -> set[str]:
    found = set()
    for match in _NAME.finditer(data):
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        name = raw.decode("latin-1")
        if name in ACTIVE_NAMES:
            found.add(name)
    return found


def active_content(data: bytes) -> set[str]:
    """The active-content names found in the PDF's bytes (empty: none)."""
    found = _names(data)
    budget = MAX_INFLATED
    for match in _STREAM.finditer(data):
        if budget <= 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (an image, another filter): nothing to read there
        budget -= len(inflated)
        found |= _names(inflated)
    return found
