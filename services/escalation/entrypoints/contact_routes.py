"""A confidant's contact on no case over HTTP: ``POST /v1/tenants/{tenant}/contacts/{contact_id}/commands/
register`` (and ``…/withdraw`` for one registered by mistake), where the tenant is the confidant
organisation (AKJ, LSR) the contact belongs to.

The token needs the confidant role in that tenant (403 otherwise, 404 for a token of other tenants). The
registry fills in the facts the decider needs: the tenant's kind and the kind of the organisation the
contact concerns. A contact id is the caller's, as for a contact on a case; the command id follows the
``Idempotency-Key`` as for every staff command. Answers: 200 with the appended event types and the
contact stream's version; 422 for a bad field (also a day of contact after today, or an organisation
concerned that is no provider of the network, with ``rule``); 409 for a rule (``rule``: a provider's
tenant, a contact id registered before with other facts or withdrawn, withdrawing a contact never
registered); 503 when the store is unavailable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, ConfigDict

from contracts.base import Actor
from contracts.vocabulary import Role, TenantKind
from klachtspoor.cases import ConcurrencyExhausted
from klachtspoor.crypto import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.http.bodies import CommandBody
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from klachtspoor.tenants import TenantRegistry
from services.escalation.application.contacts import ContactHandled
from services.escalation.application.staff import IdempotencyKeyReused
from services.escalation.domain import (
    CommandRejected,
    ConfidantRegistersAdviceContact,
    ConfidantWithdrawsAdviceContact,
    ContactDecision,
    ContactRule,
)
from services.escalation.domain.support.confidant import ConfidantRule
from services.escalation.entrypoints import roles
from services.escalation.entrypoints.app_state import known_tenant, running_contacts, staff_api
from services.escalation.entrypoints.staff_access import IDEMPOTENCY_KEY, command_id_for, opaque, validated

log = logging.getLogger("services.escalation.contacts")

router = APIRouter()

CONTACTS_PATH = "/v1/tenants/{tenant}/contacts/{contact_id}/commands/"

FIELD_RULES: dict[str, str] = {
    ConfidantRule.CONTACT_DATE_IN_FUTURE.value: "body.contacted_on",
    ContactRule.ORGANISATION_CONCERNED_NOT_A_PROVIDER.value: "body.organisation_concerned",
}
"""Rules about one field of the request: answered 422 naming the field (the other rules 409)."""


class RegisterAdviceContactRequest(CommandBody):
    """The contact's facts; the server fills in the ids, the tenant, the actor, the time and the kinds."""

    mirrors = ConfidantRegistersAdviceContact
    filled_in = frozenset({"contact_id", "tenant_kind", "concerned_kind"})


class WithdrawAdviceContactRequest(CommandBody):
    """No fields: the path names the contact."""

    mirrors = ConfidantWithdrawsAdviceContact
    filled_in = frozenset({"contact_id", "tenant_kind"})


class ContactAccepted(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    command_id: UUID
    contact_id: UUID
    appended: tuple[str, ...]
    """The types of the events the command appended (empty: it decided nothing new)."""
    version: int | None
    """The contact stream's version after the command (on a replay: of the command's last event)."""
    replayed: bool

    @classmethod
    def of(cls, handled: ContactHandled) -> ContactAccepted:
        return cls(
            command_id=handled.command_id,
            contact_id=handled.contact_id,
            appended=handled.appended,
            version=handled.version,
            replayed=handled.replayed,
        )


RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token"},
    403: {"description": "The token does not hold the confidant role in this tenant"},
    404: {"description": "Unknown tenant, or a token of another tenant"},
    409: {"description": "The command broke a rule (`rule`, `detail`); nothing appended"},
    422: {"description": "Invalid field (with `rule` where a rule names it), or an Idempotency-Key reused"},
    503: {"description": "Event store unavailable or too many concurrent changes; retry with the same key"},
}


