Attribute VB_Name = "IglooBoutons"
' Boutons de la feuille Accueil du classeur maître IGLOO.
' Chaque bouton appelle une fonction Python du module igloo_xl.excel par RunPython (xlwings) ;
' toute la logique est en Python, ce module ne fait que l'appel.
Option Explicit

Public Sub ValiderClasseur()
    RunPython "import igloo_xl.excel as x; x.validate()"
End Sub

Public Sub ClausesInsertion()
    RunPython "import igloo_xl.excel as x; x.generate_clauses()"
End Sub

Public Sub BudgetCAMSA()
    RunPython "import igloo_xl.excel as x; x.export_budget('CAMSA')"
End Sub

Public Sub BudgetFSL()
    RunPython "import igloo_xl.excel as x; x.export_budget('FSL')"
End Sub

Public Sub ActualiserTableauDeBord()
    RunPython "import igloo_xl.excel as x; x.refresh_dashboard()"
End Sub
