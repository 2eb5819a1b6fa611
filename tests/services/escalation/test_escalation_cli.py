"""``klachtspoor erase TENANT CASE_ID``: the same erasure workflow as the HTTP command, run against the
stores directly, with the operator recorded as privacy officer; clear exits for what it refuses."""

from __future__ import annotations

from uuid import uuid4

from escalation_helpers import open_case

from contracts.base import Actor
from contracts.events import PersonalDataErased
from contracts.vocabulary import ErasureReason, Role
from klachtspoor.bootstrap import Infrastructure
from klachtspoor.cases import CaseRepository
from klachtspoor.settings import Settings
from tests.cli import run_cli

TENANT = "so-trainingsbureau"  # a tenant of config/tenants.yaml


async def test_erase_shreds_the_key_and_records_the_operator_as_privacy_officer(
    settings: Settings, repository: CaseRepository, infrastructure: Infrastructure
) -> None:
    case = await open_case(repository, TENANT, policy=("so-trainingsbureau", 1))
    args = ["erase", TENANT, str(case.case_id), "--reason", "erasure_request", "--actor", "fg-0001"]

    result = await run_cli(settings, *args, "--request-reference", "AVG-2026-0042")

    assert result.exit_code == 0, result.output
    assert "gewist: verzoek tot verwijdering, door fg-0001" in result.output
    last = (await repository.load(case.stream)).events[-1]
    assert last.event == PersonalDataErased(
        reason=ErasureReason.ERASURE_REQUEST, request_reference="AVG-2026-0042"
    )
    assert last.actor == Actor(id="fg-0001", role=Role.PRIVACY_OFFICER)
    assert await infrastructure.keys.is_erased(TENANT, str(case.case_id))

    again = await run_cli(settings, *args)
    assert again.exit_code == 1
    assert "Geweigerd (case_erased)" in again.output
    same = await run_cli(
        settings, *args, "--request-reference", "AVG-2026-0042", "--command-id", str(last.causation_id)
    )
    assert same.exit_code == 0, same.output
    assert "al eerder gewist" in same.output
    events = (await repository.load(case.stream)).events
    assert sum(isinstance(e.event, PersonalDataErased) for e in events) == 1


async def test_erase_refuses_what_it_cannot_do_and_writes_nothing(
    settings: Settings, repository: CaseRepository, infrastructure: Infrastructure
) -> None:
    case = await open_case(repository, TENANT, policy=("so-trainingsbureau", 1))
    base = ["erase", TENANT, str(case.case_id), "--actor", "fg-0001"]

    early = await run_cli(settings, *base, "--reason", "retention_expired")
    assert (early.exit_code, "retention_not_ended" in early.output) == (1, True), early.output
    unknown = await run_cli(
        settings, "erase", TENANT, str(uuid4()), "--reason", "erasure_request", "--actor", "fg-0001"
    )
    assert unknown.exit_code == 1 and "No case" in unknown.output, unknown.output
    foreign = await run_cli(
        settings,
        "erase",
        "no-such-tenant",
        str(case.case_id),
        "--reason",
        "erasure_request",
        "--actor",
        "fg-1",
    )
    assert foreign.exit_code == 1, foreign.output
    for bad, field in (
        (["--actor", "Jan Jansen"], "actor.id"),
        (["--request-reference", "Jan Jansen"], "request_reference"),
    ):
        refused = await run_cli(settings, *base, "--reason", "erasure_request", *bad)
        assert refused.exit_code == 2, refused.output
        assert field in refused.output and "Jan Jansen" not in refused.output
    assert not any(
        isinstance(e.event, PersonalDataErased) for e in (await repository.load(case.stream)).events
    )
    assert not await infrastructure.keys.is_erased(TENANT, str(case.case_id))
