"""The deadline engine: the law as data in jurisdictions/, and the obligations it gives.

Pure Python: nothing here imports Flask or the database, so that the command line, the web
forms, the API and the scheduler all compute the same dates.
"""

from __future__ import annotations

from .compare import Change, compare
from .engine import evaluate
from .model import Evaluation, NotApplicable, Obligation
from .rulebook import Regime, Rulebook, load_rule_file, load_rulebook

__all__ = [
    "Change",
    "Evaluation",
    "NotApplicable",
    "Obligation",
    "Regime",
    "Rulebook",
    "compare",
    "evaluate",
    "load_rule_file",
    "load_rulebook",
]
