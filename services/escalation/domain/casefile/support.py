"""The confidant's part and safety: contacts, contacts with the organisation, consents, concerns and lifted
confidentiality. What the client told the confidant (a contact's client name and summary) is shown only to
the confidant who registered it, by the rule every read side applies (:func:`.visibility.redact`); the
table only decides whether a role may be that confidant at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from contracts.envelope import Envelope
from contracts.events import (
    ConfidantContactedOrganisation,
    ConfidantContactRegistered,
    ConfidentialityLifted,
    ConsentGiven,
    ConsentWithdrawn,
    SafetyConcernRaised,
)
from contracts.vocabulary import (
    Category,
    Channel,
    ComplainantCapacity,
    ConsentScope,
    CrisisRoute,
    DisclosureRecipient,
    LiftGround,
)
from services.escalation.domain.casefile import table
from services.escalation.domain.casefile.reader import Frozen, Reader, Shown
from services.escalation.domain.support.visibility import redact


class ConfidantContactView(Frozen):
    contact_id: UUID
    confidant_id: str
    contacted_on: date
    channel: Channel
    anonymous: bool
    categories: tuple[Category, ...]
    client_name: str | None = None
    summary: str | None = None
    """Both only for the confidant who registered the contact (``support.confidant.notes``)."""


class OrganisationContactView(Frozen):
    occurred_at: datetime
    consent_id: UUID | None
    safety_override: bool
    purpose: str | None


class ConsentView(Frozen):
    consent_id: UUID
    scope: ConsentScope
    given_by: ComplainantCapacity | None = None
    written: bool | None = None
    given_at: datetime | None = None
    withdrawn_at: datetime | None = None


class ConcernView(Frozen):
    concern_id: UUID
    crisis_route: CrisisRoute
    immediate_danger: bool
    recorded_at: datetime
    raised_at: datetime | None
    description: str | None = None


class LiftView(Frozen):
    occurred_at: datetime
    ground: LiftGround
    disclosed_to: DisclosureRecipient
    discussed_with_client: bool
    concern_id: UUID | None
    justification: str | None = None


class ConfidantView(Frozen):
    contacts: tuple[ConfidantContactView, ...]
    organisation_contacts: tuple[OrganisationContactView, ...]
    consents: tuple[ConsentView, ...]


class SafetyView(Frozen):
    concerns: tuple[ConcernView, ...]
    lifted: tuple[LiftView, ...]


class SupportView(Frozen):
    confidant: ConfidantView | None = None
    safety: SafetyView | None = None


def support_view(envelopes: Sequence[Envelope], reader: Reader, shown: Shown) -> SupportView | None:
    confidant = _confidant(envelopes, reader, shown) if reader.may(table.SUPPORT_CONFIDANT) else None
    safety = _safety(envelopes, reader, shown) if reader.may(table.SUPPORT_SAFETY) else None
    if confidant is None and safety is None:
        return None
    return SupportView(confidant=confidant, safety=safety)


def _confidant(envelopes: Sequence[Envelope], reader: Reader, shown: Shown) -> ConfidantView:
    shown.add(table.SUPPORT_CONFIDANT)
    contacts: list[ConfidantContactView] = []
    organisation: list[OrganisationContactView] = []
    consents: dict[UUID, ConsentView] = {}
    for envelope in envelopes:
        event, at = envelope.event, envelope.occurred_at
        match event:
            case ConfidantContactRegistered():
                contacts.append(_contact(event, reader, shown))
            case ConfidantContactedOrganisation():
                organisation.append(
                    OrganisationContactView(
                        occurred_at=at,
                        consent_id=event.consent_id,
                        safety_override=event.safety_override,
                        purpose=event.purpose,
                    )
                )
            case ConsentGiven():
                consents[event.consent_id] = ConsentView(
                    consent_id=event.consent_id,
                    scope=event.scope,
                    given_by=event.given_by,
                    written=event.written,
                    given_at=at,
                )
            case ConsentWithdrawn():
                known = consents.get(
                    event.consent_id, ConsentView(consent_id=event.consent_id, scope=event.scope)
                )
                consents[event.consent_id] = known.model_copy(update={"withdrawn_at": at})
            case _:
                pass
    return ConfidantView(
        contacts=tuple(contacts), organisation_contacts=tuple(organisation), consents=tuple(consents.values())
    )


def _contact(event: ConfidantContactRegistered, reader: Reader, shown: Shown) -> ConfidantContactView:
    visible = event
    if reader.may(table.CONFIDANT_NOTES):
        redacted = redact(event, reader.viewer, reader.case_tenant, own_confidant=reader.own_confidant)
        assert isinstance(redacted, ConfidantContactRegistered)
        visible = redacted
    else:
        visible = event.model_copy(update={"client_name": None, "summary": None})
    if visible.client_name is not None or visible.summary is not None:
        shown.add(table.CONFIDANT_NOTES)
    return ConfidantContactView(
        contact_id=event.contact_id,
        confidant_id=event.confidant_id,
        contacted_on=event.contacted_on,
        channel=event.channel,
        anonymous=event.anonymous,
        categories=event.categories,
        client_name=visible.client_name,
        summary=visible.summary,
    )


def _safety(envelopes: Sequence[Envelope], reader: Reader, shown: Shown) -> SafetyView:
    shown.add(table.SUPPORT_SAFETY)
    text = reader.may(table.SAFETY_TEXT)
    concerns: list[ConcernView] = []
    lifted: list[LiftView] = []
    for envelope in envelopes:
        event, at = envelope.event, envelope.occurred_at
        match event:
            case SafetyConcernRaised():
                concerns.append(
                    ConcernView(
                        concern_id=event.concern_id,
                        crisis_route=event.crisis_route,
                        immediate_danger=event.immediate_danger,
                        recorded_at=at,
                        raised_at=event.raised_at,
                        description=event.description if text else None,
                    )
                )
            case ConfidentialityLifted():
                lifted.append(
                    LiftView(
                        occurred_at=at,
                        ground=event.ground,
                        disclosed_to=event.disclosed_to,
                        discussed_with_client=event.discussed_with_client,
                        concern_id=event.concern_id,
                        justification=event.justification if text else None,
                    )
                )
            case _:
                pass
    if text and (concerns or lifted):
        shown.add(table.SAFETY_TEXT)
    return SafetyView(concerns=tuple(concerns), lifted=tuple(lifted))
