"""The steering committee's A4 report: the dashboard's figures drawn with matplotlib, in French.

Every number is written the French way (« 10 000 », « 89,8 % », « juin 2009 »), on the axes as in
the text; charts show a bounded number of bars whatever the size of the programme (landlords,
the dwellings furthest behind), and what is behind is drawn in red."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from igloo_xl.domain.figures import (AXIS_COLORS, BEHIND_BELOW, CHARTER_RATE, COUNT, EUROS, HOURS, RATE, DashboardFigures,
                                     is_behind, rate)
from igloo_xl.package.atomic import atomic_target

A4_LANDSCAPE = (11.69, 8.27)
BLUE, ORANGE, GREEN, RED, GREY = "#2E75B6", "#ED7D31", "#70AD47", "#C00000", "#A5A5A5"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
ALL_MONTHS_UP_TO = 16  # on a half-page axis, month labels rotated 30° stay apart up to this many
GROUP = "\u00a0"  # no-break space between thousands (the narrow one is too thin to see on an axis)


def fr_number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}".replace(",", GROUP).replace(".", ",")
    return "0" if text in ("-0", "-0,0") else text


def fr_percent(value: float | None) -> str:
    return "–" if value is None else f"{fr_number(100 * value, 1)} %"


def fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def fr_month(day: dt.date, short: bool = False) -> str:
    return f"{(SHORT_MONTHS if short else MONTHS)[day.month - 1]} {day.year}"


def month_labels(months: list[dt.date]) -> list[str]:
    """A short label per month, or "" for a month left unlabelled: every month up to
    ALL_MONTHS_UP_TO, otherwise one every 2, 3, 4, 6 or 12 months on the calendar (quarters:
    janv., avr., juil., oct.), at most about a dozen, so that a long programme's axis stays readable."""
    if len(months) <= ALL_MONTHS_UP_TO:
        return [fr_month(m, short=True) for m in months]
    step = next((k for k in (2, 3, 4, 6) if len(months) <= 12 * k), 12)
    return [fr_month(m, short=True) if (m.month - 1) % step == 0 else "" for m in months]


def fr_value(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == RATE:
        return fr_percent(value)
    if kind == EUROS:
        return f"{fr_number(value)} €"
    if kind == HOURS:
        return f"{fr_number(value)} h"
    return fr_number(value)


def _axis_format(axis, kind: str) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: fr_value(v, kind)))


def _bars(ax, at, lengths, thickness: float, colors, horizontal=False, start=None) -> None:
    """Bars centred on `at`, drawn as one collection: one artist per series instead of one
    Rectangle per bar (a third of the time spent building a page). Like `bar`, the axis keeps no
    margin beyond the bars' base."""
    import numpy as np
    from matplotlib.collections import PolyCollection

    at = np.asarray(at, dtype=float)
    base = np.zeros(len(at)) if start is None else np.asarray(start, dtype=float)
    tip = base + np.asarray(lengths, dtype=float)
    low, high = at - thickness / 2, at + thickness / 2
    corners = [(base, low), (tip, low), (tip, high), (base, high)] if horizontal else \
        [(low, base), (high, base), (high, tip), (low, tip)]
    bars = PolyCollection(np.stack([np.stack(c, axis=-1) for c in corners], axis=1), facecolors=colors, linewidths=0)
    (bars.sticky_edges.x if horizontal else bars.sticky_edges.y).extend(base.tolist())
    ax.add_collection(bars)
    ax.autoscale_view()


def _page(title: str, f: DashboardFigures, rows=1, cols=1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_LANDSCAPE)
    axes = fig.subplots(rows, cols, squeeze=False)
    fig.suptitle(title, fontsize=16, fontweight="bold", color="#1F4E78")
    fig.text(0.01, 0.01, f"{f.programme} — situation au {fr_date(f.today)} — igloo-xl", fontsize=7, color="#555555")
    return fig, axes


