"""UK GDPR with literal expected dates."""

from .support import due, owed, run


def test_ico_72_hours_across_bst():
    evaluation = run(
        timezone="Europe/London",
        events={"aware_at": "2026-03-27T10:00:00+00:00"},
        affected={"GB": 10},
    )

    assert due(evaluation, "uk-gdpr/supervisory_authority") == "2026-03-30T10:00:00+00:00"
    assert evaluation.obligation("uk-gdpr/supervisory_authority").basis == (
        "72 hours after awareness on 2026-03-27 10:00 GMT ends 2026-03-30 11:00 BST"
    )
    assert evaluation.obligation("uk-gdpr/supervisory_authority").rule_version == "2021-01-01"


def test_before_the_uk_gdpr_took_effect():
    evaluation = run(events={"aware_at": "2020-06-01T10:00:00+01:00"}, affected={"GB": 10})

    assert not {key for key in owed(evaluation) if key.startswith("uk-gdpr/")}
    assert evaluation.reason("uk-gdpr/supervisory_authority") == (
        "not in force on 2020-06-01, the day its clock started (in force from 2021-01-01)"
    )


def test_eu_residents_alone_do_not_bring_in_the_uk_gdpr():
    evaluation = run(affected={"FR": 10}, organisation={"main_establishment": "FR"})
    assert "uk-gdpr/supervisory_authority" not in owed(evaluation)
