"""The complainant's dossier as JSON, without an account (docs/public.md): every call carries the receipt
code and the secret in its body (never in a URL, which proxies log).

- ``POST /v1/public/tenants/{tenant}/dossier``: the dossier (logged as a read).
- ``…/dossier/commands/withdraw``, ``…/add-information``, ``…/request-next-step``: the complainant's
  commands through the staff workflow (``Idempotency-Key`` makes a retry safe: the same key on the same
  case is the same command).
- ``…/dossier/commands/replace-secret``: a new secret, shown once; the old one opens nothing any more.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from contracts.personal import PersonalData
from klachtspoor.dossier.secret import hash_secret, new_secret
from services.escalation.application.dossier import OpenedDossier
from services.escalation.domain.casefile.dossier import Dossier
from services.escalation.domain.commands import ReplaceDossierSecret
from services.escalation.entrypoints.dossier_access import open_with_secret, read_dossier, run_command
from services.escalation.entrypoints.dossier_commands import (
    ADD_INFORMATION,
    REQUEST_NEXT_STEP,
    WITHDRAW,
    DossierCommand,
    run_dossier_command,
)
from services.escalation.entrypoints.staff_access import IDEMPOTENCY_KEY, CommandAccepted

PATH = "/v1/public/tenants/{tenant}/dossier"
READ_CHANNEL = f"POST {PATH}"

router = APIRouter(tags=["dossier"])

ReasonText = Annotated[str, PersonalData(), Field(min_length=1, max_length=2_000)]
AddedText = Annotated[str, PersonalData(), Field(min_length=1, max_length=10_000)]


class DossierKey(BaseModel):
    """What opens the dossier: the receipt code and the secret, as the receipt showed them."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    reference: str = Field(min_length=1, max_length=40, examples=["KS-2026-000123"])
    secret: str = Field(min_length=1, max_length=64, examples=["K7QM-2XPA-9D3F-WZ0B-TN5E"])


class WithdrawBody(DossierKey):
    reason: ReasonText | None = None


class AddInformationBody(DossierKey):
    text: AddedText


class NewSecret(BaseModel):
    model_config = ConfigDict(frozen=True)

    secret: str = Field(description="The new secret, shown once; the old one no longer opens the dossier")


RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown receipt code or wrong secret (one answer for both)"},
    409: {"description": "The procedure does not allow this now (`rule`); nothing appended"},
    410: {"description": "The case was erased"},
    429: {"description": "Too many attempts from this address, for this receipt code or in total"},
    503: {"description": "Event store or access log unavailable"},
}


async def _opened(request: Request, tenant: str, key: DossierKey) -> OpenedDossier:
    return await open_with_secret(request, tenant, key.reference, key.secret, READ_CHANNEL)


Key = Annotated[str | None, Header(alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY)]


async def _command(
    request: Request,
    response: Response,
    tenant: str,
    body: DossierKey,
    key: str | None,
    command: DossierCommand,
) -> CommandAccepted:
    """Open the dossier with the body's key, then ``command`` with the body's fields."""
    opened = await _opened(request, tenant, body)
    values = {name: getattr(body, name) for name in command.fields}
    return await run_dossier_command(request, response, opened, command, key, values)


@router.post(PATH, response_model=Dossier, summary="The complainant's dossier", responses=RESPONSES)
async def read(tenant: str, body: DossierKey, request: Request) -> Dossier:
    opened = await _opened(request, tenant, body)
    return await read_dossier(request, opened, READ_CHANNEL)


@router.post(
    f"{PATH}/commands/withdraw", response_model=CommandAccepted, summary="Withdraw", responses=RESPONSES
)
async def withdraw(
    tenant: str, body: WithdrawBody, request: Request, response: Response, key: Key = None
) -> CommandAccepted:
    return await _command(request, response, tenant, body, key, WITHDRAW)


@router.post(
    f"{PATH}/commands/add-information",
    response_model=CommandAccepted,
    summary="Add information",
    responses=RESPONSES,
)
async def add_information(
    tenant: str, body: AddInformationBody, request: Request, response: Response, key: Key = None
) -> CommandAccepted:
    return await _command(request, response, tenant, body, key, ADD_INFORMATION)


@router.post(
    f"{PATH}/commands/request-next-step",
    response_model=CommandAccepted,
    summary="Ask for the next step where the procedure lets the complainant ask",
    responses=RESPONSES,
)
async def request_next_step(
    tenant: str, body: DossierKey, request: Request, response: Response, key: Key = None
) -> CommandAccepted:
    return await _command(request, response, tenant, body, key, REQUEST_NEXT_STEP)


@router.post(
    f"{PATH}/commands/replace-secret",
    response_model=NewSecret,
    summary="Replace the secret",
    responses=RESPONSES,
)
async def replace_secret(tenant: str, body: DossierKey, request: Request, response: Response) -> NewSecret:
    opened = await _opened(request, tenant, body)
    secret = await replace(request, response, opened)
    return NewSecret(secret=secret)


async def replace(request: Request, response: Response, opened: OpenedDossier) -> str:
    """A new secret's hash appended; the secret itself only in the answer."""
    secret = new_secret()
    hashed = await asyncio.to_thread(hash_secret, secret)
    await run_command(request, response, opened, ReplaceDossierSecret, uuid4(), secret_hash=hashed)
    return secret
