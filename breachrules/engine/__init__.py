"""How it is decided: the assessment as a pipeline of small stages, and the two backends.

``Engine.assess`` composes the stages (see ``docs/architecture.md``)::

    reach -> facts -> evaluate -> determine -> obligations -> clocks -> liability -> audit

Each stage is a module with plain functions from the previous stage's immutable result to
its own. The engine imports :mod:`breachrules.model` and :mod:`breachrules.law` only.
"""

from breachrules.law import methods as _methods

# The engine's classes get the methods attrs writes for them compiled with the package
# (breachrules.law.methods): about 2 ms of each new process that assesses.
_methods.begin()
try:
    from breachrules.engine.pipeline import Engine, load_backend
finally:
    _methods.end()

__all__ = ["Engine", "load_backend"]
