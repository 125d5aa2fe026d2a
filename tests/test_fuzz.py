"""Random bad values in random cells of the sample: validation never crashes and reports each
changed cell that breaks a rule."""

import copy
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from conftest import set_cell
from igloo_xl.model.master import from_raw
from igloo_xl.validation.engine import validate

TODAY = dt.date(2026, 11, 24)

# (sheet, column letter, a value that always breaks that column's rule)
BREAKABLE = [
    ("Familles", "A", st.sampled_from(["X1", "famille", "F-1"])),
    ("Familles", "C", st.one_of(st.integers(-5, 0), st.text(alphabet="abcxyz", min_size=1))),
    ("Familles", "D", st.one_of(st.integers(-9, -1), st.just("beaucoup"))),
    ("Familles", "F", st.text(alphabet="qwz", min_size=2)),
    ("Logements", "D", st.sampled_from(["Centre", "Gare", "?"])),
    ("Logements", "H", st.one_of(st.floats(301, 1e6), st.floats(-100, 0))),
    ("Lots", "C", st.sampled_from(["Couverture", "Zinguerie"])),
    ("Lots", "E", st.sampled_from(["peut-être", "2"])),
    ("Lots", "F", st.one_of(st.floats(-1e6, 0), st.just("cher"))),
    ("Parcours", "C", st.sampled_from(["Vacances", "Sport"])),
    ("Parcours", "F", st.sampled_from(["demain", "32/13/2009", ""])),
    ("Financements", "D", st.one_of(st.integers(1000, 1999), st.integers(2101, 9999))),
    ("Budget", "C", st.sampled_from(["59", "70", "99"])),
    ("Budget", "E", st.floats(-1e6, -0.01)),
    ("Calendrier", "B", st.sampled_from(["Fêtes", "Autre chose"])),
    ("Accompagnement", "E", st.one_of(st.floats(12.01, 100), st.floats(-10, 0))),
    ("Heures", "A", st.sampled_from(["mars 2010", "03/2010", "bientôt"])),
    ("Heures", "D", st.one_of(st.floats(200.01, 1e4), st.floats(-100, -0.01))),
    ("Mesures", "B", st.sampled_from(["Relogement", "ASLL"])),
]
ROWS = {"Familles": 19, "Logements": 19, "Lots": 73, "Parcours": 66, "Financements": 26, "Budget": 25, "Calendrier": 9, "Accompagnement": 257,
        "Heures": 93, "Mesures": 21}
ANY_VALUE = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**9, 10**9), st.floats(allow_nan=True), st.booleans(),
                      st.dates(), st.datetimes(), st.sampled_from(["#N/A", "#REF!", "=A1", "  ", "1 234,5 €", "12,5 %"]))


@given(data=st.data())  # examples, seed and database: the profile of conftest.py (CI=true: derandomized)
def test_each_breaking_change_is_reported_on_its_cell(sample_raw, data):
    raw = copy.deepcopy(sample_raw)
    changes = data.draw(st.lists(st.sampled_from(range(len(BREAKABLE))), min_size=1, max_size=5, unique=True))
    cells = set()
    for i in changes:
        sheet, col, values = BREAKABLE[i]
        row = data.draw(st.integers(2, ROWS[sheet]))
        set_cell(raw, sheet, f"{col}{row}", data.draw(values))
        cells.add((sheet, f"{col}{row}"))
    found = {(f.sheet, f.cell) for f in validate(from_raw(raw), TODAY).findings if f.severity == "error"}
    assert cells <= found


@given(data=st.data())
def test_any_value_anywhere_never_crashes(sample_raw, data):
    raw = copy.deepcopy(sample_raw)
    for _ in range(data.draw(st.integers(1, 8))):
        sheet = data.draw(st.sampled_from(list(ROWS) + ["Paramètres"]))
        col = data.draw(st.sampled_from("ABCDEFGHIJKLMNOP"))
        row = data.draw(st.integers(1, 30))
        set_cell(raw, sheet, f"{col}{row}", data.draw(ANY_VALUE))
    report = validate(from_raw(raw), TODAY)
    assert all(f.code and f.sheet and f.message for f in report.findings)
