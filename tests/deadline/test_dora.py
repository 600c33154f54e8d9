"""DORA Art. 19 and Delegated Regulation 2025/301 Art. 5, with literal expected dates."""

from .support import due, owed, run


def dora(events, roles=("financial_entity",), **sections):
    organisation = {"roles": list(roles), "main_establishment": "FR"}
    return run(timezone="Europe/Paris", organisation=organisation, events=events, **sections)


def test_initial_4_hours_after_classification():
    evaluation = dora(
        {
            "aware_at": "2026-03-02T08:00:00+01:00",
            "classified_major_at": "2026-03-02T12:00:00+01:00",
        }
    )
    obligation = evaluation.obligation("dora/regulator/initial")

    assert obligation.due.isoformat() == "2026-03-02T15:00:00+00:00"
    assert obligation.trigger == "classified_major_at"
    assert obligation.basis == (
        "4 hours after classification as major on 2026-03-02 12:00 CET ends "
        "2026-03-02 16:00 CET, earlier than 24 hours after awareness on 2026-03-02 08:00 CET "
        "(2026-03-03 08:00 CET)"
    )


def test_initial_no_later_than_24_hours_after_awareness():
    evaluation = dora(
        {
            "aware_at": "2026-03-02T08:00:00+01:00",
            "classified_major_at": "2026-03-03T06:00:00+01:00",
        }
    )
    obligation = evaluation.obligation("dora/regulator/initial")

    assert obligation.due.isoformat() == "2026-03-03T07:00:00+00:00"
    assert obligation.trigger == "aware_at"


def test_initial_on_a_saturday_moves_to_monday_noon():
    evaluation = dora(
        {
            "aware_at": "2026-03-06T20:00:00+01:00",
            "classified_major_at": "2026-03-07T09:00:00+01:00",
        }
    )
    obligation = evaluation.obligation("dora/regulator/initial")

    assert obligation.due.isoformat() == "2026-03-09T11:00:00+00:00"
    assert obligation.basis == (
        "4 hours after classification as major on 2026-03-07 09:00 CET ends "
        "2026-03-07 13:00 CET, earlier than 24 hours after awareness on 2026-03-06 20:00 CET "
        "(2026-03-07 20:00 CET); the unshifted deadline 2026-03-07 13:00 CET falls on a "
        "Saturday, and Delegated Reg. 2025/301 Art. 5(4) allows submission by 12:00 on the "
        "next working day, 2026-03-09 12:00 CET"
    )
    assert obligation.notes[-1] == (
        "The unshifted deadline 2026-03-07 13:00 CET falls on a Saturday; Delegated Reg. "
        "2025/301 Art. 5(4) allows submission by 12:00 on the next working day, "
        "2026-03-09 12:00 CET, which is the date shown. The relief is permissive: submitting "
        "by 2026-03-07 13:00 CET is the safe course."
    )
    assert "submitting by it is the safe course" in obligation.notes[0]


def test_credit_institutions_get_no_weekend_relief():
    evaluation = dora(
        {
            "aware_at": "2026-03-06T20:00:00+01:00",
            "classified_major_at": "2026-03-07T09:00:00+01:00",
        },
        roles=("credit_institution",),
    )
    obligation = evaluation.obligation("dora/regulator/initial")

    assert due(evaluation, "dora/regulator/initial") == "2026-03-07T12:00:00+00:00"
    assert "next working day" not in obligation.basis
    assert obligation.notes[-1] == (
        "The deadline 2026-03-07 13:00 CET falls on a Saturday; the weekend and holiday relief "
        "of Delegated Reg. 2025/301 Art. 5(4) is not available to this organisation's roles."
    )


def test_initial_on_a_french_public_holiday_moves_to_the_next_working_day():
    evaluation = dora(
        {
            "aware_at": "2026-04-30T10:00:00+02:00",
            "classified_major_at": "2026-04-30T22:00:00+02:00",
        }
    )
    obligation = evaluation.obligation("dora/regulator/initial")

    assert obligation.due.isoformat() == "2026-05-04T10:00:00+00:00"
    assert obligation.basis.endswith(
        "; the unshifted deadline 2026-05-01 02:00 CEST falls on Labor Day, and Delegated Reg. "
        "2025/301 Art. 5(4) allows submission by 12:00 on the next working day, "
        "2026-05-04 12:00 CEST"
    )


def test_intermediate_on_a_saturday_names_both_dates():
    evaluation = dora(
        {"aware_at": "2026-03-04T08:00:00+01:00"},
        notices={"dora/regulator/initial": "2026-03-04T10:00:00+01:00"},
    )
    obligation = evaluation.obligation("dora/regulator/intermediate")

    assert obligation.due.isoformat() == "2026-03-09T11:00:00+00:00"
    assert obligation.basis == (
        "72 hours after notice dora/regulator/initial given on 2026-03-04 10:00 CET ends "
        "2026-03-07 10:00 CET; the unshifted deadline 2026-03-07 10:00 CET falls on a Saturday, "
        "and Delegated Reg. 2025/301 Art. 5(4) allows submission by 12:00 on the next working "
        "day, 2026-03-09 12:00 CET"
    )


def test_final_report_gets_no_weekend_relief():
    evaluation = dora(
        {"aware_at": "2026-01-28T08:00:00+01:00"},
        notices={
            "dora/regulator/initial": "2026-01-28T10:00:00+01:00",
            "dora/regulator/intermediate": "2026-02-07T10:00:00+01:00",
        },
    )
    # One month after Saturday 2026-02-07 is Saturday 2026-03-07, kept as the deadline.
    assert due(evaluation, "dora/regulator/final") == "2026-03-07T22:59:59.999999+00:00"


def test_intermediate_72_hours_after_the_initial_notification():
    evaluation = dora(
        {"aware_at": "2026-03-02T08:00:00+01:00"},
        notices={"dora/regulator/initial": "2026-03-02T15:00:00+01:00"},
    )
    assert due(evaluation, "dora/regulator/intermediate") == "2026-03-05T14:00:00+00:00"


def test_intermediate_before_the_initial_counts_from_its_deadline():
    evaluation = dora({"aware_at": "2026-03-02T08:00:00+01:00"})
    obligation = evaluation.obligation("dora/regulator/intermediate")

    # Initial: classification not recorded, awareness stands for it: 12:00 CET.
    assert due(evaluation, "dora/regulator/initial") == "2026-03-02T11:00:00+00:00"
    assert obligation.due.isoformat() == "2026-03-05T11:00:00+00:00"
    assert obligation.depends_on == "dora/regulator/initial"


def test_final_one_month_after_the_intermediate_report():
    evaluation = dora(
        {"aware_at": "2026-01-28T08:00:00+01:00"},
        notices={
            "dora/regulator/initial": "2026-01-28T10:00:00+01:00",
            "dora/regulator/intermediate": "2026-01-31T10:00:00+01:00",
        },
    )
    assert due(evaluation, "dora/regulator/final") == "2026-02-28T22:59:59.999999+00:00"


def test_before_dora_applied():
    evaluation = dora({"aware_at": "2025-01-16T08:00:00+01:00"})
    assert "dora/regulator/initial" not in owed(evaluation)
    assert evaluation.reason("dora/regulator/initial").startswith("not in force on 2025-01-16")


def test_not_a_financial_entity():
    evaluation = run()
    assert evaluation.reason("dora/regulator/initial").startswith("it applies to the roles")
