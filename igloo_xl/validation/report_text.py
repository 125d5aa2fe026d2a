"""The French text report of `igloo-xl validate`, grouped by sheet.

Codes stay out of the sentences a person reads: they are in the JSON output and in Contrôles' own column.
"""

from __future__ import annotations

from itertools import groupby

from igloo_xl.validation.findings import ERROR, Finding

LABEL = {"error": "ERREUR", "warning": "AVERTISSEMENT"}


def counts_sentence(findings: list[Finding]) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return "Aucune erreur"
    parts = []
    parts.append(f"{errors} erreur{'s' if errors > 1 else ''}" if errors else "Aucune erreur")
    if warnings:
        parts.append(f"{warnings} avertissement{'s' if warnings > 1 else ''}")
    return ", ".join(parts)


def render(findings: list[Finding], source: str) -> str:
    lines = [f"Contrôle de « {source} » : {counts_sentence(findings)}."]
    for sheet, group in groupby(findings, key=lambda f: f.sheet):
        group = list(group)
        lines.append("")
        lines.append(f"Feuille {sheet} ({len(group)})")
        for f in group:
            where = f.cell or "feuille"
            lines.append(f"  {LABEL[f.severity]:<13} {where:<7} {f.message}")
    return "\n".join(lines)
