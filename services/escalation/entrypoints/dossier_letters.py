"""The complainant's letters as PDF, from the dossier (docs/public.md): the same PDF notify attached to the
mail, made again from the case's events (:func:`klachtspoor.letters.sent.sent_document`), so it is the
letter that was sent. Only a letter to the complainant that was sent, of the dossier it opens; any other
id answers 404. Every download is a logged read (``dossier.letters``, ``dossier.letters.text``).

- ``POST /v1/public/tenants/{tenant}/dossier/letters/{notification_id}/pdf`` with the receipt code and
  the secret in the body (as every dossier call: never in a URL).
- ``GET /dossier/{tenant}/brieven/{notification_id}.pdf`` under the dossier's session cookie (the pages'
  link); without a valid session it leads to the sign-in page.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from jinja2 import TemplateError

from klachtspoor.http.problems import Problem
from klachtspoor.http.reads import logged_read
from klachtspoor.letters.facts import LetterFactsMissing
from klachtspoor.letters.render import TemplateMissing
from klachtspoor.letters.sent import sent_document
from services.escalation.application.dossier import OpenedDossier
from services.escalation.domain.casefile.dossier import dossier
from services.escalation.entrypoints.app_state import known_tenant, staff_api
from services.escalation.entrypoints.dossier_access import (
    LETTER_PAGE_PATH,
    LETTER_PATH,
    open_with_secret,
    principal_of,
    resume,
    role_of,
)
from services.escalation.entrypoints.dossier_routes import RESPONSES, DossierKey
from services.escalation.entrypoints.dossier_session import session

SHOWN = ("dossier.letters", "dossier.letters.text")
NO_LETTER = "No letter sent to the complainant with this id in this dossier"

router = APIRouter(tags=["dossier"])


async def letter_pdf(
    request: Request, opened: OpenedDossier, notification_id: UUID, channel: str
) -> Response:
    """The PDF of a letter the dossier shows as sent, logged as served; 404 for any other id."""
    api = staff_api(request)
    async with logged_read(api.access, principal_of(opened), opened.tenant, opened.case_id, channel) as read:
        registered = known_tenant(api.tenants, opened.tenant)
        view = dossier(opened.case_id, opened.case.events, opened.state, opened.policy, {})
        if not any(
            letter.notification_id == notification_id and letter.sent_at is not None
            for letter in view.letters
        ):
            raise Problem(404, "Not found", NO_LETTER)
        try:
            document = sent_document(
                opened.case.events,
                notification_id,
                registered,
                api.tenants,
                api.policies.registry,
                api.letters,
            )
        except (LetterFactsMissing, TemplateMissing, TemplateError) as error:
            raise Problem(500, "Letter cannot be rendered", type(error).__name__) from error
        if document is None:
            raise Problem(404, "Not found", NO_LETTER)
        pdf = document.pdf()
        read.served(role_of(opened), SHOWN)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    LETTER_PATH,
    summary="A sent letter of the dossier as PDF",
    response_class=Response,
    responses={**RESPONSES, 200: {"content": {"application/pdf": {}}, "description": "The letter"}},
)
async def letter(tenant: str, notification_id: UUID, body: DossierKey, request: Request) -> Response:
    channel = f"POST {LETTER_PATH}"
    opened = await open_with_secret(request, tenant, body.reference, body.secret, channel)
    return await letter_pdf(request, opened, notification_id, channel)


@router.get(LETTER_PAGE_PATH, include_in_schema=False)
async def letter_page(tenant: str, notification_id: UUID, request: Request) -> Response:
    found = session(request, tenant)
    opened = None if found is None else await resume(request, tenant, *found)
    if opened is None:
        return RedirectResponse(f"/dossier/{tenant}", status_code=303)
    return await letter_pdf(request, opened, notification_id, f"GET {LETTER_PAGE_PATH}")
