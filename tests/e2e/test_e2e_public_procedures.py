"""Each of the five procedures walked from the public way in on the running stack: a parent files for
their child through the HTML form (as a browser without JavaScript), the staff drive the case up that
procedure's ladder with the commands and roles it names, and after each step the parent follows the case
in the dossier (JSON; Ik ben er ook! through the dossier's pages): where it stands and the next step
change as they should, and every letter the procedure sends the complainant arrives once, as a mail with
its PDF and in the dossier with the same PDF (docs/public.md, docs/letters.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import httpx
import pytest
from e2e_stack import Stack
from procedure_walk import today
from public_parent import Parent, page_text
from public_steps import (
    CONVERSATION,
    NEXT,
    asked,
    filed,
    follows,
    hearing,
    held,
    invited,
    said_due,
    terms,
)
from test_e2e_procedures import complaint, confidant_contact, due, judgement, talk, up

from contracts.labels import label
from contracts.vocabulary import AdmissibilityGround, ExternalBody, Outcome, Resolution
from klachtspoor.calendar import add_term, extend, parse_term
from klachtspoor.calendar.notation_nl import dutch_date
from klachtspoor.eventstore.port import EventStore

pytestmark = pytest.mark.slow
SHARED_STACK = True
MEASURES_TO_COME = "De organisatie laat weten welke maatregelen zij neemt."


@pytest.fixture
async def staff() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as opened:
        yield opened


@pytest.fixture
async def connection() -> AsyncIterator[httpx.AsyncClient]:
    async with Parent.connection() as opened:
        yield opened


async def test_ik_ben_er_ook_followed_on_the_dossier_pages_to_the_committees_judgement_and_measures(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, connection: httpx.AsyncClient
) -> None:
    """One step at a time to the committee: hearing invitation, judgement, measures and closure, each read
    on the dossier's pages and downloaded from their link."""
    day = today()
    parent = Parent(stack, "ik-ben-er-ook", connection)
    walk, _ = await filed(stack, store, staff, parent, client_age_band="under_12", raised_with="care_worker")
    await parent.sign_in()

    async def reads(*phrases: str, never: tuple[str, ...] = ()) -> str:
        page = await parent.page()
        text = page_text(page)
        for phrase in phrases:
            assert phrase in text, f"the dossier page lacks {phrase!r}:\n{text}"
        for phrase in never:
            assert phrase not in text, f"the dossier page says {phrase!r}:\n{text}"
        return page

    await reads(
        "We hebben je klacht ontvangen. Hij ligt nu bij: Stap 1: ontevredenheid bespreken met de begeleider.",
        "Dan is de volgende stap: Stap 2: de vertrouwenspersoon van Ik ben er ook!",
    )
    await walk.send(CONVERSATION, talk("care_worker", day), "care_worker")
    await walk.send("escalate", up("confidant"), "care_worker")
    await reads("Hij ligt nu bij: Stap 2:", "Dan is de volgende stap: Stap 3: de generalist van de gemeente")
    await walk.send("escalate", up("municipal_generalist"), "municipal_generalist")
    await walk.send(CONVERSATION, talk("municipal_generalist", day), "municipal_generalist")
    await walk.send("escalate", up("complaints_committee"), "municipal_generalist")
    await reads("Hij ligt nu bij: Stap 4: de klachtencommissie", never=(NEXT,))

    await walk.send(
        "file-complaint", complaint("complaints_committee", day, "web_form"), "complaints_committee"
    )
    await reads(
        "Je klacht is in behandeling bij: Stap 4: de klachtencommissie",
        f"Er wordt contact met je opgenomen: uiterlijk {said_due(day, '2wd')}",
        f"Je hoort of je klacht in behandeling wordt genomen: uiterlijk {said_due(day, '4w')}",
    )
    await walk.send("record-first-contact", {"channel": "email"}, "complaints_committee")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    await walk.send("request-judgement", asked("complaints_committee", day), "complaints_committee")
    judged_by = said_due(day, "6w")
    await reads(
        "Je hebt om een oordeel gevraagd. Je klacht ligt nu bij: Stap 4: de klachtencommissie",
        f"Je krijgt een oordeel over je klacht: uiterlijk {judged_by}",
    )

    scheduled = hearing(day)
    await walk.send("schedule-hearing", scheduled, "complaints_committee")
    page = await reads("Uitnodiging voor de hoorzitting")
    invitation = await parent.page_letter(page, "Uitnodiging voor de hoorzitting", "hearing_invitation")
    invitation.says(invited(day), "Beide partijen worden gehoord.")
    await walk.send("record-hearing", held(scheduled), "complaints_committee")
    reasoning = "De begeleider had eerder op de vragen van Sam moeten reageren."
    given = {**judgement("complaints_committee", day), "reasoning": reasoning}
    await walk.send("give-judgement", given, "complaints_committee")
    page = await reads(f"Er is een oordeel over je klacht: deels gegrond. {MEASURES_TO_COME}")
    verdict = await parent.page_letter(page, "Het oordeel", "judgement")
    measures_by = said_due(day, "1m")
    verdict.says(
        f"De klachtencommissie heeft op {dutch_date(day)} een oordeel gegeven",
        "Het oordeel is: uw klacht is deels gegrond.",
        f"De motivering: {reasoning}",
        f"Uiterlijk op {measures_by} laat Ik ben er ook! Kindercoaching en Begeleiding u schriftelijk weten",
    )
    assert "Bent u het niet eens met het oordeel?" not in verdict.text  # the procedure names no route on

    measure = "Elke vraag van een ouder krijgt binnen een week antwoord."
    carried_out = day + timedelta(days=30)
    announced = {
        "measures_taken": True,
        "measures": [measure],
        "implementation_due_on": carried_out.isoformat(),
    }
    await walk.send("announce-measures", announced, "manager")
    page = await reads("Er is een oordeel over je klacht: deels gegrond.", never=(MEASURES_TO_COME,))
    measures = await parent.page_letter(page, "Maatregelen", "measures")
    measures.says(f"- {measure}", f"De maatregelen worden uiterlijk op {dutch_date(carried_out)} uitgevoerd.")

    await walk.send("close", {"resolution": "judged", "outcome": "partly_upheld"}, "complaints_committee")
    page = await reads(
        "Je klacht is afgehandeld. De zaak is gesloten.",
        never=("Je klacht intrekken", "Wat komt er, en wanneer?", NEXT),
    )
    closure = await parent.page_letter(page, "De zaak is gesloten", "case_closed")
    closure.says("De zaak is afgesloten als: oordeel gegeven (oordeel: deels gegrond).")
    assert parent.kinds() == ["acknowledgement", "hearing_invitation", "judgement", "measures", "case_closed"]
    parent.received_each_once()


