"""The table of finding codes, and pandera failures that always become findings."""

import datetime as dt
import string

import pandas as pd
import pandera.pandas as pa
import pytest

from conftest import set_cell
from igloo_xl.model.master import from_raw
from igloo_xl.schemas import base
from igloo_xl.validation import findings as F
from igloo_xl.validation.engine import _schema_findings, validate

TODAY = dt.date(2026, 11, 24)


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", list(F.MESSAGES))
def test_every_template_fills_with_its_parameters(key):
    code, _, variant = key.partition("/")
    params = {name: f"[{name}]" for name in template_fields(F.entry(key).template) - {"sheet", "column", "value"}}
    f = F.make(code, sheet="Lots", column="Montant HT (€)", row=3, letter="F", value="v", variant=variant, **params)
    assert f.rule == key
    assert F.MISSING not in f.message and "{" not in f.message
    for name in params:
        assert f"[{name}]" in f.message


@pytest.mark.parametrize("key", list(F.MESSAGES))
def test_every_entry_has_a_title_and_a_description(key):
    entry = F.entry(key)
    assert entry.title.strip() and entry.description.strip(), f"{key}: give it Code(title, description, template)"


@pytest.mark.parametrize("key", list(F.MESSAGES))
def test_a_missing_parameter_never_raises(key):
    code, _, variant = key.partition("/")
    f = F.make(code, sheet="Lots", variant=variant)
    assert f.message and f.code == code


def test_a_broken_template_or_unknown_code_never_raises(monkeypatch):
    monkeypatch.setitem(F.MESSAGES, "bad-template", F.Code("t", "d", "{value:%Y} {x.y} {z[0]} {"))
    assert F.make("bad-template", sheet="Lots", value="v").message
    f = F.make("never-declared", sheet="Lots", value="v")
    assert f.code == "never-declared" and f.message  # the generic template


def test_a_plain_string_entry_still_works(monkeypatch):
    monkeypatch.setitem(F.MESSAGES, "added-later", "Valeur {value} refusée.")
    assert F.make("added-later", sheet="Lots", value=3.0).message == "Valeur 3 refusée."


def test_to_dict_keeps_the_variant(raw):
    set_cell(raw, "Lots", "J3", 1)  # typed hours far from the computed ones
    set_cell(raw, "Bailleurs", "E3", 0)  # fewer dwellings committed than in Logements
    rules = {f.to_dict()["rule"] for f in validate(from_raw(raw), TODAY).findings if f.code == "inconsistent"}
    assert {"inconsistent/hours", "inconsistent/over-engagement"} <= rules


def test_not_an_integer_is_one_entry_of_the_table(raw):
    set_cell(raw, "Familles", "C3", 1.5)
    f = next(f for f in validate(from_raw(raw), TODAY).findings if f.cell == "C3")
    assert (f.code, f.rule) == ("not-a-number", "not-a-number/integer")


def test_the_hours_message_gets_the_computed_value_without_a_registry(raw):
    assert not hasattr(base, "ROW_DETAILS")
    set_cell(raw, "Lots", "J3", 1)
    f = next(f for f in validate(from_raw(raw), TODAY).findings if f.rule == "inconsistent/hours")
    assert f.params["computed"] > 1 and F.MISSING not in f.message


# --- pandera failures that are not igloo's own ------------------------------------------------------

def lots_data(sample_raw):
    return from_raw(sample_raw).sheets["Lots"]


def with_schema(data, schema):
    return type(data)(**{**data.__dict__, "spec": base.Sheet(data.spec.name, data.spec.columns, lambda ctx: schema)})


def ctx():
    from igloo_xl.model.params import Params

    return base.Context(today=TODAY, params=Params())


def test_a_pandera_native_check_becomes_a_finding_on_its_cells(sample_raw):
    data = lots_data(sample_raw)
    schema = pa.DataFrameSchema({"amount": pa.Column(None, checks=[pa.Check.less_than(1000)], required=False)})
    found = _schema_findings(with_schema(data, schema), ctx())
    big = [row for row, v in data.frame["amount"].items() if v is not None and v >= 1000]
    assert big and {(f.cell, f.code) for f in found} == {(f"F{row}", "out-of-range") for row in big}


def test_a_dtype_coercion_failure_becomes_a_finding(sample_raw):
    data = lots_data(sample_raw)
    schema = pa.DataFrameSchema({"firm": pa.Column(float, coerce=True, required=False)})
    found = _schema_findings(with_schema(data, schema), ctx())
    named = [row for row, v in data.frame["firm"].items() if v is not None]
    assert named and {f.cell for f in found} >= {f"D{row}" for row in named}
    assert {f.rule for f in found} == {"rule-failed/type"}


def test_an_unknown_frame_check_becomes_a_generic_finding(sample_raw):
    data = lots_data(sample_raw)
    schema = pa.DataFrameSchema(checks=[pa.Check(lambda df: df["amount"].isna(), name="no_amount")])
    found = _schema_findings(with_schema(data, schema), ctx())
    assert found and {f.code for f in found} == {"rule-failed"}
    assert sorted(f.row for f in found) == sorted(data.frame.index)  # one finding per row, not per cell


def test_a_check_on_no_row_becomes_a_sheet_finding(sample_raw):
    data = lots_data(sample_raw)
    schema = pa.DataFrameSchema(checks=[pa.Check(lambda df: len(df) > 10_000, name="enough_rows")])
    found = _schema_findings(with_schema(data, schema), ctx())
    assert [(f.sheet, f.cell, f.rule) for f in found] == [("Lots", "", "rule-failed/sheet")]


def test_rule_metadata_lives_in_pandera_fields():
    check = base.between("amount", lo=0, lo_strict=True, bounds="> 0")
    assert check.name == "out-of-range"
    assert base.rule_info(check)["column"] == "amount" and check.statistics["params"]["lo"] == 0
    assert base.rule_info(pa.Check.ge(0))["code"] is None
