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
# Budget Compte: the classes offered in the dropdown; sub-accounts (604, 6226, 861…) are typed (schemas/budget.py).
ACCOUNTS = ("60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "86", "CI")
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
# Lines of the subsidy budget form a funder belongs to (74 split; 70, 73, 75–79, 87 for non-subsidies).
FUNDER_LINES = (
    "État",
    "Région",
    "Département",
    "Intercommunalité",
    "Commune",
    "Organismes sociaux",
    "Fonds européens",
    "ASP (emplois aidés)",
    "Autres établissements publics",
    "Fondations et aides privées",
    "70",
    "73",
    "75",
    "76",
    "77",
    "78",
    "79",
    "87",
)
# Spellings of a version-1 master read as their version-2 line.
FUNDER_LINE_ALIASES = {"Autres": "Autres établissements publics"}
FULFILMENT_MODES = (
    "Embauche directe",
    "Mise à disposition (ETTI, AI)",
    "GEIQ",
    "Sous-traitance ou cotraitance (SIAE)",
    "Formation",
)
MEASURE_TYPES = ("Accès au logement", "Maintien dans le logement")
PROOFS = (
    "Relevé d'heures de l'entreprise",
    "Attestation ETTI / AI / GEIQ",
    "Attestation SIAE",
    "Attestation de formation",
    "Autre",
)
DEFAULT_PUBLICS = (
    "Demandeur d'emploi de longue durée",
    "Bénéficiaire du RSA",
    "Jeune de moins de 26 ans sans qualification",
    "Travailleur handicapé (RQTH)",
    "Bénéficiaire de l'ASS ou de l'AAH",
    "Salarié d'une SIAE",
    "Autre public validé par le facilitateur",
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
    "Mode de réalisation": FULFILMENT_MODES,
    "Type de mesure": MEASURE_TYPES,
    "Justificatif": PROOFS,
}
