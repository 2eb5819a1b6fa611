"""Figures and contacts for the report tests, made by hand: a provider's three years and a confidant
organisation's quarters, with small counts where they must be hidden."""

from __future__ import annotations

from datetime import date

from services.reporting.domain.figures import ALL, OPEN, Dimension, Figure, Figures, HandlingTime
from services.reporting.domain.reports.contacts import ContactCount, ContactDimension, ContactFigures
from services.reporting.domain.reports.model import Letterhead
from services.reporting.domain.tables import Period

TENANT = "so-trainingsbureau"
LETTERHEAD = Letterhead("SO! Trainingsbureau", email="info@sotrainingsbureau.nl")
MADE_ON = date(2027, 1, 15)
YEAR = Period(2026, None)


def provider_figures() -> Figures:
    """2026: bejegening 6, 8, 0, 0 by quarter; procedureel 4 (small), 0, 7, 5; 2025 bejegening 3
    (small, in Q2), 2024 bejegening 12 (Q1). Cases per quarter of 2026 10, 8, 7, 5; 25 judged upheld, 5
    open; the judgement term met 12 and 10 times, breached 3 times. Every year figure is the sum of its
    quarters', as the projection counts them."""
    counts: list[Figure] = []

    def add(period: str, dimension: Dimension, value: str, cases: int) -> None:
        counts.append(Figure(TENANT, period, dimension, value, cases))
        if dimension is Dimension.CASES and "-Q" in period:  # every case came in by e-mail to a worker
            counts.append(Figure(TENANT, period, Dimension.CHANNEL, "email", cases))
            counts.append(Figure(TENANT, period, Dimension.HIGHEST_STEP, "care_worker", cases))

    for year, cases in (("2024", 12), ("2025", 3), ("2026", 30)):
        add(year, Dimension.CASES, ALL, cases)
    for quarter, cases in (("2026-Q1", 10), ("2026-Q2", 8), ("2026-Q3", 7), ("2026-Q4", 5)):
        add(quarter, Dimension.CASES, ALL, cases)
        add(quarter, Dimension.OUTCOME, OPEN if quarter == "2026-Q4" else "upheld", cases)
    for quarter, treatment, procedure in (
        ("2026-Q1", 6, 4),
        ("2026-Q2", 8, 0),
        ("2026-Q3", 0, 7),
        ("2026-Q4", 0, 5),
    ):
        if treatment:
            add(quarter, Dimension.CATEGORY, "treatment", treatment)
        if procedure:
            add(quarter, Dimension.CATEGORY, "procedure", procedure)
    for quarter, cases, outcome in (("2024-Q1", 12, "upheld"), ("2025-Q2", 3, OPEN)):
        add(quarter, Dimension.CASES, ALL, cases)
        add(quarter, Dimension.OUTCOME, outcome, cases)
        add(quarter, Dimension.CATEGORY, "treatment", cases)
    add("2026-Q1", Dimension.TERM_MET, "judgement", 12)
    add("2026-Q2", Dimension.TERM_MET, "judgement", 10)
    add("2026-Q1", Dimension.TERM_BREACHED, "judgement", 3)
    add("2026", Dimension.CATEGORY, "treatment", 14)
    add("2026", Dimension.CATEGORY, "procedure", 16)
    add("2025", Dimension.CATEGORY, "treatment", 3)
    add("2024", Dimension.CATEGORY, "treatment", 12)
    add("2026", Dimension.TERM_MET, "judgement", 22)
    add("2026", Dimension.TERM_BREACHED, "judgement", 3)
    add("2026-Q1", Dimension.MEASURES, "taken", 6)
    add("2026", Dimension.MEASURES, "taken", 6)
    return Figures(tuple(sorted(counts)), (HandlingTime(TENANT, "2026", 25, 12.5, 30),))


def contact_figures() -> ContactFigures:
    """2026-Q1: 12 contacts (bejegening 9, informatieverstrekking 3), by phone 10 and e-mail 2, advice 7
    and support 5; 2026-Q2: 6 contacts by phone, information; 2025-Q4: 8 by phone, support, bejegening."""
    rows = [
        ("2026-Q1", ContactDimension.CATEGORY, "treatment", 9),
        ("2026-Q1", ContactDimension.CATEGORY, "information", 3),
        ("2026-Q1", ContactDimension.CHANNEL, "phone", 10),
        ("2026-Q1", ContactDimension.CHANNEL, "email", 2),
        ("2026-Q1", ContactDimension.KIND, "advice", 7),
        ("2026-Q1", ContactDimension.KIND, "support", 5),
        ("2026-Q2", ContactDimension.CATEGORY, "information", 6),
        ("2026-Q2", ContactDimension.CHANNEL, "phone", 6),
        ("2026-Q2", ContactDimension.KIND, "information", 6),
        ("2025-Q4", ContactDimension.CATEGORY, "treatment", 8),
        ("2025-Q4", ContactDimension.CHANNEL, "phone", 8),
        ("2025-Q4", ContactDimension.KIND, "support", 8),
    ]
    return ContactFigures.of(ContactCount(*row) for row in rows)
