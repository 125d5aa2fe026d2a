"""The sample programme written by `igloo-xl init`: the real partners and calendar of
IGLOO in Mulhouse (2009–2010) with 18 fictional families.

`programme(copies=n)` repeats the families, dwellings, lots, pathways, funding and
budget n times with new IDs (references kept): the benchmark's large master.
"""

from __future__ import annotations

import datetime as dt
import random

from igloo_xl.domain.hours import insertion_hours

D = dt.date

SETTINGS = [
    ("Programme", "IGLOO – Projet d'Insertion Globale par le Logement et l'Emploi (Mulhouse)", "Titre repris dans les documents générés"),
    ("Coordonnateur", "Association Espoir", "Porteur et coordonnateur du projet"),
    ("Taux d'insertion par défaut (%)", 0.05, "5 % des heures de main-d'œuvre : minimum de la charte nationale d'insertion de l'ANRU"),
    ("Coût horaire par défaut (€)", 30.0, "Coût horaire moyen chargé d'un ouvrier du bâtiment, pour convertir un montant en heures"),
    ("Nom de l'association", "Association Espoir", "Identité imprimée sur les formulaires des financeurs"),
    ("SIRET", "000 000 000 00000", "Numéro fictif de l'exemple : remplacez-le par le vrai"),
    ("N° RNA ou registre des associations", "Registre des associations du tribunal judiciaire de Mulhouse, volume 00, folio 000",
     "Exemple fictif ; en Alsace-Moselle, volume et folio du registre du tribunal, ailleurs le numéro RNA (W…)"),
    ("Adresse du siège", "1 rue de l'Exemple, 68100 Mulhouse", "Adresse fictive de l'exemple"),
    ("Représentant légal", "Mme Exemple", "Nom fictif de l'exemple"),
    ("Qualité du représentant légal", "Présidente", ""),
    ("Facilitateur de la clause d'insertion", "Facilitateur de la MEF", "Nom de la personne qui suit les clauses"),
    ("Structure du facilitateur", "Maison de l'Emploi et de la Formation (MEF) de Mulhouse", "Expertise de la clause d'insertion"),
    ("Courriel du facilitateur", "clauses@mef-mulhouse.example", "Adresse fictive de l'exemple"),
    ("Téléphone du facilitateur", "03 89 00 00 00", "Numéro fictif de l'exemple"),
    ("Pénalité par heure d'insertion manquante (€)", 30.0, "Vide = pas de pénalité dans le texte de la clause"),
    ("Heures minimales pour une clause", 5.0, "Un lot qui doit moins d'heures n'a pas de clause ; vide = pas de minimum"),
]

PUBLICS = [
    ("Demandeur d'emploi de longue durée", "Inscrit depuis plus de 12 mois"),
    ("Bénéficiaire du RSA", ""),
    ("Jeune de moins de 26 ans sans qualification", ""),
    ("Travailleur handicapé (RQTH)", ""),
    ("Bénéficiaire de l'ASS ou de l'AAH", ""),
    ("Salarié d'une SIAE", "Structure d'insertion par l'activité économique"),
    ("Autre public validé par le facilitateur", ""),
]
MODES = ["Embauche directe", "Mise à disposition (ETTI, AI)", "GEIQ", "Sous-traitance ou cotraitance (SIAE)", "Formation"]
PROOF_FOR_MODE = {
    "Embauche directe": "Relevé d'heures de l'entreprise",
    "Mise à disposition (ETTI, AI)": "Attestation ETTI / AI / GEIQ",
    "GEIQ": "Attestation ETTI / AI / GEIQ",
    "Sous-traitance ou cotraitance (SIAE)": "Attestation SIAE",
    "Formation": "Attestation de formation",
}
FSL = "Conseil Général (FSL)"

TRADES = [
    ("Gros œuvre – maçonnerie", 0.45, "Part de main-d'œuvre usuelle dans le montant HT"),
    ("Ossature bois – charpente", 0.40, ""),
    ("Menuiseries", 0.30, ""),
    ("Plâtrerie – isolation", 0.50, ""),
    ("Peinture – revêtements", 0.60, ""),
    ("Carrelage – faïence", 0.55, ""),
    ("Électricité", 0.45, ""),
    ("Plomberie – sanitaire", 0.40, ""),
    ("Chauffage – ventilation", 0.35, ""),
]

