"""A small valid policy as plain data, for tests that change one field and expect it to be named."""

from __future__ import annotations

import copy
from typing import Any

_VALID: dict[str, Any] = {
    "id": "voorbeeld",
    "version": 1,
    "title": "Klachtenregeling Voorbeeld",
    "source": "Voorbeeld",
    "regime": "jeugdwet",
    "order": "one_by_one",
    "ladder": [
        {"step": "care_worker", "handled_by": "care_worker", "label": "Gesprek met de medewerker"},
        {"step": "manager", "handled_by": "manager", "label": "Gesprek met de leidinggevende"},
        {"step": "complaints_committee", "handled_by": "complaints_committee", "label": "Klachtencommissie"},
    ],
    "terms": [
        {
            "kind": "judgement",
            "step": "complaints_committee",
            "term": {"amount": 6, "unit": "weeks"},
            "counts_from": "complaint_received",
            "starts": "ontvangst van de klacht",
        },
        {
            "kind": "admissibility",
            "term": {"amount": 4, "unit": "weeks"},
            "counts_from": "complaint_received",
            "starts": "ontvangst van de klacht",
        },
    ],
    "admissibility_grounds": ["previously_handled"],
    "categories": ["treatment", "other"],
    "complainants": ["client", "legal_representative"],
    "crisis_contacts": [{"kind": "emergency_112", "label": "Levensbedreigend gevaar", "phone": "112"}],
}


def valid_policy(**changes: Any) -> dict[str, Any]:
    """A deep copy of the valid policy with top-level ``changes`` applied."""
    policy = copy.deepcopy(_VALID)
    policy.update(changes)
    return policy
