"""The insertion clause of a lot, in French, with its figures: paragraphs a buyer pastes into the
tender (cahier des clauses administratives particulières) as they are."""

from __future__ import annotations

from functools import lru_cache

from igloo_xl.domain.insertion import ClauseTerms, InsertionLot
from igloo_xl.model.params import Facilitator
from igloo_xl.validation.findings import display

STATEMENT_DAY = 10  # the monthly statement reaches the facilitator by this day of the following month


def _pct(rate: float) -> str:
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def _money(value: float) -> str:
    return display(float(value)) + " €"


def _hours(value: float) -> str:
    """Hours to one decimal, French style: 1 234,5 (no decimal when whole)."""
    text = f"{float(value):,.1f}".replace(",", "\u202f").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _facilitator(f: Facilitator, coordinator: str) -> str:
    who = ", ".join(part for part in (f.name, f.structure) if part) or f"le facilitateur désigné par {coordinator}"
    reach = " ; ".join(part for part in (f"courriel : {f.email}" if f.email else "", f"téléphone : {f.phone}" if f.phone else "") if part)
    return who + (f" ({reach})" if reach else "")


def clause_title(lot: InsertionLot, landlord: str) -> str:
    return f"Clause sociale d'insertion – {landlord} – lot {lot.id} « {lot.trade} », logement {lot.dwelling}"


@lru_cache(maxsize=64)
def _programme_articles(coordinator: str, publics: tuple[str, ...], contact: str) -> tuple[str, ...]:
    """Articles 3 to 6: the same for every lot of the programme (written once, not once per lot)."""
    publics_text = "\n".join(f"– {p} ;" for p in publics[:-1]) + (f"\n– {publics[-1]}." if publics else "")
    return (
        "Article 3 – Publics éligibles. Les heures d'insertion sont réalisées par des personnes des publics "
        "suivants, dont l'éligibilité est vérifiée par le facilitateur avant leur prise de poste :\n" + publics_text,
        "Article 4 – Modalités de réalisation. Le titulaire choisit librement une ou plusieurs des manières suivantes :\n"
        "1. l'embauche directe d'une ou de plusieurs personnes éligibles (contrat à durée déterminée ou indéterminée, "
        "contrat d'apprentissage ou de professionnalisation, contrat aidé) ;\n"
        "2. la mise à disposition de salariés en insertion par une entreprise de travail temporaire d'insertion (ETTI), "
        "une association intermédiaire (AI) ou un groupement d'employeurs pour l'insertion et la qualification (GEIQ) ;\n"
        "3. la sous-traitance ou la cotraitance d'une partie du lot avec une structure d'insertion par l'activité "
        "économique (SIAE), les heures de ses salariés en insertion sur le lot étant comptées ;\n"
        "4. la formation de personnes éligibles aux métiers du lot, les heures de formation étant comptées.\n"
        f"Dans le cadre du programme IGLOO, {coordinator} propose en priorité au titulaire le bénéficiaire du "
        "programme IGLOO désigné pour ce logement, membre de la famille qui en deviendra locataire.",
        f"Article 5 – Facilitateur. Le titulaire est accompagné par {contact}. Le facilitateur "
        "l'aide à choisir la modalité de réalisation, lui présente des candidats éligibles, vérifie leur "
        "éligibilité, suit les parcours et rend compte de l'exécution de la clause au maître d'ouvrage. Le "
        "titulaire désigne, dès la notification du marché, la personne chargée de la clause dans son entreprise.",
        "Article 6 – Relevé mensuel. Chaque mois d'exécution, au plus tard le "
        f"{STATEMENT_DAY} du mois suivant, le titulaire adresse au facilitateur le relevé des heures d'insertion "
        "réalisées sur le lot au cours du mois écoulé, par personne et par modalité, avec ses justificatifs "
        "(relevé d'heures de l'entreprise, attestation de l'ETTI, de l'AI ou du GEIQ, attestation de la SIAE, "
        "attestation de formation). Un mois sans relevé est considéré comme un mois sans heure d'insertion "
        "réalisée, jusqu'à réception du relevé.",
    )


def clause_paragraphs(lot: InsertionLot, landlord: str, terms: ClauseTerms) -> list[str]:
    """The clause, paragraph by paragraph (numbered articles), every figure of the lot written out."""
    penalty_per_hour = terms.penalty_per_hour
    contact = _facilitator(terms.facilitator, terms.coordinator)
    paragraphs = [
        clause_title(lot, landlord),
        "Article 1 – Fondement et objet. En application de l'article L2112-2 du code de la commande publique, "
        f"l'exécution du lot {lot.id} « {lot.trade} » du marché passé par {landlord} (logement {lot.dwelling}"
        + (f", {lot.address}" if lot.address else "")
        + ") comporte une condition d'exécution à caractère social : le titulaire consacre une partie des heures "
        "de travail du lot à l'insertion professionnelle de personnes éloignées de l'emploi. Cette condition "
        "s'impose au titulaire quelle que soit son offre ; elle n'est pas un critère de choix des offres.",
        f"Article 2 – Volume d'heures. Le titulaire réalise au moins {lot.hours_owed} heures de travail d'insertion "
        "pendant l'exécution du lot. Ce volume est calculé ainsi : montant du lot "
        f"{_money(lot.amount)} HT × part de la main-d'œuvre {_pct(lot.labour_rate)} ÷ coût horaire de référence "
        f"{_money(lot.hourly_cost)} = {_hours(lot.labour_hours)} heures de main-d'œuvre estimées ; "
        f"× taux d'insertion {_pct(lot.insertion_rate)} = {lot.hours_owed} heures, arrondies à l'heure la plus proche. "
        "Les heures réalisées au-delà de ce volume sont comptées au bilan de la clause.",
        *_programme_articles(terms.coordinator, tuple(terms.publics), contact),
    ]
    if penalty_per_hour:
        paragraphs.append(
            "Article 7 – Pénalité. Si, à la réception du lot, le titulaire n'a pas réalisé les heures d'insertion "
            "dues et ne justifie pas d'un empêchement reconnu par le maître d'ouvrage après avis du facilitateur, il "
            f"supporte une pénalité de {_money(penalty_per_hour)} par heure d'insertion non réalisée, soit au plus "
            f"{_money(penalty_per_hour * lot.hours_owed)} pour ce lot."
        )
    else:
        paragraphs.append(
            "Article 7 – Suivi de l'engagement. Le marché ne fixe pas de pénalité chiffrée pour les heures non "
            "réalisées ; le facilitateur signale au maître d'ouvrage tout retard dans l'exécution de la clause, "
            "qui en fait état dans l'appréciation de l'exécution du marché."
        )
    return paragraphs


def clause(lot: InsertionLot, landlord: str, terms: ClauseTerms) -> str:
    """The whole clause as one text (paragraphs separated by a blank line)."""
    return "\n\n".join(clause_paragraphs(lot, landlord, terms))


def no_clause_reason(lot: InsertionLot, min_hours: float) -> str:
    return (
        f"Pas de clause : {lot.hours_owed} heures d'insertion calculées, moins que le minimum de "
        f"{_hours(min_hours)} heures fixé dans Paramètres (une obligation aussi faible ne se met pas dans un marché)."
    )
