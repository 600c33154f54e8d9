"""Contractual notice duties from facts.contracts."""

from .support import due, run

IRISH = {"timezone": "Europe/Dublin", "organisation": {"main_establishment": "IE"}}


def test_contract_hours():
    evaluation = run(
        contracts=[{"party": "Acme Corp.", "notify_within": "48h", "trigger": "discovered_at"}],
        events={"discovered_at": "2026-03-13T09:00:00+00:00"},
        **IRISH,
    )

    obligation = evaluation.obligation("contract:acme-corp/customer")
    assert obligation.due.isoformat() == "2026-03-15T09:00:00+00:00"
    assert obligation.regime == "contract"
    assert obligation.contractual is True
    assert obligation.basis == (
        "48 hours after discovery on 2026-03-13 09:00 GMT ends 2026-03-15 09:00 GMT "
        "(contract with Acme Corp.)"
    )


def test_contract_business_days_skip_the_establishment_holidays():
    evaluation = run(
        contracts=[{"party": "Beta", "notify_within": "2bd", "trigger": "discovered_at"}],
        events={"discovered_at": "2026-03-16T09:00:00+00:00"},
        **IRISH,
    )
    # Tuesday 17 March is St Patrick's Day: Wednesday 18, Thursday 19.
    assert due(evaluation, "contract:beta/customer") == "2026-03-19T23:59:59.999999+00:00"


def test_contract_trigger_not_recorded():
    evaluation = run(
        contracts=[{"party": "Gamma", "notify_within": "3d", "trigger": "contained_at"}], **IRISH
    )
    assert evaluation.reason("contract:gamma/customer") == (
        "containment is not recorded yet (contained_at); the clock starts then"
    )


CARD_BRAND = """\
id = "pci-visa"
name = "Visa account data compromise rules"
kind = "card-brand"
applies_to = "organisation"
citation = "Visa Core Rules; What To Do If Compromised"
reviewed = 2026-12-01
confidence = "medium"
contract_parties = ["visa"]

[[references]]
title = "Visa: What To Do If Compromised"
url = "https://usa.visa.com/support/small-business/fraud-protection.html"

[[rules]]
recipient = "card_brand"
citation = "Visa What To Do If Compromised, section 1"
in_force_from = 2019-01-01
trigger = "discovered_at"
period = "3bd"
calendar = "none"
contractual = true
when.payment_brands_any = ["visa"]
when.categories_any = ["payment_card", "payment_card_with_code"]
"""


def card_brand_book(tmp_path):
    from tracker.deadline import load_rulebook

    (tmp_path / "pci-visa.toml").write_text(CARD_BRAND, encoding="utf-8")
    return load_rulebook(tmp_path)


def test_card_brand_published_period(tmp_path):
    from tracker.deadline import evaluate

    from .support import make_facts

    facts = make_facts(payment_brands=["visa"], data={"categories": ["payment_card"]}, **IRISH)
    evaluation = evaluate(facts, rulebook=card_brand_book(tmp_path))

    # Thursday 5 March 2026: Friday 6, Monday 9, Tuesday 10.
    assert due(evaluation, "pci-visa/card_brand") == "2026-03-10T23:59:59.999999+00:00"


def test_a_contract_with_the_brand_overrides_its_period(tmp_path):
    from tracker.deadline import evaluate

    from .support import make_facts

    facts = make_facts(
        payment_brands=["visa"],
        data={"categories": ["payment_card"]},
        contracts=[{"party": "Visa", "notify_within": "24h", "trigger": "discovered_at"}],
        **IRISH,
    )
    evaluation = evaluate(facts, rulebook=card_brand_book(tmp_path))
    obligation = evaluation.obligation("pci-visa/card_brand")

    assert obligation.due.isoformat() == "2026-03-06T14:30:00+00:00"
    assert "The contract with Visa sets 24h from discovered_at" in " ".join(obligation.notes)
    assert evaluation.obligation("contract:visa/customer") is None


def test_no_brand_card_no_brand_notice(tmp_path):
    from tracker.deadline import evaluate

    from .support import make_facts

    facts = make_facts(payment_brands=["mastercard"], data={"categories": ["payment_card"]})
    evaluation = evaluate(facts, rulebook=card_brand_book(tmp_path))

    assert evaluation.reason("pci-visa/card_brand") == (
        "no card of visa is among the payment brands involved"
    )