PARTNERS = [
    ("Pôle Emploi", "Diagnostic, placement et suivi des demandeurs d'emploi"),
    ("AFPA", "Organisme de formation aux métiers du bâtiment"),
    ("CIAREM", "Organisme de formation et d'insertion"),
    ("Sémaphore", "Accueil et accompagnement des jeunes"),
    ("Région", "Financement de la formation professionnelle"),
    ("CIL du Rhin", "Insertion par le logement et l'emploi"),
    ("MEF", "Maison de l'emploi : expertise des bailleurs sur la clause d'insertion"),
    ("Association Espoir", "Coordination et accompagnement des familles"),
]

FUNDERS = [
    ("État / CAMSA", "État", "MOUS et financement des réhabilitations et constructions"),
    ("Ville de Mulhouse", "Commune", "À l'origine du projet ; subvention de fonctionnement"),
    ("Conseil Général (FSL)", "Département", "Fonds de solidarité logement : accompagnement social lié au logement"),
    ("CUCS", "État", "Contrat urbain de cohésion sociale"),
    ("CIL du Rhin", "Organismes sociaux", ""),
    ("CPL", "Organismes sociaux", "2 % Besson"),
    ("Fondation Abbé Pierre", "Fondations et aides privées", ""),
    ("CDC", "Autres établissements publics", "Caisse des dépôts"),
    ("Région Alsace", "Région", "Formation des bénéficiaires"),
    ("Mises à disposition (salles)", "87", "Contributions volontaires en nature"),
    ("ASP", "ASP (emplois aidés)", "Agence de services et de paiement : aides aux contrats aidés"),
]

LANDLORDS = [
    ("Habitat & Humanisme", "M. Laurent Roth", "contact@habitat-humanisme.example", D(2009, 1, 20), 3),
    ("Neolia", "Mme Claire Meyer", "insertion@neolia.example", D(2009, 2, 12), 4),
    ("NLE", "M. Paul Schaller", "clause@nle.example", D(2009, 3, 5), 4),
    ("Somco", "Mme Inès Walter", "patrimoine@somco.example", D(2009, 4, 2), 3),
    ("LogiEst", "M. Marc Fischer", "mulhouse@logiest.example", D(2009, 5, 18), 4),
]

# (landlord, quarter, type, operation, typology, surface, rent, street)
DWELLINGS = [
    ("Habitat & Humanisme", "Briand", "Collectif", "Réhabilitation", "T3", 68, 410, "rue des Tanneurs"),
    ("Habitat & Humanisme", "Briand", "Collectif", "Réhabilitation", "T4", 82, 470, "rue des Tanneurs"),
    ("Habitat & Humanisme", "Briand", "Collectif", "Réhabilitation", "T2", 49, 320, "rue du Moulin"),
    ("Neolia", "Franklin", "Collectif", "Réhabilitation", "T3", 71, 420, "rue de l'Arsenal"),
    ("Neolia", "Franklin", "Collectif", "Réhabilitation", "T4", 85, 480, "rue de l'Arsenal"),
    ("Neolia", "Autre", "Individuel", "Construction ossature bois", "T5", 98, 560, "impasse des Charpentiers"),
    ("Neolia", "Autre", "Individuel", "Construction ossature bois", "T5", 98, 560, "impasse des Charpentiers"),
    ("NLE", "Vauban-Neppert", "Collectif", "Réhabilitation", "T3", 66, 400, "rue Vauban"),
    ("NLE", "Vauban-Neppert", "Collectif", "Réhabilitation", "T3", 64, 395, "rue Vauban"),
    ("NLE", "Vauban-Neppert", "Collectif", "Réhabilitation", "T4", 80, 465, "rue de Neppert"),
    ("NLE", "Vauban-Neppert", "Collectif", "Réhabilitation", "T2", 52, 330, "rue de Neppert"),
    ("Somco", "Briand", "Collectif", "Réhabilitation", "T4", 79, 455, "rue du Manège"),
    ("Somco", "Franklin", "Collectif", "Réhabilitation", "T3", 70, 415, "rue des Franciscains"),
    ("Somco", "Franklin", "Collectif", "Réhabilitation", "T5", 94, 530, "rue des Franciscains"),
    ("LogiEst", "Vauban-Neppert", "Collectif", "Réhabilitation", "T3", 67, 405, "rue du Bourtzwiller"),
    ("LogiEst", "Vauban-Neppert", "Collectif", "Réhabilitation", "T4", 83, 475, "rue du Bourtzwiller"),
    ("LogiEst", "Franklin", "Collectif", "Réhabilitation", "T3", 69, 410, "rue Lavoisier"),
    ("LogiEst", "Franklin", "Collectif", "Réhabilitation", "T2", 50, 325, "rue Lavoisier"),
]

