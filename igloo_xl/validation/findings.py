"""A finding is plain data: a stable code, where it is, and a French message.

MESSAGES is the one table of finding codes: each entry (`code` or `code/variant`) has a French
title, a French description of when it is raised, and the French template of its message. Tests
fill every template and the docs test checks that the README lists every code.

Adding a code: append one entry to MESSAGES,
    "my-code": Code("Titre", "Quand ce constat est fait.", "Message avec {value} et {column}."),
(a variant is "my-code/variant"), then add a row to the README's table of codes. A plain string
entry ("my-code": "Message…") still works; the tests will ask for its title and description.
A template may use {sheet}, {column}, {value} and any parameter given to `make`; a parameter
missing when the finding is made shows as « … » instead of raising.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

ERROR = "error"
WARNING = "warning"


class Code(NamedTuple):
    title: str
    description: str
    template: str


MESSAGES: dict[str, Code | str] = {
    "missing-sheet": Code(
        "Feuille absente", "Une feuille du contrat est introuvable dans le classeur.",
        "La feuille « {sheet} » est absente du classeur : ajoutez-la (voir le modèle créé par « igloo-xl init »)."),
    "missing-sheet/similar": Code(
        "Feuille renommée", "Une feuille du contrat est introuvable, mais une feuille au nom voisin existe.",
        "La feuille « {sheet} » est absente ; la feuille « {similar} » lui ressemble : renommez-la « {sheet} »."),
    "missing-column": Code(
        "Colonne absente", "Un en-tête du contrat est introuvable dans les 10 premières lignes de la feuille.",
        "La colonne « {column} » est introuvable dans les 10 premières lignes de la feuille « {sheet} » : ajoutez cet en-tête."),
    "required": Code(
        "Valeur obligatoire", "Une cellule obligatoire est vide.",
        "« {column} » est obligatoire : saisissez une valeur."),
    "required/when": Code(
        "Valeur obligatoire dans ce cas", "Une cellule devient obligatoire à cause d'une autre valeur de la ligne.",
        "« {column} » est obligatoire quand {condition} : saisissez une valeur."),
    "not-a-number": Code(
        "Pas un nombre", "Le texte saisi ne se lit pas comme un nombre.",
        "« {value} » n'est pas un nombre : saisissez un nombre, par exemple 1 234,50."),
    "not-a-number/integer": Code(
        "Pas un nombre entier", "Un nombre à décimales dans une colonne de nombres entiers.",
        "« {value} » n'est pas un nombre entier : saisissez un nombre sans décimale."),
    "not-a-date": Code(
        "Pas une date", "Le texte saisi ne se lit pas comme une date.",
        "« {value} » n'est pas une date : saisissez une date au format JJ/MM/AAAA."),
    "not-a-date/no-such-day": Code(
        "Date inexistante", "Une date au bon format mais qui n'existe pas dans le calendrier (31/02, 30/02…).",
        "Le {value} n'existe pas dans le calendrier : vérifiez le jour et le mois."),
    "not-in-list": Code(
        "Hors liste", "Une valeur qui ne fait pas partie de la liste de la colonne.",
        "« {value} » ne fait pas partie de la liste autorisée ({choices}) : choisissez une valeur de la liste."),
    "out-of-range": Code(
        "Hors bornes", "Un nombre en dehors des bornes de sa colonne.",
        "« {column} » doit être {bounds} (valeur saisie : {value})."),
    "bad-format": Code(
        "Format inattendu", "Un identifiant ou une adresse électronique qui n'a pas la forme attendue.",
        "« {value} » n'a pas le format attendu : {expected}."),
    "duplicate": Code(
        "Doublon", "Une valeur qui doit être unique figure déjà plus haut dans la colonne.",
        "« {value} » figure déjà ligne {first_row} : « {column} » doit être unique."),
    "duplicate/dwelling": Code(
        "Logement attribué deux fois", "Deux familles occupent le même logement.",
        "Le logement « {value} » est déjà attribué à la famille de la ligne {first_row} : une seule famille par logement."),
    "unknown-reference": Code(
        "Référence inconnue", "Un identifiant qui n'existe pas dans la feuille à laquelle il renvoie.",
        "« {value} » n'existe pas dans la feuille « {target} » : corrigez l'identifiant ou ajoutez la ligne manquante."),
    "unknown-reference/rows": Code(
        "Référence inconnue sur plusieurs lignes", "Le même identifiant inconnu, regroupé pour toutes les lignes d'une feuille.",
        "« {value} » n'existe pas dans la feuille « {target} » ({count} lignes : {rows}) : corrigez l'identifiant ou ajoutez la ligne manquante."),
    "date-order": Code(
        "Dates dans le désordre", "Une date antérieure à celle qui doit la précéder.",
        "« {column} » ({value}) est antérieure à « {other} » ({other_value}) : vérifiez les deux dates."),
    "date-order/entry": Code(
        "Entrée avant la fin des travaux", "La famille entre dans un logement avant la fin de ses travaux.",
        "La date d'entrée ({value}) précède la fin des travaux du logement {dwelling} ({works_end}) : vérifiez les deux dates."),
    "date-order/works-period": Code(
        "Lot hors période des travaux", "Les dates d'un lot sortent de la période des travaux de son logement.",
        "Les dates du lot sortent de la période des travaux du logement {dwelling} ({start} – {end}) : vérifiez les dates."),
    "inconsistent": Code(
        "Incohérence", "Deux valeurs du classeur se contredisent.",
        "« {value} » ne concorde pas avec le reste du classeur : vérifiez la ligne."),
    "inconsistent/not-insertion-lot": Code(
        "Contrat hors lot d'insertion", "Un contrat d'insertion sur un lot qui n'est pas un lot d'insertion.",
        "Le lot « {value} » n'est pas un lot d'insertion : un contrat d'insertion se fait sur un lot d'insertion (Lot d'insertion = Oui)."),
    "inconsistent/other-dwelling": Code(
        "Lot d'un autre logement", "Le lot d'un parcours est sur un autre logement que celui de la famille.",
        "Le lot « {value} » est sur le logement {lot_dwelling}, pas sur celui de la famille ({dwelling}) : vérifiez le lot."),
    "inconsistent/hours": Code(
        "Heures d'insertion différentes du calcul", "Les heures saisies s'écartent de plus d'une heure du calcul du contrat.",
        "{value} h saisies mais {computed} h calculées (montant × main-d'œuvre ÷ coût horaire × insertion) : corrigez ou videz la cellule."),
    "inconsistent/over-engagement": Code(
        "Plus de logements qu'engagés", "Un bailleur a plus de logements dans la feuille Logements qu'il n'en a engagé.",
        "« {value} » a {count} logements dans la feuille Logements pour {engaged} engagés : mettez à jour l'engagement."),
    "unbalanced-budget": Code(
        "Budget déséquilibré", "Les charges d'une action et d'une année ne sont pas égales aux produits.",
        "Budget {year} « {action} » déséquilibré : charges {charges} €, produits {produits} € (écart {gap} €). Ajustez le budget ou les financements."),
    "cell-error": Code(
        "Erreur Excel", "La cellule affiche une erreur Excel (#N/A, #DIV/0!, #REF!…).",
        "La cellule contient l'erreur Excel {value} : corrigez la formule ou saisissez une valeur."),
    "formula-not-computed": Code(
        "Formule non calculée", "Une formule enregistrée sans sa valeur (fichier écrit par un programme, jamais recalculé).",
        "La cellule contient une formule enregistrée sans sa valeur calculée : ouvrez le classeur dans Excel, recalculez (F9) et enregistrez."),
    "merged-cells": Code(
        "Cellules fusionnées", "Des cellules fusionnées dans les lignes de données.",
        "Cellules fusionnées ({range}) dans les données : défusionnez-les pour que chaque ligne ait sa valeur."),
    "far-outside-cell": Code(
        "Cellule hors des tables", "Une cellule remplie très loin à droite des tables ; elle n'est pas lue.",
        "Cellule remplie très loin à droite de la table (au-delà de la colonne {limit}) : elle n'est pas lue. Déplacez son contenu dans la table ou effacez-la."),
    "far-outside-cell/more": Code(
        "Autres cellules hors des tables", "Le nombre des autres cellules remplies très loin à droite des tables.",
        "{count} autres cellules remplies au-delà de la colonne {limit} ne sont pas lues : effacez-les ou déplacez leur contenu dans la table."),
    "rule-failed": Code(
        "Règle non respectée", "Une règle de validation sans message propre n'est pas respectée (constat générique).",
        "« {value} » ne respecte pas une règle de « {column} » ({rule}) : vérifiez la valeur."),
    "rule-failed/type": Code(
        "Type inattendu", "Une valeur qui ne se convertit pas au type de sa colonne.",
        "« {value} » n'a pas le type attendu pour « {column} » ({rule}) : vérifiez la valeur."),
    "rule-failed/sheet": Code(
        "Règle de feuille non respectée", "Une règle sur la feuille entière n'est pas respectée.",
        "La feuille « {sheet} » ne respecte pas une règle ({rule}) : vérifiez-la."),
    # --- contract version 2 ---
    "duplicate/statement": Code(
        "Relevé en double", "Deux relevés d'heures pour le même mois, la même famille et le même lot.",
        "Le relevé de ce mois pour cette famille et ce lot figure déjà ligne {first_row} : une seule ligne par mois, famille et lot (additionnez les heures)."),
    "inconsistent/no-pathway": Code(
        "Relevé sans parcours", "Des heures déclarées pour une famille qui n'a pas de contrat d'insertion sur ce lot.",
        "La famille « {value} » n'a pas de ligne dans Parcours sur le lot {lot} : ajoutez son contrat d'insertion dans Parcours ou corrigez la famille ou le lot."),
    "inconsistent/hours-done": Code(
        "Heures réalisées différentes des relevés", "Les heures réalisées saisies dans Parcours s'écartent de plus d'une heure du total de la feuille Heures.",
        "{value} h saisies mais {computed} h dans la feuille Heures pour ce bénéficiaire et ce lot : corrigez ou videz la cellule."),
    "date-order/decision": Code(
        "Décision après le début", "La décision d'une mesure est postérieure à son début.",
        "La date de décision ({value}) est postérieure au début de la mesure ({start}) : vérifiez les deux dates."),
    "date-order/measure-end": Code(
        "Fin de mesure avant son début", "Une mesure dont la fin n'est pas après le début.",
        "La fin de la mesure ({value}) doit être après son début ({start}) : vérifiez les deux dates."),
    "out-of-range/measure-length": Code(
        "Mesure trop longue", "Une mesure ASLL de plus de 36 mois.",
        "La mesure dure plus de {months} mois ({value}) : une mesure ASLL dure 6 mois, renouvelable ; saisissez chaque renouvellement sur sa propre ligne."),
    "inconsistent/measure-overlap": Code(
        "Mesures qui se chevauchent", "Deux mesures de la même famille se chevauchent.",
        "Cette mesure chevauche celle de la ligne {first_row} pour la même famille : deux mesures d'une famille ne peuvent pas se chevaucher ; corrigez les dates."),
    "unbalanced-in-kind": Code(
        "Contributions en nature déséquilibrées", "Les emplois (86) et les contributions volontaires en nature (87) d'une action ne sont pas égaux.",
        "Budget {year} « {action} » : contributions en nature déséquilibrées, charges 86 = {in_kind} € et ressources 87 = {in_kind_res} € : les deux doivent être égales."),
    "mous-over-50": Code(
        "MOUS financée à plus de 50 % par l'État", "L'État finance la MOUS à 50 % de son coût au plus.",
        "MOUS {year} « {action} » : l'État finance {mous} €, plus de la moitié des charges prévues ({charges} €) ; l'État finance la MOUS à 50 % au plus : revoyez le budget ou le plan de financement."),
    "insertion-below-charter": Code(
        "Heures d'insertion sous la charte", "Les heures d'insertion du programme sont sous 5 % des heures de main-d'œuvre de ses lots (charte d'insertion de l'ANRU).",
        "Les heures d'insertion des lots ({hours} h) font {share} des heures de main-d'œuvre ({labour} h), sous le minimum de 5 % de la charte d'insertion de l'ANRU : relevez les taux d'insertion."),
    "required/follow-up": Code(
        "Suivi du contrat incomplet", "Mode de réalisation ou Public manquant sur un contrat d'insertion.",
        "« {column} » n'est pas renseigné pour ce contrat d'insertion : complétez-le pour le suivi du facilitateur (il devient obligatoire dès que la feuille Heures a des relevés pour ce contrat)."),
    "upgrade-available": Code(
        "Mise à niveau possible", "Le classeur suit une version antérieure du modèle ; la commande upgrade ajoute ce qui manque.",
        "Ce classeur suit la version 1 du modèle (manque : {missing}). Lancez « igloo-xl upgrade {path} » pour ajouter ce qui manque sans toucher à vos saisies."),
}

MISSING = "…"

# A bound written as a symbol ("> 0", "≤ 100 %") becomes words in a message.
_WHOLE_BOUNDS = {"> 0": "strictement positif", "≥ 0": "positif ou nul", ">= 0": "positif ou nul"}
_SYMBOLS = {"≥": "supérieur ou égal à ", ">=": "supérieur ou égal à ", "≤": "inférieur ou égal à ",
            "<=": "inférieur ou égal à ", ">": "supérieur à ", "<": "inférieur à "}
_SYMBOL = re.compile(r"(>=|<=|≥|≤|>|<) ?")


def bounds_words(bounds: str) -> str:
    if bounds.strip() in _WHOLE_BOUNDS:
        return _WHOLE_BOUNDS[bounds.strip()]
    return _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], bounds)


def entry(key: str) -> Code:
    """The table's entry for `code` or `code/variant` (a plain-string entry gets empty title/description)."""
    value = MESSAGES[key]
    return value if isinstance(value, Code) else Code("", "", value)


