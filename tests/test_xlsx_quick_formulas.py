"""The shortcut past XlsxWriter's formula pass writes what the full pass writes."""

import xlsxwriter

from igloo_xl.outputs.xlsx import quick_formulas

FORMULAS = [
    "=SUM(A1,B2)", "=SUM(E5)", "=H7-G7", "{=SUM(A1:A3)}", "=SUMIF('Bénéficiaires'!$B$5:$B$9,A3,'Bénéficiaires'!$K$5:$K$9)",
    "=IF(AND(ISNUMBER(A1),A1>0),ROUND(A1/B1,2),0)", "=MAX(0,COUNTIF(A:A,\"x\"))",
    # Excel 365 functions (and a name of one inside text) must still get their prefix
    "=XLOOKUP(A1,B:B,C:C)", "=SORT(A1:A9)", "=FILTER(A1:A9,B1:B9>0)", "=IF(A1=\"SEQUENCE(\",1,0)",
    "=SUM(UNIQUE(A1:A9))", "=SINGLE(A1)", "=_xlfn.XLOOKUP(A1,B:B,C:C)", "=LET(x,1,x)",
]


def test_quick_and_full_formula_preparation_agree(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "t.xlsx"))
    plain, quick = wb.add_worksheet("a"), wb.add_worksheet("b")
    quick_formulas(quick)
    for formula in FORMULAS:
        assert quick._prepare_formula(formula) == plain._prepare_formula(formula), formula
    assert quick._prepare_formula("=SORT(A1:A9)") == "_xlfn._xlws.SORT(A1:A9)"  # the full pass did run
    wb.close()