# (trade, insertion lot, amount range, lot insertion rate or None for the default)
REHAB_LOTS = [
    ("Plâtrerie – isolation", True, (14000, 22000), 0.25),
    ("Peinture – revêtements", True, (6000, 11000), None),
    ("Électricité", False, (7000, 10000), None),
    ("Plomberie – sanitaire", False, (8000, 12000), None),
]
TIMBER_LOTS = [
    ("Ossature bois – charpente", True, (55000, 65000), 0.10),
    ("Menuiseries", False, (14000, 18000), None),
    ("Peinture – revêtements", True, (7000, 9000), 0.20),
    ("Électricité", False, (9000, 12000), None),
]
FIRMS = {
    "Plâtrerie – isolation": "Plâtrerie Muller SARL",
    "Peinture – revêtements": "Peintures Schmitt & Fils",
    "Électricité": "Haas Électricité",
    "Plomberie – sanitaire": "Koenig Sanitaire",
    "Ossature bois – charpente": "Bois & Habitat d'Alsace",
    "Menuiseries": "Menuiserie Zimmermann",
}

SURNAMES = [
    "Amrani", "Bauer", "Cissé", "Da Silva", "Erdem", "Fontaine", "Gashi", "Hoareau", "Idrissi",
    "Jung", "Kaya", "Lefèvre", "Mendy", "Nguyen", "Ollivier", "Petit", "Quenet", "Rahmani",
]
FIRST_NAMES = [
    "Karim", "Sébastien", "Moussa", "Paulo", "Murat", "Kévin", "Arben", "Jérémy", "Youssef",
    "Thomas", "Emre", "Nicolas", "Abdou", "Minh", "Julien", "Sandra", "Damien", "Nadia",
]
WORKERS = ["Mme Weber (Espoir)", "M. Klein (CCAS)", "Mme Roux (Conseil Général)"]

CALENDAR = [
    ("Mise en place du coordonnateur (association Espoir)", "Foncier / Bailleurs", D(2009, 1, 1), D(2009, 1, 1)),
    ("Formalisation de l'engagement des bailleurs (offre foncière existante)", "Foncier / Bailleurs", D(2009, 1, 1), D(2009, 5, 31)),
    ("Identification et sélection des familles", "Familles", D(2009, 1, 1), D(2009, 9, 30)),
    ("Parcours d'insertion professionnelle : premières actions (stages, formation)", "Insertion professionnelle", D(2009, 3, 1), D(2010, 12, 31)),
    ("Accompagnement individualisé des familles", "Accompagnement", D(2009, 6, 1), D(2010, 6, 30)),
    ("Groupe de parole (CSM)", "Accompagnement", D(2009, 6, 1), D(2010, 6, 30)),
    ("Association des familles à la conception de leur habitat", "Conception", D(2009, 6, 1), D(2009, 9, 30)),
    ("Réalisation des travaux", "Travaux", D(2009, 10, 1), D(2010, 12, 31)),
]

