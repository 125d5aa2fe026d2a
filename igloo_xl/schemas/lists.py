"""The fixed lists of the contract, in their canonical spelling."""

FAMILY_STATUS = ("Candidate", "Sélectionnée", "Relogée", "Sortie")
QUARTERS = ("Briand", "Franklin", "Vauban-Neppert", "Autre")
DWELLING_TYPES = ("Collectif", "Individuel")
OPERATIONS = ("Réhabilitation", "Construction ossature bois")
TYPOLOGIES = ("T1", "T2", "T3", "T4", "T5", "T6")
YES_NO = ("Oui", "Non")
PATHWAY_ACTIONS = ("Diagnostic", "Stage", "Formation", "Contrat d'insertion", "Emploi")
SCHEMES = ("MOUS", "Réhabilitation", "ASLL", "Formation", "Fonctionnement", "Autre")
ACTIONS = ("Coordination", "Accompagnement social", "Travaux", "Insertion professionnelle")
FUNDING_STATUS = ("Demandé", "Accordé", "Refusé", "Versé")
ACCOUNTS = ("60", "61", "62", "63", "64", "65", "66", "67", "68", "86")
CALENDAR_AXES = (
    "Foncier / Bailleurs",
    "Familles",
    "Insertion professionnelle",
    "Accompagnement",
    "Conception",
    "Travaux",
)
CALENDAR_STATUS = ("À venir", "En cours", "Terminé")
MEETING_TYPES = (
    "Entretien individuel",
    "Groupe de parole (CSM)",
    "Visite de logement",
    "Atelier conception",
    "Choix des matériaux",
)
THEMES = ("Charges locatives", "Prévention des impayés", "Voisinage", "Conception du logement", "Emploi", "Autre")
# Lines of the subsidy budget form a funder belongs to (74 split; 70, 75, 87 for non-subsidies).
FUNDER_LINES = (
    "État",
    "Région",
    "Département",
    "Intercommunalité",
    "Commune",
    "Organismes sociaux",
    "Fonds européens",
    "Fondations et aides privées",
    "Autres",
    "70",
    "75",
    "87",
)

FIXED = {
    "Statut famille": FAMILY_STATUS,
    "Quartier": QUARTERS,
    "Type de logement": DWELLING_TYPES,
    "Opération": OPERATIONS,
    "Typologie": TYPOLOGIES,
    "Oui/Non": YES_NO,
    "Action de parcours": PATHWAY_ACTIONS,
    "Dispositif": SCHEMES,
    "Action": ACTIONS,
    "Statut financement": FUNDING_STATUS,
    "Compte": ACCOUNTS,
    "Axe": CALENDAR_AXES,
    "Statut étape": CALENDAR_STATUS,
    "Type de rencontre": MEETING_TYPES,
    "Thème": THEMES,
    "Ligne du budget": FUNDER_LINES,
}
