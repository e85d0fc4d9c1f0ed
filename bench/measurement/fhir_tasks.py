"""FHIR Task search by owner and status against the JSON API's list (issue 14: within 2x).

Both through the whole HTTP stack (Django's test client: middleware, API-key check,
selectors, audit row, JSON) for the unit with the most open received referrals:
``GET /api/v1/referrals?box=received&filter=open`` (its first page, 25 rows) and
``GET /fhir/R4/Task?owner=Organization/<unit>&status=requested,accepted,in-progress,
on-hold&_count=25`` (the same open states, as a searchset Bundle). The key and the audit
rows are rolled back afterwards: the data set is left as it was.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.test import Client

from bench.measurement.timing import time_samples
from bench.options import Options
from silta.api_keys.services import api_key_issue
from silta.organisations.models import Unit
from silta.referrals.models import OPEN_STATE_VALUES, Referral

GOAL_RATIO = 2.0
OPEN_TASK_STATUSES = "requested,accepted,in-progress,on-hold"


@dataclass(frozen=True)
class FhirSpeed:
    unit: str
    open_referrals: int
    api_ms: float
    fhir_ms: float
    api_rows: int
    fhir_rows: int

    @property
    def ratio(self) -> float:
        return self.fhir_ms / self.api_ms


def _busiest_unit() -> tuple[Unit, int]:
    row = (
        Referral.objects.filter(status__in=OPEN_STATE_VALUES)
        .values("receiver_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise RuntimeError("no open referrals in the data set")
    return Unit.objects.get(pk=row["receiver_unit"]), row["n"]


def _get(client: Client, path: str, params: dict[str, str], headers: dict[str, str]) -> Any:
    response = client.get(path, params, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.content[:200]!r}")
    return response


def measure(options: Options) -> FhirSpeed:
    unit, open_count = _busiest_unit()
    client = Client()
    with transaction.atomic():
        headers = {
            "Authorization": f"Bearer {api_key_issue(unit=unit, name='bench FHIR').plaintext}"
        }
        api_params = {"box": "received", "filter": "open"}
        fhir_params = {
            "owner": f"Organization/{unit.public_id}",
            "status": OPEN_TASK_STATUSES,
            "_count": "25",
        }
        runners = {
            "api": lambda: _get(client, "/api/v1/referrals", api_params, headers),
            "fhir": lambda: _get(client, "/fhir/R4/Task", fhir_params, headers),
        }
        api_rows = len(runners["api"]().json()["items"])
        fhir_rows = len(runners["fhir"]().json()["entry"])
        samples = time_samples(runners, options.reps, options.warmup)
        transaction.set_rollback(True)
    return FhirSpeed(
        unit=unit.name_fi,
        open_referrals=open_count,
        api_ms=statistics.median(samples["api"]),
        fhir_ms=statistics.median(samples["fhir"]),
        api_rows=api_rows,
        fhir_rows=fhir_rows,
    )


def report_lines(speed: FhirSpeed) -> list[str]:
    verdict = "meets" if speed.ratio <= GOAL_RATIO else "MISSES"
    return [
        "## FHIR Task search by owner and status (whole HTTP stack)",
        f"- unit {speed.unit!r}, {speed.open_referrals:,} open referrals received",
        f"- JSON API list (page 1, {speed.api_rows} rows): {speed.api_ms:.2f} ms",
        f"- FHIR Task search ({speed.fhir_rows} rows): {speed.fhir_ms:.2f} ms",
        f"- ratio {speed.ratio:.2f}x ({verdict} the {GOAL_RATIO:.0f}x goal)",
    ]
