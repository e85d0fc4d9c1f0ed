"""Consents at national scale (step ``consents``): about 1.5 consents per client, their
revocations and named units, and the disclosure log of the last 90 days of messages.

Every client consents on the application that opens their first case ("the checkbox":
Kela and the organiser of the case's social unit may share everything for every purpose),
most for the default 24 months (some 12 or 36). When it has expired most clients have
consented again on a later application; the rest are left with an expired consent only.
Some consents in force were replaced at the social services office by a new one with a
scope of its own (the old one revoked "replaced", the new one ``replaces`` it); a few
clients revoked their latest consent; one in ten consents names the units of a case.
One ``ConsentWording`` for all.

The disclosure log (luovutusloki) holds one row per message sent in the last 90 days (the
gate's go-live, as it were), on the basis Silta's own rule gives at the moment it was sent
(``silta.consents.rules.decide`` on the client's consents then): the covering consent, or
else the statutory basis the law gives for a message in that direction.

Rows are generated client by client (cases and window messages read in client order) and
streamed into four concurrent COPYs with the tables' secondary indexes, unique
constraints and foreign keys dropped, then recreated and validated.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from psycopg import sql

from bench import schema
from bench.generation.copystreams import CopyStreams
from bench.generation.textrows import NULL, escape, new_uuid, ts
from bench.options import Options

# Consent, its named units, its revocation and the disclosure log, in load order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "consents_consent": (
        "id", "document_name", "document_storage_name", "document_content_type",
        "document_sha256", "public_id", "client_id", "given_by", "representative_name",
        "representative_identity", "power_of_attorney_id", "organiser_id", "purposes",
        "categories", "given_how", "application_reference", "wording_id", "wording_language",
        "valid_from", "valid_until", "replaces_id", "recorded_at", "recorded_by_id",
        "recorded_by_unit_id", "recorded_by_label", "api_key_id",
    ),
    "consents_consent_units": ("id", "consent_id", "unit_id"),
    "consents_consentrevocation": (
        "id", "consent_id", "revoked_at", "revoked_by_id", "revoked_by_unit_id",
        "revoked_by_label", "how", "note",
    ),
    "consents_disclosure": (
        "id", "public_id", "occurred_at", "client_id", "kind", "category", "object_type",
        "object_id", "purpose", "discloser_user_id", "discloser_label", "discloser_unit_id",
        "discloser_organisation_id", "api_key_id", "recipient_unit_id",
        "recipient_organisation_id", "consent_id", "statutory_basis", "inform_client",
        "request_id",
    ),
}  # fmt: skip
TABLES = tuple(COLUMNS)

WORDING_VERSION = "bench-2022-1"
VALIDITY_MONTHS = ((24, 12, 36), (0.85, 0.10, 0.05))
RENEWED = 0.8  # an expired consent was given again on a later application
REPLACED = 0.12  # a consent in force was replaced at the office by a new one
REVOKED = 0.03  # the client revoked their latest consent
NAMES_UNITS = 0.1  # the consent names the units of one case
FIRST_HOW = (("application", "in_person", "phone", "writing"), (0.9, 0.05, 0.03, 0.02))
LATER_HOW = (("in_person", "phone", "writing"), (0.55, 0.3, 0.15))
REVOKED_HOW = (("in_person", "phone", "writing", "electronic"), (0.4, 0.3, 0.1, 0.2))
REPRESENTED = 0.03  # given by a legal representative
SWEDISH = 0.06
DISCLOSURE_DAYS = 90
DAY = 86_400
APPLICATION_LABEL = "Kela, hakemus"


def _scopes() -> tuple[list[tuple[str, str]], list[float]]:
    """(purposes JSON, categories JSON) of the scopes a consent given at the office has;
    the first, everything, is the checkbox on the application."""
    from silta.consents.codes import Category, Purpose

    scopes = [
        (list(Purpose.values), list(Category.values), 0.7),
        (["joint_assistance", "outcome_report"],
         ["benefit_decisions", "applications", "contact_details", "contact_outcome"], 0.15),
        (["social_services_contact", "outcome_report"],
         ["contact_details", "contact_outcome"], 0.1),
        (["joint_assistance", "reduction_assessment"],
         ["benefit_decisions", "plans", "contact_details"], 0.05),
    ]  # fmt: skip
    return [(json.dumps(p), json.dumps(c)) for p, c, _ in scopes], [w for *_, w in scopes]


@dataclass
class CaseRow:
    id: int
    kela_unit: int
    social_unit: int
    organiser: int
    opened_at: dt.datetime


@dataclass
class Given:
    """One generated consent, as ``rules.ConsentTerms`` needs it."""

    id: int
    organiser: int
    units: tuple[int, ...]
    purposes: str
    categories: str
    valid_from: dt.date
    valid_until: dt.date
    recorded_at: dt.datetime
    revoked_at: dt.datetime | None = None


@dataclass
class Counts:
    consents: int = 0
    unit_rows: int = 0
    revocations: int = 0
    replaced: int = 0
    renewed: int = 0
    revoked_by_client: int = 0
    disclosures: int = 0
    on_consent: int = 0
    on_statute: int = 0
    statutes: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _open(cases: list[CaseRow], at: dt.datetime, rng: random.Random) -> CaseRow:
    """One of the client's cases already open at ``at``."""
    return rng.choice([case for case in cases if case.opened_at <= at] or cases[:1])


