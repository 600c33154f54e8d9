"""American Express data incident reporting: the earlier (24-hour) reading, contractual."""

from .support import due, owed, run

DISCOVERED = {"discovered_at": "2026-03-05T09:30:00-05:00"}


def amex(**sections):
    return run(**{"events": DISCOVERED, "payment_brands": ["amex"], **sections})


def test_24_hours_after_discovery():
    obligation = amex().obligation("pci-amex/card_brand")

    assert obligation.due.isoformat() == "2026-03-06T14:30:00+00:00"
    assert obligation.due_kind == "fixed"
    assert obligation.contractual is True


def test_not_owed_for_other_brands():
    evaluation = amex(payment_brands=["visa", "discover"])
    assert not {key for key in owed(evaluation) if key.startswith("pci-amex/")}


def test_a_contract_with_american_express_replaces_the_period():
    contract = {"party": "American Express", "notify_within": "72h", "trigger": "discovered_at"}
    evaluation = amex(contracts=[contract])

    assert due(evaluation, "pci-amex/card_brand") == "2026-03-08T14:30:00+00:00"
    assert "contract:american-express/customer" not in owed(evaluation)
