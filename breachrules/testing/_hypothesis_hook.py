"""The ``hypothesis`` entry point: registers the strategies for the fact types, lazily.

Hypothesis runs its entry points while ``import hypothesis`` is still executing. The
strategies module imports Hypothesis at its top, so an entry point that imported it
would find it half-initialised whenever the user's first import was
``from breachrules import strategies`` ("partially initialized module ...
``_hypothesis_setup_hook``"). This module imports nothing of Hypothesis's at load time
and registers each type with a function that builds its strategy when first asked for,
after every import has finished.
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup"]


def _resolve(kind: str) -> Any:
    def build(_: type) -> Any:
        from breachrules.testing import strategies

        return strategies.type_strategies()[kind]

    return build


def setup() -> None:
    """Register ``st.from_type`` strategies for Incident, Exposure, Party, Contract, Risk."""
    from hypothesis import strategies as st

    from breachrules.model.facts import Contract, Exposure, Incident, Party, Risk

    for kind, cls in (
        ("incident", Incident),
        ("exposure", Exposure),
        ("party", Party),
        ("contract", Contract),
        ("risk", Risk),
    ):
        st.register_type_strategy(cls, _resolve(kind))