# (year, action, [(account, label, planned, actual)], [(funder, scheme, requested, granted, paid, status, decided)])
BUDGET = [
    (2009, "Coordination",
     [("60", "Fournitures et petit équipement", 1500, 1420), ("61", "Locations et charges", 3000, 3000),
      ("62", "Déplacements et honoraires", 4000, 3650), ("64", "Salaire et charges du coordonnateur", 38000, 37800),
      ("86", "Mise à disposition de salles", 2400, 2400)],
     [("État / CAMSA", "MOUS", 20000, 20000, 20000, "Versé", D(2009, 3, 10)),
      ("Ville de Mulhouse", "Fonctionnement", 15000, 15000, 15000, "Versé", D(2009, 2, 16)),
      ("CUCS", "Fonctionnement", 6500, 6500, 6500, "Versé", D(2009, 4, 2)),
      ("Fondation Abbé Pierre", "Autre", 5000, 5000, 5000, "Versé", D(2009, 6, 12)),
      ("Mises à disposition (salles)", "Autre", 2400, 2400, 2400, "Versé", D(2009, 1, 5))]),
    (2010, "Coordination",
     [("60", "Fournitures et petit équipement", 1500, None), ("61", "Locations et charges", 3000, None),
      ("62", "Déplacements et honoraires", 4500, None), ("64", "Salaire et charges du coordonnateur", 39000, None),
      ("86", "Mise à disposition de salles", 2400, None)],
     [("État / CAMSA", "MOUS", 20000, 20000, 10000, "Accordé", D(2010, 2, 8)),
      ("Ville de Mulhouse", "Fonctionnement", 15000, 15000, None, "Accordé", D(2010, 2, 15)),
      ("CUCS", "Fonctionnement", 6000, 6000, None, "Accordé", D(2010, 3, 30)),
      ("CDC", "Autre", 7000, None, None, "Demandé", None),
      ("Mises à disposition (salles)", "Autre", 2400, 2400, None, "Accordé", D(2010, 1, 4))]),
    (2009, "Accompagnement social",
     [("60", "Fournitures des ateliers", 500, 480), ("62", "Intervenant du groupe de parole (CSM)", 2500, 2500),
      ("64", "Travailleur social (0,5 ETP)", 14000, 13900)],
     [("Conseil Général (FSL)", "ASLL", 12000, 12000, 12000, "Versé", D(2009, 5, 20)),
      ("CIL du Rhin", "ASLL", 3000, 3000, 3000, "Versé", D(2009, 6, 3)),
      ("Fondation Abbé Pierre", "ASLL", 2000, 2000, 2000, "Versé", D(2009, 6, 12))]),
    (2010, "Accompagnement social",
     [("60", "Fournitures des ateliers", 1000, None), ("62", "Intervenant du groupe de parole (CSM)", 4000, None),
      ("64", "Travailleur social (0,5 ETP)", 26000, None)],
     [("Conseil Général (FSL)", "ASLL", 22000, 22000, 11000, "Accordé", D(2010, 3, 18)),
      ("CIL du Rhin", "ASLL", 4000, 4000, None, "Accordé", D(2010, 4, 7)),
      ("CPL", "ASLL", 3000, None, None, "Refusé", D(2010, 4, 20)),
      ("Fondation Abbé Pierre", "ASLL", 5000, None, None, "Demandé", None)]),
    (2009, "Travaux",
     [("60", "Outillage et matériaux pédagogiques", 8000, 7600), ("62", "Encadrement technique des chantiers", 12000, 12000)],
     [("État / CAMSA", "Réhabilitation", 15000, 15000, 15000, "Versé", D(2009, 9, 14)),
      ("CPL", "Réhabilitation", 5000, 5000, 5000, "Versé", D(2009, 10, 1))]),
    (2010, "Travaux",
     [("60", "Outillage et matériaux pédagogiques", 15000, None), ("62", "Encadrement technique des chantiers", 25000, None)],
     [("État / CAMSA", "Réhabilitation", 30000, 30000, 15000, "Accordé", D(2010, 2, 8)),
      ("CPL", "Réhabilitation", 10000, 10000, None, "Accordé", D(2010, 3, 1))]),
    (2009, "Insertion professionnelle",
     [("62", "Formations complémentaires", 6000, 5800), ("64", "Chargé d'insertion (0,3 ETP)", 10000, 10000)],
     [("Région Alsace", "Formation", 10000, 10000, 10000, "Versé", D(2009, 4, 22)),
      ("CIL du Rhin", "Formation", 6000, 6000, 6000, "Versé", D(2009, 5, 6))]),
    (2010, "Insertion professionnelle",
     [("62", "Formations complémentaires", 8000, None), ("64", "Chargé d'insertion (0,3 ETP)", 12000, None)],
     [("Région Alsace", "Formation", 12000, 12000, None, "Accordé", D(2010, 3, 24)),
      ("CIL du Rhin", "Formation", 8000, 8000, None, "Accordé", D(2010, 4, 7))]),
]

THEMES = ["Charges locatives", "Prévention des impayés", "Voisinage", "Conception du logement", "Emploi", "Autre"]


def _months(start: dt.date, count: int):
    y, m = start.year, start.month
    for _ in range(count):
        yield y, m
        m += 1
        if m == 13:
            y, m = y + 1, 1


