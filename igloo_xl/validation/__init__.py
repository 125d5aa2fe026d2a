"""Validation: pandera schemas run on the typed master, cross-sheet rules, findings and their French messages."""

__all__ = ["Report", "validate", "validate_file"]


def __getattr__(name):
    # Lazy: model.master imports validation.findings, and the engine imports model.master.
    if name in __all__:
        from igloo_xl.validation import engine

        return getattr(engine, name)
    raise AttributeError(name)
