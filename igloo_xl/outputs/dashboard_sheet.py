"""The « Tableau de bord » sheet: one band of columns per topic, its chart on top and its table below.

Each band starts at a fixed column and row whatever the data, and a table grows downwards in its
own columns only; so the Excel button can rewrite a band (`dashboard_values`) and point each chart
at the band's new rows (`chart_sources`) without moving anything else. Number formats sit on the
cells and on the band's columns (rows the button adds take them). One printed page per band:
a column break after each band, and every chart above its table, inside the page.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break

from igloo_xl.package.cell_text import write_value
from igloo_xl.domain.figures import AXIS_COLORS, BEHIND_BELOW, COUNT, EUROS, HOURS, RATE, TOP_DWELLINGS, DashboardFigures, rate
from igloo_xl.read.grid import letter
from igloo_xl.validation.findings import display

SHEET = "Tableau de bord"
TODAY_STEP = "Aujourd'hui"
# Excel number formats (Excel shows them with the reader's separators: « 10 000 », « 89,8 % »)
FORMATS = {
    COUNT: "#,##0",
    HOURS: '#,##0" h"',
    EUROS: '#,##0" €"',
    RATE: "0.0 %",
    "date": "dd/mm/yyyy",
    "month": "mmmm yyyy",
    "text": "General",
    "int": "0",
}
BAND_WIDTHS = (34, 13, 13, 13, 13, 16, 2)  # ≈ 21 cm: inside one landscape A4 page
CHART_ROW = 4
CHART_CM = (20.0, 7.5)  # width, height
ROW_CM = 0.53  # a row of 15 pt
MAX_CHART_CM = 15.0  # with the title rows, still one page high
CF_DEPTH = 2000  # rows the « behind » highlight covers, so rows the button adds get it too
TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
BLOCK_FONT = Font(bold=True, size=12, color="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
BEHIND_FILL = PatternFill("solid", fgColor="F8CBAD")
BEHIND_FONT = Font(bold=True, color="9C0006")
BEHIND = f"Taux de réalisation (en rouge sous {int(BEHIND_BELOW * 100)} %)"


@dataclass
class Block:
    key: str
    title: str
    headers: list[str]
    formats: list[str]  # one FORMATS key per column
    rows: list[list]
    chart_columns: int = 0  # columns from the first that the chart reads (0: no chart)
    band: int = 0
    horizontal: bool = False  # a bar chart with one line per row: it grows with the rows
    table_row: int = 0  # where every band's table starts: below the tallest chart (rows are shared)

    @property
    def chart_height(self) -> float:
        """cm: a horizontal chart (and the Gantt) keeps about 0.45 cm per row so every label shows."""
        if not self.horizontal:
            return CHART_CM[1]
        per_row = 0.8 if self.key == "calendar" else 0.45 * (1 if self.chart_columns <= 3 else 1.4)  # long step names wrap
        return min(MAX_CHART_CM, max(CHART_CM[1], 3.0 + per_row * len(self.rows)))

    @property
    def column(self) -> int:
        """1-based first column of the band."""
        return 1 + self.band * len(BAND_WIDTHS)

    @property
    def top(self) -> int:
        """Row of the block's title (the header is below it, then the data)."""
        return self.table_row if self.chart_columns else CHART_ROW

    @property
    def first_data_row(self) -> int:
        return self.top + 2

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + max(1, len(self.rows)) - 1


def _calendar_rows(f: DashboardFigures) -> tuple[list[list], bool]:
    """Étape, Début, Durée tracée, Fin, Durée (jours), Axe; a bar of at least 1 % of the axis so that a
    one-day step shows. Today's line is a red step when it falls inside the axis."""
    if not f.calendar:
        return [], False
    first, last = min(c[2] for c in f.calendar), max(c[3] for c in f.calendar)
    least = max(3, math.ceil(((last - first).days + 1) / 100))
    rows = [[step, start, max(days, least), end, days, axis] for step, axis, start, end, days in f.calendar]
    inside = first <= f.today <= last
    if inside:
        rows.append([TODAY_STEP, f.today, least, f.today, 1, TODAY_STEP])
    return rows, inside


