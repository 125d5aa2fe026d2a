"""One module per sheet of the contract: its columns and its rules, nothing that runs them."""

from igloo_xl.schemas import accompagnement, bailleurs, budget, calendrier, familles, financements, heures, logements, lots, mesures, parcours

SHEETS = {
    m.SHEET.name: m.SHEET
    for m in (familles, logements, bailleurs, lots, parcours, heures, financements, budget, calendrier, accompagnement, mesures)
}
