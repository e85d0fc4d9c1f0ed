"""Nothing leaves one organisation for the other without the lawful-basis gate (issue 9:
"a test fails if a module discloses without going through the service").

The objects that carry client data to the other organisation are written in the modules
below, and each of them decides and logs through ``consents.gate``. A new module that
writes one of them, or one of these modules that stops calling the gate, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "silta"

# What the other organisation receives, and the module that writes it (on the gate).
DISCLOSED = {
    "Case": {"exchange/services.py"},  # opening a case: who the client is
    "Message": {"exchange/services.py"},
    "Attachment": {"exchange/services.py"},
    "Referral": {"referrals/services.py"},
    "CallbackRequest": {"callbacks/services.py"},
    "OwnWorker": {"exchange/own_workers.py"},
    "Meeting": {"meetings/services.py"},  # its title, agenda and times
    "Booking": {"bookings/services.py"},  # who the client is, when they come
}
# Writes that disclose without creating one of the objects above.
GATED_UPDATES = {
    "referrals/transitions.py": "a referral's outcome goes back to the sender",
    "meetings/minutes.py": "a meeting's minutes and agreed actions reach the other unit",
}
# Not product code: they build data through the services above, or are the admin.
SKIPPED = ("/tests/", "/migrations/", "/demo/", "admin.py")
WRITE = r"\b{model}\.objects\.(?:create|bulk_create|get_or_create|update_or_create)\("


def _modules() -> dict[str, str]:
    return {
        str(path.relative_to(SRC)): path.read_text()
        for path in SRC.rglob("*.py")
        if not any(part in str(path) for part in SKIPPED)
    }


def test_only_the_gated_modules_write_what_the_other_organisation_receives() -> None:
    modules = _modules()
    for model, writers in DISCLOSED.items():
        pattern = re.compile(WRITE.format(model=model))
        found = {
            name
            for name, text in modules.items()
            if pattern.search(text) and not name.endswith("models.py")
        }
        assert found == writers, (model, found)


def test_each_of_them_decides_and_logs_through_the_gate() -> None:
    modules = _modules()
    gated = {writer for writers in DISCLOSED.values() for writer in writers} | set(GATED_UPDATES)
    for name in sorted(gated):
        text = modules[name]
        assert "gate_decide(" in text or "decided=" in text, name
        assert "gate_log(" in text, name


def test_the_scan_sees_the_writes() -> None:
    """The pattern finds a real write (the test would pass vacuously otherwise)."""
    text = _modules()["exchange/services.py"]
    assert re.search(WRITE.format(model="Message"), text)
    assert not re.search(WRITE.format(model="Message"), "MessageForm.objects.create(")
    assert not re.search(WRITE.format(model="Case"), "Case(When(x=1), default=y)")