async def test_so_trainingsbureau_the_parent_asks_the_directors_judgement_in_writing(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, connection: httpx.AsyncClient
) -> None:
    """Mentor, the complaints officer's mediation, then the parent asks the director's judgement from the
    dossier ("schriftelijk verzoeken"): the term is extended with its reason and new date, the judgement
    names the Geschillencommissie with its last day and SKJ-tuchtrecht, and the case is closed as referred."""
    day = today()
    parent = Parent(stack, "so-trainingsbureau", connection)
    walk, first = await filed(
        stack, store, staff, parent, client_age_band="under_12", raised_with="care_worker"
    )
    assert (first["step"], first["next_step_label"]) == (
        "care_worker",
        "Contact met de leidinggevende van de mentor",
    )
    await walk.send(CONVERSATION, talk("care_worker", day), "care_worker")
    await walk.send("escalate", up("complaints_officer", "client_choice"), "care_worker")
    officer, director = "Bemiddeling door de klachtenfunctionaris", "Formeel oordeel van de directeur"
    assert (await follows(parent, "received", officer, director))["may_request"] is None
    await walk.send("assign-complaints-officer", {"officer_id": "kf-0001"}, "complaints_officer")
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kf-0001"}
    await walk.send("start-mediation", mediator, "complaints_officer")
    await follows(parent, "mediation", officer, director)
    await walk.send("conclude-mediation", {"result": "unresolved"}, "complaints_officer")
    await walk.send("file-complaint", complaint("complaints_officer", day), "complaints_officer")
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_officer")
    dossier = await follows(parent, "in_handling", officer, director)
    assert (dossier["may_request"], dossier["may_request_label"]) == ("director", director)
    filing_until = due(day, "1y", follows_atw=False)
    assert terms(dossier) == {"disputes_committee_filing": filing_until}

    assert (await parent.command("request-next-step"))["appended"] == ["JudgementRequested", "TermStarted"]
    await walk.settled()
    dossier = await follows(parent, "judgement_requested", director, None)
    assert dossier["may_request"] is None
    assert terms(dossier)["judgement"] == due(day, "6w")
    longest = extend(add_term(day, parse_term("6w")), parse_term("4w")).on
    reason = "De directeur wacht op het verslag van de mentor."
    extended = {"deadline": "judgement", "new_due_on": longest.isoformat(), "reason": reason}
    await walk.send("extend-term", extended, "director")
    dossier = await follows(parent, "judgement_requested", director, None)
    assert terms(dossier)["judgement"] == longest.isoformat()
    notice = await parent.letter(dossier, "term_extended")
    previous = said_due(day, "6w")
    notice.says(
        f"verlengd van {previous} tot uiterlijk {dutch_date(longest)}",
        f"De reden van de verlenging: {reason}",
    )

    reasoning = "De mentor heeft de afspraken over de begeleiding niet nagekomen."
    given = {**judgement("director", day, "upheld"), "reasoning": reasoning}
    await walk.send("give-judgement", given, "director")
    dossier = await follows(parent, "judged", director, None)
    assert dossier["outcome"] == "upheld"
    verdict = await parent.letter(dossier, "judgement")
    verdict.says(
        f"De directeur heeft op {dutch_date(day)} een oordeel gegeven",
        f"Het oordeel is: uw klacht is {label(Outcome.UPHELD)}.",
        f"De motivering: {reasoning}",
        "Bent u het niet eens met het oordeel? Dan kunt u verder:",
        f"- {label(ExternalBody.DISPUTES_COMMITTEE)}: de Geschillencommissie Zorg geeft een bindend advies",
        f"Dat kan tot en met {dutch_date(date.fromisoformat(filing_until))}.",
        f"- {label(ExternalBody.SKJ_DISCIPLINARY)}:",
    )
    refer = {"body": "disputes_committee", "reason": "internal_route_exhausted"}
    await walk.send("refer-externally", refer, "complaints_officer")
    await walk.send("close", {"resolution": "referred_externally"}, "complaints_officer")
    dossier = await follows(parent, "closed", director, None)
    assert (dossier["terms"], dossier["may_withdraw"], dossier["resolution"]) == (
        [],
        False,
        "referred_externally",
    )
    closure = await parent.letter(dossier, "case_closed")
    closure.says(f"De zaak is afgesloten als: {label(Resolution.REFERRED_EXTERNALLY)}.")
    assert parent.kinds() == ["acknowledgement", "term_extended", "judgement", "case_closed"]
    parent.received_each_once()


