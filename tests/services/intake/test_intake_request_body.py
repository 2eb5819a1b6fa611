"""The signal body has the recorded signal's fields, so a field added to ``SignalReceived`` cannot be
forgotten in the request (its order and its stricter checks are the body's own: see schemas.py)."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from contracts.events.intake import SignalReceived
from contracts.values import Complainant, ComplainedAbout
from services.intake.entrypoints.schemas import ComplainantRequest, ComplainedAboutRequest, SignalRequest

STRICTER = {
    "complainant": (ComplainantRequest, Complainant),
    "about": (ComplainedAboutRequest, ComplainedAbout),
}
"""Fields whose body type is the contract's value with the intake checks on top."""
DEFAULTED = {"received_on"}
"""Fields the body may leave out (the server then fills in today, Dutch time)."""


def _bare(annotation: Any) -> Any:
    if get_origin(annotation) is Annotated:
        return _bare(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return frozenset(_bare(arg) for arg in get_args(annotation))
    return annotation


def test_the_signal_body_has_the_signal_events_fields_and_types() -> None:
    event = SignalReceived.model_fields
    body = SignalRequest.model_fields
    assert set(body) == set(event)
    for name, field in event.items():
        mirrored = body[name]
        if name in STRICTER:
            request_type, contract_type = STRICTER[name]
            assert issubclass(request_type, contract_type), name
            expected = _bare(field.annotation)
            if isinstance(expected, frozenset):
                assert _bare(mirrored.annotation) == (expected - {contract_type}) | {request_type}, name
            else:
                assert (expected, _bare(mirrored.annotation)) == (contract_type, request_type), name
        elif name in DEFAULTED:
            assert _bare(mirrored.annotation) == frozenset({_bare(field.annotation), type(None)}), name
        else:
            assert _bare(mirrored.annotation) == _bare(field.annotation), name
        assert mirrored.is_required() == (field.is_required() and name not in DEFAULTED), name
