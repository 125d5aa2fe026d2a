"""A finding is plain data: a stable code, where it is, and a French message.

Every message template lives here, keyed by code, so wording is changed in one
place and tests can assert on codes and cells, never on text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

MESSAGES: dict[str, str] = {
    "missing-sheet": "La feuille « {sheet} » est absente du classeur : ajoutez-la (voir le modèle créé par « igloo-xl init »).",
    "missing-column": "La colonne « {column} » est introuvable dans les 10 premières lignes de la feuille « {sheet} » : ajoutez cet en-tête.",
    "required": "« {column} » est obligatoire : saisissez une valeur.",
    "required/when": "« {column} » est obligatoire quand {condition} : saisissez une valeur.",
    "not-a-number": "« {value} » n'est pas un nombre : saisissez un nombre, par exemple 1 234,50.",
    "not-a-number/integer": "« {value} » n'est pas un nombre entier : saisissez un nombre sans décimale.",
    "not-a-date": "« {value} » n'est pas une date : saisissez une date au format JJ/MM/AAAA.",
    "not-in-list": "« {value} » ne fait pas partie de la liste autorisée ({choices}) : choisissez une valeur de la liste.",
    "out-of-range": "{value} est hors des bornes : « {column} » doit être {bounds}.",
    "bad-format": "« {value} » n'a pas le format attendu : {expected}.",
    "duplicate": "« {value} » figure déjà ligne {first_row} : « {column} » doit être unique.",
    "duplicate/dwelling": "Le logement « {value} » est déjà attribué à la famille de la ligne {first_row} : une seule famille par logement.",
    "unknown-reference": "« {value} » n'existe pas dans la feuille « {target} » : corrigez l'identifiant ou ajoutez la ligne manquante.",
    "date-order": "« {column} » ({value}) est antérieure à « {other} » ({other_value}) : vérifiez les deux dates.",
    "date-order/entry": "La date d'entrée ({value}) précède la fin des travaux du logement {dwelling} ({works_end}) : vérifiez les deux dates.",
    "date-order/works-period": "Les dates du lot sortent de la période des travaux du logement {dwelling} ({start} – {end}) : vérifiez les dates.",
    "inconsistent/not-insertion-lot": "Le lot « {value} » n'est pas un lot d'insertion : un contrat d'insertion se fait sur un lot d'insertion (Lot d'insertion = Oui).",
    "inconsistent/other-dwelling": "Le lot « {value} » est sur le logement {lot_dwelling}, pas sur celui de la famille ({dwelling}) : vérifiez le lot.",
    "inconsistent/hours": "{value} h saisies mais {computed} h calculées (montant × main-d'œuvre ÷ coût horaire × insertion) : corrigez ou videz la cellule.",
    "inconsistent/over-engagement": "« {value} » a {count} logements dans la feuille Logements pour {engaged} engagés : mettez à jour l'engagement.",
    "unbalanced-budget": "Budget {year} « {action} » déséquilibré : charges {charges} €, produits {produits} € (écart {gap} €). Ajustez le budget ou les financements.",
    "cell-error": "La cellule contient l'erreur Excel {value} : corrigez la formule ou saisissez une valeur.",
    "formula-not-computed": "La cellule contient une formule enregistrée sans sa valeur calculée : ouvrez le classeur dans Excel, recalculez (F9) et enregistrez.",
    "merged-cells": "Cellules fusionnées ({range}) dans les données : défusionnez-les pour que chaque ligne ait sa valeur.",
    "too-many-rows": "La feuille compte {rows} lignes ; seules les {limit} premières sont lues.",
    # --- contract version 2 (helper v2) ---
    "duplicate/statement": "Le relevé de ce mois pour cette famille et ce lot figure déjà ligne {first_row} : une seule ligne par mois, famille et lot (additionnez les heures).",
    "inconsistent/no-pathway": "La famille « {value} » n'a pas de ligne dans Parcours sur le lot {lot} : ajoutez son contrat d'insertion dans Parcours ou corrigez la famille ou le lot.",
    "inconsistent/hours-done": "{value} h saisies mais {computed} h dans la feuille Heures pour ce bénéficiaire et ce lot : corrigez ou videz la cellule.",
    "date-order/decision": "La date de décision ({value}) est postérieure au début de la mesure ({start}) : vérifiez les deux dates.",
    "date-order/measure-end": "La fin de la mesure ({value}) doit être après son début ({start}) : vérifiez les deux dates.",
    "out-of-range/measure-length": "La mesure dure plus de {months} mois ({value}) : une mesure ASLL dure 6 mois, renouvelable ; saisissez chaque renouvellement sur sa propre ligne.",
    "inconsistent/measure-overlap": "Cette mesure chevauche celle de la ligne {first_row} pour la même famille : deux mesures d'une famille ne peuvent pas se chevaucher ; corrigez les dates.",
    "unbalanced-in-kind": "Budget {year} « {action} » : contributions en nature déséquilibrées, charges 86 = {in_kind} € et ressources 87 = {in_kind_res} € : les deux doivent être égales.",
    "mous-over-50": "MOUS {year} « {action} » : l'État finance {mous} €, plus de la moitié des charges prévues ({charges} €) ; l'État finance la MOUS à 50 % au plus : revoyez le budget ou le plan de financement.",
    "insertion-below-charter": "Les heures d'insertion des lots ({hours} h) font {share} des heures de main-d'œuvre ({labour} h), sous le minimum de 5 % de la charte d'insertion de l'ANRU : relevez les taux d'insertion.",
    "required/follow-up": "« {column} » n'est pas renseigné pour ce contrat d'insertion : complétez-le pour le suivi du facilitateur (il devient obligatoire dès que la feuille Heures a des relevés pour ce contrat).",
    "upgrade-available": "Ce classeur suit la version 1 du modèle (manque : {missing}). Lancez « igloo-xl upgrade {path} » pour ajouter ce qui manque sans toucher à vos saisies.",
}


@dataclass(frozen=True)
class Finding:
    severity: str
    sheet: str
    cell: str
    row: int | None
    column: str
    value: Any
    code: str
    message: str
    params: dict = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("params")
        data["value"] = json_value(self.value)
        return data


def json_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def display(value: Any) -> str:
    """A value as a French reader expects it in a message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}".replace(",", "\u202f")
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return str(value)


def make(
    code: str,
    *,
    sheet: str,
    column: str = "",
    row: int | None = None,
    letter: str = "",
    value: Any = None,
    severity: str = ERROR,
    variant: str = "",
    **params: Any,
) -> Finding:
    """Build a finding; the message is MESSAGES["code/variant"] (or MESSAGES[code]) filled with the params."""
    fill = {k: display(v) for k, v in params.items()}
    fill.update(sheet=sheet, column=column, value=display(value))
    cell = f"{letter}{row}" if letter and row else ""
    return Finding(
        severity=severity,
        sheet=sheet,
        cell=cell,
        row=row,
        column=column,
        value=value,
        code=code,
        message=MESSAGES[f"{code}/{variant}" if variant else code].format(**fill),
        params=params,
    )