def blocks(f: DashboardFigures) -> list[Block]:
    calendar, _ = _calendar_rows(f)
    top = f.top_dwellings()
    shown = f"les {len(top)} logements les plus en retard sur {len(f.hours_by_dwelling)}" if len(
        f.hours_by_dwelling) > TOP_DWELLINGS else "par logement"
    out = [
        Block("key", "Chiffres clés", ["Indicateur", "Valeur"], ["text", COUNT], [[k, v] for k, v, _ in f.key]),
        Block("calendar", "Calendrier du programme",
              ["Étape", "Début", "Durée tracée (jours)", "Fin", "Durée (jours)", "Axe"],
              ["text", "date", "int", "date", "int", "text"], calendar, 3),
        Block("statuses", "Familles par statut", ["Statut", "Familles"], ["text", COUNT],
              [list(r) for r in f.statuses], 2),
        Block("quarters", "Familles relogées par quartier", ["Quartier", "Familles relogées"], ["text", COUNT],
              [list(r) for r in f.quarters], 2),
        Block("landlords", "Heures d'insertion par bailleur",
              ["Bailleur", "Heures dues", "Heures réalisées", BEHIND], ["text", HOURS, HOURS, RATE],
              [[l, o, d, rate(d, o)] for l, o, d in f.hours_by_landlord], 3),
        Block("months", "Heures d'insertion par mois : prévues et déclarées",
              ["Mois", "Heures dues (plan)", "Heures réalisées", "Cumul dû", "Cumul réalisé"],
              ["month", HOURS, HOURS, HOURS, HOURS], _month_rows(f), 3),
        Block("charter", "Taux d'insertion du programme et charte ANRU", ["Taux", "Valeur"], ["text", RATE],
              [list(r) for r in f.charter], 2),
        Block("dwellings", f"Heures d'insertion, {shown}",
              ["Logement", "Heures dues", "Heures réalisées", BEHIND, "Bailleur"],
              ["text", HOURS, HOURS, RATE, "text"], [[d, o, dn, rate(dn, o), l] for d, l, o, dn in top], 3),
        Block("funding", "Financements par financeur et par année",
              ["Financeur et année", "Demandé", "Accordé", "Versé"], ["text", EUROS, EUROS, EUROS],
              [[f"{n} {y}", r, g, p] for y, n, r, g, p in f.funding], 4),
        Block("balance", "Équilibre du budget par action (contributions en nature comprises)",
              ["Action et année", "Charges", "Produits", "Écart"], ["text", EUROS, EUROS, EUROS],
              [[f"{a} {y}", c, p, g] for y, a, c, p, g in f.balance], 3),
        Block("support", "Accompagnement social par mois",
              ["Mois", "Rencontres", "Heures", "Participants au groupe de parole (CSM)"],
              ["month", COUNT, HOURS, COUNT], [list(r) for r in f.support], 4),
    ]
    for i, b in enumerate(out):
        b.band = i
        b.horizontal = b.key in ("calendar", "charter", "dwellings", "funding", "balance")
    table_row = CHART_ROW + math.ceil(max(b.chart_height for b in out) / ROW_CM) + 2
    for b in out:
        b.table_row = table_row
    return out


def _month_rows(f: DashboardFigures) -> list[list]:
    rows, owed_sum, done_sum = [], 0.0, 0.0
    for month, owed, done in f.hours_by_month:
        owed_sum += owed
        done_sum += done or 0.0
        rows.append([month, owed, done, owed_sum, done_sum])
    return rows


def _a1(row: int, col: int) -> str:
    return f"{letter(col - 1)}{row}"


def _area(b: Block, first_row: int, last_row: int, width: int | None = None) -> str:
    return f"{_a1(first_row, b.column)}:{_a1(last_row, b.column + (width or len(b.headers)) - 1)}"


def subtitle(f: DashboardFigures) -> str:
    return f"Situation au {display(f.today)}, calculée par igloo-xl à partir du classeur maître."


def dashboard_values(f: DashboardFigures, clear_to: int | None = None) -> dict[str, list[list]]:
    """{A1 range: values} the Excel button writes: the subtitle, then each band's title, header and data
    rows, padded with blanks down to row `clear_to` (the sheet's last used row) to wipe older rows."""
    out = {"A2:A2": [[subtitle(f)]]}
    for b in blocks(f):
        width = len(b.headers)
        rows = [[b.title] + [""] * (width - 1), list(b.headers)]
        rows += [["" if v is None else v for v in r] + [""] * (width - len(r)) for r in b.rows]
        last = max(b.top + len(rows) - 1, clear_to or 0)
        rows += [[""] * width for _ in range(last - (b.top + len(rows) - 1))]
        out[_area(b, b.top, last)] = rows
    return out


