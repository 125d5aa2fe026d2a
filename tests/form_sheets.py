"""Reading the generated Cerfa sheets (python-calamine, cached values) and computing what they should
say from the master's tables (openpyxl), without igloo_xl code. Shared by the budget and report tests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import openpyxl
from cerfa_reference import CHARGES, PRODUITS, SUBSIDY_ROW
from python_calamine import CalamineWorkbook
from xlsx_compare import master_tables, table_rows

FUNDER = {"CAMSA": "État / CAMSA", "FSL": "Conseil Général (FSL)"}
ACTIONS = ["Coordination", "Accompagnement social", "Travaux", "Insertion professionnelle"]
# Sub-accounts -> the form's unnumbered line under their class, as the issue lists them (index in CHARGES)
SUB_LINE = {"604": "Prestations de services", "601": "Achats matières et fournitures", "606": "Autres fournitures",
            "613": "Locations", "614": "Locations", "615": "Entretien et réparation", "616": "Assurance",
            "618": "Documentation", "621": "Rémunérations intermédiaires et honoraires",
            "622": "Rémunérations intermédiaires et honoraires", "623": "Publicité, publication",
            "625": "Déplacements, missions", "626": "Services bancaires, autres", "627": "Services bancaires, autres",
            "628": "Services bancaires, autres", "631": "Impôts et taxes sur rémunération",
            "633": "Impôts et taxes sur rémunération", "635": "Autres impôts et taxes",
            "641": "Rémunération des personnels", "645": "Charges sociales", "647": "Autres charges de personnel",
            "648": "Autres charges de personnel"}


C_LABELS = [label for _, label in CHARGES]
P_LABELS = [label for _, label in PRODUITS]


def grid(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def num(v) -> float:
    return 0.0 if v in (None, "") else float(v)


def sheet_of(path, action, prefix):
    """(name, rows) of the sheet whose first rows name the action."""
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if name.startswith(prefix) and any(v == action for r in rows[:6] for v in r):
            return name, rows
    raise AssertionError(f"no sheet for {action}")


def form_blocks(rows):
    """(header row index, charges rows, produits rows) of a form sheet: each block is the rows under
    the section title, as many as the reference list has."""
    h = next(i for i, r in enumerate(rows) if r[0] == "Compte" and r[1] == "Intitulé")
    assert rows[h + 1][0] == "Charges"
    charges = rows[h + 2:h + 2 + len(CHARGES)]
    p = h + 2 + len(CHARGES)
    assert rows[p][0] == "Produits", rows[p]
    produits = rows[p + 1:p + 1 + len(PRODUITS)]
    return h, charges, produits


def extended(path):
    """master_tables plus the Mesures sheet and the identity settings."""
    m = master_tables(path)
    wb = openpyxl.load_workbook(path)
    m["Mesures"] = table_rows(wb, "Mesures", "t_Mesures") if "Mesures" in wb.sheetnames else []
    m["settings"] = {r["Paramètre"]: r["Valeur"] for r in table_rows(wb, "Paramètres", "t_Reglages")}
    return m


def counted(f):
    if f["Statut"] in ("Accordé", "Versé"):
        return f["Montant accordé (€)"] or 0
    if f["Statut"] == "Demandé":
        return f["Montant demandé (€)"]
    return 0


def granted(f):
    return (f["Montant accordé (€)"] or 0) if f["Statut"] in ("Accordé", "Versé") else 0


def funded_actions(m, funder, year):
    return [a for a in ACTIONS if any(f["Financeur"] == FUNDER.get(funder, funder) and f["Année"] == year and f["Action"] == a
                                      and f["Statut"] != "Refusé" for f in m["Financements"])]


def expected_form(m, year, action, measure):
    """{(block, index in the reference list): value} for Prévu ("planned") or Réalisé ("actual")."""
    budget = [b for b in m["Budget"] if b["Année"] == year and b["Action"] == action]
    funding = [f for f in m["Financements"] if f["Année"] == year and f["Action"] == action]
    col = "Prévu (€)" if measure == "planned" else "Réalisé (€)"
    c, p = defaultdict(float), defaultdict(float)
    codes = [code for code, _ in CHARGES]
    for b in budget:
        account, amount = str(b["Compte"]), b[col] or 0
        if account == "CI":
            c[C_LABELS.index("Charges indirectes affectées à l'action")] += amount
        elif account.startswith("86"):
            c[codes.index("86")] += amount
            if account[:3] in ("860", "861", "862", "864"):
                c[codes.index(account[:3])] += amount
        else:
            c[codes.index(account[:2])] += amount
            if account[:3] in SUB_LINE:
                c[C_LABELS.index(SUB_LINE[account[:3]])] += amount
    pcodes = [code for code, _ in PRODUITS]
    for f in funding:
        line = m["funder_line"][f["Financeur"]]
        amount = counted(f) if measure == "planned" else granted(f)
        if line in SUBSIDY_ROW:
            p[SUBSIDY_ROW[line]] += amount
            p[pcodes.index("74")] += amount
        elif line == "Autres":
            p[SUBSIDY_ROW["Autres établissements publics"]] += amount
            p[pcodes.index("74")] += amount
        else:
            p[pcodes.index(line)] += amount
    ci = C_LABELS.index("Charges indirectes affectées à l'action")
    charges = sum(c[codes.index(k)] for k in ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69")) + c[ci]
    produits = sum(p[pcodes.index(k)] for k in ("70", "73", "74", "75", "76", "77", "78", "79"))
    tc, exc = C_LABELS.index("Total des charges"), C_LABELS.index("Excédent prévisionnel (bénéfice)")
    c[tc], c[exc] = charges, max(0, produits - charges)
    c[len(CHARGES) - 1] = charges + c[exc] + c[codes.index("86")]
    tp, ins = P_LABELS.index("Total des produits"), P_LABELS.index("Insuffisance prévisionnelle (perte)")
    p[tp], p[ins] = produits, max(0, charges - produits)
    p[len(PRODUITS) - 1] = produits + p[ins] + p[pcodes.index("87")]
    return {**{("c", i): c[i] for i in range(len(CHARGES))}, **{("p", i): p[i] for i in range(len(PRODUITS))}}


def day(v):
    return v.date() if isinstance(v, dt.datetime) else v


def expected_measures(m, funder, year):
    """[(family, type, start, end, measure-months, meetings, hours)] sorted by family and start."""
    out = []
    for x in m["Mesures"]:
        if x["Financeur"] != funder:
            continue
        start, end = day(x["Début"]), day(x["Fin"])
        months = sum(1 for k in range(1, 13)
                     if start < (dt.date(year + (k == 12), k % 12 + 1, 1)) and end >= dt.date(year, k, 1))
        if not months:
            continue
        mine = [a for a in m["Accompagnement"] if a["ID famille"] == x["ID famille"] and day(a["Date"]).year == year
                and start <= day(a["Date"]) <= end]
        out.append((x["ID famille"], x["Type"], start, end, months, len(mine), sum(a["Durée (h)"] or 0 for a in mine)))
    return sorted(out, key=lambda t: (t[0], t[2]))