def _save(pdf, fig, left=0.07, wspace=0.25) -> None:
    """Fixed margins per page (tight_layout would lay every text out twice: 40 % of the drawing time)."""
    fig.subplots_adjust(left=left, right=0.97, top=0.86, bottom=0.2, wspace=wspace)
    pdf.savefig(fig)


def _cover(pdf, f: DashboardFigures, coordinator: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.06, 0.88, "Comité de pilotage IGLOO", fontsize=26, fontweight="bold", color="#1F4E78")
    fig.text(0.06, 0.83, f.programme, fontsize=13, style="italic")
    fig.text(0.06, 0.79, f"Coordination : {coordinator} — situation au {fr_date(f.today)}", fontsize=11)
    fig.text(0.06, 0.71, "Chiffres clés", fontsize=15, fontweight="bold")
    for i, (label, value, kind) in enumerate(f.key):
        y = 0.66 - i * 0.045
        low = kind == RATE and value is not None and "charte" in label and value < CHARTER_RATE
        fig.text(0.08, y, label, fontsize=12)
        fig.text(0.80, y, fr_value(value, kind), fontsize=12, fontweight="bold", ha="right", color=RED if low else "black")
    pdf.savefig(fig)


def _gantt(pdf, f: DashboardFigures) -> None:
    import matplotlib.dates as mdates
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    fig, axes = _page("Calendrier du programme", f)
    ax = axes[0][0]
    steps = list(reversed(f.calendar))
    if steps:
        first, last = min(c[2] for c in steps), max(c[3] for c in steps)
        least = max(3, ((last - first).days + 1) / 100)  # a one-day step stays visible
        colors = ["#" + AXIS_COLORS.get(axis, "808080") for _, axis, *_ in steps]
        _bars(ax, range(len(steps)), [max(days, least) for *_, days in steps], 0.6, colors, horizontal=True,
              start=[mdates.date2num(start) for _, _, start, _, _ in steps])
        for i, (step, axis, start, end, days) in enumerate(steps):
            if days <= 1:
                ax.plot(mdates.date2num(start), i, marker="D", color=colors[i], markersize=9)
        ax.set_yticks(range(len(steps)), [textwrap.fill(s[0], 48) for s in steps], fontsize=8)
        ax.xaxis_date()
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fr_month(mdates.num2date(v).date(), short=True)))
        handles = [Patch(color="#" + c, label=a) for a, c in AXIS_COLORS.items() if any(x[1] == a for x in steps)]
        if first <= f.today <= last:
            ax.axvline(mdates.date2num(f.today), color="red", linestyle="--")
            handles.append(Patch(color="red", label=f"Aujourd'hui ({fr_date(f.today)})"))
        # below the plot, so that it never covers a bar
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=4, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    _save(pdf, fig, left=0.27)


def _families(pdf, f: DashboardFigures) -> None:
    fig, axes = _page("Les familles", f, 1, 2)
    labels, values = zip(*f.statuses) if f.statuses else ((), ())
    _bars(axes[0][0], range(len(values)), values, 0.8, BLUE)
    axes[0][0].set_xticks(range(len(labels)), labels)
    axes[0][0].set_title("Familles par statut")
    _axis_format(axes[0][0].yaxis, COUNT)
    for x, v in enumerate(values):
        axes[0][0].text(x, v, fr_number(v), ha="center", va="bottom")
    quarters = [(q, n) for q, n in f.quarters if n]
    if quarters:
        axes[0][1].pie([n for _, n in quarters], labels=[f"{q} : {fr_number(n)}" for q, n in quarters],
                       autopct=lambda p: f"{fr_number(p)} %", startangle=90, counterclock=False)
    axes[0][1].set_title(f"Familles relogées par quartier ({fr_number(f.housed)} familles)")
    _save(pdf, fig)