def programme(copies: int = 1) -> dict[str, list[dict]]:
    """Rows per sheet, keyed by the contract's column keys; Paramètres as its own blocks."""
    rnd = random.Random(2009)
    rows: dict[str, list[dict]] = {k: [] for k in (
        "Familles", "Logements", "Bailleurs", "Lots", "Parcours", "Heures", "Financements", "Budget", "Calendrier",
        "Accompagnement", "Mesures")}
    rates = {t: r for t, r, _ in TRADES}
    hourly = SETTINGS[3][1]
    default_rate = SETTINGS[2][1]
    for name, contact, email, committed, count in LANDLORDS:
        rows["Bailleurs"].append({"name": name, "contact": contact, "email": email, "committed_on": committed,
                                  "committed_dwellings": count * copies})
    for step, axis, start, end in CALENDAR:
        rows["Calendrier"].append({"step": step, "axis": axis, "start": start, "end": end, "status": "Terminé"})
    width = 2 if copies == 1 else len(str(18 * copies))
    for c in range(copies):
        for year, action, lines, funding in BUDGET:
            for account, label, planned, actual in lines:
                rows["Budget"].append({"year": year, "action": action, "account": account, "label": label,
                                       "planned": planned, "actual": actual})
            for funder, scheme, requested, granted, paid, status, decided in funding:
                rows["Financements"].append({"funder": funder, "scheme": scheme, "action": action, "year": year,
                                             "requested": requested, "granted": granted, "paid": paid,
                                             "status": status, "decided_on": decided})
        for i, (landlord, quarter, typ, operation, typology, surface, rent, street) in enumerate(DWELLINGS):
            n = c * 18 + i + 1
            did = f"L{n:0{width}d}"
            works_start = D(2009, 10, 1) + dt.timedelta(days=14 * (i % 12))
            works_end = works_start + dt.timedelta(days=150 + 10 * (i % 5))
            rows["Logements"].append({
                "id": did, "landlord": landlord, "address": f"{3 + 2 * i} {street}, 68100 Mulhouse", "quarter": quarter,
                "type": typ, "operation": operation, "typology": typology, "surface": surface, "rent": rent,
                "works_start": works_start, "works_end": works_end})
            lot_specs = TIMBER_LOTS if operation == "Construction ossature bois" else REHAB_LOTS
            own_lots = []
            for k, (trade, insertion, (lo, hi), rate) in enumerate(lot_specs):
                amount = round(rnd.uniform(lo, hi) / 100) * 100
                start = works_start + dt.timedelta(days=20 * k)
                end = min(start + dt.timedelta(days=60), works_end)
                hours = insertion_hours(amount, rates[trade], hourly, rate if rate is not None else default_rate) if insertion else 0
                lot = {"id": f"{did}-{k + 1}", "dwelling": did, "trade": trade, "firm": FIRMS[trade],
                       "insertion": "Oui" if insertion else "Non", "amount": amount, "labour_rate": None,
                       "insertion_rate": rate, "hourly_cost": None, "hours": hours, "start": start, "end": end}
                rows["Lots"].append(lot)
                if insertion:
                    own_lots.append(lot)
            # families: 16 housed (one per dwelling but the last two), one candidate, one who left
            fid = f"F{n:0{width}d}"
            surname, first = SURNAMES[i], FIRST_NAMES[i]
            fam = {"id": fid, "reference": f"Famille {surname}", "adults": 1 + (i % 3 != 0), "children": i % 4,
                   "income": 650 + 45 * i, "social_worker": WORKERS[i % 3], "status": "Relogée",
                   "selected_on": D(2009, 3, 1) + dt.timedelta(days=10 * i), "dwelling": None, "member": f"{first} {surname}",
                   "entry_on": None}
            if i < 16:
                fam["dwelling"] = did
                if i in (14, 15):
                    fam["status"] = "Sélectionnée"
                else:
                    fam["entry_on"] = works_end + dt.timedelta(days=15)
            elif i == 16:
                fam.update(status="Candidate", selected_on=None, member=None)
            else:
                fam.update(status="Sortie")
            rows["Familles"].append(fam)
            if i == 16:
                continue
            partner = ["Pôle Emploi", "Sémaphore", "CIAREM"][i % 3]
            rows["Parcours"].append({"family": fid, "beneficiary": fam["member"], "action": "Diagnostic", "partner": partner,
                                     "lot": None, "start": D(2009, 3, 2) + dt.timedelta(days=7 * i), "end": None,
                                     "hours_planned": 3, "hours_done": 3})
            if i == 17:
                continue
            rows["Parcours"].append({"family": fid, "beneficiary": fam["member"], "action": "Formation", "partner": "AFPA",
                                     "lot": None, "start": D(2009, 5, 4), "end": D(2009, 9, 25), "hours_planned": 280,
                                     "hours_done": 266 + i % 10})
            mode, public = MODES[i % len(MODES)], PUBLICS[i % len(PUBLICS)][0]
            for lot in own_lots:
                done = lot["hours"] if lot["end"] < D(2010, 6, 1) else round(lot["hours"] * 0.8)
                rows["Parcours"].append({"family": fid, "beneficiary": fam["member"], "action": "Contrat d'insertion",
                                         "partner": "MEF", "lot": lot["id"], "start": lot["start"], "end": lot["end"],
                                         "hours_planned": lot["hours"], "hours_done": done, "mode": mode, "public": public})
                rows["Heures"].extend(_statements(fid, lot, done, mode))
            if i < 15:
                rows["Mesures"].extend(_measures(fid, fam["selected_on"], i))
            for k, (y, m) in enumerate(_months(D(2009, 6, 1), 13)):
                rows["Accompagnement"].append({"date": D(y, m, 3 + i), "family": fid, "type": "Entretien individuel",
                                               "theme": THEMES[(i + k) % len(THEMES)], "duration": 1.5, "attendees": None})
            rows["Accompagnement"].append({"date": D(2009, 7, 6 + i), "family": fid, "type": "Visite de logement",
                                           "theme": "Conception du logement", "duration": 2, "attendees": None})
            rows["Accompagnement"].append({"date": D(2009, 9, 7 + i), "family": fid, "type": "Choix des matériaux",
                                           "theme": "Conception du logement", "duration": 2, "attendees": None})
        for k, (y, m) in enumerate(_months(D(2009, 6, 1), 13)):
            rows["Accompagnement"].append({"date": D(y, m, 25), "family": None, "type": "Groupe de parole (CSM)",
                                           "theme": THEMES[k % len(THEMES)], "duration": 2, "attendees": 8 + (k * 5) % 7})
        for m in (6, 7, 8):
            rows["Accompagnement"].append({"date": D(2009, m, 20), "family": None, "type": "Atelier conception",
                                           "theme": "Conception du logement", "duration": 3, "attendees": 12 + m % 3})
    rows["Accompagnement"].sort(key=lambda r: r["date"])
    rows["Heures"].sort(key=lambda r: (r["month"], r["family"], r["lot"]))
    return rows


