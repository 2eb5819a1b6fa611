"""A sent letter's PDF from the complainant's dossier: the dossier names where it is served, the PDF is the
letter made again from the events (the reference in its text), the download is in the access log, and an
id that is not a letter sent to the complainant answers 404."""

from __future__ import annotations

import io
from uuid import uuid4

import pytest
from pypdf import PdfReader
from staff_helpers import Staff
from test_dossier_api import filed, post

from contracts.events import NotificationRequested, NotificationSent
from contracts.vocabulary import NotificationChannel, NotificationKind, Recipient


@pytest.fixture(autouse=True)
def fresh_limits(staff: Staff) -> None:
    assert staff.app is not None
    staff.app.state.dossier.limiter.clear()


async def test_a_sent_letter_is_served_as_pdf_to_the_dossier_holder_and_logged(staff: Staff) -> None:
    case = await filed(staff)
    sent_id, waiting_id = uuid4(), uuid4()
    requests = [
        NotificationRequested(
            notification_id=nid,
            kind=NotificationKind.ACKNOWLEDGEMENT,
            recipient=Recipient.COMPLAINANT,
            channel=NotificationChannel.EMAIL,
        )
        for nid in (sent_id, waiting_id)
    ]
    sent = NotificationSent(notification_id=sent_id, channel=NotificationChannel.EMAIL, attempt=1)
    await staff.append(case.case_id, *requests, sent)
    key = {"reference": case.reference, "secret": case.secret}

    view = (await post(staff, "", key)).json()
    pdf_of = {letter["notification_id"]: letter["pdf"] for letter in view["letters"]}
    answer = await post(staff, f"/letters/{sent_id}/pdf", key)
    waiting = await post(staff, f"/letters/{waiting_id}/pdf", key)
    unknown = await post(staff, f"/letters/{uuid4()}/pdf", key)
    wrong = await post(staff, f"/letters/{sent_id}/pdf", {**key, "secret": "FOUT"})

    path = f"/v1/public/tenants/{staff.tenant}/dossier/letters/{sent_id}/pdf"
    assert pdf_of == {str(sent_id): path, str(waiting_id): None}
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert case.reference in text
    assert (waiting.status_code, unknown.status_code, wrong.status_code) == (404, 404, 404)
    again = await post(staff, f"/letters/{sent_id}/pdf", key)
    assert again.content == answer.content  # the same events give the same PDF
    records = await staff.access_log.for_case(staff.tenant, case.case_id)
    downloads = [r for r in records if r.channel.endswith("/letters/{notification_id}/pdf")]
    assert [(r.outcome.value, r.shown) for r in downloads if r.shown] == [
        ("served", ("dossier.letters", "dossier.letters.text"))
    ] * 2