def _grouped(ax, labels, series: dict[str, list], title: str, kind: str, horizontal=False, behind=None) -> None:
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for i, ((name, values), color) in enumerate(zip(series.items(), (BLUE, ORANGE, GREEN))):
        colors = [RED if behind and behind[k] and i == len(series) - 1 else color for k in range(len(values))]
        _bars(ax, x + i * width, [v or 0 for v in values], width, colors, horizontal=horizontal)
    ticks = x + width * (len(series) - 1) / 2
    if horizontal:
        ax.set_yticks(ticks, labels, fontsize=8)
        ax.invert_yaxis()
        _axis_format(ax.xaxis, kind)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # amounts in millions stay apart
        ax.tick_params(axis="x", labelsize=8)
    else:
        ax.set_xticks(ticks, labels, fontsize=8, rotation=30 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
        _axis_format(ax.yaxis, kind)
    if behind:  # the rows behind: their label in red too, the legend keeps each series' own colour
        for label, late in zip(ax.get_yticklabels() if horizontal else ax.get_xticklabels(), behind):
            if late:
                label.set_color(RED)
                label.set_fontweight("bold")
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=n) for n, c in zip(series, (BLUE, ORANGE, GREEN))]
    ax.set_title(title)
    ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 if not horizontal else -0.08),
              ncol=3, frameon=False)


def _hours(pdf, f: DashboardFigures) -> None:
    fig, axes = _page("Clauses d'insertion : heures dues et réalisées", f, 1, 2)
    landlords = f.hours_by_landlord
    behind = [is_behind(o, d) for _, o, d in landlords]
    ax = axes[0][0]
    _grouped(ax, [l for l, _, _ in landlords], {"Heures dues": [o for _, o, _ in landlords],
                                                 "Heures réalisées": [d for _, _, d in landlords]},
             f"Par bailleur (en rouge : moins de {fr_number(100 * BEHIND_BELOW)} % des heures dues)", HOURS, behind=behind)
    for i, (_, o, d) in enumerate(landlords):
        ax.text(i + 0.2, d + 0.01 * max(o for _, o, _ in landlords), fr_percent(rate(d, o)), ha="center", va="bottom", fontsize=8,
                color=RED if behind[i] else "black", fontweight="bold" if behind[i] else "normal")
    top = f.top_dwellings()
    title = (f"Les {len(top)} logements les plus en retard (sur {fr_number(len(f.hours_by_dwelling))})"
             if len(top) < len(f.hours_by_dwelling) else "Par logement")
    _grouped(axes[0][1], [f"{d} ({l})" for d, l, _, _ in top], {"Heures dues": [o for _, _, o, _ in top],
                                                               "Heures réalisées": [d for _, _, _, d in top]},
             title, HOURS, horizontal=True, behind=[is_behind(o, d) for _, _, o, d in top])
    _save(pdf, fig, wspace=0.4)


def _follow_up(pdf, f: DashboardFigures) -> None:
    fig, axes = _page("Clauses d'insertion : suivi mensuel et charte ANRU", f, 1, 2)
    ax = axes[0][0]
    months = f.hours_by_month
    if months:
        _grouped(ax, month_labels([m for m, _, _ in months]),
                 {"Heures dues (plan)": [o for _, o, _ in months], "Heures réalisées (déclarées)": [d for _, _, d in months]},
                 "Heures d'insertion par mois", HOURS)
        for i, (_, _, d) in enumerate(months):
            if d is None:
                ax.text(i + 0.2, 0, "non\ndéclaré", ha="center", va="bottom", fontsize=6, color=RED)
    else:
        ax.set_title("Heures d'insertion par mois : aucune déclaration")
    ax2 = axes[0][1]
    labels, rates = zip(*f.charter)
    colors = [RED if r is not None and r < CHARTER_RATE else BLUE for r in rates[:-1]] + [GREY]
    _bars(ax2, range(len(rates)), [r or 0 for r in rates], 0.8, colors, horizontal=True)
    ax2.axvline(CHARTER_RATE, color=GREY, linestyle="--")
    ax2.set_yticks(range(len(rates)), labels, fontsize=9)
    ax2.invert_yaxis()
    for i, r in enumerate(rates):
        ax2.text(r or 0, i, " " + fr_percent(r), va="center", fontsize=10, fontweight="bold")
    _axis_format(ax2.xaxis, RATE)
    ax2.set_xlim(0, max([CHARTER_RATE, *[r or 0 for r in rates]]) * 1.25)
    ax2.set_title(f"Taux d'insertion du programme\n(heures travaillées sur les lots : {fr_number(f.labour_hours)})")
    _save(pdf, fig, wspace=0.6)