async def test_save_straight_to_the_committee_which_does_not_handle_the_complaint(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, connection: httpx.AsyncClient
) -> None:
    """ "Dat kan overigens ook meteen al": the parent of a child of 12 to 17 files at the KJMN itself; the
    committee does not handle the complaint (a court decides) and says so with its ground and where to
    turn; the case is closed as not handled."""
    day = today()
    parent = Parent(stack, "save-veilig-thuis-utrecht", connection)
    committee = "Klachtencommissie Jeugd Midden-Nederland (KJMN)"
    walk, first = await filed(
        stack, store, staff, parent, client_age_band="from_12_to_17", raised_with="complaints_committee"
    )
    assert (first["step_label"], first["next_step_label"]) == (committee, None)
    await walk.send("file-complaint", complaint("complaints_committee", day), "complaints_committee")
    dossier = await follows(parent, "in_handling", committee, None)
    assert terms(dossier) == {"admissibility": due(day, "4w")}
    explanation = "Over de ondertoezichtstelling beslist de kinderrechter."
    refused = {
        "admissible": False,
        "ground": "judicial_proceedings",
        "explanation": explanation,
        "may_turn_to": "ombudsman",
    }
    await walk.send("decide-admissibility", refused, "complaints_committee")
    dossier = await follows(parent, "inadmissible", committee, None)
    notice = await parent.letter(dossier, "admissibility_decision")
    notice.says(
        "Wij nemen de klacht niet in behandeling.",
        f"De grond daarvoor is: {label(AdmissibilityGround.JUDICIAL_PROCEEDINGS)}. {explanation}",
        f"Dan kunt u zich wenden tot de {label(ExternalBody.OMBUDSMAN)}.",
    )
    await walk.send("close", {"resolution": "inadmissible"}, "complaints_committee")
    dossier = await follows(parent, "closed", committee, None)
    closure = await parent.letter(dossier, "case_closed")
    closure.says(f"De zaak is afgesloten als: {label(Resolution.INADMISSIBLE)}.")
    assert parent.kinds() == ["acknowledgement", "admissibility_decision", "case_closed"]
    parent.received_each_once()