def _statements(family: str, lot: dict, done: int, mode: str) -> list[dict]:
    """The firm's monthly statements of a contract: `done` hours spread over the lot's months."""
    months = list(_months(lot["start"].replace(day=1), (lot["end"].year - lot["start"].year) * 12 + lot["end"].month - lot["start"].month + 1))
    share, extra = divmod(done, len(months))
    return [
        {"month": D(y, m, 1), "family": family, "lot": lot["id"], "hours": share + (k < extra),
         "company": lot["firm"], "proof": PROOF_FOR_MODE[mode]}
        for k, (y, m) in enumerate(months)
        if share + (k < extra) > 0
    ]


def _measures(family: str, selected_on: dt.date, i: int) -> list[dict]:
    """An ASLL access measure of 6 months from the selection; every third family has it renewed to keep the home."""
    start = selected_on + dt.timedelta(days=30)
    end = _plus_months(start, 6) - dt.timedelta(days=1)
    out = [{"family": family, "type": "Accès au logement", "funder": FSL, "decision_date": selected_on + dt.timedelta(days=14),
            "start": start, "end": end}]
    if i % 3 == 0:
        renewal = end + dt.timedelta(days=1)
        out.append({"family": family, "type": "Maintien dans le logement", "funder": FSL, "decision_date": end - dt.timedelta(days=20),
                    "start": renewal, "end": _plus_months(renewal, 6) - dt.timedelta(days=1)})
    return out


def _plus_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    return D(day.year + y, m + 1, min(day.day, 28))


def parameters() -> dict[str, list[tuple]]:
    return {"settings": SETTINGS, "trades": TRADES, "partners": PARTNERS, "funders": FUNDERS, "publics": PUBLICS}
