"""What every staff route shares: the caller (token, tenant, role), the ids and time of the command, and
the answer (200 with the appended event types and the case version, or a problem document).

Command ids: with an ``Idempotency-Key`` header the id is ``uuid5`` of the request path, the token's
subject and the key, so a retried request is the same command and appends nothing twice; without one, a
new id. Errors: a rule the command broke answers 409 with ``rule`` and ``detail``; an erased case 410
(``rule: case_erased``); an unknown case, or another tenant's, 404.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID, uuid4, uuid5

from fastapi import Header, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from contracts.base import OPAQUE_ID_PATTERN, Actor, Command
from contracts.commands import ErasePersonalData
from contracts.vocabulary import Role, TenantKind
from klachtspoor.auth import Principal
from klachtspoor.cases import ConcurrencyExhausted
from klachtspoor.crypto import KeyStoreUnavailable
from klachtspoor.eventstore.errors import StoreUnavailable
from klachtspoor.eventstore.streams import case_stream
from klachtspoor.http.problems import Problem
from klachtspoor.http.security import CurrentPrincipal, authorize
from klachtspoor.tenants import Tenant, TenantRegistry
from services.escalation.adapters.policies import PinnedPolicyMissing
from services.escalation.application.staff import (
    CaseNotFound,
    IdempotencyKeyReused,
    StaffCommand,
    StaffDecision,
)
from services.escalation.domain import ActingOrganisation, CommandRejected, ErasureCommand, Rule
from services.escalation.entrypoints.app_state import (
    StaffApi,
    known_tenant,
    running_erasure,
    running_repository,
    running_workflow,
    staff_api,
)
from services.escalation.entrypoints.roles import ACTING_ORDER
from services.escalation.entrypoints.support_requests import CrisisContactShown

log = logging.getLogger("services.escalation.staff")

COMMANDS_PATH = "/v1/tenants/{tenant}/cases/{case_id}/commands/"
IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,200}$"
COMMAND_NAMESPACE = UUID("6f0b7c1e-2d7a-5c44-9a51-6b1f3f6c0e11")
_OPAQUE_ID = re.compile(OPAQUE_ID_PATTERN)

C = TypeVar("C", bound=Command)


class CommandAccepted(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    command_id: UUID
    case_id: UUID
    appended: tuple[str, ...]
    """The types of the events the command appended, in order (empty: it decided nothing new)."""
    version: int
    """The case stream's version after the command (on a replay: of the command's last event)."""
    replayed: bool
    crisis_contact: CrisisContactShown | None = None


COMMAND_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token"},
    403: {"description": "The token's roles may not send this command"},
    404: {"description": "Unknown tenant or case, or a token of another tenant"},
    409: {"description": "The command broke a rule of the procedure (`rule`, `detail`); nothing appended"},
    410: {"description": "The case was erased (`rule: case_erased`)"},
    422: {"description": "Invalid field, or an Idempotency-Key reused for another request"},
    500: {"description": "The case's pinned policy version is not loaded (a deployment error)"},
    503: {"description": "Event store unavailable or too many concurrent changes; retry with the same key"},
}


@dataclass(frozen=True)
class StaffCall:
    """One authorised call: who acts, on which case, as which command; :meth:`run` decides and answers."""

    principal: Principal
    tenant: Tenant
    case_id: UUID
    actor: Actor
    command_id: UUID
    now: datetime
    api: StaffApi
    response: Response

    def acting_as(self, role: Role) -> StaffCall:
        """The same call recorded in ``role`` (403 when the token does not have it in the case's tenant)."""
        if role not in self.principal.roles_in(self.tenant.slug):
            raise Problem(403, "Forbidden", f"This needs the role {role.value}")
        return replace(self, actor=Actor(id=self.actor.id, role=role))

    def build(self, cls: type[C], body: BaseModel, **filled: Any) -> C:
        """The domain command from the body and what the server fills in (its cross-field checks: 422)."""
        base = {
            "command_id": self.command_id,
            "tenant": self.tenant.slug,
            "case_id": self.case_id,
            "actor": self.actor,
            "now": self.now,
        }
        return validated(cls, {**base, **dict(body), **filled})

    def organisation(self) -> ActingOrganisation:
        """The confidant organisation the token acts for (:func:`acting_organisation`)."""
        return acting_organisation(self.principal, self.tenant, self.api.tenants)

    async def case_exists(self, case_id: UUID) -> bool:
        """Whether ``case_id`` is a case of this call's tenant (its stream has an event); another tenant's
        case is not one. An unavailable store answers 503, as for the command itself."""
        stream = case_stream(self.tenant.slug, str(case_id))
        try:
            first = await running_repository(self.api).store.read_stream(stream, from_version=0, limit=1)
        except StoreUnavailable as error:
            log.warning("case lookup failed: %s", error, exc_info=error)
            raise Problem(
                503, "Service unavailable", f"{error}; retry with the same Idempotency-Key"
            ) from error
        return bool(first)

    async def run(self, command: StaffCommand | ErasureCommand) -> CommandAccepted:
        return accepted(await self.handle(command), self.case_id)

    async def handle(self, command: StaffCommand | ErasureCommand) -> StaffDecision:
        """The workflow's answer (the erasure workflow's for an erasure), its errors as problem documents."""
        fields = {
            "ks_tenant": self.tenant.slug,
            "ks_case_id": str(self.case_id),
            "ks_command": type(command).__name__,
        }
        try:
            if isinstance(command, ErasePersonalData):
                handled = await running_erasure(self.api).handle(command)
            else:
                handled = await running_workflow(self.api).handle(command)
        except CaseNotFound as error:
            raise Problem(404, "Not found", str(error)) from error
        except CommandRejected as error:
            status = 410 if error.rule is Rule.CASE_ERASED else 409
            title = "Case erased" if status == 410 else "Command rejected"
            log.info("command rejected: %s", error.rule.value, extra=fields)
            raise Problem(status, title, error.detail, rule=error.rule.value) from error
        except IdempotencyKeyReused as error:
            raise Problem(
                422,
                "Idempotency-Key reused",
                str(error),
                errors=[
                    {"field": "header.Idempotency-Key", "message": "used before for a different request"}
                ],
            ) from error
        except PinnedPolicyMissing as error:
            log.error("pinned policy missing: %s", error, extra=fields)
            raise Problem(500, "Procedure policy not loaded", str(error)) from error
        except (StoreUnavailable, KeyStoreUnavailable, ConcurrencyExhausted) as error:
            log.warning("command not handled: %s", error, exc_info=error, extra=fields)
            # The cause (a host, a stream) is in the log line above; the caller learns only to retry.
            detail = "The event store is unavailable or busy; retry with the same Idempotency-Key"
            raise Problem(503, "Service unavailable", detail) from error
        if handled.replayed:
            self.response.headers["Idempotent-Replayed"] = "true"
        log.info("command handled: %s", ", ".join(handled.appended) or "nothing new", extra=fields)
        return handled


def accepted(
    handled: StaffDecision, case_id: UUID, crisis_contact: CrisisContactShown | None = None
) -> CommandAccepted:
    return CommandAccepted(
        command_id=handled.command_id,
        case_id=case_id,
        appended=handled.appended,
        version=handled.version,
        replayed=handled.replayed,
        crisis_contact=crisis_contact,
    )


M = TypeVar("M", bound=BaseModel)


def validated(cls: type[M], values: dict[str, Any]) -> M:
    """``cls`` from a request's values; its errors (the cross-field checks too) as 422 naming each field."""
    try:
        return cls.model_validate(values)
    except ValidationError as error:
        problems = [
            {"field": ".".join(["body", *(str(p) for p in item["loc"])]), "message": item["msg"]}
            for item in error.errors(include_input=False, include_url=False)
        ]
        names = ", ".join(p["field"] for p in problems)
        raise Problem(422, "Invalid request", f"Check these fields: {names}", errors=problems) from error


def staff(allowed: frozenset[Role]) -> Callable[..., Awaitable[StaffCall]]:
    """A dependency that authorises the token for ``allowed`` on the path's tenant and fills in the call."""

    async def call(
        tenant: str,
        case_id: UUID,
        principal: CurrentPrincipal,
        request: Request,
        response: Response,
        idempotency_key: Annotated[
            str | None,
            Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY, description="Makes a retry safe"),
        ] = None,
    ) -> StaffCall:
        authorize(principal, tenant, allowed)
        api = staff_api(request)
        subject = opaque(principal.subject)
        role = next(role for role in ACTING_ORDER if role in principal.roles_in(tenant) & allowed)
        command_id = (
            uuid4() if idempotency_key is None else command_id_for(request.url.path, subject, idempotency_key)
        )
        return StaffCall(
            principal=principal,
            tenant=known_tenant(api.tenants, tenant),
            case_id=case_id,
            actor=Actor(id=subject, role=role),
            command_id=command_id,
            now=api.clock(),
            api=api,
            response=response,
        )

    return call