async def test_akj_the_parent_withdraws_through_the_dossier(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, connection: httpx.AsyncClient
) -> None:
    """The confidant explores the problem, the client goes on to the care worker, and the parent withdraws
    from the dossier (a retry with its key is the same withdrawal): one confirmation, the case closed."""
    day = today()
    parent = Parent(stack, "akj-zorgbelang-drenthe", connection)
    walk, first = await filed(
        stack, store, staff, parent, client_age_band="from_12_to_17", raised_with="confidant"
    )
    explore, talk_to = (
        "Verkennen van het probleem met de vertrouwenspersoon",
        "Gesprek met degene met wie het probleem ontstaan is",
    )
    assert (first["step_label"], first["next_step_label"]) == (explore, talk_to)
    contact = confidant_contact(day, "phone", anonymous=False)
    await walk.send("register-confidant-contact", contact, "confidant")
    await walk.send("escalate", up("care_worker"), "care_worker")
    dossier = await follows(
        parent, "received", talk_to, "Gesprek met de directe leidinggevende of aangewezen persoon"
    )
    assert dossier["may_withdraw"] is True
    reason = "Het gesprek met de begeleider heeft geholpen."
    withdrawn = await parent.command("withdraw", key="intrekken", reason=reason)
    assert withdrawn["appended"][0] == "ComplaintWithdrawn"
    assert (await parent.command("withdraw", key="intrekken", reason=reason))["replayed"] is True
    await walk.settled()
    dossier = await follows(parent, "withdrawn", talk_to, None)
    assert (dossier["may_withdraw"], dossier["may_add_information"], dossier["terms"]) == (False, False, [])
    confirmation = await parent.letter(dossier, "withdrawal_confirmed")
    confirmation.says("ingetrokken. Wij stoppen met de behandeling.")
    assert parent.kinds() == ["acknowledgement", "withdrawal_confirmed"]
    parent.received_each_once()


