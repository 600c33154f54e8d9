"""Australia NDB: the 30-day assessment with a literal date, then notices as soon as practicable."""

from .support import due, owed, run

AUSTRALIA = {
    "timezone": "Australia/Sydney",
    "events": {
        "discovered_at": "2026-03-05T09:30:00+11:00",
        "determined_at": "2026-03-20T16:00:00+11:00",
    },
    "affected": {"AU-NSW": 900},
    "assessment": {"risk_of_harm": "likely"},
}


def ndb(**sections):
    return run(**{**AUSTRALIA, **sections})


def test_assessment_within_30_days_of_suspicion():
    evaluation = ndb()

    # Day 30 after 5 March is 4 April, still AEDT (+11:00): summer time ends on 5 April 2026.
    assert due(evaluation, "au-ndb/internal") == "2026-04-04T12:59:59.999999+00:00"
    assert evaluation.obligation("au-ndb/internal").rule_version == "2018-02-22"


def test_assessment_period_across_the_end_of_summer_time():
    evaluation = ndb(events={"discovered_at": "2026-03-10T09:30:00+11:00"})

    # Day 30 after 10 March is 9 April, AEST (+10:00) by then.
    assert due(evaluation, "au-ndb/internal") == "2026-04-09T13:59:59.999999+00:00"


def test_commissioner_and_individuals_as_soon_as_practicable_after_belief():
    evaluation = ndb()

    for key in ("au-ndb/supervisory_authority", "au-ndb/individuals"):
        obligation = evaluation.obligation(key)
        assert obligation.due is None
        assert obligation.due_kind == "without_undue_delay"
        # Policy target: 72 hours after 20 March 16:00 AEDT (05:00 UTC).
        assert obligation.target.isoformat() == "2026-03-23T05:00:00+00:00"


def test_no_likely_serious_harm_only_the_assessment():
    evaluation = ndb(assessment={"risk_of_harm": "unlikely"})

    assert {key for key in owed(evaluation) if key.startswith("au-ndb/")} == {"au-ndb/internal"}
    assert evaluation.reason("au-ndb/individuals") == (
        "the assessed risk of harm is unlikely; it applies to a likely risk"
    )


def test_not_applicable_without_australian_residents_or_establishment():
    evaluation = ndb(affected={"NZ": 40}, organisation={"main_establishment": "NZ"})

    assert not {key for key in owed(evaluation) if key.startswith("au-ndb/")}
    assert evaluation.reason("au-ndb/internal") == (
        "no affected residents of AU and no main establishment there"
    )


def test_not_in_force_before_22_february_2018():
    evaluation = ndb(events={"discovered_at": "2018-02-21T10:00:00+11:00"})
    assert evaluation.reason("au-ndb/internal").startswith("not in force on 2018-02-21")
