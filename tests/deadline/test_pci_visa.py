"""Visa account data compromise reporting: contractual periods with literal dates."""

from .support import due, owed, run

DISCOVERED = {"discovered_at": "2026-03-05T09:30:00-05:00"}


def visa(**sections):
    return run(**{"events": DISCOVERED, "payment_brands": ["visa"], **sections})


def test_first_notice_report_and_account_numbers():
    evaluation = visa()

    assert due(evaluation, "pci-visa/acquirer") == "2026-03-06T14:30:00+00:00"
    assert due(evaluation, "pci-visa/card_brand/initial") == "2026-03-06T14:30:00+00:00"
    # Thursday 5 March: 3 business days end Tuesday 10 March (EDT from 8 March).
    assert due(evaluation, "pci-visa/card_brand/intermediate") == "2026-03-11T03:59:59.999999+00:00"
    # 10 business days end Thursday 19 March.
    assert due(evaluation, "pci-visa/card_brand/supplement") == "2026-03-20T03:59:59.999999+00:00"
    assert evaluation.obligation("pci-visa/card_brand/initial").contractual is True


def test_business_days_skip_weekends_only():
    evaluation = visa(events={"discovered_at": "2026-05-22T10:00:00-04:00"})

    # Friday 22 May; Memorial Day (25 May) is not skipped: the third day is Wednesday 27 May.
    assert due(evaluation, "pci-visa/card_brand/intermediate") == "2026-05-28T03:59:59.999999+00:00"


def test_not_owed_when_no_visa_card_is_involved():
    evaluation = visa(payment_brands=["mastercard"])

    assert not {key for key in owed(evaluation) if key.startswith("pci-visa/")}
    assert "visa" in evaluation.reason("pci-visa/card_brand/initial")


def test_a_contract_with_visa_replaces_the_period():
    contract = {"party": "Visa", "notify_within": "48h", "trigger": "discovered_at"}
    evaluation = visa(contracts=[contract])

    assert due(evaluation, "pci-visa/card_brand/initial") == "2026-03-07T14:30:00+00:00"
    assert "contract:visa/customer" not in owed(evaluation)