@dataclass
class ChartSource:
    address: str  # header row and data rows of the columns the chart reads
    axis_min: float | None = None  # the Gantt's date axis, which must follow the calendar
    axis_max: float | None = None


def chart_sources(f: DashboardFigures) -> list[ChartSource]:
    """Per chart, in the sheet's order: the range it reads now (for the Excel button)."""
    out = []
    for b in blocks(f):
        if not b.chart_columns:
            continue
        source = ChartSource(_area(b, b.top + 1, b.last_data_row, b.chart_columns))
        if b.key == "calendar" and b.rows:
            source.axis_min, source.axis_max = _gantt_axis(b)
        out.append(source)
    return out


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _gantt_axis(b: Block) -> tuple[int, int]:
    return _serial(min(r[1] for r in b.rows)), _serial(max(r[3] for r in b.rows)) + 1


def _refs(ws, b: Block):
    header = b.top + 1
    cats = Reference(ws, min_col=b.column, max_col=b.column, min_row=b.first_data_row, max_row=b.last_data_row)
    data = Reference(ws, min_col=b.column + 1, max_col=b.column + b.chart_columns - 1, min_row=header, max_row=b.last_data_row)
    return cats, data


def _size(chart, width=CHART_CM[0], height=CHART_CM[1]):
    chart.width, chart.height = width, height
    chart.x_axis.delete = False
    if hasattr(chart, "y_axis"):
        chart.y_axis.delete = False
    return chart


def _gantt(ws, b: Block, today_inside: bool, today: dt.date):
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap, chart.gapWidth = "bar", "stacked", 100, 40
    chart.title = "Calendrier du programme" + (f" (en rouge : aujourd'hui, {display(today)})" if today_inside else "")
    cats, data = _refs(ws, b)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    start, span = chart.series
    start.graphicalProperties = GraphicalProperties(noFill=True)
    start.graphicalProperties.line.noFill = True
    for i, r in enumerate(b.rows):
        point = DataPoint(idx=i)
        point.graphicalProperties = GraphicalProperties(solidFill=AXIS_COLORS.get(r[5], "808080"))
        span.dPt.append(point)
    chart.x_axis.scaling.orientation = "maxMin"
    if b.rows:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = _gantt_axis(b)
    chart.y_axis.number_format = "mmm yyyy"
    chart.y_axis.majorUnit = 91
    chart.y_axis.majorGridlines = None
    chart.legend = None
    return _size(chart, height=b.chart_height)


def _bars(ws, b: Block, title: str, number_format: str, horizontal=False, colors=("2E75B6", "ED7D31", "70AD47")):
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = title
    cats, data = _refs(ws, b)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, color in zip(chart.series, colors):
        series.graphicalProperties = GraphicalProperties(solidFill=color)
    chart.y_axis.number_format = number_format
    chart.y_axis.majorGridlines = None if horizontal else chart.y_axis.majorGridlines
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
        chart.height = b.chart_height
    if len(chart.series) == 1:
        chart.legend = None
    else:
        chart.legend.position = "b"  # below the plot: it never covers a bar
    return _size(chart, height=b.chart_height)


def _charter(ws, b: Block):
    chart = _bars(ws, b, "Taux d'insertion du programme, minimum de la charte ANRU : 5 %", FORMATS[RATE], horizontal=True)
    point = DataPoint(idx=len(b.rows) - 1)  # the charter's minimum, apart from the programme's rates
    point.graphicalProperties = GraphicalProperties(solidFill="A5A5A5")
    chart.series[0].dPt.append(point)
    return chart


def _pie(ws, b: Block, title: str):
    chart = PieChart()
    chart.title = title
    cats, data = _refs(ws, b)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    chart.dataLabels.showPercent = chart.dataLabels.showCatName = chart.dataLabels.showSerName = False
    chart.dataLabels.showLegendKey = False
    chart.legend.position = "r"
    chart.width, chart.height = CHART_CM
    return chart


