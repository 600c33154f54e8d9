"""Interagency Guidance on Response Programs (2005): as soon as possible, sensitive data only."""

from .support import owed, run

BANK = {
    "organisation": {"roles": ["credit_institution"], "main_establishment": "US"},
    "events": {"discovered_at": "2026-03-05T09:30:00-05:00"},
    "data": {"categories": ["name", "financial_account"]},
    "affected": {"US-NY": 300},
    "assessment": {"risk_of_harm": "likely"},
}

KEYS = {"glba-banks/regulator", "glba-banks/individuals"}


def guidance(**sections):
    return run(**{**BANK, **sections})


def test_regulator_and_customers_as_soon_as_possible():
    evaluation = guidance()

    assert owed(evaluation) >= KEYS
    obligation = evaluation.obligation("glba-banks/individuals")
    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # Policy target: 72 hours after 5 March 09:30 EST (14:30 UTC).
    assert obligation.target.isoformat() == "2026-03-08T14:30:00+00:00"
    assert obligation.rule_version == "2005-03-29"


def test_misuse_unlikely_spares_the_customers_only():
    evaluation = guidance(assessment={"risk_of_harm": "unlikely"})

    assert "glba-banks/individuals" not in owed(evaluation)
    assert "glba-banks/regulator" in owed(evaluation)


def test_a_password_alone_is_sensitive_customer_information():
    assert owed(guidance(data={"categories": ["credentials"]})) >= KEYS


def test_names_and_emails_are_not_sensitive_customer_information():
    evaluation = guidance(data={"categories": ["name", "email"]})

    assert not KEYS & owed(evaluation)
    assert "not personal information" in evaluation.reason("glba-banks/regulator")


def test_not_for_organisations_that_are_not_banks():
    assert not KEYS & owed(guidance(organisation={"roles": ["controller"]}))