async def test_lsr_mediation_then_the_committee_extends_hears_and_judges(
    stack: Stack, store: EventStore, staff: httpx.AsyncClient, connection: httpx.AsyncClient
) -> None:
    """The external confidant, the complaints mediator, then the committee under the Awb: ten weeks from
    the complaint, extended once by four with its reason, the hearing, the judgement naming the Nationale
    ombudsman, the closure."""
    day = today()
    parent = Parent(stack, "lsr", connection)
    walk, first = await filed(
        stack, store, staff, parent, client_age_band="under_12", raised_with="confidant"
    )
    assert first["step_label"] == "Informatie, advies en verheldering door de vertrouwenspersoon"
    contact = confidant_contact(day, "email", anonymous=False)
    await walk.send("register-confidant-contact", contact, "confidant")
    await walk.send("escalate", up("complaints_officer", "client_choice"), "complaints_officer")
    mediation, committee = "Klachtbemiddeling of ombudsfunctie", "Formele klacht bij de klachtencommissie"
    await follows(parent, "received", mediation, committee)
    await walk.send("assign-complaints-officer", {"officer_id": "kb-0001"}, "complaints_officer")
    mediator = {"mediator_role": "complaints_officer", "mediator_id": "kb-0001"}
    await walk.send("start-mediation", mediator, "complaints_officer")
    await follows(parent, "mediation", mediation, committee)
    await walk.send("conclude-mediation", {"result": "unresolved"}, "complaints_officer")
    await walk.send("escalate", up("complaints_committee"), "complaints_officer")
    await walk.send("file-complaint", complaint("complaints_committee", day), "complaints_committee")
    await follows(parent, "in_handling", committee, None)
    await walk.send("decide-admissibility", {"admissible": True}, "complaints_committee")
    await walk.send("request-judgement", asked("complaints_committee", day), "complaints_committee")
    dossier = await follows(parent, "judgement_requested", committee, None)
    assert terms(dossier) == {"judgement": due(day, "10w")}

    longest = extend(add_term(day, parse_term("10w")), parse_term("4w")).on
    reason = "De commissie wacht op stukken van de organisatie."
    extended = {"deadline": "judgement", "new_due_on": longest.isoformat(), "reason": reason}
    await walk.send("extend-term", extended, "complaints_committee")
    dossier = await follows(parent, "judgement_requested", committee, None)
    assert terms(dossier) == {"judgement": longest.isoformat()}
    notice = await parent.letter(dossier, "term_extended")
    previous = said_due(day, "10w")
    notice.says(
        f"verlengd van {previous} tot uiterlijk {dutch_date(longest)}",
        f"De reden van de verlenging: {reason}",
    )

    scheduled = hearing(day)
    await walk.send("schedule-hearing", scheduled, "complaints_committee")
    invitation = await parent.letter(await parent.dossier(), "hearing_invitation")
    invitation.says(invited(day))
    await walk.send("record-hearing", held(scheduled), "complaints_committee")
    reasoning = "De organisatie heeft de afspraken met de ouders correct uitgevoerd."
    given = {**judgement("complaints_committee", day, "rejected"), "reasoning": reasoning}
    await walk.send("give-judgement", given, "complaints_committee")
    dossier = await follows(parent, "judged", committee, None)
    verdict = await parent.letter(dossier, "judgement")
    verdict.says(
        f"Het oordeel is: uw klacht is {label(Outcome.REJECTED)}.",
        f"De motivering: {reasoning}",
        f"- {label(ExternalBody.OMBUDSMAN)}: de Nationale ombudsman onderzoekt of uw klacht behoorlijk",
    )
    await walk.send("close", {"resolution": "judged", "outcome": "rejected"}, "complaints_committee")
    closure = await parent.letter(await follows(parent, "closed", committee, None), "case_closed")
    closure.says(
        f"De zaak is afgesloten als: {label(Resolution.JUDGED)} (oordeel: {label(Outcome.REJECTED)})."
    )
    assert parent.kinds() == [
        "acknowledgement",
        "term_extended",
        "hearing_invitation",
        "judgement",
        "case_closed",
    ]
    parent.received_each_once()