@dataclass(frozen=True)
class ContactCall:
    """One authorised call on a contact: the values every contact command has, and the request."""

    base: dict[str, Any]
    tenants: TenantRegistry
    request: Request
    response: Response

    async def run(self, command: ContactDecision) -> ContactAccepted:
        handled = await _handle(self.request, command)
        if handled.replayed:
            self.response.headers["Idempotent-Replayed"] = "true"
        return ContactAccepted.of(handled)


async def contact_call(
    tenant: str,
    contact_id: UUID,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY, description="Makes a retry safe"),
    ] = None,
) -> ContactCall:
    """Confidants only (403), of the path's tenant (404); the ids, actor, time and the tenant's kind."""
    authorize(principal, tenant, roles.CONFIDANT)
    api = staff_api(request)
    subject = opaque(principal.subject)
    command_id = (
        uuid4() if idempotency_key is None else command_id_for(request.url.path, subject, idempotency_key)
    )
    base = {
        "command_id": command_id,
        "tenant": tenant,
        "contact_id": contact_id,
        "actor": Actor(id=subject, role=Role.CONFIDANT),
        "now": api.clock(),
        "tenant_kind": known_tenant(api.tenants, tenant).kind,
    }
    return ContactCall(base, api.tenants, request, response)


Call = Annotated[ContactCall, Depends(contact_call)]


@router.post(
    CONTACTS_PATH + "register",
    response_model=ContactAccepted,
    summary="Register a confidant's contact that is on no case (information, advice, support)",
    description="Roles: confidant (in the confidant organisation's tenant).",
    responses=RESPONSES,
    tags=["confidant"],
)
async def register_advice_contact(body: RegisterAdviceContactRequest, call: Call) -> ContactAccepted:
    values = dict(body)
    concerned = _kind(call.tenants, values.get("organisation_concerned"))
    command = validated(ConfidantRegistersAdviceContact, {**values, **call.base, "concerned_kind": concerned})
    return await call.run(command)


@router.post(
    CONTACTS_PATH + "withdraw",
    response_model=ContactAccepted,
    summary="Withdraw a confidant's contact on no case that was registered by mistake",
    description="Roles: confidant (in the confidant organisation's tenant).",
    responses=RESPONSES,
    tags=["confidant"],
)
async def withdraw_advice_contact(body: WithdrawAdviceContactRequest, call: Call) -> ContactAccepted:
    return await call.run(validated(ConfidantWithdrawsAdviceContact, {**dict(body), **call.base}))


def _kind(registry: TenantRegistry, slug: object) -> TenantKind | None:
    return registry.get(slug).kind if isinstance(slug, str) and slug in registry else None


async def _handle(request: Request, command: ContactDecision) -> ContactHandled:
    fields = {"ks_tenant": command.tenant, "ks_contact_id": str(command.contact_id)}
    try:
        handled = await running_contacts(staff_api(request)).handle(command)
    except CommandRejected as error:
        log.info("contact command rejected: %s", error.rule.value, extra=fields)
        field = FIELD_RULES.get(error.rule.value)
        if field is None:
            raise Problem(409, "Command rejected", error.detail, rule=error.rule.value) from error
        problems = [{"field": field, "message": error.detail, "rule": error.rule.value}]
        raise Problem(422, "Invalid request", error.detail, rule=error.rule.value, errors=problems) from error
    except IdempotencyKeyReused as error:
        raise Problem(
            422,
            "Idempotency-Key reused",
            str(error),
            errors=[{"field": "header.Idempotency-Key", "message": "used before for a different request"}],
        ) from error
    except (StoreUnavailable, KeyStoreUnavailable, ConcurrencyExhausted) as error:
        log.warning("contact command not handled: %s", error, exc_info=error, extra=fields)
        detail = "The event store is unavailable or busy; retry with the same Idempotency-Key"
        raise Problem(503, "Service unavailable", detail) from error
    log.info("contact command handled: %s", ", ".join(handled.appended) or "nothing new", extra=fields)
    return handled
