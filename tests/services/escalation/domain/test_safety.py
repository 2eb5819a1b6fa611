"""Safety, given-when-then: concerns are recorded at once with their crisis route; confidentiality is lifted
only with a justification by an accountable person. The crisis route's office-hour edges are tested on the
Dutch calendar, in Dutch local time."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
from pydantic import ValidationError
from support_given import (
    CARE_WORKER,
    CASE_ID,
    CONCERN_ID,
    CONFIDANT,
    case_spec,
    command,
    concern,
    erased,
    published_policy,
    signal,
)

from contracts.base import Actor
from contracts.commands import LiftConfidentiality
from contracts.events import CaseClosed, ConfidentialityLifted, SafetyConcernRaised
from contracts.policy import Availability, CrisisContact, OfficeHours, ProcedurePolicy, Province
from contracts.vocabulary import CrisisRoute, DisclosureRecipient, LiftGround, Resolution, Role
from klachtspoor.calendar import NETHERLANDS
from services.escalation.domain.commands import CrisisClient, DangerKind, RaiseSafetyConcernCommand
from services.escalation.domain.errors import Rule
from services.escalation.domain.support.safety import (
    EMERGENCY_112,
    VEILIG_THUIS,
    SafetyRule,
    crisis_route,
    in_office_hours,
)

OWN, VT_CLIENT, NO_CLIENT = CrisisClient.ORGANISATION, CrisisClient.VEILIG_THUIS, CrisisClient.NONE
OFFICE = OfficeHours(opens=time(8, 30), closes=time(17, 0))
POLICY_112 = CrisisContact(kind=CrisisRoute.EMERGENCY_112, label="Levensbedreigend gevaar", phone="112")
POLICY_VEILIG_THUIS = CrisisContact(
    kind=CrisisRoute.VEILIG_THUIS, label="Geen cliënt, of cliënt van Veilig Thuis", phone="0800-2000"
)
WORKER = CrisisContact(
    kind=CrisisRoute.ASSIGNED_WORKER,
    label="Cliënt, tijdens kantooruren",
    availability=Availability.OFFICE_HOURS,
    office_hours=OFFICE,
)
FLEVOLAND_NIGHT = CrisisContact(
    kind=CrisisRoute.OUT_OF_HOURS_LINE,
    label="Cliënt in Flevoland, buiten kantooruren",
    phone="088-996 3000",
    province=Province.FLEVOLAND,
    availability=Availability.OUTSIDE_OFFICE_HOURS,
    office_hours=OFFICE,
)
UTRECHT_NIGHT = CrisisContact(
    kind=CrisisRoute.OUT_OF_HOURS_LINE,
    label="Cliënt in Utrecht, buiten kantooruren",
    phone="0800-2000",
    province=Province.UTRECHT,
    availability=Availability.OUTSIDE_OFFICE_HOURS,
    office_hours=OFFICE,
)
YOUTH_PROTECTION = (POLICY_112, POLICY_VEILIG_THUIS, WORKER, FLEVOLAND_NIGHT, UTRECHT_NIGHT)
"""The crisis contacts of the published youth protection page, as its policy lists them."""


@pytest.fixture(scope="module")
def save() -> ProcedurePolicy:
    return published_policy("save-veilig-thuis-utrecht")


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NETHERLANDS)


def own_client_route(now: datetime, province: Province | None = Province.UTRECHT) -> CrisisContact:
    return crisis_route(DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, province, OWN, now, YOUTH_PROTECTION)


# --- the crisis route ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 3, 5, 8, 29), UTRECHT_NIGHT),
        (local(2026, 3, 5, 8, 30), WORKER),
        (local(2026, 3, 5, 16, 59), WORKER),
        (local(2026, 3, 5, 17, 0), UTRECHT_NIGHT),
        (local(2026, 3, 7, 11, 0), UTRECHT_NIGHT),  # Saturday
        (local(2026, 3, 8, 11, 0), UTRECHT_NIGHT),  # Sunday
        (local(2026, 4, 27, 11, 0), UTRECHT_NIGHT),  # King's Day, a Monday
        (local(2026, 5, 15, 11, 0), UTRECHT_NIGHT),  # the Friday after Ascension, equated by decree
        (local(2026, 5, 18, 11, 0), WORKER),  # the Monday after: a working day again
    ],
    ids=["08:29", "08:30", "16:59", "17:00", "saturday", "sunday", "kings-day", "decree-day", "monday"],
)
def test_an_own_client_calls_the_worker_in_office_hours_and_the_province_line_otherwise(
    now: datetime, expected: CrisisContact
) -> None:
    assert own_client_route(now) == expected


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 3, 5, 7, 30, tzinfo=UTC), WORKER),  # 08:30 CET
        (datetime(2026, 3, 5, 7, 29, tzinfo=UTC), UTRECHT_NIGHT),
        (datetime(2026, 6, 10, 6, 30, tzinfo=UTC), WORKER),  # 08:30 CEST
        (datetime(2026, 6, 10, 15, 0, tzinfo=UTC), UTRECHT_NIGHT),  # 17:00 CEST
    ],
)
def test_office_hours_are_dutch_local_time_whatever_the_zone_of_now(
    utc: datetime, expected: CrisisContact
) -> None:
    assert own_client_route(utc) == expected


def test_out_of_hours_the_line_of_the_clients_province_answers() -> None:
    assert own_client_route(local(2026, 3, 5, 22, 0), Province.FLEVOLAND) == FLEVOLAND_NIGHT


def test_an_own_client_in_a_province_without_a_line_or_unknown_province_is_sent_to_veilig_thuis() -> None:
    assert own_client_route(local(2026, 3, 5, 22, 0), Province.ZEELAND) == POLICY_VEILIG_THUIS
    assert own_client_route(local(2026, 3, 5, 22, 0), None) == POLICY_VEILIG_THUIS


def test_a_line_without_province_serves_every_province() -> None:
    everywhere = FLEVOLAND_NIGHT.model_copy(update={"province": None})
    contacts = (POLICY_VEILIG_THUIS, WORKER, everywhere)
    route = crisis_route(
        DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, Province.ZEELAND, OWN, local(2026, 3, 5, 22, 0), contacts
    )
    assert route == everywhere


@pytest.mark.parametrize("now", [local(2026, 3, 5, 11, 0), local(2026, 3, 7, 3, 0)])
def test_acute_danger_goes_to_112_also_for_an_own_client(now: datetime) -> None:
    assert crisis_route(DangerKind.ACUTE_DANGER, Province.UTRECHT, OWN, now, YOUTH_PROTECTION) == POLICY_112
    assert crisis_route(DangerKind.ACUTE_DANGER, None, NO_CLIENT, now, YOUTH_PROTECTION) == POLICY_112


def test_abuse_of_someone_who_is_not_a_client_goes_to_veilig_thuis_at_any_hour() -> None:
    for now in (local(2026, 3, 5, 11, 0), local(2026, 3, 5, 23, 0)):
        route = crisis_route(
            DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, Province.UTRECHT, NO_CLIENT, now, YOUTH_PROTECTION
        )
        assert route == POLICY_VEILIG_THUIS


def test_without_policy_contacts_the_national_numbers_answer() -> None:
    now = local(2026, 3, 5, 11, 0)
    assert crisis_route(DangerKind.ACUTE_DANGER, None, NO_CLIENT, now, ()) == EMERGENCY_112
    assert crisis_route(DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, None, OWN, now, ()) == VEILIG_THUIS
    assert (EMERGENCY_112.phone, VEILIG_THUIS.phone) == ("112", "0800-2000")


def test_office_hours_need_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        in_office_hours(OFFICE, datetime(2026, 3, 5, 10, 0))


def test_office_hours_on_any_day_when_not_only_working_days() -> None:
    every_day = OfficeHours(opens=time(9, 0), closes=time(17, 0), working_days_only=False)
    assert in_office_hours(every_day, local(2026, 3, 7, 9, 0))
    assert not in_office_hours(every_day, local(2026, 3, 7, 8, 59))


# --- raising a concern ----------------------------------------------------------------------------------


def raise_concern(actor: Actor = CARE_WORKER, **changes: Any) -> RaiseSafetyConcernCommand:
    fields: dict[str, Any] = {
        "concern_id": CONCERN_ID,
        "danger": DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE,
        "description": "Het kind vertelt dat het thuis geslagen wordt.",
        "province": Province.UTRECHT,
        "client_of": OWN,
    }
    return command(RaiseSafetyConcernCommand, actor=actor, **(fields | changes))


def concern_raised(
    route: CrisisRoute, immediate: bool = False, raised_at: datetime | None = None
) -> SafetyConcernRaised:
    return SafetyConcernRaised(
        concern_id=CONCERN_ID,
        crisis_route=route,
        immediate_danger=immediate,
        description="Het kind vertelt dat het thuis geslagen wordt.",
        raised_at=raised_at,
    )


def test_a_concern_is_recorded_at_once_with_the_route_of_the_moment(save: ProcedurePolicy) -> None:
    office, evening = local(2026, 3, 5, 11, 0), local(2026, 3, 5, 17, 0)
    case_spec(save).given([signal()]).when(raise_concern(now=office)).then(
        [concern_raised(CrisisRoute.ASSIGNED_WORKER)]
    )
    case_spec(save).given([signal()]).when(raise_concern(now=evening)).then(
        [concern_raised(CrisisRoute.OUT_OF_HOURS_LINE)]
    )


def test_without_a_policy_the_concern_is_recorded_with_the_national_route() -> None:
    case_spec(None).given([signal()]).when(raise_concern()).then([concern_raised(CrisisRoute.VEILIG_THUIS)])


def test_acute_danger_is_recorded_as_immediate_and_routed_to_112(save: ProcedurePolicy) -> None:
    when = raise_concern(danger=DangerKind.ACUTE_DANGER)
    case_spec(save).given([signal()]).when(when).then(
        [concern_raised(CrisisRoute.EMERGENCY_112, immediate=True)]
    )


def test_a_confidant_may_raise_a_concern_and_a_case_without_a_signal_records_it_too(
    save: ProcedurePolicy,
) -> None:
    when = raise_concern(actor=CONFIDANT, client_of=NO_CLIENT)
    case_spec(save).given([]).when(when).then([concern_raised(CrisisRoute.VEILIG_THUIS)])


def test_a_closed_case_still_records_a_concern(save: ProcedurePolicy) -> None:
    closed = CaseClosed(resolution=Resolution.RESOLVED_INFORMALLY)
    case_spec(save).given([signal(), closed]).when(raise_concern()).then(
        [concern_raised(CrisisRoute.ASSIGNED_WORKER)]
    )


def test_the_same_concern_is_recorded_once(save: ProcedurePolicy) -> None:
    case_spec(save).given([signal(), concern()]).when(raise_concern()).then([])


def test_an_erased_case_takes_no_concern(save: ProcedurePolicy) -> None:
    case_spec(save).given([signal(), erased()]).when(raise_concern()).then_rejects(Rule.CASE_ERASED)


@pytest.mark.parametrize(
    ("now", "province", "phone"),
    [
        (local(2026, 3, 5, 16, 59), Province.FLEVOLAND, None),
        (local(2026, 3, 5, 17, 0), Province.FLEVOLAND, "088-996 3000"),
        (local(2026, 3, 5, 17, 0), Province.UTRECHT, "0800-2000"),
    ],
)
def test_the_published_youth_protection_policy_routes_as_its_crisis_page_says(
    save: ProcedurePolicy, now: datetime, province: Province, phone: str | None
) -> None:
    route = crisis_route(DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, province, OWN, now, save.crisis_contacts)
    assert route.phone == phone
    assert crisis_route(DangerKind.ACUTE_DANGER, province, OWN, now, save.crisis_contacts).phone == "112"
    assert crisis_route(
        DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, None, NO_CLIENT, now, save.crisis_contacts
    ).phone == ("0800-2000")


@pytest.mark.parametrize(
    "now",
    [local(2026, 3, 5, 11, 0), local(2026, 3, 5, 22, 0), local(2026, 3, 7, 11, 0)],
    ids=["office-hours", "evening", "saturday"],
)
def test_a_veilig_thuis_client_always_calls_the_veilig_thuis_main_number(
    save: ProcedurePolicy, now: datetime
) -> None:
    """ "Ben je cliënt bij Veilig Thuis Utrecht, dan bel je altijd met het hoofdnummer": never a SAVE worker
    or SAVE's out-of-hours line, whatever the hour or province."""
    for province in (Province.UTRECHT, Province.FLEVOLAND, None):
        route = crisis_route(
            DangerKind.ABUSE_OR_DOMESTIC_VIOLENCE, province, VT_CLIENT, now, save.crisis_contacts
        )
        assert (route.kind, route.phone) == (CrisisRoute.VEILIG_THUIS, "0800-2000")
    acute = crisis_route(DangerKind.ACUTE_DANGER, Province.UTRECHT, VT_CLIENT, now, save.crisis_contacts)
    assert acute.kind is CrisisRoute.EMERGENCY_112


