"""The rows of the Cerfa 12156*06 « budget prévisionnel de l'action » (and of the Cerfa 15059 compte rendu
financier, which repeats them), in the form's order: (code printed in the first cell, label).

Typed by hand from the published form, not from igloo_xl. Sources read (see the lead's note):
- Cerfa n°12156*06 « Demande de subvention(s) – Formulaire unique » (PDF, 10 pages; public copy on
  fichier-pdf.fr, « cerfa_12156-06.pdf », and the notice n°51781#04 that goes with it, scribd copy);
- the ANCT « Dauphin » financing plan of the same form, as stored by the State's data.subvention
  service (betagouv/api-subventions-asso, packages/api/tests/adapters/outputs/db/__fixtures__/
  dauphin-gispro.fixtures.ts: postes 60..69, charges indirectes, 86/860..864, 70, 73, 74 and its lines,
  75/756/758, 76, 77, 78, 79, ressources propres, 87/870/871/875).
The form prints no account number on the lines under 60..64 and under the indirect charges: their
first cell is empty. Totals and results carry no code either.
"""

CHARGES = [
    ("60", "Achats"),
    ("", "Prestations de services"),
    ("", "Achats matières et fournitures"),
    ("", "Autres fournitures"),
    ("61", "Services extérieurs"),
    ("", "Locations"),
    ("", "Entretien et réparation"),
    ("", "Assurance"),
    ("", "Documentation"),
    ("62", "Autres services extérieurs"),
    ("", "Rémunérations intermédiaires et honoraires"),
    ("", "Publicité, publication"),
    ("", "Déplacements, missions"),
    ("", "Services bancaires, autres"),
    ("63", "Impôts et taxes"),
    ("", "Impôts et taxes sur rémunération"),
    ("", "Autres impôts et taxes"),
    ("64", "Charges de personnel"),
    ("", "Rémunération des personnels"),
    ("", "Charges sociales"),
    ("", "Autres charges de personnel"),
    ("65", "Autres charges de gestion courante"),
    ("66", "Charges financières"),
    ("67", "Charges exceptionnelles"),
    ("68", "Dotation aux amortissements"),
    ("69", "Impôt sur les bénéfices (IS) ; Participation des salariés"),
    ("", "Charges indirectes affectées à l'action"),
    ("", "Charges fixes de fonctionnement"),
    ("", "Frais financiers"),
    ("", "Autres"),
    ("", "Total des charges"),
    ("", "Excédent prévisionnel (bénéfice)"),
    ("86", "Emplois des contributions volontaires en nature"),
    ("860", "Secours en nature"),
    ("861", "Mise à disposition gratuite de biens et services"),
    ("862", "Prestations"),
    ("864", "Personnel bénévole"),
    ("", "Total"),
]

PRODUITS = [
    ("70", "Vente de produits finis, de marchandises, prestations de services"),
    ("73", "Dotations et produits de tarification"),
    ("74", "Subventions d'exploitation"),
    ("", "État : préciser le(s) ministère(s) sollicité(s), directions ou services déconcentrés sollicités"),
    ("", "Conseil-s Régional(aux)"),
    ("", "Conseil-s Départemental (aux)"),
    ("", "Communautés de communes ou d'agglomérations"),
    ("", "Commune(s)"),
    ("", "Organismes sociaux (CAF, etc. détailler)"),
    ("", "Fonds européens (FSE, FEDER, etc.)"),
    ("", "L'agence de services et de paiement (emplois aidés)"),
    ("", "Autres établissements publics"),
    ("", "Aides privées (fondation)"),
    ("75", "Autres produits de gestion courante"),
    ("756", "Cotisations"),
    ("758", "Dons manuels - Mécénat"),
    ("76", "Produits financiers"),
    ("77", "Produits exceptionnels"),
    ("78", "Reprises sur amortissements et provisions"),
    ("79", "Transfert de charges"),
    ("", "Ressources propres affectées à l'action"),
    ("", "Total des produits"),
    ("", "Insuffisance prévisionnelle (perte)"),
    ("87", "Contributions volontaires en nature"),
    ("870", "Bénévolat"),
    ("871", "Prestations en nature"),
    ("875", "Dons en nature"),
    ("", "Total"),
]

# The Paramètres line of a funder -> the 74 row it fills (the form's order).
SUBSIDY_ROW = {
    "État": 3, "Région": 4, "Département": 5, "Intercommunalité": 6, "Commune": 7, "Organismes sociaux": 8,
    "Fonds européens": 9, "ASP (emplois aidés)": 10, "Autres établissements publics": 11,
    "Fondations et aides privées": 12,
}
