"""The five published procedures of ``test_e2e_procedures.py`` walked again on EventStoreDB: escalation's
staff commands, deadlines and timer, notify and reporting all reading and writing through the EventStoreDB
adapter (``KLACHTSPOOR_EVENTSTORE_URL`` set for every process)."""

from __future__ import annotations

import pytest
from test_e2e_procedures import (
    client,
    test_akj_confidant_supports_with_consent_and_the_client_chooses,
    test_ik_ben_er_ook_one_step_at_a_time_to_the_committee,
    test_lsr_anonymous_confidant_contact_mediation_and_the_committee_within_ten_weeks,
    test_save_conversation_with_worker_and_regional_manager_then_the_committee,
    test_save_straight_to_the_committee,
    test_so_trainingsbureau_mentor_officer_director_then_disputes_committee,
)

EVENTSTORE = "esdb"
TRACED = False
pytestmark = pytest.mark.slow

__all__ = [
    "client",
    "test_akj_confidant_supports_with_consent_and_the_client_chooses",
    "test_ik_ben_er_ook_one_step_at_a_time_to_the_committee",
    "test_lsr_anonymous_confidant_contact_mediation_and_the_committee_within_ten_weeks",
    "test_save_conversation_with_worker_and_regional_manager_then_the_committee",
    "test_save_straight_to_the_committee",
    "test_so_trainingsbureau_mentor_officer_director_then_disputes_committee",
]
