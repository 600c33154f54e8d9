"""Fixtures for the report tests: an instance with its own key, and signed reports."""

from __future__ import annotations

import pytest
from report_samples import EVALUATION, FACTS, GDPR_SA, SIGNATORY

from tracker.config import load_config
from tracker.report.content import INCIDENT_TEMPLATE, incident_context
from tracker.report.document import produce_report
from tracker.report.keys import load_signing_key


@pytest.fixture(scope="session")
def instance(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def config(instance):
    return load_config(environ={}, overrides={"INSTANCE": str(instance)})


@pytest.fixture(scope="session")
def key(config):
    return load_signing_key(config)


@pytest.fixture(scope="session")
def report(config, key):
    context = incident_context(
        "INC-7",
        FACTS,
        EVALUATION,
        timeline=[
            {"at": "2026-03-05T14:30:00+00:00", "text": "SIEM alert raised", "actor": "José"},
        ],
        audit=[{"at": "2026-03-05T15:00:00+00:00", "actor": "j.doe", "action": "create"}],
    )
    return produce_report(
        "incident",
        INCIDENT_TEMPLATE,
        context,
        facts=FACTS,
        obligations=EVALUATION,
        signatory=SIGNATORY,
        config=config,
        key=key,
    )


@pytest.fixture(scope="session")
def long_report(config, key):
    """A report of many pages: 150 obligations, 200 timeline entries."""
    obligations = [
        {**GDPR_SA, "key": f"contract:party-{n:03d}/customer", "basis": f"Contract clause {n}"}
        for n in range(150)
    ]
    timeline = [
        {"at": f"2026-03-05T{n % 24:02d}:{n % 60:02d}:00+00:00", "text": f"Step {n}"}
        for n in range(200)
    ]
    evaluation = {"obligations": obligations, "not_applicable": []}
    context = incident_context("INC-1234", FACTS, evaluation, timeline=timeline)
    return produce_report(
        "incident",
        INCIDENT_TEMPLATE,
        context,
        facts=FACTS,
        obligations=evaluation,
        signatory=SIGNATORY,
        config=config,
        key=key,
    )