class Generator:
    def __init__(self, rng: random.Random, now: dt.datetime, wording: int, world: Any,
                 buffers: dict[str, list[str]]) -> None:  # fmt: skip
        from silta.consents.validity import add_months
        from silta.workdays.calendar import HELSINKI

        self.rng, self.now, self.wording = rng, now, wording
        self.today = now.astimezone(HELSINKI).date()
        self.zone, self.add_months = HELSINKI, add_months
        self.staff, self.organisation, self.is_kela = world
        self.scopes, self.scope_weights = _scopes()
        self.out = buffers
        self.counts = Counts()
        self.ids: dict[str, int] = defaultdict(int)
        self.bases = _statutory_bases()

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _worker(self, unit: int) -> tuple[str, str]:
        people = self.staff.get(unit)
        if not people:
            return NULL, "Silta"
        user, label = self.rng.choice(people)
        return str(user), label

    # -- consents -----------------------------------------------------------------

    def client(self, client: int, cases: list[CaseRow]) -> list[Given]:
        """The client's consents, oldest first."""
        rng, first = self.rng, cases[0]
        how = rng.choices(*FIRST_HOW)[0]
        given = [self._consent(client, first, first.opened_at, how)]
        last = given[-1]
        # Expired: most consented again on a later application, some more than once.
        while last.valid_until < self.today and rng.random() < RENEWED:
            again = dt.datetime.combine(last.valid_until, dt.time(12), tzinfo=self.zone)
            again += dt.timedelta(days=rng.uniform(-20, 60))
            if again >= self.now:
                break
            given.append(self._consent(client, _open(cases, again, rng), again, "application"))
            self.counts.renewed += 1
            last = given[-1]
        if last.valid_until >= self.today and rng.random() < REPLACED:
            span = (self.now - last.recorded_at).total_seconds()
            at = last.recorded_at + dt.timedelta(seconds=span * rng.uniform(0.1, 0.95))
            case = _open(cases, at, rng)
            new = self._consent(client, case, at, rng.choices(*LATER_HOW)[0], replaces=last.id)
            self._revoke(last, at, case.social_unit, "replaced")
            self.counts.replaced += 1
            given.append(new)
            last = new
        if last.valid_until >= self.today and rng.random() < REVOKED:
            span = (self.now - last.recorded_at).total_seconds()
            at = last.recorded_at + dt.timedelta(seconds=span * rng.random())
            unit = _open(cases, at, rng).social_unit
            self._revoke(last, at, unit, rng.choices(*REVOKED_HOW)[0])
            self.counts.revoked_by_client += 1
        return given

    def _consent(
        self, client: int, case: CaseRow, at: dt.datetime, how: str, replaces: int | None = None
    ) -> Given:
        rng = self.rng
        consent = self._next("consents_consent")
        valid_from = at.astimezone(self.zone).date()
        months = rng.choices(*VALIDITY_MONTHS)[0]
        valid_until = self.add_months(valid_from, months)
        if how == "application":
            scope = self.scopes[0]
            recorder, label = NULL, APPLICATION_LABEL
            unit = case.kela_unit
            reference = f"TO-{valid_from.year}-{rng.randrange(10**7):07d}"
        else:
            scope = rng.choices(self.scopes, self.scope_weights)[0]
            unit = case.social_unit
            recorder, label = self._worker(unit)
            reference = ""
        units: tuple[int, ...] = ()
        if rng.random() < NAMES_UNITS:
            units = (case.kela_unit, case.social_unit)
            for named in units:
                self.out["consents_consent_units"].append(
                    f"{self._next('consents_consent_units')}\t{consent}\t{named}\n"
                )
            self.counts.unit_rows += len(units)
        represented = rng.random() < REPRESENTED
        representative = "Edunvalvoja" if represented else ""
        at_seconds = int(at.timestamp())
        self.out["consents_consent"].append(
            f"{consent}\t\t\t\t\t{new_uuid(rng)}\t{client}\t"
            f"{'legal_representative' if represented else 'client'}\t{representative}\t\t"
            f"{NULL}\t{case.organiser}\t{scope[0]}\t{scope[1]}\t{how}\t{reference}\t"
            f"{self.wording}\t{'sv' if rng.random() < SWEDISH else 'fi'}\t"
            f"{valid_from.isoformat()}\t{valid_until.isoformat()}\t"
            f"{NULL if replaces is None else replaces}\t{ts(at_seconds)}\t{recorder}\t{unit}\t"
            f"{escape(label)}\t{NULL}\n"
        )
        self.counts.consents += 1
        return Given(consent, case.organiser, units, scope[0], scope[1], valid_from,
                     valid_until, dt.datetime.fromtimestamp(at_seconds, dt.UTC))  # fmt: skip

    def _revoke(self, consent: Given, at: dt.datetime, unit: int, how: str) -> None:
        at = at.replace(microsecond=0)
        consent.revoked_at = at
        user, label = self._worker(unit)
        self.out["consents_consentrevocation"].append(
            f"{self._next('consents_consentrevocation')}\t{consent.id}\t"
            f"{ts(int(at.timestamp()))}\t{user}\t{unit}\t{escape(label)}\t{how}\t\n"
        )
        self.counts.revocations += 1

    # -- the disclosure log ---------------------------------------------------------

    def disclosures(self, client: int, given: list[Given], messages: list[tuple[Any, ...]]) -> None:
        """One disclosure row per message, on the basis Silta's rule gives then."""
        from silta.consents.gate import disclosed
        from silta.consents.rules import Allowed, ConsentTerms, Party, Question, decide

        terms = [
            (g.recorded_at, ConsentTerms(
                id=g.id, organiser_id=g.organiser,
                kela_unit_ids=frozenset(u for u in g.units if self.is_kela[u]),
                social_unit_ids=frozenset(u for u in g.units if not self.is_kela[u]),
                purposes=frozenset(json.loads(g.purposes)),
                categories=frozenset(json.loads(g.categories)),
                valid_from=g.valid_from, valid_until=g.valid_until, revoked_at=g.revoked_at))
            for g in given
        ]  # fmt: skip
        for _client, public_id, sent_at, sender, label, sender_unit, recipient in messages:
            from_kela = self.is_kela[sender_unit]
            what = disclosed("message", from_kela)
            question = Question(
                kind="message", category=what.category, purpose=what.purpose,
                discloser=Party(sender_unit, self.organisation[sender_unit], from_kela),
                recipient=Party(recipient, self.organisation[recipient], not from_kela),
                at=sent_at,
            )  # fmt: skip
            decision = decide(question, [t for recorded, t in terms if recorded <= sent_at])
            consent, basis, inform = NULL, "", False
            if isinstance(decision, Allowed) and decision.consent_id is not None:
                consent = str(decision.consent_id)
                self.counts.on_consent += 1
            else:
                basis, inform = self.bases[from_kela]
                self.counts.on_statute += 1
                self.counts.statutes[basis] += 1
            self.out["consents_disclosure"].append(
                f"{self._next('consents_disclosure')}\t{new_uuid(self.rng)}\t"
                f"{ts(int(sent_at.timestamp()))}\t{client}\tmessage\t{what.category}\tmessage\t"
                f"{public_id}\t{what.purpose}\t{NULL if sender is None else sender}\t"
                f"{escape(label)}\t{sender_unit}\t{self.organisation[sender_unit]}\t{NULL}\t"
                f"{recipient}\t{self.organisation[recipient]}\t{consent}\t{basis}\t"
                f"{'t' if inform else 'f'}\t\n"
            )
            self.counts.disclosures += 1


