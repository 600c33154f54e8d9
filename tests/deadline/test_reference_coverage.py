"""Every row of the law reference table for a covered regime is produced from a rule file.

The table is the research behind the rule files (/work/shared/law/reference.csv, copied beside
this test as data/law_reference.csv). Each row of a regime that the product covers is mapped to
the obligation keys that carry it, or excluded with the reason; rows of regimes the product does
not cover are listed by regime with the reason. For each mapped row the test finds the version
of the rule in force on the row's date, checks that its period is the row's (or that the
difference is explained below), builds facts that meet the rule's conditions and checks that the
engine produces the obligation with the rule's citation and version.
"""

from __future__ import annotations

import csv
import filecmp
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.deadline import evaluate, load_rulebook
from tracker.deadline.conditions import definition_on
from tracker.deadline.rulebook import Regime
from tracker.deadline.schema import Rule
from tracker.deadline.vocabulary import NOTICE_PREFIX, REGIONS, parse_period
from tracker.facts import parse_facts

TABLE = Path(__file__).parent / "data" / "law_reference.csv"
RESEARCH_TABLE = Path("/work/shared/law/reference.csv")
UNITS = {"calendar_days": "d", "business_days": "bd", "hours": "h", "months": "mo"}

# Rows of the table (line numbers, the header being line 1) and the obligation keys that carry
# them. Several keys: the row names several recipients, or a notice in two parts.
COVERED: dict[int, tuple[str, ...]] = {
    2: ("hipaa/individuals",),
    3: ("hipaa/media",),
    4: ("hipaa/hhs",),
    5: ("hipaa/hhs/annual_log",),
    6: ("hipaa/covered_entity",),
    # The law-enforcement delay of 164.412: the 30 days cap an oral request.
    7: ("hipaa/individuals", "hipaa/media", "hipaa/hhs", "hipaa/covered_entity"),
    8: ("ftc-hbnr/individuals",),
    9: ("ftc-hbnr/ftc",),
    10: ("ftc-hbnr/ftc/annual_log",),
    11: ("ftc-hbnr/media",),
    12: ("ftc-hbnr/data_owner",),
    13: ("glba-ftc/ftc",),
    14: ("glba-banks/regulator", "glba-banks/individuals"),
    15: ("bank-csin/regulator",),
    18: ("sec-8k/sec",),
    19: ("sec-regsp/individuals",),
    21: ("nydfs/nydfs",),
    22: ("nydfs/nydfs/extortion_payment",),
    23: ("nydfs/nydfs/payment_justification",),
    31: ("us-al/individuals",),
    32: ("us-al/attorney_general",),
    33: ("us-al/consumer_reporting_agencies",),
    34: ("us-al/data_owner",),
    35: ("us-ak/individuals",),
    36: ("us-ak/attorney_general",),
    37: ("us-ak/consumer_reporting_agencies",),
    38: ("us-ak/data_owner",),
    39: ("us-az/individuals",),
    40: ("us-az/attorney_general",),
    41: ("us-az/consumer_reporting_agencies",),
    42: ("us-az/data_owner",),
    43: ("us-ar/individuals",),
    44: ("us-ar/attorney_general",),
    45: ("us-ar/data_owner",),
    46: ("us-ca/individuals",),
    47: ("us-ca/individuals",),
    48: ("us-ca/attorney_general",),
    49: ("us-ca/attorney_general",),
    50: ("us-ca/data_owner",),
    52: ("us-co/individuals",),
    53: ("us-co/attorney_general",),
    54: ("us-co/consumer_reporting_agencies",),
    55: ("us-co/data_owner",),
    56: ("us-ct/individuals",),
    57: ("us-ct/attorney_general",),
    58: ("us-ct/data_owner",),
    59: ("us-de/individuals",),
    60: ("us-de/attorney_general",),
    61: ("us-de/data_owner",),
    62: ("us-dc/individuals",),
    63: ("us-dc/attorney_general",),
    64: ("us-dc/consumer_reporting_agencies",),
    65: ("us-fl/individuals",),
    66: ("us-fl/attorney_general",),
    67: ("us-fl/consumer_reporting_agencies",),
    68: ("us-fl/data_owner",),
    69: ("us-ga/individuals",),
    70: ("us-ga/consumer_reporting_agencies",),
    71: ("us-ga/data_owner",),
    72: ("us-hi/individuals",),
    73: ("us-hi/state_agency",),
    74: ("us-hi/consumer_reporting_agencies",),
    75: ("us-hi/data_owner",),
    76: ("us-id/individuals",),
    77: ("us-id/data_owner",),
    78: ("us-il/individuals",),
    79: ("us-il/attorney_general",),
    80: ("us-il/attorney_general", "us-il/attorney_general/annual_log"),
    81: ("us-il/data_owner",),
    82: ("us-in/individuals",),
    83: ("us-in/attorney_general",),
    84: ("us-in/consumer_reporting_agencies",),
    85: ("us-in/data_owner",),
    86: ("us-ia/individuals",),
    87: ("us-ia/attorney_general",),
    88: ("us-ia/data_owner",),
    89: ("us-ks/individuals",),
    90: ("us-ks/consumer_reporting_agencies",),
    91: ("us-ky/individuals",),
    92: ("us-ky/consumer_reporting_agencies",),
    93: ("us-ky/data_owner",),
    94: ("us-la/individuals",),
    95: ("us-la/attorney_general",),
    96: ("us-la/data_owner",),
    97: ("us-me/individuals",),
    # 7 business days after the agency's determination: the rule's law-enforcement restart.
    98: ("us-me/individuals",),
    # The Attorney General, or the regulator within the Department of Professional and
    # Financial Regulation for regulated entities (named in the rule's content).
    99: ("us-me/attorney_general",),
    100: ("us-me/consumer_reporting_agencies",),
    101: ("us-me/data_owner",),
    102: ("us-md/individuals",),
    # 7 days after the agency's determination: the rule's law-enforcement delay.
    103: ("us-md/individuals",),
    104: ("us-md/attorney_general",),
    105: ("us-md/consumer_reporting_agencies",),
    106: ("us-md/data_owner",),
    107: ("us-ma/individuals",),
    108: ("us-ma/attorney_general", "us-ma/state_agency"),
    109: ("us-ma/data_owner",),
    110: ("us-mi/individuals",),
    111: ("us-mi/consumer_reporting_agencies",),
    112: ("us-mn/individuals",),
    113: ("us-mn/consumer_reporting_agencies",),
    114: ("us-mn/data_owner",),
    115: ("us-ms/individuals",),
    116: ("us-ms/data_owner",),
    117: ("us-mo/individuals",),
    118: ("us-mo/attorney_general",),
    119: ("us-mo/consumer_reporting_agencies",),
    120: ("us-mo/data_owner",),
    121: ("us-mt/individuals",),
    122: ("us-mt/attorney_general",),
    123: ("us-mt/data_owner",),
    124: ("us-ne/individuals",),
    125: ("us-ne/attorney_general",),
    126: ("us-ne/data_owner",),
    127: ("us-nv/individuals",),
    128: ("us-nv/consumer_reporting_agencies",),
    129: ("us-nv/data_owner",),
    130: ("us-nh/individuals",),
    131: ("us-nh/attorney_general",),
    132: ("us-nh/consumer_reporting_agencies",),
    133: ("us-nh/data_owner",),
    134: ("us-nj/individuals",),
    135: ("us-nj/state_agency",),
    136: ("us-nj/consumer_reporting_agencies",),
    137: ("us-nj/data_owner",),
    138: ("us-nm/individuals",),
    139: ("us-nm/attorney_general",),
    140: ("us-nm/consumer_reporting_agencies",),
    141: ("us-nm/data_owner",),
    142: ("us-ny/individuals",),
    143: ("us-ny/individuals",),
    144: ("us-ny/attorney_general",),
    145: ("us-ny/nydfs",),
    146: ("us-ny/consumer_reporting_agencies",),
    147: ("us-ny/attorney_general/supplement", "us-ny/attorney_general/annual_log"),
    148: ("us-ny/attorney_general/no_harm_determination",),
    149: ("us-ny/data_owner",),
    150: ("us-nc/individuals",),
    151: ("us-nc/attorney_general",),
    152: ("us-nc/consumer_reporting_agencies",),
    153: ("us-nc/data_owner",),
    154: ("us-nd/individuals",),
    155: ("us-nd/attorney_general",),
    156: ("us-nd/data_owner",),
    157: ("us-oh/individuals",),
    158: ("us-oh/consumer_reporting_agencies",),
    159: ("us-oh/data_owner",),
    160: ("us-ok/individuals",),
    161: ("us-ok/attorney_general",),
    163: ("us-ok/data_owner",),
    164: ("us-or/individuals",),
    165: ("us-or/attorney_general",),
    166: ("us-or/consumer_reporting_agencies",),
    167: ("us-or/data_owner",),
    168: ("us-or/attorney_general",),
    169: ("us-pa/individuals",),
    170: ("us-pa/attorney_general",),
    171: ("us-pa/consumer_reporting_agencies",),
    172: ("us-pa/data_owner",),
    173: ("us-pr/individuals",),
    174: ("us-pr/state_agency",),
    175: ("us-ri/individuals",),
    176: ("us-ri/attorney_general",),
    177: ("us-ri/consumer_reporting_agencies",),
    178: ("us-sc/individuals",),
    179: ("us-sc/state_agency",),
    180: ("us-sc/consumer_reporting_agencies",),
    181: ("us-sc/data_owner",),
    182: ("us-sd/individuals",),
    183: ("us-sd/attorney_general",),
    184: ("us-sd/consumer_reporting_agencies",),
    185: ("us-tn/individuals",),
    186: ("us-tn/consumer_reporting_agencies",),
    187: ("us-tn/data_owner",),
    188: ("us-tx/individuals",),
    189: ("us-tx/attorney_general",),
    190: ("us-tx/consumer_reporting_agencies",),
    191: ("us-tx/data_owner",),
    192: ("us-ut/individuals",),
    193: ("us-ut/attorney_general", "us-ut/state_agency"),
    194: ("us-ut/consumer_reporting_agencies",),
    195: ("us-vt/individuals",),
    196: ("us-vt/attorney_general",),
    197: ("us-vt/consumer_reporting_agencies",),
    198: ("us-vt/data_owner",),
    199: ("us-va/individuals",),
    200: ("us-va/attorney_general",),
    201: ("us-va/consumer_reporting_agencies",),
    202: ("us-va/data_owner",),
    203: ("us-wa/individuals",),
    204: ("us-wa/attorney_general",),
    206: ("us-wa/data_owner",),
    207: ("us-wv/individuals",),
    208: ("us-wv/consumer_reporting_agencies",),
    209: ("us-wv/data_owner",),
    210: ("us-wi/individuals",),
    211: ("us-wi/consumer_reporting_agencies",),
    212: ("us-wi/data_owner",),
    213: ("us-wy/individuals",),
    214: ("us-wy/data_owner",),
    215: ("us-gu/individuals",),
    216: ("us-gu/data_owner",),
    217: ("us-vi/individuals",),
    218: ("us-vi/data_owner",),
    220: ("pci-visa/card_brand/initial", "pci-visa/acquirer"),
    221: ("pci-mastercard/card_brand", "pci-mastercard/acquirer"),
    222: ("pci-amex/card_brand",),
    223: ("pci-discover/card_brand",),
    224: ("gdpr/supervisory_authority",),
    225: ("gdpr/controller",),
    226: ("gdpr/individuals",),
    227: ("uk-gdpr/supervisory_authority",),
    228: ("uk-gdpr/controller",),
    229: ("uk-gdpr/individuals",),
    230: ("uk-pecr/supervisory_authority",),
    231: ("uk-pecr/supervisory_authority",),
    234: ("nis2/csirt/early_warning",),
    235: ("nis2/csirt/notification",),
    236: ("nis2/csirt/final",),
    237: ("nis2/customer",),
    238: ("dora/regulator/initial",),
    239: ("dora/regulator/initial",),
    240: ("dora/regulator/intermediate",),
    241: ("dora/regulator/final",),
    # Art. 5(4)-(6): the relief applies to the initial notification and the intermediate report.
    242: ("dora/regulator/initial", "dora/regulator/intermediate"),
    243: ("dora/customer",),
    244: ("ca-pipeda/supervisory_authority",),
    245: ("ca-pipeda/individuals",),
    246: ("ca-pipeda/state_agency",),
    247: ("ca-qc/supervisory_authority", "ca-qc/individuals"),
    249: ("br-lgpd/supervisory_authority",),
    250: ("br-lgpd/individuals",),
    251: ("br-lgpd/supervisory_authority/supplement",),
    252: ("au-ndb/internal",),
    253: ("au-ndb/supervisory_authority",),
    254: ("au-ndb/individuals",),
    257: ("sg-pdpa/internal",),
    258: ("sg-pdpa/supervisory_authority",),
    259: ("sg-pdpa/individuals",),
    260: ("sg-pdpa/controller",),
    261: ("jp-appi/supervisory_authority/initial",),
    262: ("jp-appi/supervisory_authority/final",),
    263: ("jp-appi/supervisory_authority/final",),
    264: ("jp-appi/individuals",),
    265: ("jp-appi/controller",),
    266: ("kr-pipa/individuals",),
    267: ("kr-pipa/supervisory_authority",),
    268: ("cn-cac/regulator/initial",),
    269: ("cn-cac/regulator/initial",),
    270: ("cn-pipl/supervisory_authority", "cn-pipl/individuals"),
    271: ("in-dpdp/individuals",),
    272: ("in-dpdp/supervisory_authority/initial",),
    273: ("in-dpdp/supervisory_authority/final",),
    274: ("in-certin/csirt",),
    288: ("ch-fadp/supervisory_authority",),
    289: ("ch-fadp/controller",),
    290: ("ch-fadp/individuals",),
}