def test_a_veilig_thuis_client_s_concern_is_recorded_with_the_veilig_thuis_route(
    save: ProcedurePolicy,
) -> None:
    office = local(2026, 3, 5, 11, 0)
    when = raise_concern(now=office, client_of=VT_CLIENT)
    case_spec(save).given([signal()]).when(when).then([concern_raised(CrisisRoute.VEILIG_THUIS)])


def test_the_route_follows_the_moment_the_concern_was_raised(save: ProcedurePolicy) -> None:
    """A call at 16:55, logged at 17:05: the client was sent to the assigned worker, not the night line;
    the event keeps the moment the route followed, so the record shows why."""
    logged, called = local(2026, 3, 5, 17, 5), local(2026, 3, 5, 16, 55)
    case_spec(save).given([signal()]).when(raise_concern(now=logged, raised_at=called)).then(
        [concern_raised(CrisisRoute.ASSIGNED_WORKER, raised_at=called)]
    )
    case_spec(save).given([signal()]).when(raise_concern(now=logged)).then(
        [concern_raised(CrisisRoute.OUT_OF_HOURS_LINE)]
    )


def test_a_concern_raised_in_the_future_does_not_make_a_command() -> None:
    with pytest.raises(ValidationError, match="raised_at") as invalid:
        raise_concern(now=local(2026, 3, 5, 11, 0), raised_at=local(2026, 3, 5, 11, 1))
    assert invalid.value.errors()[0]["loc"] == ("raised_at",)