def acting_organisation(principal: Principal, tenant: Tenant, registry: TenantRegistry) -> ActingOrganisation:
    """The confidant organisation a token acts for: the one tenant of kind ``confidant_org`` among the
    token's tenants other than the case's. Without one, the case's own tenant (the decider then rejects
    with ``confidant_independent`` unless that tenant is itself a confidant organisation; a read shows a
    confidant inside the tenant its notes only when the policy names a confidant of its own)."""
    own = sorted(
        slug
        for slug in principal.tenants
        if slug != tenant.slug and slug in registry and registry.get(slug).kind is TenantKind.CONFIDANT_ORG
    )
    if len(own) > 1:
        raise Problem(403, "Forbidden", f"The token names several confidant organisations: {', '.join(own)}")
    if not own:
        return ActingOrganisation(tenant=tenant.slug, kind=tenant.kind)
    return ActingOrganisation(tenant=own[0], kind=TenantKind.CONFIDANT_ORG)


def command_id_for(path: str, subject: str, key: str) -> UUID:
    """The same path (tenant, case, command), caller and key always give the same command id."""
    return uuid5(COMMAND_NAMESPACE, f"{path}\n{subject}\n{key}")


def opaque(subject: str) -> str:
    if not _OPAQUE_ID.fullmatch(subject):
        raise Problem(401, "Invalid token", "The token's subject is not an opaque account id")
    return subject


def command_route(name: str, summary: str, allowed: frozenset[Role], tag: str) -> dict[str, Any]:
    """The keyword arguments of one command's ``router.post``: path, answer, roles in the description."""
    roles = ", ".join(sorted(role.value for role in allowed))
    return {
        "path": COMMANDS_PATH + name,
        "response_model": CommandAccepted,
        "summary": summary,
        "description": f"Roles: {roles}.",
        "responses": COMMAND_RESPONSES,
        "tags": [tag],
    }