def codes() -> list[str]:
    """Every code of the table (without variants), in table order."""
    return list(dict.fromkeys(key.split("/")[0] for key in MESSAGES))


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
    variant: str = field(default="", compare=False)
    cause: str = field(default="", compare=False)  # "Familles!A4": the finding this one follows from

    @property
    def rule(self) -> str:
        """The table key: `code/variant`, or `code`."""
        return f"{self.code}/{self.variant}" if self.variant else self.code

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("params", "variant"):
            data.pop(key)
        data["value"] = json_value(self.value)
        data["rule"] = self.rule
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
        if value != value:
            return ""
        if value.is_integer():
            return f"{int(value):,}".replace(",", "\u202f")
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return str(value)


class _Fill(dict):
    def __missing__(self, key):
        return MISSING


class _SafeFormatter(string.Formatter):
    """Fills {name} only: a missing name gives « … », and no attribute or index lookup can raise."""

    def get_field(self, field_name, args, kwargs):
        name = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        return kwargs[name], name

    def format_field(self, value, format_spec):
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FORMATTER = _SafeFormatter()


def fill(template: str, values: dict) -> str:
    """The template with its values; never raises (a broken template is shown as written)."""
    try:
        return _FORMATTER.vformat(template, (), _Fill(values))
    except (ValueError, IndexError, KeyError):
        return template


