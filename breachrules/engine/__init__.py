"""How it is decided: the assessment as a pipeline of small stages, and the two backends.

``Engine.assess`` composes the stages (see ``docs/architecture.md``)::

    reach -> facts -> evaluate -> determine -> obligations -> clocks -> liability -> audit

Each stage is a module with plain functions from the previous stage's immutable result to
its own. The engine imports :mod:`breachrules.model` and :mod:`breachrules.law` only.
"""

from breachrules.engine.pipeline import Engine, load_backend

__all__ = ["Engine", "load_backend"]
