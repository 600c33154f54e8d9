"""Wyoming Stat. 40-12-502 across SF 35 and SF 36 (2015)."""

from .support import owed, run

WY = {
    "timezone": "America/Denver",
    "events": {"discovered_at": "2026-03-05T09:30:00-07:00"},
    "affected": {"US-WY": 25},
}


def wyoming(**sections):
    return run(**{**WY, **sections})


def wy_keys(evaluation):
    return {key for key in owed(evaluation) if key.startswith("us-wy/")}


def test_individuals_without_unreasonable_delay():
    obligation = wyoming().obligation("us-wy/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"
    # 72 hours after 2026-03-05 16:30 UTC.
    assert obligation.target.isoformat() == "2026-03-08T16:30:00+00:00"
    assert obligation.rule_version == "2015-07-01"
    assert "a general description of the breach incident" in obligation.content


def test_no_attorney_general_or_agency_notice():
    assert wy_keys(wyoming(affected={"US-WY": 50000})) == {"us-wy/individuals"}


def test_health_and_credentials_count_from_sf_35():
    data = {"categories": ["name", "health_insurance"]}
    before = wyoming(data=data, events={"discovered_at": "2015-06-30T10:00:00-06:00"})
    after = wyoming(data=data, events={"discovered_at": "2015-07-01T10:00:00-06:00"})

    assert before.reason("us-wy/individuals") == (
        "the data (health_insurance, name) are not personal information under "
        "Wyo. Stat. 40-12-501(a)(vii), 6-3-901(b) (2007)"
    )
    assert after.obligation("us-wy/individuals").rule_version == "2015-07-01"


def test_credentials_without_a_name_are_not_covered():
    assert not wy_keys(wyoming(data={"categories": ["email", "credentials"]}))


def test_genetic_data_are_not_covered():
    evaluation = wyoming(data={"categories": ["name", "genetic"]})

    assert not wy_keys(evaluation)
    assert evaluation.reason("us-wy/individuals") == (
        "the data (genetic, name) are not personal information under "
        "Wyo. Stat. 40-12-501(a)(vii) as amended by SF 35"
    )


def test_no_likely_misuse_exempts():
    assert not wy_keys(wyoming(assessment={"risk_of_harm": "unlikely"}))


def test_encrypted_data_owe_nothing():
    assert not wy_keys(wyoming(data={"encrypted": True}))


def test_vendor_tells_the_owner_after_determining_the_breach():
    evaluation = wyoming(
        organisation={"roles": ["service_provider"]},
        events={"determined_at": "2026-03-09T12:00:00-06:00"},
    )
    obligation = evaluation.obligation("us-wy/data_owner")

    assert obligation.due_kind == "without_undue_delay"
    assert obligation.trigger == "determined_at"
    # 72 hours after 2026-03-09 18:00 UTC.
    assert obligation.target.isoformat() == "2026-03-12T18:00:00+00:00"
