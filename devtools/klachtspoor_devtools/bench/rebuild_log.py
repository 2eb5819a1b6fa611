"""A realistic log for ``klachtspoor bench rebuild``: cases with the event mix of real procedures.

Each case opens with a signal (category, channel and day of receipt varying over 2025 and 2026), its
reference, the demo policy pinned, the acknowledgement letter and its terms, first contact; then one of
the endings procedures have: resolved informally, judged by the committee (admissibility, judgement
request and term, judgement, measures, closure), inadmissible, withdrawn, or still running with a
breach. Tenants take turns. A few hundred case shapes are encoded once through the real codec (personal
fields encrypted, under an in-memory key store: the read side never decrypts) and then copied per case
with new ids, so the stored form is the product's. Rows go in with COPY into a staging table and one
``INSERT … SELECT`` per batch (``pg_current_xact_id()`` as the store records it), not one append per
case; the events carry no chain link (as events written before chaining; reads treat them the same).
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from contracts.base import Actor
from contracts.events import (
    AdmissibilityDecided,
    AnyEvent,
    CaseClosed,
    CaseReferenceAssigned,
    ComplaintWithdrawn,
    DeadlineBreached,
    FirstContactMade,
    JudgementGiven,
    JudgementRequested,
    MeasuresAnnounced,
    NotificationRequested,
    NotificationSent,
    ProcedurePolicyPinned,
    SignalReceived,
    TermStarted,
)
from contracts.values import Complainant, ComplainedAbout, Term
from contracts.vocabulary import (
    AdmissibilityGround,
    Category,
    Channel,
    ComplainantCapacity,
    DeadlineKind,
    Judge,
    NotificationChannel,
    NotificationKind,
    Outcome,
    Recipient,
    Resolution,
    Role,
    TermUnit,
)
from klachtspoor.codec import EventCodec, make_envelope
from klachtspoor.crypto import Keyring, MasterKey
from klachtspoor.crypto.memory import InMemoryKeyStore
from klachtspoor.eventstore.postgres import PostgresEventStore

TENANTS = ("demo", "zorg-noord", "zorg-oost", "zorg-west")
SHAPES = 400
_STAFF = Actor(id="staff-1", role=Role.COMPLAINTS_OFFICER)
_SYSTEM = Actor(id="escalation", role=Role.SYSTEM)
_COLUMNS = ("stream_name", "version", "event_id", "type", "tenant", "data", "metadata", "schema_version")


def _term(kind: DeadlineKind, on: date, days: int) -> TermStarted:
    term = Term(amount=days, unit=TermUnit.WORKING_DAYS)
    return TermStarted(deadline=kind, started_on=on, term=term, due_on=on + timedelta(days=days + 2))


def _case_events(rng: random.Random, received: date) -> list[tuple[AnyEvent, Actor, int]]:
    """(event, actor, days after receipt) of one case."""
    categories = tuple(rng.sample(list(Category), rng.choice((1, 1, 2))))
    notification = uuid.uuid4()
    events: list[tuple[AnyEvent, Actor, int]] = [
        (
            SignalReceived(
                channel=rng.choice(list(Channel)),
                received_on=received,
                complainant=Complainant(
                    capacity=ComplainantCapacity.LEGAL_REPRESENTATIVE,
                    name="Voorbeeld Ouder",
                    email="ouder@example.org",
                ),
                about=ComplainedAbout(role=Role.CARE_WORKER, staff_id="staff-3", name="de mentor"),
                description="Mijn kind voelt zich niet gehoord.",
                categories=categories,
            ),
            _SYSTEM,
            0,
        ),
        (CaseReferenceAssigned(reference=f"KS-{rng.randrange(10**8):08d}"), _SYSTEM, 0),
        (ProcedurePolicyPinned(policy_id="demo", policy_version=1), _SYSTEM, 0),
        (
            NotificationRequested(
                notification_id=notification,
                kind=NotificationKind.ACKNOWLEDGEMENT,
                recipient=Recipient.COMPLAINANT,
                channel=NotificationChannel.EMAIL,
            ),
            _SYSTEM,
            0,
        ),
        (_term(DeadlineKind.ACKNOWLEDGEMENT, received, 5), _SYSTEM, 0),
        (_term(DeadlineKind.FIRST_CONTACT, received, 5), _SYSTEM, 0),
        (
            NotificationSent(notification_id=notification, channel=NotificationChannel.EMAIL, attempt=1),
            _SYSTEM,
            0,
        ),
        (FirstContactMade(by_role=Role.COMPLAINTS_OFFICER, channel=Channel.PHONE), _STAFF, 2),
    ]
    ending = rng.random()
    if ending < 0.35:
        events.append((CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY), _STAFF, rng.randrange(5, 30)))
    elif ending < 0.65:
        asked = rng.randrange(10, 20)
        events += [
            (AdmissibilityDecided(admissible=True), _STAFF, asked - 5),
            (
                JudgementRequested(judge=Judge.COMPLAINTS_COMMITTEE, requested_on=received, written=True),
                _STAFF,
                asked,
            ),
            (_term(DeadlineKind.JUDGEMENT, received + timedelta(days=asked), 30), _SYSTEM, asked),
        ]
        outcome = rng.choice(list(Outcome))
        given = received + timedelta(days=asked + rng.randrange(10, 40))
        events += [
            (
                JudgementGiven(
                    judge=Judge.COMPLAINTS_COMMITTEE, outcome=outcome, reasoning="Overwogen.", given_on=given
                ),
                _STAFF,
                (given - received).days,
            ),
            (
                MeasuresAnnounced(
                    measures_taken=True,
                    measures=("andere mentor",),
                    implementation_due_on=given + timedelta(60),
                ),
                _STAFF,
                (given - received).days + 5,
            ),
            (CaseClosed(resolution=Resolution.JUDGED, outcome=outcome), _STAFF, (given - received).days + 6),
        ]
    elif ending < 0.75:
        events += [
            (AdmissibilityDecided(admissible=False, ground=rng.choice(list(AdmissibilityGround))), _STAFF, 8),
            (CaseClosed(resolution=Resolution.INADMISSIBLE), _STAFF, 9),
        ]
    elif ending < 0.85:
        events.append((ComplaintWithdrawn(), _STAFF, rng.randrange(3, 20)))
    else:
        due = received + timedelta(days=7)
        events.append((DeadlineBreached(deadline=DeadlineKind.FIRST_CONTACT, due_on=due), _SYSTEM, 8))
    return events


async def _shapes(rng: random.Random) -> list[list[tuple[str, dict[str, Any], dict[str, Any], int]]]:
    """Encoded cases: per event (type, data, metadata, schema version), with placeholders for the ids."""
    codec = EventCodec(Keyring(InMemoryKeyStore(), MasterKey.from_base64(MasterKey.generate_base64())))
    shapes = []
    for _ in range(SHAPES):
        received = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        while received.weekday() >= 5:
            received += timedelta(days=1)
        case_id = uuid.uuid4()
        tenant = "demo"
        stream = f"case:{tenant}:{case_id}"
        opened = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        shape = []
        for number, (event, actor, days) in enumerate(_case_events(rng, received)):
            envelope = make_envelope(
                event,
                event_id=uuid.uuid4(),
                tenant=tenant,
                stream=stream,
                case_id=case_id,
                actor=actor,
                occurred_at=opened + timedelta(days=days, minutes=number),
                correlation_id=case_id,
            )
            new = await codec.encode(envelope)
            metadata = {key: value for key, value in new.metadata.items()}
            shape.append((new.type, dict(new.data), metadata, new.schema_version))
        shapes.append(shape)
    return shapes


async def write_log(
    url: str,
    events: int,
    *,
    tenants: tuple[str, ...] = TENANTS,
    cases: int | None = None,
    seed: int = 13,
    batch: int = 100_000,
) -> int:
    """Write about ``events`` events (whole cases; or ``cases`` cases) into the store at ``url``, the
    tenants taking turns; returns the number of events written."""
    rng = random.Random(seed)
    store = await PostgresEventStore.connect(url, pool_size=1)  # applies the store's migrations
    await store.close()
    shapes = await _shapes(rng)
    conn = await asyncpg.connect(url)
    written = 0
    try:
        await conn.execute(
            "CREATE TEMP TABLE bench_staging (stream_name text, version bigint, event_id uuid, type text,"
            " tenant text, data jsonb, metadata jsonb, schema_version integer)"
        )
        rows: list[tuple[object, ...]] = []
        case = 0
        while written < events if cases is None else case < cases:
            shape = shapes[case % len(shapes)]
            tenant = tenants[case % len(tenants)]
            case_id = str(uuid.uuid4())
            stream = f"case:{tenant}:{case_id}"
            for version, (type_, data, metadata, schema_version) in enumerate(shape):
                meta = {**metadata, "case_id": case_id, "correlation_id": case_id}
                rows.append(
                    (
                        stream,
                        version,
                        uuid.uuid4(),
                        type_,
                        tenant,
                        json.dumps(data, separators=(",", ":")),
                        json.dumps(meta, separators=(",", ":")),
                        schema_version,
                    )
                )
            written += len(shape)
            case += 1
            if len(rows) >= batch:
                await _flush(conn, rows)
                rows = []
        if rows:
            await _flush(conn, rows)
    finally:
        await conn.close()
    return written


async def _flush(conn: asyncpg.Connection, rows: list[tuple[object, ...]]) -> None:
    async with conn.transaction():
        await conn.execute("TRUNCATE bench_staging")
        await conn.copy_records_to_table("bench_staging", records=rows, columns=list(_COLUMNS))
        await conn.execute(
            "INSERT INTO eventstore.events (xid, stream_name, version, event_id, type, tenant, data,"
            " metadata, schema_version) SELECT pg_current_xact_id(), stream_name, version, event_id, type,"
            " tenant, data, metadata, schema_version FROM bench_staging ORDER BY stream_name, version"
        )
