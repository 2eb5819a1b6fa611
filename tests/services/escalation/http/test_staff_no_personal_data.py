"""Staff commands that fail validation, with a marker in every personal field: the 422 names the fields,
and the marker reaches no problem body, log line (tracebacks included) or span."""

from __future__ import annotations

from typing import Any

from staff_helpers import Staff

from tests.leak_watch import MARKED_ADDRESS, MARKER, leak_watch

LONG = MARKER * 2000
"""Over PersonalText's 20 000 characters."""
TALK = {"held_on": "2026-03-05", "step": "care_worker", "result": "unresolved"}


async def test_failed_staff_commands_leak_no_personal_value(staff: Staff) -> None:
    case_id = await staff.open_case()
    token = staff.token("care_worker", "complaints_officer")
    cases: list[tuple[str, dict[str, Any]]] = [
        # the request schema refuses (FastAPI): a value over its bound, an unknown field, a bad enum
        ("record-informal-conversation", {**TALK, "notes": LONG}),
        ("record-informal-conversation", {**TALK, "notes": MARKER, "mood": MARKER}),
        ("escalate", {"to_step": MARKER, "reason": MARKER, "explanation": MARKER}),
        ("record-first-contact", {"channel": MARKER, "note": MARKER}),
        ("reopen", {"reason": LONG}),
        (
            "file-complaint",
            {
                "filed_with": "care_worker",
                "channel": "letter",
                "received_on": "2026-03-05",
                "written": True,
                "description": MARKER,
                "complainant": {
                    "capacity": "client",
                    "name": MARKER,
                    "email": f"{MARKED_ADDRESS}, b@y.nl, c@z.nl",
                    "phone": MARKER,
                },
            },
        ),
        # the contract command refuses (its cross-field rules), after the request schema accepted
        ("record-informal-conversation", {**TALK, "step": "director", "notes": MARKER}),
        ("decide-admissibility", {"admissible": False, "explanation": MARKER}),
    ]
    bodies = []
    async with leak_watch() as watch:
        for name, body in cases:
            response = await staff.command(case_id, name, body, token)
            assert response.status_code == 422, (name, response.text)
            assert response.json()["errors"], name
            bodies.append(response.text)
        relay = bodies[-3]  # the file-complaint with three addresses: refused like intake refuses it
        assert '"field":"body.complainant"' in relay and "exactly one e-mail address" in relay

    assert len(await staff.types(case_id)) == 3, "nothing was appended"
    assert staff.spans.get_finished_spans(), "the requests were traced"
    watch.assert_clean(spans=staff.spans.get_finished_spans(), bodies=bodies)