def _charts(ws, at: dict[str, Block], f: DashboardFigures, today_inside: bool) -> list:
    month_format = FORMATS[HOURS]
    return [
        (at["calendar"], _gantt(ws, at["calendar"], today_inside, f.today)),
        (at["statuses"], _bars(ws, at["statuses"], "Familles par statut", FORMATS[COUNT])),
        (at["quarters"], _pie(ws, at["quarters"], "Familles relogées par quartier")),
        (at["landlords"], _bars(ws, at["landlords"], "Heures d'insertion dues et réalisées, par bailleur", FORMATS[HOURS])),
        (at["months"], _bars(ws, at["months"], "Heures d'insertion par mois : dues (plan) et réalisées", month_format)),
        (at["charter"], _charter(ws, at["charter"])),
        (at["dwellings"], _bars(ws, at["dwellings"], at["dwellings"].title, FORMATS[HOURS], horizontal=True)),
        (at["funding"], _bars(ws, at["funding"], "Financements demandés, accordés, versés", FORMATS[EUROS], horizontal=True)),
        (at["balance"], _bars(ws, at["balance"], "Charges et produits par action", FORMATS[EUROS], horizontal=True)),
        (at["support"], _bars(ws, at["support"], "Accompagnement social : rencontres, heures, participants CSM",
                              FORMATS[COUNT])),
    ]


def _write_block(ws, b: Block, key_kinds: list[str] | None) -> None:
    write_value(ws, b.top, b.column, b.title).font = BLOCK_FONT
    ws.row_dimensions[b.top + 1].height = 30  # room for two lines of header
    for j, h in enumerate(b.headers):
        c = write_value(ws, b.top + 1, b.column + j, h)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for i, r in enumerate(b.rows):
        for j, v in enumerate(r):
            c = write_value(ws, b.first_data_row + i, b.column + j, v)
            kind = key_kinds[i] if key_kinds and j == 1 else b.formats[j]
            c.number_format = FORMATS[kind]
            if j and kind == "text":  # never spills into the next band
                c.alignment = Alignment(shrink_to_fit=True)
    for j, kind in enumerate(b.formats):  # rows the Excel button adds below take the column's format
        if kind != "text" and not key_kinds:
            ws.column_dimensions[letter(b.column + j - 1)].number_format = FORMATS[kind]


def _behind_rule(ws, b: Block, owed_col: int, done_col: int) -> None:
    """The rows of a landlord or dwelling under 80 % of its hours owed stand out, whatever the refresh."""
    first, last = b.first_data_row, b.first_data_row + CF_DEPTH
    owed, done = letter(b.column + owed_col - 2), letter(b.column + done_col - 2)  # 1-based offsets, 0-based letter()
    formula = f"AND(ISNUMBER(${owed}{first}),${owed}{first}>0,${done}{first}<{BEHIND_BELOW}*${owed}{first})"
    ws.conditional_formatting.add(_area(b, first, last),
                                  FormulaRule(formula=[formula], fill=BEHIND_FILL, font=BEHIND_FONT))


def fill_dashboard(ws, f: DashboardFigures, today: dt.date | None = None) -> None:
    """Title, bands (chart above table) and print set-up on a fresh worksheet."""
    ws["A1"] = "Tableau de bord du programme IGLOO"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = subtitle(f)
    ws["A2"].font = Font(italic=True, color="555555")
    all_blocks = blocks(f)
    at = {b.key: b for b in all_blocks}
    for b in all_blocks:
        _write_block(ws, b, [k for _, _, k in f.key] if b.key == "key" else None)
    _behind_rule(ws, at["landlords"], 2, 3)
    _behind_rule(ws, at["dwellings"], 2, 3)
    _, today_inside = _calendar_rows(f)
    for b, chart in _charts(ws, at, f, today_inside):
        ws.add_chart(chart, _a1(CHART_ROW, b.column))
    for band in range(len(all_blocks)):
        for j, width in enumerate(BAND_WIDTHS):
            ws.column_dimensions[letter(band * len(BAND_WIDTHS) + j)].width = width
        ws.col_breaks.append(Break(id=(band + 1) * len(BAND_WIDTHS)))
    ws.sheet_view.zoomScale = 90
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = len(all_blocks)  # one page per band; a little smaller if a font is wider
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
