"""Build facts for engine tests from the few sections a test cares about."""

import copy
from typing import Any

from tracker.deadline import Evaluation, evaluate
from tracker.facts import Facts, parse_facts

BASE: dict[str, Any] = {
    "format": "incident-facts/1",
    "incident": {"title": "Test incident", "severity": "SEV-2"},
    "timezone": "America/New_York",
    "organisation": {"roles": ["controller"]},
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "data": {"categories": ["name", "ssn"]},
    "affected": {"US-CA": 10},
}


def make_facts(**sections: Any) -> Facts:
    """The base facts with whole sections replaced; `events` and `data` are merged."""
    document = copy.deepcopy(BASE)
    for name, value in sections.items():
        if name in ("events", "data", "incident", "organisation") and isinstance(value, dict):
            document[name] = {**document[name], **value}
        else:
            document[name] = value
    return parse_facts(document)


def run(**sections: Any) -> Evaluation:
    return evaluate(make_facts(**sections))


def due(evaluation: Evaluation, key: str) -> str | None:
    """The due instant of `key` in ISO UTC; fails when the obligation is absent."""
    obligation = evaluation.obligation(key)
    assert obligation is not None, evaluation.reason(key)
    return obligation.to_dict()["due"]


def owed(evaluation: Evaluation) -> set[str]:
    return {obligation.key for obligation in evaluation.obligations}
