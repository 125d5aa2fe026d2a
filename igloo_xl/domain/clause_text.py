"""The insertion clause of a lot, in French, with its figures: ready to paste into the tender."""

from __future__ import annotations

from igloo_xl.validation.findings import display
from igloo_xl.domain.insertion import InsertionLot


def _pct(rate: float) -> str:
    text = f"{rate * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def _money(value: float) -> str:
    return display(float(value)) + " €"


def clause(lot: InsertionLot, landlord: str, coordinator: str) -> str:
    labour_hours = lot.amount * lot.labour_rate / lot.hourly_cost
    return (
        f"Clause d'insertion sociale – lot {lot.id} ({lot.trade}), logement {lot.dwelling}\n"
        f"Le titulaire du lot {lot.id} « {lot.trade} » du marché passé par {landlord} "
        f"(montant {_money(lot.amount)} HT) s'engage à réaliser une action d'insertion représentant au moins "
        f"{lot.hours_owed} heures de travail, soit {_pct(lot.insertion_rate)} des {display(round(labour_hours))} heures "
        f"de main-d'œuvre estimées du lot (part de main-d'œuvre {_pct(lot.labour_rate)} du montant, "
        f"coût horaire de référence {_money(lot.hourly_cost)}).\n"
        "Le titulaire peut remplir cet engagement :\n"
        "1. par l'embauche directe, en contrat de travail, d'une personne en difficulté d'accès à l'emploi ;\n"
        "2. par la mise à disposition de salariés en insertion par une structure d'insertion par l'activité économique "
        "(entreprise de travail temporaire d'insertion, association intermédiaire, groupement d'employeurs pour "
        "l'insertion et la qualification) ;\n"
        f"3. par l'accueil, sous contrat d'insertion, du bénéficiaire du programme IGLOO désigné pour ce logement, "
        f"membre de la famille qui en deviendra locataire, accompagné par {coordinator} et ses partenaires.\n"
        f"Les heures réalisées sont suivies par {coordinator}, coordonnateur du programme, qui en rend compte au "
        f"maître d'ouvrage ; le titulaire lui transmet chaque mois les justificatifs (contrats, relevés d'heures)."
    )
