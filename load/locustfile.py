"""The API mix of the load test (issue 10): a case-management system's traffic.

Lists, timelines, thread reads, message posts with an ``Idempotency-Key``, referrals,
directory search and due dates, each simulated user thinking 0.5-1.5 s between requests.
A message goes out on the client's consent; where none covers it (the demo has one such
client) the answer is 422 ``no_lawful_basis`` and the system resends on the first
statutory basis it names, as the API tells integrations to.
The simulated systems use locust's ``FastHttpUser`` (geventhttpclient): the load generator
runs on the same two cores as the server, and the ``requests``-based ``HttpUser`` spent
several times its CPU on each request, taking it from the server under test.
``load/run.py`` starts the server and passes the API key (``SILTA_LOAD_API_KEY``) and
the ids to read (``SILTA_LOAD_IDS``, fetched through the API before the clock starts).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import uuid
from typing import Any
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

API = "/api/v1"
SEARCHES = ["kuopio", "helsinki", "tampere", "vantaa", "oulu", "kela", "sosiaali", "turku"]
IDS: dict[str, list[str]] = {"cases": [], "threads": [], "referrals": []}


def api_headers(key: str = "") -> dict[str, str]:
    return {
        "Authorization": f"Bearer {key or os.environ['SILTA_LOAD_API_KEY']}",
        # As nginx sets it: production settings redirect plain HTTP otherwise.
        "X-Forwarded-Proto": "https",
        "Accept-Language": "fi",
    }


@events.init.add_listener
def _load_ids(**_: Any) -> None:
    if os.environ.get("SILTA_LOAD_IDS"):
        IDS.update(json.loads(os.environ["SILTA_LOAD_IDS"]))
    if os.environ.get("SILTA_LOAD_API_KEY"):
        # Sent with every request of every simulated system (FastHttpUser's headers).
        CaseSystem.default_headers = api_headers()


def lawful_bases(response: Any) -> list[str]:
    """The statutory bases a 422 ``no_lawful_basis`` names (empty for any other answer)."""
    if response.status_code != 422:
        return []
    try:
        body = response.json()
    except ValueError:
        return []
    return list(body.get("lawful_bases") or []) if body.get("code") == "no_lawful_basis" else []


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body of text fields (FastHttpUser has no ``files=``)."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, f"multipart/form-data; boundary={boundary}"


def query(path: str, **params: Any) -> str:
    return f"{path}?{urlencode(params)}"


class CaseSystem(FastHttpUser):
    """One integration client of a unit."""

    wait_time = between(0.5, 1.5)

    @task(3)
    def list_cases(self) -> None:
        self.client.get(query(f"{API}/cases", page=random.randint(1, 2)), name="cases")

    @task(3)
    def timeline(self) -> None:
        case_id = random.choice(IDS["cases"])
        self.client.get(f"{API}/cases/{case_id}/timeline", name="case timeline")

    @task(3)
    def read_thread(self) -> None:
        thread_id = random.choice(IDS["threads"])
        self.client.get(f"{API}/threads/{thread_id}/messages", name="thread messages")

    def _post_message(self, thread_id: str, basis: str = "") -> Any:
        fields = {"body": "Kuormitustestin viesti."}  # multipart, as with attachments
        if basis:
            fields["statutory_basis"] = basis
        body, content_type = multipart(fields)
        return self.client.post(
            f"{API}/threads/{thread_id}/messages",
            data=body,
            # A new request: a new key.
            headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": content_type},
            name="post message (statutory basis)" if basis else "post message",
            catch_response=True,
        )

    @task(1)
    def post_message(self) -> None:
        thread_id = random.choice(IDS["threads"])
        with self._post_message(thread_id) as response:
            bases = lawful_bases(response)
            if bases:
                response.success()  # the expected answer where no consent covers it
        if bases:
            with self._post_message(thread_id, bases[0]):
                pass

    @task(2)
    def referrals(self) -> None:
        box = random.choice(["received", "sent"])
        self.client.get(query(f"{API}/referrals", box=box), name="referrals")

    @task(1)
    def referral(self) -> None:
        if IDS["referrals"]:
            referral_id = random.choice(IDS["referrals"])
            self.client.get(f"{API}/referrals/{referral_id}", name="referral")

    @task(2)
    def directory_search(self) -> None:
        term = random.choice(SEARCHES)
        self.client.get(query(f"{API}/directory/units", q=term), name="directory search")

    @task(2)
    def due_date(self) -> None:
        start = dt.date(2026, 1, 1) + dt.timedelta(days=random.randint(0, 700))
        params = {"start": start.isoformat(), "working_days": random.randint(1, 60)}
        self.client.get(query(f"{API}/calendar/due-date", **params), name="due date")