def _statutory_bases() -> dict[bool, tuple[str, bool]]:
    """From Kela / from social services: the statutory basis a message goes on without a
    consent (the first the law offers that needs no consent and no affirmed fact)."""
    from silta.consents.bases import BASES
    from silta.consents.gate import disclosed
    from silta.consents.rules import Party, Question, basis_failure, lawful_bases

    found = {}
    for from_kela in (True, False):
        what = disclosed("message", from_kela)
        question = Question(
            kind="message", category=what.category, purpose=what.purpose,
            discloser=Party(1, 1, from_kela), recipient=Party(2, 2, not from_kela),
            at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        usable = [b for b in lawful_bases(question) if basis_failure(BASES[b], question) is None]
        found[from_kela] = (usable[0], BASES[usable[0]].inform_client)
    return found


def _world(options: Options) -> tuple[dict[int, list[Any]], dict[int, int], dict[int, bool]]:
    """Staff per unit, and each unit's organisation and side."""
    staff: dict[int, list[Any]] = defaultdict(list)
    organisation, is_kela = {}, {}
    with schema.connect(options.database_url) as conn:
        for unit, user, first, last in conn.execute(
            "SELECT m.unit_id, u.id, u.first_name, u.last_name FROM accounts_membership m "
            "JOIN accounts_user u ON u.id = m.user_id ORDER BY m.id"
        ):
            staff[unit].append((user, f"{first} {last}"))
        for unit, org, kind in conn.execute(
            "SELECT u.id, u.organisation_id, o.kind FROM organisations_unit u "
            "JOIN organisations_organisation o ON o.id = u.organisation_id"
        ):
            organisation[unit], is_kela[unit] = org, kind == "kela"
    return staff, organisation, is_kela


def _stream(url: str, query: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of ``query`` through a server-side cursor (millions of them)."""
    with schema.connect(url) as conn, conn.cursor(name="bench_consents") as cursor:
        cursor.itersize = 20_000
        cursor.execute(query, params)
        yield from cursor


CASES_SQL = """
SELECT ca.client_id, ca.id, ca.kela_unit_id, ca.social_unit_id, u.organisation_id, ca.opened_at
FROM exchange_case ca JOIN organisations_unit u ON u.id = ca.social_unit_id
ORDER BY ca.client_id, ca.opened_at, ca.id
"""
MESSAGES_SQL = """
SELECT ca.client_id, m.public_id, m.sent_at, m.sender_id, m.sender_label, m.sender_unit_id,
       m.recipient_unit_id
FROM exchange_message m JOIN exchange_case ca ON ca.id = m.case_id
WHERE m.sent_at >= %(since)s
ORDER BY ca.client_id, m.sent_at, m.id
"""


def _wording() -> int:
    from silta.consents.codes import Category, Purpose
    from silta.consents.models import ConsentWording

    wording, _ = ConsentWording.objects.get_or_create(
        version=WORDING_VERSION,
        defaults={
            "text_fi": "Annan suostumukseni siihen, että Kela ja hyvinvointialue luovuttavat "
            "toisilleen tietojani toimeentulotukiasiani hoitamiseksi.",
            "text_sv": "Jag samtycker till att FPA och välfärdsområdet lämnar ut uppgifter om "
            "mig till varandra för att sköta mitt ärende om utkomststöd.",
            "purposes": list(Purpose.values),
            "categories": list(Category.values),
        },
    )
    return wording.pk


def _generate(options: Options, generator: Generator, streams: CopyStreams) -> int:
    url = options.database_url
    since = generator.now - dt.timedelta(days=DISCLOSURE_DAYS)
    messages = groupby(_stream(url, MESSAGES_SQL, {"since": since}), key=lambda r: r[0])
    pending = next(messages, None)
    clients = 0
    for client, rows in groupby(_stream(url, CASES_SQL, {}), key=lambda r: r[0]):
        cases = [CaseRow(*row[1:]) for row in rows]
        given = generator.client(client, cases)
        clients += 1
        while pending is not None and pending[0] < client:
            pending = next(messages, None)
        if pending is not None and pending[0] == client:
            generator.disclosures(client, given, list(pending[1]))
            pending = next(messages, None)
        if clients % 1000 == 0:
            streams.flush()
    return clients


def load_consents(options: Options) -> dict[str, Any]:
    rng = random.Random(options.seed + 3)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    url = options.database_url
    wording = _wording()
    world = _world(options)
    catalog = schema.drop_secondary(url, TABLES)
    # The named units' table is Django's own (no model of ours to take defaults from).
    defaults = schema.set_missing_defaults(
        url, {t: c for t, c in COLUMNS.items() if t != "consents_consent_units"}
    )
    with CopyStreams(url, COLUMNS) as streams:
        generator = Generator(rng, now, wording, world, streams.buffers)
        clients = _generate(options, generator, streams)
    schema.drop_defaults(url, defaults)
    counts = generator.counts
    print(f"  {counts.consents:,} consents for {clients:,} clients, {counts.disclosures:,} "
          "disclosures loaded; recreating indexes.", flush=True)  # fmt: skip
    timings = schema.restore_secondary(url, catalog)
    schema.reset_sequences(url, TABLES)
    with schema.connect(url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
    return {
        "clients": clients,
        "consents": counts.consents,
        "renewed": counts.renewed,
        "replaced": counts.replaced,
        "revoked_by_client": counts.revoked_by_client,
        "revocations": counts.revocations,
        "unit_rows": counts.unit_rows,
        "disclosures": counts.disclosures,
        "disclosures_on_consent": counts.on_consent,
        "disclosures_on_statute": dict(counts.statutes),
        "disclosure_days": DISCLOSURE_DAYS,
        "generated_until": now.isoformat(),
        "index_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