def _funding(pdf, f: DashboardFigures) -> None:
    fig, axes = _page("Financements et équilibre du budget", f, 1, 2)
    _grouped(axes[0][0], [f"{n} {y}" for y, n, _, _, _ in f.funding],
             {"Demandé": [r for *_, r, _, _ in f.funding], "Accordé": [g for *_, g, _ in f.funding], "Versé": [p for *_, p in f.funding]},
             "Par financeur et par année", EUROS, horizontal=True)
    _grouped(axes[0][1], [f"{a} {y}" for y, a, _, _, _ in f.balance],
             {"Charges": [c for _, _, c, _, _ in f.balance], "Produits": [p for _, _, _, p, _ in f.balance]},
             "Charges et produits par action", EUROS, horizontal=True)
    _save(pdf, fig, left=0.19, wspace=0.7)


def _support(pdf, f: DashboardFigures) -> None:
    fig, axes = _page("Accompagnement social", f, 1, 2)
    months = month_labels([m for m, *_ in f.support])
    _grouped(axes[0][0], months, {"Rencontres": [n for _, n, _, _ in f.support], "Heures": [h for _, _, h, _ in f.support]},
             "Rencontres et heures par mois", COUNT)
    axes[0][1].plot(range(len(months)), [a for *_, a in f.support], marker="o", color=GREEN)
    axes[0][1].set_xticks(range(len(months)), months)
    axes[0][1].set_title("Participants au groupe de parole (CSM) par mois")
    axes[0][1].tick_params(axis="x", labelrotation=30, labelsize=8)
    _axis_format(axes[0][1].yaxis, COUNT)
    _save(pdf, fig)


# Type 3 fonts: DejaVu Sans embedded as the glyphs used (accents, €, œ), so the report looks the
# same on every reader; titles at a fixed height, as matplotlib would place them over axes with no
# top labels, without measuring every tick label to find out.
STYLE = {"pdf.fonttype": 3, "axes.titley": 1.0}


def _defer_font_subsetter() -> None:
    """Matplotlib's PDF backend imports fontTools.subset (0.17 s) for Type 42 fonts only; with Type 3
    it is never called. Load it lazily: it runs in full the first time anything uses it."""
    import importlib.util
    import sys

    import fontTools

    if "fontTools.subset" in sys.modules:
        return
    spec = importlib.util.find_spec("fontTools.subset")
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fontTools.subset"] = module
    spec.loader.exec_module(module)
    fontTools.subset = module  # so that `from fontTools import subset` finds it without touching it


def load_matplotlib():
    """matplotlib and its PDF writer: no pyplot (nor any GUI backend probed), no font subsetter."""
    _defer_font_subsetter()
    import matplotlib
    import matplotlib.figure  # noqa: F401  (every page is one)
    from matplotlib.backends.backend_pdf import PdfPages

    return matplotlib, PdfPages


def write_report(f: DashboardFigures, coordinator: str, out_pdf) -> Path:
    """The PDF, written atomically."""
    from igloo_xl.collector import collector_paused

    matplotlib, PdfPages = load_matplotlib()
    out_pdf = Path(out_pdf)
    # thousands of short-lived artists: the collector would walk the whole master each time
    with collector_paused(), matplotlib.rc_context(STYLE), atomic_target(out_pdf) as tmp:
        with PdfPages(tmp, metadata={"Title": "Tableau de bord IGLOO", "Creator": "igloo-xl"}) as pdf:
            _cover(pdf, f, coordinator)
            _gantt(pdf, f)
            _families(pdf, f)
            _hours(pdf, f)
            _follow_up(pdf, f)
            _funding(pdf, f)
            _support(pdf, f)
    return out_pdf