# Rows whose period differs from the rule's on purpose.
PERIOD_EXPLAINED = {
    # Since 2024 the FTC is told at the same time as the individuals (318.5(a)(1)), whose
    # notice is due within the 60 days: the row's 60 days are carried by ftc-hbnr/individuals.
    9: "concurrent",
    # The international DSOP says 72 hours, the US one "immediately"; the earlier 24 hours are
    # the date and the rule's notes say so.
    222: "24h",
    # APPI counts the day of awareness as day 1: "within 30 days" ends with the 29th day after
    # it, and 60 days with the 59th (jp-appi.toml notes).
    262: "29d",
    263: "59d",
}

# Rows of covered regimes that no obligation carries, and why.
EXCLUDED = {
    16: "bank service provider to its bank customers: the facts cannot tell a bank service "
    "provider from any other service provider, nor the 4-hour disruption of covered services; a "
    "rule would owe every service provider a notice to banks",
    20: "service provider to a Regulation S-P covered institution: as for row 16, the facts "
    "cannot tell a service provider of a broker-dealer or adviser from any other; the 72 hours "
    "are the covered institution's contract terms, entered as a contract in the facts",
    24: "the NYDFS annual certification of compliance, due each 15 April, is not triggered by an "
    "incident and is not a notice of one",
    162: "the table records that Oklahoma required no Attorney General notice before SB 626; the "
    "rule file starts us-ok/attorney_general on 2026-01-01 (checked below: a 2025 breach owes "
    "none)",
    205: "the table finds no statutory duty to notify consumer reporting agencies in Washington "
    "(secondary sources disagree on a threshold); us-wa.toml says so in its notes",
    219: "PCI DSS 12.10.1 requires an incident response plan that names the brands and acquirers "
    "to notify and sets no period; the periods are the brands' own, rows 220 to 223",
}

