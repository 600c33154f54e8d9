"""Nebraska Neb. Rev. Stat. 87-803 before and after LB 835 (2016)."""

from .support import due, owed, run

NE = {
    "timezone": "America/Chicago",
    "events": {"discovered_at": "2026-03-05T09:30:00-06:00"},
    "affected": {"US-NE": 3},
}


def nebraska(**sections):
    return run(**{**NE, **sections})


def test_individuals_without_unreasonable_delay():
    obligation = nebraska().obligation("us-ne/individuals")

    assert obligation.due is None
    assert obligation.due_kind == "without_undue_delay"


def test_attorney_general_no_later_than_the_residents():
    evaluation = nebraska(notices={"us-ne/individuals": "2026-03-20T10:00:00-05:00"})
    assert due(evaluation, "us-ne/attorney_general") == "2026-03-20T15:00:00+00:00"


def test_lb_835_boundary():
    credentials = {"categories": ["credentials"]}
    before = nebraska(events={"discovered_at": "2016-07-19T10:00:00-05:00"})
    after = nebraska(events={"discovered_at": "2016-07-20T10:00:00-05:00"})
    login_before = nebraska(data=credentials, events={"discovered_at": "2016-07-19T10:00:00-05:00"})
    login_after = nebraska(data=credentials, events={"discovered_at": "2016-07-20T10:00:00-05:00"})

    assert before.reason("us-ne/attorney_general").startswith("not in force on 2016-07-19")
    assert "us-ne/attorney_general" in owed(after)
    assert "us-ne/individuals" not in owed(login_before)
    assert "us-ne/individuals" in owed(login_after)


def test_health_data_are_not_covered():
    evaluation = nebraska(data={"categories": ["name", "health"]})
    assert not {key for key in owed(evaluation) if key.startswith("us-ne/")}


def test_no_likely_misuse_exempts():
    evaluation = nebraska(assessment={"risk_of_harm": "unlikely"})
    assert not {key for key in owed(evaluation) if key.startswith("us-ne/")}


def test_encryption_safe_harbour_lost_with_the_key():
    safe = nebraska(data={"encrypted": True})
    exposed = nebraska(data={"encrypted": True, "key_compromised": True})

    assert "us-ne/individuals" not in owed(safe)
    assert "us-ne/individuals" in owed(exposed)
