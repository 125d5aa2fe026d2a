"""Compatibility shim: the output tests now live in test_clauses.py and test_budget_table.py.
test_dashboard.py still imports `expected_lots` and the `master_data` fixture from here (old shapes kept)."""

import math
from collections import defaultdict

import pytest

from xlsx_compare import master_tables


@pytest.fixture(scope="module")
def master_data(sample_path):
    return master_tables(sample_path)


def expected_lots(m):
    """{landlord: {lot: (hours owed, hours done)}} computed from the master's tables (contract formula)."""
    landlord = {d["ID logement"]: d["Bailleur"] for d in m["Logements"]}
    done = defaultdict(float)
    for p in m["Parcours"]:
        if p["ID lot"]:
            done[p["ID lot"]] += p["Heures réalisées"] or 0
    out = defaultdict(dict)
    for lot in m["Lots"]:
        if lot["Lot d'insertion"] != "Oui":
            continue
        labour = lot["Taux de main-d'œuvre (%)"] or m["trade_rate"][lot["Corps d'état"]]
        rate = lot["Taux d'insertion (%)"] if lot["Taux d'insertion (%)"] is not None else m["default_rate"]
        cost = lot["Coût horaire (€)"] or m["default_cost"]
        hours = math.floor(lot["Montant HT (€)"] * labour / cost * rate + 0.5)
        out[landlord[lot["ID logement"]]][lot["ID lot"]] = (hours, done[lot["ID lot"]])
    return out