# Regimes of the table that the product does not cover, and why (none is in the list of
# regimes the product covers; each would be a rule file of its own).
NOT_COVERED = {
    "US-NCUA": "credit unions (12 CFR 748.1(c)); not among the covered regimes",
    "US-NAIC668": "state insurance data security laws, enacted state by state with different "
    "thresholds; not among the covered regimes",
    "US-FCC-CPNI": "telecommunications customer proprietary network information; its amended "
    "rule's effective date was deferred; not among the covered regimes",
    "US-DFARS-7012": "defence contractors' cyber incident reports; not among the covered regimes",
    "US-NERC-CIP-008-6": "electric reliability standard for grid entities; not among the covered "
    "regimes",
    "US-CIRCIA": "not in force (final rule pending)",
    "US-CA-HSC1280.15": "California licensed clinics and health facilities (Health and Safety "
    "Code), a law apart from the general breach law us-ca; not among the covered regimes",
    "UK-NIS-2018": "UK operators of essential services and digital service providers; not among "
    "the covered regimes",
    "EU-ePrivacy-611/2013": "EU telecommunications providers under national ePrivacy laws; not "
    "among the covered regimes (its UK form is uk-pecr)",
    "CA-AB-PIPA": "Alberta's private-sector privacy act; of Canada's provinces only Quebec is "
    "covered",
    "AU-SOCI": "Australian critical infrastructure assets; not among the covered regimes (the "
    "Australian regime covered is the Notifiable Data Breaches scheme)",
    "AU-CSA-RANSOM": "Australian ransomware payment reports by businesses with turnover over AUD "
    "3 million; the facts have no turnover; not among the covered regimes",
    "HK-PCICSO": "Hong Kong; not among the covered regimes",
    "MY-PDPA-12B": "Malaysia; not among the covered regimes",
    "ID-PDP": "Indonesia; not among the covered regimes",
    "TH-PDPA": "Thailand; not among the covered regimes",
    "PH-DPA": "the Philippines; not among the covered regimes",
    "VN-PDP": "Viet Nam; not among the covered regimes",
    "SA-PDPL": "Saudi Arabia; not among the covered regimes",
    "TR-KVKK": "Turkey; not among the covered regimes",
    "KE-DPA": "Kenya; not among the covered regimes",
    "NG-NDPA": "Nigeria; not among the covered regimes",
    "CH-ISA-74": "Swiss critical infrastructure cyberattack reports under the Information "
    "Security Act; the Swiss regime covered is the FADP",
}

