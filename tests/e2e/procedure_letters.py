"""What each procedure's acknowledgement says on the running stack: the terms its policy sets for a
signal (none at the first step, so no date is promised), its own confidant (organisation-level contact
only) and the next rung of its ladder. Lines are verbatim from the plain-text mail."""

from __future__ import annotations

from dataclasses import dataclass

AKJ = "Vertrouwenswerk Jeugdzorg Drenthe (AKJ en Zorgbelang Drenthe)"
NO_TERM = "Uiterlijk op"
"""No procedure sets a term for a signal at its first step: the acknowledgement promises no date."""


@dataclass(frozen=True)
class Acknowledgement:
    """What a procedure's acknowledgement says (each line verbatim) and must never say."""

    says: tuple[str, ...]
    never: tuple[str, ...] = ()


ACKNOWLEDGEMENTS = {
    "ik-ben-er-ook": Acknowledgement(
        says=(
            "Uw melding ligt bij deze stap: Stap 1: ontevredenheid bespreken met de begeleider.",
            "de volgende stap: Stap 2: de vertrouwenspersoon van Ik ben er ook! De stappen",
            "De stappen worden één voor één gezet.",
            "Ik ben er ook! Kindercoaching en Begeleiding heeft een eigen vertrouwenspersoon",
        ),
        never=(NO_TERM, "AKJ", "088 555 1000", "U bepaalt zelf"),
    ),
    "so-trainingsbureau": Acknowledgement(
        says=(
            "Uw melding ligt bij deze stap: Gesprek met de regiebehandelaar of mentor (klantsignaal).",
            "de volgende stap: Contact met de leidinggevende van de mentor.",
            "De stappen worden één voor één gezet.",
            f"Een vertrouwenspersoon van {AKJ} helpt u gratis en in vertrouwen, los van SO! Trainingsbureau",
            "Bel 088 555 1000.",
        ),
        never=(NO_TERM,),
    ),
    "save-veilig-thuis-utrecht": Acknowledgement(
        says=(
            "Uw melding ligt bij deze stap: Klachtgesprek met de medewerker.",
            "de volgende stap: Klachtgesprek met de regiomanager.",
            "u mag ook meteen voor een latere stap kiezen",
            f"Een vertrouwenspersoon van {AKJ} helpt u gratis en in vertrouwen",
            "Geen cliënt, of cliënt van Veilig Thuis Utrecht: bel 0800-2000.",
        ),
        never=(NO_TERM,),
    ),
    "akj-zorgbelang-drenthe": Acknowledgement(
        says=(
            "Uw melding ligt bij deze stap: Verkennen van het probleem met de vertrouwenspersoon.",
            "de volgende stap: Gesprek met degene met wie het probleem ontstaan is.",
            "u mag ook meteen voor een latere stap kiezen",
            f"De vertrouwenspersonen van {AKJ} helpen u gratis en in vertrouwen",
            "Bel 088 555 1000.",
        ),
        never=(NO_TERM, "los van"),
    ),
    "lsr": Acknowledgement(
        says=(
            "Uw melding ligt bij deze stap: Informatie, advies en verheldering door de vertrouwenspersoon.",
            "de volgende stap: Gesprek met degene over wie de onvrede gaat.",
            "u mag ook meteen voor een latere stap kiezen",
            "De vertrouwenspersonen van LSR Vertrouwenswerk en klachtopvang helpen u",
            "Bel 030-293 76 64.",
            "Mail naar info@hetlsr.nl.",
        ),
        never=(NO_TERM, "AKJ", "088 555 1000", "info@akj.nl"),
    ),
}