def _resolve(code: str, variant: str) -> tuple[str, str, str]:
    """(code, variant, table key); a key missing from the table falls back to the code's, then to rule-failed."""
    if "/" in code:
        code, variant = code.split("/", 1)
    for key in (f"{code}/{variant}" if variant else code, code):
        if key in MESSAGES:
            return code, variant, key
    return code, variant, "rule-failed"


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
    """Build a finding; the message is MESSAGES["code/variant"] (or MESSAGES[code]) filled with the params.
    `code` may carry its variant ("not-a-number/integer"); an unknown code still gives a finding."""
    code, variant, key = _resolve(code, variant)
    values = {k: display(v) for k, v in params.items()}
    if "bounds" in values:
        values["bounds"] = bounds_words(values["bounds"])
    values.setdefault("rule", code)
    values.update(sheet=sheet, column=column, value=display(value))
    cell = f"{letter}{row}" if letter and row else ""
    return Finding(
        severity=severity,
        sheet=sheet,
        cell=cell,
        row=row,
        column=column,
        value=value,
        code=code,
        message=fill(entry(key).template, values),
        params=params,
        variant=variant,
    )


def missing_sheet(name: str, present) -> Finding:
    """A contract sheet is absent; when a sheet of the workbook looks like it, the message names it."""
    import difflib

    from igloo_xl.read.text import fold

    by_fold = {fold(p): p for p in present}
    close = difflib.get_close_matches(fold(name), list(by_fold), n=1, cutoff=0.75)
    if close:
        return make("missing-sheet", sheet=name, variant="similar", similar=by_fold[close[0]])
    return make("missing-sheet", sheet=name)


def as_consequence(f: Finding, cause: Finding, words: str) -> Finding:
    """The same finding, its message prefixed with what it follows from (« Conséquence de … (Familles A4) — »)."""
    where = f"{cause.sheet} {cause.cell}".strip()
    prefix = f"{words} ({where}) — "
    return Finding(
        severity=f.severity, sheet=f.sheet, cell=f.cell, row=f.row, column=f.column, value=f.value, code=f.code,
        message=prefix + f.message[:1].lower() + f.message[1:] if f.message[:1] != "«" else prefix + f.message,
        params=f.params, variant=f.variant, cause=f"{cause.sheet}!{cause.cell}",
    )