# The organisation's own response policy is not in the table; every commitment the product
# carries for it, with its period.
POLICY = {
    ("policy/internal/response", "SEV-1"): "15min",
    ("policy/internal/response", "SEV-2"): "1h",
    ("policy/internal/response", "SEV-3"): "4h",
    ("policy/internal/response", "SEV-4"): "1bd",
    ("policy/customer/status_notice", None): "5min",
    ("policy/internal/regulator_check", None): "4h",
    ("policy/internal/post_mortem", None): "5bd",
}


def _rows() -> dict[int, dict[str, str]]:
    with TABLE.open(newline="", encoding="utf-8") as handle:
        return {line: row for line, row in enumerate(csv.DictReader(handle), start=2)}


ROWS = _rows()


def _regime_of(row: dict[str, str]) -> str:
    return row["regime_id"].split("@", 1)[0]


def test_every_row_is_mapped_excluded_or_of_a_regime_not_covered():
    unaccounted = [
        (line, row["regime_id"], row["recipient"])
        for line, row in ROWS.items()
        if line not in COVERED and line not in EXCLUDED and _regime_of(row) not in NOT_COVERED
    ]
    assert unaccounted == []


def test_no_row_is_both_mapped_and_excluded():
    assert set(COVERED) & set(EXCLUDED) == set()
    assert [line for line in COVERED if _regime_of(ROWS[line]) in NOT_COVERED] == []
    assert set(COVERED) | set(EXCLUDED) <= set(ROWS)


