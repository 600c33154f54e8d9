"""Discover data compromise reporting: 48 hours as the outer limit, contractual."""

from .support import due, owed, run

DISCOVERED = {"discovered_at": "2026-03-05T09:30:00-05:00"}


def discover(**sections):
    return run(**{"events": DISCOVERED, "payment_brands": ["discover"], **sections})


def test_48_hours_after_discovery():
    obligation = discover().obligation("pci-discover/card_brand")

    assert obligation.due.isoformat() == "2026-03-07T14:30:00+00:00"
    assert obligation.confidence == "low"


def test_not_owed_without_a_discover_card():
    evaluation = discover(payment_brands=["jcb"])
    assert not {key for key in owed(evaluation) if key.startswith("pci-discover/")}


def test_a_contract_with_discover_replaces_the_period():
    contract = {"party": "Discover", "notify_within": "24h", "trigger": "discovered_at"}
    evaluation = discover(contracts=[contract])

    assert due(evaluation, "pci-discover/card_brand") == "2026-03-06T14:30:00+00:00"
