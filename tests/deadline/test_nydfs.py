"""NYDFS 23 NYCRR 500.17 with literal expected dates."""

from .support import due, owed, run

DFS = {"organisation": {"roles": ["nydfs_covered_entity"]}}


def test_72_hours_after_determination():
    evaluation = run(events={"determined_at": "2026-03-06T14:00:00-05:00"}, **DFS)
    obligation = evaluation.obligation("nydfs/nydfs")

    assert obligation.due.isoformat() == "2026-03-09T19:00:00+00:00"
    assert obligation.rule_version == "2023-12-01"


def test_day_before_the_second_amendment():
    evaluation = run(events={"determined_at": "2023-11-30T14:00:00-05:00"}, **DFS)

    assert evaluation.obligation("nydfs/nydfs").rule_version == "2017-03-01"
    assert evaluation.reason("nydfs/nydfs/extortion_payment").startswith(
        "the extortion payment is not recorded"
    )


def test_extortion_payment_24_hours_and_justification_30_days():
    evaluation = run(
        events={
            "determined_at": "2026-03-06T14:00:00-05:00",
            "ransom_paid_at": "2026-03-10T08:00:00-04:00",
        },
        **DFS,
    )

    assert due(evaluation, "nydfs/nydfs/extortion_payment") == "2026-03-11T12:00:00+00:00"
    assert (
        due(evaluation, "nydfs/nydfs/payment_justification") == "2026-04-10T03:59:59.999999+00:00"
    )


def test_payment_before_the_second_amendment_owes_no_payment_notice():
    evaluation = run(
        events={
            "determined_at": "2023-11-20T14:00:00-05:00",
            "ransom_paid_at": "2023-11-30T08:00:00-05:00",
        },
        **DFS,
    )
    assert "nydfs/nydfs/extortion_payment" not in owed(evaluation)
    assert evaluation.reason("nydfs/nydfs/extortion_payment").startswith(
        "not in force on 2023-11-30"
    )


def test_determination_not_recorded_uses_discovery():
    evaluation = run(**DFS)
    assert due(evaluation, "nydfs/nydfs") == "2026-03-08T14:30:00+00:00"