def test_the_copy_of_the_table_is_the_research_table():
    if not RESEARCH_TABLE.exists():
        pytest.skip("the research table is not on this machine")
    assert filecmp.cmp(TABLE, RESEARCH_TABLE, shallow=False)


def _row_day(row: dict[str, str], rules: list[Rule]) -> date:
    """The row's date of force, or the newest version's when the row gives none."""
    first = min(rule.in_force_from for rule in rules)
    try:
        day = date.fromisoformat(row["effective_from"])
    except ValueError:
        return max(rule.in_force_from for rule in rules)
    return max(day, first)


def _periods(rule: Rule) -> set[str]:
    found = {rule.period, rule.limit}
    found.update(choice.period for choice in rule.earliest_of)
    delay = rule.exceptions.law_enforcement
    if delay is not None:
        found.update({delay.after_release, delay.oral_limit})
    return {period for period in found if period}


def _expected_period(line: int, row: dict[str, str]) -> str | None:
    if line in PERIOD_EXPLAINED:
        return PERIOD_EXPLAINED[line]
    if row["unit"] in UNITS and row["amount"]:
        return f"{row['amount']}{UNITS[row['unit']]}"
    return None


def _place(regime: Regime) -> str:
    code = regime.source.jurisdictions[0] if regime.source.jurisdictions else "US"
    if code == "US":
        return "US-NY"
    return REGIONS.get(code, (code,))[0]


def _count(rule: Rule) -> int:
    threshold = rule.when.affected
    if threshold is None:
        return 10
    return {">": 1, ">=": 0, "<": -1, "<=": 0}[threshold.op] + threshold.count


def _categories(regime: Regime, rule: Rule, day: date) -> list[str]:
    categories = list(rule.when.categories_any[:1])
    if rule.when.data_definition is not None:
        definition = definition_on(regime, rule.when.data_definition, day)
        assert definition is not None
        categories += definition.alone[:1] or ["name", definition.with_name[0]]
    return categories or ["name", "ssn"]


