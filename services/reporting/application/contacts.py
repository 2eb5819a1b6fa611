"""The contacts projection: one row per confidant contact (``reporting.contact_facts``), fed by its own
subscriber (``contacts``) with its own checkpoint and parked events, and the contact figures from it.

It reads the contact streams (contacts on no case) and, of the case streams, the contacts on a case and
the policy each case pinned: the pinned policy names the confidant organisation whose confidant may
register a contact on the case, so the contact counts in that organisation's figures
(``reporting.contact_case_policies`` remembers it per case). The policies are read from the same
versioned files every service loads; a pinned version that is not loaded parks the event.

A projection of its own, not part of ``statistics``: the case facts are one row per case and a contact is
no case, and rebuilding one leaves the other untouched. Rows are written once (a contact is registered
once, and a withdrawn one deleted), and the runner commits them with the checkpoint, so a rebuild gives
the same rows.
"""

from __future__ import annotations

from functools import partial

import asyncpg

from contracts.events import AdviceContactWithdrawn, ProcedurePolicyPinned
from klachtspoor.eventstore.port import LogFilter, RecordedEvent
from klachtspoor.eventstore.streams import StreamName
from klachtspoor.policies import PolicyRegistry
from klachtspoor.subscriptions import Projection, forget_projection
from klachtspoor.subscriptions.schema import apply_schema as apply_subscriptions_schema
from services.reporting.adapters import contacts as rows
from services.reporting.adapters.decoding import to_case_event
from services.reporting.adapters.schema import apply_schema
from services.reporting.domain.contacts import ContactBasis, ContactFigures, contact_facts, contact_figures

PROJECTION_NAME = "contacts"
"""The subscriber name: its checkpoint and parked events in the ``subscriptions`` schema."""

TABLES = ("reporting.contact_facts", "reporting.contact_case_policies")

EVENT_TYPES = frozenset(
    {
        "AdviceContactRegistered",
        "AdviceContactWithdrawn",
        "ConfidantContactRegistered",
        "ProcedurePolicyPinned",
    }
)


def contacts_projection(policies: PolicyRegistry, *, batch_size: int = 100) -> Projection:
    return Projection(
        PROJECTION_NAME,
        partial(handle, policies),
        filter=LogFilter(
            stream_prefixes=(StreamName.prefix("contact"), StreamName.prefix("case")),
            event_types=EVENT_TYPES,
        ),
        batch_size=batch_size,
    )


async def handle(policies: PolicyRegistry, conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    event = to_case_event(recorded)
    if isinstance(event.payload, ProcedurePolicyPinned):
        organisation = confidant_organisation(policies, event.payload)
        await rows.save_case_policy(conn, event.tenant, event.case_id, organisation)
        return
    if isinstance(event.payload, AdviceContactWithdrawn):
        await rows.delete_contact(conn, event.tenant, event.stream, event.payload.contact_id)
        return
    organisation = None
    if StreamName.parse(event.stream).category == "case":
        organisation = await rows.case_confidant_organisation(conn, event.tenant, event.case_id)
    facts = contact_facts(event, organisation)
    if facts is not None:
        await rows.save_contact(conn, facts)


def confidant_organisation(policies: PolicyRegistry, pinned: ProcedurePolicyPinned) -> str | None:
    """The confidant organisation the pinned policy names; None for the organisation's own confidant or
    none. Raises :class:`~klachtspoor.policies.UnknownPolicy` for a version that is not loaded."""
    confidant = policies.get(pinned.policy_id, pinned.policy_version).confidant
    return None if confidant is None else confidant.organisation


async def tenant_contact_figures(conn: asyncpg.Connection, tenant: str) -> ContactFigures:
    """The tenant's contact figures, every period, basis and dimension, from the rows as they are now."""
    return contact_figures(await rows.tenant_contacts(conn, tenant))


async def rebuild(conn: asyncpg.Connection) -> None:
    """Empty the contact facts and forget the checkpoint and parked events: the next run replays all.

    Run it while the contacts projection is stopped; the other projections are not touched.
    """
    await apply_schema(conn)
    await apply_subscriptions_schema(conn)
    await forget_projection(conn, PROJECTION_NAME, TABLES)


__all__ = [
    "EVENT_TYPES",
    "PROJECTION_NAME",
    "TABLES",
    "ContactBasis",
    "confidant_organisation",
    "contacts_projection",
    "handle",
    "rebuild",
    "tenant_contact_figures",
]
