"""The contact figures as a pure function of the contact facts: per tenant, period (year and quarter of the
day of contact), basis and dimension; and the facts an event gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from reporting_helpers import signal

from contracts.base import Actor
from contracts.events import AdviceContactRegistered, ConfidantContactRegistered
from contracts.vocabulary import Category, Channel, ContactKind, Role
from services.reporting.domain.contacts import (
    ContactBasis,
    ContactDimension,
    ContactFacts,
    contact_facts,
    contact_figures,
)
from services.reporting.domain.events import CaseEvent, Payload

AKJ = "akj-zorgbelang-drenthe"
B = ContactBasis
D = ContactDimension


def facts(**fields: Any) -> ContactFacts:
    values: dict[str, Any] = {
        "tenant": AKJ,
        "stream": f"contact:{AKJ}:{uuid4()}",
        "contact_id": uuid4(),
        "basis": B.WITHOUT_CASE,
        "contacted_on": date(2026, 3, 31),
        "kind": ContactKind.ADVICE,
        "channel": Channel.PHONE,
        "categories": frozenset(),
        "organisation_concerned": None,
    }
    return ContactFacts(**(values | fields))


def event(payload: Payload, stream: str, tenant: str) -> CaseEvent:
    moment = datetime(2026, 3, 5, 10, tzinfo=UTC)
    return CaseEvent(
        event_id=uuid4(),
        tenant=tenant,
        case_id=UUID(stream.rsplit(":", 1)[1]),
        stream=stream,
        version=0,
        type=type(payload).__name__,
        actor=Actor(id="vp-1", role=Role.CONFIDANT),
        occurred_at=moment,
        recorded_at=moment,
        payload=payload,
    )


def test_every_contact_counts_in_its_year_and_quarter_per_basis_and_dimension() -> None:
    figures = contact_figures(
        [
            facts(
                categories=frozenset({Category.TREATMENT, Category.PROCEDURE}), organisation_concerned="demo"
            ),
            facts(contacted_on=date(2026, 4, 1), kind=ContactKind.INFORMATION, channel=Channel.CHAT),
            facts(
                basis=B.ON_CASE,
                kind=None,
                categories=frozenset({Category.TREATMENT}),
                organisation_concerned="demo",
            ),
            facts(tenant="lsr", contacted_on=date(2025, 12, 31)),
        ]
    )
    assert figures.count(AKJ, "2026", D.CONTACTS, "all") == 3
    assert figures.count(AKJ, "2026-Q1", D.CONTACTS, "all") == 2
    assert figures.count(AKJ, "2026-Q2", D.CONTACTS, "all") == 1
    assert figures.count(AKJ, "2026", D.CONTACTS, "all", B.WITHOUT_CASE) == 2
    assert figures.count(AKJ, "2026", D.CONTACTS, "all", B.ON_CASE) == 1
    assert figures.count(AKJ, "2026-Q1", D.KIND, "advice") == 1
    assert figures.count(AKJ, "2026-Q1", D.KIND, "unknown", B.ON_CASE) == 1
    assert figures.count(AKJ, "2026-Q2", D.KIND, "information") == 1
    assert figures.count(AKJ, "2026", D.CATEGORY, "treatment") == 2
    assert figures.count(AKJ, "2026", D.CATEGORY, "procedure") == 1
    assert figures.count(AKJ, "2026", D.CATEGORY, "none") == 1
    assert figures.count(AKJ, "2026", D.CHANNEL, "phone") == 2
    assert figures.count(AKJ, "2026", D.ORGANISATION, "demo") == 2
    assert figures.count(AKJ, "2026", D.ORGANISATION, "none") == 1
    assert figures.values(AKJ, "2026", D.CATEGORY) == ("none", "procedure", "treatment")
    assert figures.count("lsr", "2025-Q4", D.CONTACTS, "all") == 1
    assert figures.count("lsr", "2026", D.CONTACTS, "all") == 0


def test_the_same_facts_in_another_order_give_the_same_figures() -> None:
    rows = [facts(), facts(contacted_on=date(2026, 7, 1)), facts(basis=B.ON_CASE, kind=None)]
    assert contact_figures(rows) == contact_figures(reversed(rows))
    assert list(contact_figures(rows).counts) == sorted(contact_figures(rows).counts)


def test_a_contact_on_no_case_counts_for_its_tenant_one_on_a_case_for_the_named_organisation() -> None:
    contact_id, case_id = uuid4(), uuid4()
    advice = AdviceContactRegistered(
        contact_id=contact_id,
        contacted_on=date(2026, 3, 4),
        channel=Channel.EMAIL,
        kind=ContactKind.SUPPORT,
        categories=(Category.INFORMATION,),
        organisation_concerned="demo",
    )
    without = contact_facts(event(advice, f"contact:{AKJ}:{contact_id}", AKJ))
    assert without == facts(
        stream=f"contact:{AKJ}:{contact_id}",
        contact_id=contact_id,
        contacted_on=date(2026, 3, 4),
        kind=ContactKind.SUPPORT,
        channel=Channel.EMAIL,
        categories=frozenset({Category.INFORMATION}),
        organisation_concerned="demo",
    )
    on_case = ConfidantContactRegistered(
        contact_id=contact_id,
        confidant_id="vp-1",
        contacted_on=date(2026, 3, 4),
        channel=Channel.CHAT,
        anonymous=True,
    )
    case = event(on_case, f"case:so-trainingsbureau:{case_id}", "so-trainingsbureau")
    named = contact_facts(case, AKJ)
    assert named is not None
    assert (named.tenant, named.basis, named.kind, named.organisation_concerned) == (
        AKJ,
        B.ON_CASE,
        None,
        "so-trainingsbureau",
    )
    own = contact_facts(case, None)
    assert own is not None and own.tenant == "so-trainingsbureau"
    assert contact_facts(event(signal(), f"case:demo:{case_id}", "demo")) is None
