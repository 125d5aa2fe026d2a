"""pandera.pandas, imported without hypothesis.

pandera imports hypothesis when it is installed (0.2 s and 20 MB at every start) only to offer data
synthesis, which igloo-xl never uses. It is hidden during pandera's import, then visible again; when
hypothesis is already loaded (the tests), nothing changes.
"""

import sys

_hide = "hypothesis" not in sys.modules
if _hide:
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # makes `import hypothesis` fail
try:
    import pandera.pandas as pa
    import pandera.strategies.pandas_strategies  # noqa: F401  (loaded at the first validation otherwise)
finally:
    if _hide and sys.modules.get("hypothesis", False) is None:
        del sys.modules["hypothesis"]

__all__ = ["pa"]