def test_a_concern_raised_before_the_case_was_received_is_rejected(save: ProcedurePolicy) -> None:
    the_day_before = local(2026, 3, 4, 23, 59)  # the signal was received on Thursday 5 March
    when = raise_concern(now=local(2026, 3, 5, 11, 0), raised_at=the_day_before)
    case_spec(save).given([signal()]).when(when).then_rejects(SafetyRule.CONCERN_BEFORE_CASE)


# --- lifting confidentiality ------------------------------------------------------------------------------


def lift(actor: Actor = CONFIDANT, **changes: Any) -> LiftConfidentiality:
    fields: dict[str, Any] = {
        "ground": LiftGround.DANGER_TO_CLIENT,
        "disclosed_to": DisclosureRecipient.VEILIG_THUIS,
        "discussed_with_client": True,
        "justification": "Het kind is thuis niet veilig; besproken met het kind.",
    }
    return command(LiftConfidentiality, actor=actor, **(fields | changes))


def lifted(concern_id: Any = None) -> ConfidentialityLifted:
    return ConfidentialityLifted(
        ground=LiftGround.DANGER_TO_CLIENT,
        disclosed_to=DisclosureRecipient.VEILIG_THUIS,
        discussed_with_client=True,
        justification="Het kind is thuis niet veilig; besproken met het kind.",
        concern_id=concern_id,
    )


