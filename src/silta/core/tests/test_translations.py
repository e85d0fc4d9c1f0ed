"""Every string is translated into Finnish and Swedish, with its placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[4] / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}|%[sd]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    missing = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]
    assert missing == [], f"{len(missing)} untranslated or fuzzy in {language}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_placeholders_survive_translation(language: str) -> None:
    broken = []
    for entry in _catalogue(language):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            # Finnish and Swedish have two forms: the first is the singular ("One item"
            # may leave the count out, as its msgid does), the second the plural.
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in entry.msgstr_plural.items()
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)] if entry.msgstr else []
        for source, text in pairs:
            named = {p for p in _placeholders(source) if p.startswith(("%(", "{"))}
            if not named <= set(_placeholders(text)):
                broken.append(entry.msgid)
    assert broken == []


def test_finnish_and_swedish_have_the_same_strings() -> None:
    def keys(language: str) -> set[tuple[str | None, str]]:
        return {(e.msgctxt, e.msgid) for e in _catalogue(language) if not e.obsolete}

    assert keys("fi") == keys("sv")
