"""Schemathesis hooks of the API contract run (tests/e2e/test_e2e_api_contract.py).

A client sends a new ``Idempotency-Key`` with every new request and the same key only when it retries
that very request; the generator draws keys from a small space (``0``, ``A``…) and would send one key
with many different bodies, which the services rightly refuse (422, key reused for another request).
So a valid generated key becomes a fresh one; an invalid key (the generator testing that it is
refused) is sent as generated. Schemathesis revalidates a case after this hook changes it.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import schemathesis
from schemathesis.core.failures import Failure

KEY_HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"[\x21-\x7e]{1,200}")
"""The pattern both services document for the header."""


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    headers = case.headers
    if headers is None:
        return
    key = headers.get(KEY_HEADER)
    if isinstance(key, str) and VALID_KEY.fullmatch(key):
        headers[KEY_HEADER] = f"contract-{uuid4().hex}"


CODED_RULE = "Value error, "
"""How pydantic words an error a validator (code) raised, as opposed to a documented constraint."""


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext,
    failure: Failure,
    case: schemathesis.Case,
    response: schemathesis.Response,
) -> bool:
    """Keep every failure but one kind: a schema-valid request refused with 422 because it breaks a rule
    between fields (an outcome only for a judged case, a later due date than the previous one), which
    JSON Schema cannot state. The services document that 422 and name the fields in ``errors``; each
    message is the validator's own. A 422 for a documented constraint (a type, a length, a pattern) is
    not worded so and still fails the run: there the document would be wrong. A rule the service
    applies in code after validation (a receipt date after today) names itself in the error's ``rule``."""
    if failure.code != "ST202" or response.status_code != 422:
        return True
    try:
        errors = response.json().get("errors", [])
    except ValueError:
        return True
    ruled = [
        isinstance(error, dict) and ("rule" in error or str(error.get("message", "")).startswith(CODED_RULE))
        for error in errors
    ]
    return not (ruled and all(ruled))