def facts_meeting(regime: Regime, rule: Rule, day: date) -> dict[str, Any]:
    """A facts document that meets every condition of `rule`, its clock starting on `day`."""
    when = rule.when
    start = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
    events = {
        "occurred_at": start,
        "discovered_at": start,
        "aware_at": start,
        "determined_at": start,
        "materiality_determined_at": start,
        "classified_major_at": start,
        "ransom_paid_at": start,
        "resolved_at": start + timedelta(hours=5),
    }
    triggers = [rule.trigger or ""] + [choice.trigger for choice in rule.earliest_of]
    notices = {
        trigger.removeprefix(NOTICE_PREFIX): (start + timedelta(hours=1)).isoformat()
        for trigger in triggers
        if trigger.startswith(NOTICE_PREFIX)
    }
    count = _count(rule)
    return {
        "format": "incident-facts/1",
        "incident": {
            "title": "Reference row",
            "severity": (when.severity_in or ["SEV-1"])[0],
            "category": (when.category_in or [None])[0],
            "cause": (when.causes_any or [None])[0],
        },
        "timezone": "UTC",
        "organisation": {"roles": when.roles_any[:1]},
        "events": {name: instant.isoformat() for name, instant in events.items()},
        "notices": notices,
        "data": {"categories": _categories(regime, rule, day), "records": max(count, 0)},
        "affected": {_place(regime): max(count, 0)} if regime.source.jurisdictions else {},
        "assessment": {"risk_of_harm": (when.risk_in or ["high"])[0]},
        "payment_brands": when.payment_brands_any[:1],
    }


def _check_row(line: int, key: str) -> None:
    row = ROWS[line]
    rulebook = load_rulebook()
    regime = rulebook.by_key.get(key)
    assert regime is not None, f"line {line}: no rule file defines {key}"
    assert regime.citation and regime.references and regime.source.reviewed

    versions = regime.versions(key)
    day = _row_day(row, versions)
    in_force = [rule for rule in versions if rule.in_force_on(day)]
    assert in_force, f"line {line}: no version of {key} is in force on {day}"

    wanted = _expected_period(line, row)
    matching = [rule for rule in in_force if wanted is None or wanted in _periods(rule)]
    assert matching, f"line {line}: {key} on {day} has {[_periods(r) for r in in_force]}"

    produced = []
    for rule in matching:
        evaluation = evaluate(parse_facts(facts_meeting(regime, rule, day)))
        obligation = evaluation.obligation(key)
        if obligation is not None and obligation.citation == rule.citation:
            assert obligation.rule_version == rule.version
            produced.append(obligation)
    assert produced, f"line {line}: {key} was not produced on {day}"


@pytest.mark.parametrize(
    ("line", "key"), [(line, key) for line, keys in COVERED.items() for key in keys]
)
def test_row_is_produced_from_its_rule_file_with_citation(line, key):
    _check_row(line, key)


def test_law_enforcement_rows_are_the_rules_delays():
    rulebook = load_rulebook()
    hipaa = rulebook.by_key["hipaa/individuals"].versions("hipaa/individuals")[-1]
    maine = rulebook.by_key["us-me/individuals"].versions("us-me/individuals")[-1]
    maryland = rulebook.by_key["us-md/individuals"].versions("us-md/individuals")[-1]

    assert hipaa.exceptions.law_enforcement.oral_limit == "30d"
    assert (
        maine.exceptions.law_enforcement.mode,
        maine.exceptions.law_enforcement.after_release,
    ) == (
        "restart",
        "7bd",
    )
    assert maryland.exceptions.law_enforcement.after_release == "7d"


def test_dora_weekend_row_is_the_rules_weekend_relief():
    rulebook = load_rulebook()
    for key in COVERED[242]:
        rule = rulebook.by_key[key].versions(key)[-1]
        assert rule.weekend_relief is not None and rule.weekend_relief.until == "12:00"


def test_oklahoma_attorney_general_not_owed_before_sb_626():
    regime = load_rulebook().by_key["us-ok/attorney_general"]
    rule = regime.versions("us-ok/attorney_general")[0]
    evaluation = evaluate(parse_facts(facts_meeting(regime, rule, date(2025, 12, 31))))

    assert evaluation.obligation("us-ok/attorney_general") is None
    assert "not in force on 2025-12-31" in evaluation.reason("us-ok/attorney_general")


@pytest.mark.parametrize(("key", "severity"), list(POLICY))
def test_policy_commitment_is_produced_from_the_policy_file(key, severity):
    regime = load_rulebook().by_key[key]
    rules = [
        rule
        for rule in regime.versions(key)
        if severity is None or rule.when.severity_in == [severity]
    ]
    assert [rule.period for rule in rules] == [POLICY[(key, severity)]]
    assert parse_period(rules[0].period or "").is_numeric

    evaluation = evaluate(parse_facts(facts_meeting(regime, rules[0], date(2026, 3, 4))))
    obligation = evaluation.obligation(key)
    assert obligation is not None and obligation.citation == rules[0].citation
