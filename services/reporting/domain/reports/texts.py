"""The Dutch text of the reports, as templates filled with published figures only.

A figure in a sentence is a published cell of one of the report's protected tables (or ``x`` when it is
suppressed there), so the text never says more than the tables do.
"""

from __future__ import annotations

from typing import Final

from klachtspoor.disclosure import SECRET, Published

TITLES: Final = {
    "jaaranalyse": "Jaaranalyse klachten {year}",
    "kwartaalrapportage": "Kwartaalrapportage vertrouwenswerk {period}",
    "trendrapportage": "Trendrapportage vertrouwenswerk {period}",
}

DISCLOSURE: Final = (
    "Cijfers van 1 tot en met {small} {unit} zijn geheim gehouden en staan als x in de tabellen; waar "
    "een geheim cijfer anders uit de totalen terug te rekenen zou zijn, is ook een ander cijfer geheim "
    "gehouden. Een 0 wordt wel getoond. Percentages staan er alleen bij een basis van ten minste 10 "
    "{unit}. Zo is niemand in dit rapport te herkennen."
)

CATEGORIES: Final = (
    "De klachten zijn ingedeeld in vijf categorieën: bejegening, rapportage, informatieverstrekking, "
    "procedureel en klachtenafhandeling (gemiste termijnen, ontbrekende of onvolledige klachtverslagen); "
    "wat daar niet onder valt staat bij overig. Een klacht kan meer dan één categorie raken en telt dan "
    "in elk daarvan."
)


def disclosure(threshold: int, unit: str) -> str:
    return DISCLOSURE.format(small=threshold - 1, unit=unit)


def figure(cell: Published) -> str:
    """A published figure as text: the count, or ``x`` (geheim)."""
    return SECRET if cell.value is None else str(cell.value)


def percent(value: float | None) -> str:
    """``42,9%`` (Dutch decimal comma), or ``x`` where no percentage may be given."""
    return SECRET if value is None else f"{value:.1f}%".replace(".", ",")


def days(value: float) -> str:
    """Working days with a decimal comma, without a needless ``,0``."""
    return f"{value:g}".replace(".", ",")