def test_confidentiality_is_lifted_with_a_justification() -> None:
    case_spec().given([signal()]).when(lift()).then([lifted()])


def test_lifting_about_a_recorded_concern_names_it() -> None:
    case_spec().given([signal(), concern()]).when(lift(concern_id=CONCERN_ID)).then([lifted(CONCERN_ID)])


def test_lifting_about_a_concern_never_raised_is_rejected() -> None:
    case_spec().given([signal()]).when(lift(concern_id=CONCERN_ID)).then_rejects(SafetyRule.CONCERN_UNKNOWN)


def test_a_blank_justification_is_rejected() -> None:
    case_spec().given([signal()]).when(lift(justification="   \n")).then_rejects(
        SafetyRule.LIFT_NEEDS_JUSTIFICATION
    )


def test_an_empty_justification_does_not_even_make_a_command() -> None:
    with pytest.raises(ValidationError, match="justification"):
        lift(justification="")


@pytest.mark.parametrize(
    "actor",
    [
        Actor(id="anonymous", role=Role.CLIENT),
        Actor(id="ouder-1", role=Role.LEGAL_REPRESENTATIVE),
        Actor(id="escalation", role=Role.SYSTEM),
        Actor(id="audit-1", role=Role.AUDITOR),
        Actor(id="anonymous", role=Role.CARE_WORKER),
    ],
    ids=["client", "parent", "system", "auditor", "anonymous-staff"],
)
def test_only_an_accountable_professional_lifts_confidentiality(actor: Actor) -> None:
    case_spec().given([signal()]).when(lift(actor=actor)).then_rejects(
        SafetyRule.LIFT_NEEDS_ACCOUNTABLE_ACTOR
    )


def test_a_care_worker_may_lift_confidentiality_too() -> None:
    case_spec().given([signal()]).when(lift(actor=CARE_WORKER)).then([lifted()])


def test_an_erased_case_takes_no_lifting() -> None:
    case_spec().given([signal(), erased()]).when(lift()).then_rejects(Rule.CASE_ERASED)


def test_the_rejection_names_rule_case_and_actor() -> None:
    with pytest.raises(Exception, match=rf"lift_needs_justification: .*Case: {CASE_ID}, Actor: vp-akj-0001"):
        case_spec().given([signal()]).when(lift(justification=" ")).then([])
