"""Mastercard account data compromise reporting: 24 hours, contractual."""

from .support import due, owed, run

DISCOVERED = {"discovered_at": "2026-03-05T09:30:00-05:00"}


def mastercard(**sections):
    return run(**{"events": DISCOVERED, "payment_brands": ["mastercard"], **sections})


def test_mastercard_and_acquirer_within_24_hours():
    evaluation = mastercard()

    assert due(evaluation, "pci-mastercard/card_brand") == "2026-03-06T14:30:00+00:00"
    assert due(evaluation, "pci-mastercard/acquirer") == "2026-03-06T14:30:00+00:00"
    assert evaluation.obligation("pci-mastercard/card_brand").contractual is True


def test_24_hours_are_elapsed_time_across_the_dst_change():
    evaluation = mastercard(events={"discovered_at": "2026-03-07T23:00:00-05:00"})

    # 24 real hours after 23:00 EST on 7 March is 00:00 EDT on 9 March.
    assert due(evaluation, "pci-mastercard/card_brand") == "2026-03-09T04:00:00+00:00"


def test_not_owed_without_a_mastercard_card():
    assert not {key for key in owed(run(events=DISCOVERED)) if key.startswith("pci-mastercard/")}


def test_a_contract_with_mastercard_replaces_the_period():
    contract = {"party": "Mastercard", "notify_within": "2bd", "trigger": "discovered_at"}
    evaluation = mastercard(contracts=[contract])

    # Thursday 5 March 2026: two business days end Monday 9 March (EDT).
    assert due(evaluation, "pci-mastercard/card_brand") == "2026-03-10T03:59:59.999999+00:00"
