"""The complainant's commands on the dossier, once for both ways in: the JSON routes
(:mod:`~services.escalation.entrypoints.dossier_routes`) and the Dutch pages
(:mod:`~services.escalation.entrypoints.dossier_pages`).

Each command says what it is called (in its command id and its JSON path), where its page form posts,
which fields it takes and how it becomes the staff workflow's command; each way in has one function that
opens the dossier, derives the command id and runs it, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from uuid import UUID, uuid4, uuid5

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict

from contracts.commands import RequestJudgement, Withdraw
from contracts.vocabulary import Judge
from klachtspoor.calendar import local_date
from klachtspoor.http.problems import Problem
from services.escalation.application.dossier import OpenedDossier
from services.escalation.domain.case.dossier import requestable_step
from services.escalation.domain.commands import AddInformation
from services.escalation.entrypoints.app_state import staff_api
from services.escalation.entrypoints.dossier_access import run_command
from services.escalation.entrypoints.staff_access import CommandAccepted

DOSSIER_NAMESPACE = UUID("0c5f7a52-41a4-5f7e-9d1e-5b0f8f2a7c31")

Values = Mapping[str, object]
Built = tuple[type[Withdraw] | type[RequestJudgement] | type[AddInformation], Values]


class DossierCommand(BaseModel):
    """One command the complainant gives from the dossier."""

    model_config = ConfigDict(frozen=True)

    name: str
    """In the command id and the JSON path (``…/dossier/commands/{name}``)."""
    page: str
    """Where the dossier page's form posts (``/dossier/{tenant}/{page}``)."""
    done: str
    """The ``gedaan`` the page shows after it (``DONE`` in the pages)."""
    fields: tuple[str, ...]
    """The fields the command takes, from the JSON body or the form."""
    form: Callable[[Mapping[str, str]], Values | str]
    """The form's fields as the command's values, or why they are refused (Dutch)."""
    build: Callable[[Request, OpenedDossier, Values], Built]
    """The staff workflow's command and its fields; a procedure that does not allow it answers 409."""


def command_id(case_id: UUID, name: str, key: str | None) -> UUID:
    """With an Idempotency-Key the same key on the same case and command is the same command."""
    return uuid4() if key is None else uuid5(DOSSIER_NAMESPACE, f"{case_id}\n{name}\n{key}")


async def run_dossier_command(
    request: Request,
    response: Response,
    opened: OpenedDossier,
    command: DossierCommand,
    key: str | None,
    values: Values,
) -> CommandAccepted:
    """``command`` on the opened dossier, the same command again for the same ``key``."""
    kind, arguments = command.build(request, opened, values)
    cid = command_id(opened.case_id, command.name, key)
    return await run_command(request, response, opened, kind, cid, **arguments)


def _withdrawal_form(fields: Mapping[str, str]) -> Values:
    return {"reason": fields.get("reason", "").strip()[:2000] or None}


def _addition_form(fields: Mapping[str, str]) -> Values | str:
    text = fields.get("text", "").replace("\r\n", "\n").strip()
    if not text or len(text) > 10_000:
        return "Schrijf iets op (hoogstens 10.000 tekens)."
    return {"text": text}


def _next_step(request: Request, opened: OpenedDossier, _: Values) -> Built:
    step = requestable_step(opened.state, opened.policy)
    if step is None:
        raise Problem(
            409,
            "Command rejected",
            "The procedure lets the complainant ask for no step now",
            rule="no_step_to_ask",
        )
    today = local_date(staff_api(request).clock())
    return RequestJudgement, {"judge": Judge(step.value), "requested_on": today, "written": True}


WITHDRAW = DossierCommand(
    name="withdraw",
    page="intrekken",
    done="ingetrokken",
    fields=("reason",),
    form=_withdrawal_form,
    build=lambda _request, _opened, values: (Withdraw, values),
)
ADD_INFORMATION = DossierCommand(
    name="add-information",
    page="aanvullen",
    done="aangevuld",
    fields=("text",),
    form=_addition_form,
    build=lambda _request, _opened, values: (AddInformation, values),
)
REQUEST_NEXT_STEP = DossierCommand(
    name="request-next-step",
    page="volgende-stap",
    done="gevraagd",
    fields=(),
    form=lambda _fields: {},
    build=_next_step,
)
COMMANDS: tuple[DossierCommand, ...] = (WITHDRAW, ADD_INFORMATION, REQUEST_NEXT_STEP)
