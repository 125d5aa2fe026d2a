"""Validation: pandera schemas run on the typed master, cross-sheet rules, findings and their French messages.

The engine is imported lazily: `model.master` imports `validation.findings`, and the engine imports
`model.master`, so an eager import here would be circular.
"""

__all__ = ["Report", "validate", "validate_file"]


def __getattr__(name):
    if name in __all__:
        from igloo_xl.validation import engine

        return getattr(engine, name)
    raise AttributeError(name)
