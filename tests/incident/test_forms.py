import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest
from werkzeug.datastructures import MultiDict

from tracker.facts import parse_facts
from tracker.incident.display import changes, format_duration, format_instant
from tracker.incident.facts_form import FactsEditor, same
from tracker.incident.forms import LocalTimeError, parse_local, split_instant

# A document that uses every field of incident-facts/1, with values chosen to be awkward:
# instants in UTC ("Z") and other offsets, explicit nulls, a contract without a trigger.
FULL: dict = {
    "format": "incident-facts/1",
    "incident": {
        "title": "Credential stuffing against the customer portal",
        "description": "Line one.\nLine two.",
        "severity": "SEV-1",
        "category": "security",
        "status": "investigating",
        "affected_services": ["portal", "billing api"],
        "affected_customers": 12,
        "detected_by": "SIEM alert",
        "assigned_to": "j.doe@example.com",
        "tags": ["credential-stuffing", "p1"],
        "cause": "external_attack",
    },
    "timezone": "America/New_York",
    "organisation": {
        "name": "Example Corp",
        "roles": ["covered_entity", "controller"],
        "main_establishment": "IE",
    },
    "events": {
        "occurred_at": "2026-03-01T10:00:00-05:00",
        "discovered_at": "2026-03-05T14:30:00Z",
        "aware_at": "2026-03-06T20:00:00+01:00",
        "determined_at": None,
        "scope_identified_at": "2026-03-07T08:15:30-05:00",
        "contained_at": "2026-11-01T01:30:00-05:00",
        "resolved_at": None,
    },
    "notices": {"hipaa/individuals": "2026-03-20T16:00:00-04:00"},
    "data": {
        "categories": ["name", "ssn", "payment_card"],
        "records": 15000,
        "encrypted": True,
        "key_compromised": False,
    },
    "affected": {"US-CA": 1200, "US-TX": 260, "DE": 40, "US": 0},
    "assessment": {"risk_of_harm": "high", "rationale": "SSNs with names."},
    "law_enforcement_delay": {
        "agency": "FBI",
        "requested_at": "2026-03-08T12:00:00-05:00",
        "released_at": None,
        "written": True,
    },
    "contracts": [
        {"party": "Acme Corp", "notify_within": "48h"},
        {"party": "Globex", "notify_within": "5bd", "trigger": "aware_at"},
    ],
    "payment_brands": ["visa", "mastercard"],
}
MINIMAL = {
    "format": "incident-facts/1",
    "incident": {"title": "Lost laptop", "status": "detected"},
    "timezone": "Europe/Berlin",
    "events": {"discovered_at": "2026-06-01T09:00:00+02:00"},
}


def canonical(document):
    return parse_facts(document).to_document()


def resubmit(document):
    """Show a stored document in the editor and read the same fields back."""
    shown = FactsEditor.from_document(document)
    posted = MultiDict(shown.values)
    for section in ("affected", "contract", "notice"):
        posted[f"{section}_rows"] = str(shown.row_range(section).stop)
    return FactsEditor.from_form(posted)


@pytest.mark.parametrize("document", [FULL, MINIMAL], ids=["full", "minimal"])
def test_a_document_shown_and_saved_unchanged_is_identical(document):
    stored = canonical(document)
    editor = resubmit(stored)

    saved = editor.to_document(stored)

    assert editor.errors == {} and editor.general == []
    assert saved == stored
    assert list(saved) == list(stored)


def test_the_form_shows_plain_values():
    editor = FactsEditor.from_document(canonical(FULL))

    assert editor.value("title") == "Credential stuffing against the customer portal"
    assert editor.value("affected_services") == "portal\nbilling api"
    assert editor.value("discovered_at_local") == "2026-03-05T09:30"
    assert editor.value("discovered_at_zone") == "America/New_York"
    assert editor.value("scope_identified_at_local") == "2026-03-07T08:15:30"
    # 01:30 on 2026-11-01 happens twice in New York: the offset stands in for the zone.
    assert editor.value("contained_at_local") == "2026-11-01T01:30"
    assert editor.value("contained_at_zone") == "UTC-05:00"
    assert editor.value("affected-2-code") == "DE"
    assert editor.value("affected-2-count") == "40"
    assert editor.value("contract-0-trigger") == "discovered_at"
    assert editor.value("notice-0-at_local") == "2026-03-20T16:00"
    assert editor.checked("roles", "controller") and editor.checked("encrypted")
    assert not editor.checked("key_compromised")
    # Noon EST on the day New York moves to summer time reads as 13:00 local.
    assert editor.value("led_requested_at_local") == "2026-03-08T13:00"
    assert editor.row_range("affected") == range(6)


def test_one_change_changes_only_that_value():
    stored = canonical(FULL)
    editor = resubmit(stored)
    editor.values["records"] = "16000"
    editor.values["aware_at_local"] = "2026-03-06T15:00"

    saved = editor.to_document(stored)

    expected = copy.deepcopy(stored)
    expected["data"]["records"] = 16000
    expected["events"]["aware_at"] = "2026-03-06T15:00:00-05:00"
    assert saved == expected


def test_new_values_are_added_and_cleared_values_removed():
    stored = canonical(MINIMAL)
    editor = resubmit(stored)
    editor.values.setlist("categories", ["health"])
    editor.values["affected-0-code"] = "us-ny"
    editor.values["affected-0-count"] = "3"
    editor.values["contract-0-party"] = "Initech"
    editor.values["contract-0-notify_within"] = "3d"
    editor.values["discovered_at_local"] = ""
    editor.values["aware_at_local"] = "2026-06-02T10:00"

    saved = editor.to_document(stored)

    assert saved["data"] == {"categories": ["health"]}
    assert saved["affected"] == {"US-NY": 3}
    assert saved["contracts"] == [{"party": "Initech", "notify_within": "3d"}]
    assert saved["events"] == {"discovered_at": None, "aware_at": "2026-06-02T10:00:00+02:00"}
    assert "organisation" not in saved and "law_enforcement_delay" not in saved


def test_removed_rows_leave_the_document():
    stored = canonical(FULL)
    editor = resubmit(stored)
    editor.values["affected-1-remove"] = "yes"

    saved = editor.to_document(stored)

    assert saved["affected"] == {"US-CA": 1200, "DE": 40, "US": 0}


def test_more_rows_adds_blank_rows():
    editor = resubmit(canonical(MINIMAL))
    assert editor.row_range("affected") == range(2)
    editor.add_rows("affected")
    assert editor.row_range("affected") == range(5)


@pytest.mark.parametrize(
    ("field", "value", "error_field", "message"),
    [
        ("affected-0-count", "12.5", "affected-0-count", "Enter a whole number such as 1200"),
        ("affected-0-count", "-4", "affected-0-count", "whole number of 0 or more; got -4"),
        ("affected-0-code", "XX", "affected-0-code", "ISO 3166-1 country code"),
        ("affected-0-code", "US-ZZ", "affected-0-code", "got 'US-ZZ'"),
        ("affected-1-code", "US-CA", "affected-1-code", "US-CA is already in another row"),
        ("records", "many", "records", "'many' is not one"),
        ("occurred_at_local", "yesterday", "occurred_at_local", "cannot be read"),
        ("occurred_at_zone", "Mars/Olympus", "occurred_at_zone", "'Mars/Olympus' is unknown"),
        ("occurred_at_zone", "", "occurred_at_zone", "a time without a zone is ambiguous"),
        ("occurred_at_local", "2026-03-08T02:30", "occurred_at_local", "does not exist"),
        ("timezone", "Europe/Atlantis", "timezone", "an IANA time zone such as"),
        ("title", "", "title", "Enter a title"),
        ("main_establishment", "QQ", "main_establishment", "got 'QQ'"),
        ("contract-0-notify_within", "2 weeks", "contract-0-notify_within", "such as 24h"),
        ("notice-0-key", "HIPAA individuals", "notice-0-key", "obligation key"),
        ("led_agency", "", "led_agency", "Enter the agency"),
    ],
)
def test_bad_input_is_refused_beside_its_field(field, value, error_field, message):
    stored = canonical(FULL)
    editor = resubmit(stored)
    editor.values["occurred_at_local"] = editor.value("occurred_at_local")
    editor.values[field] = value

    assert editor.to_document(stored) is None
    assert message in editor.errors[error_field]


def test_discovery_or_awareness_is_required():
    stored = canonical(MINIMAL)
    editor = resubmit(stored)
    editor.values["discovered_at_local"] = ""

    assert editor.to_document(stored) is None
    assert "discovered_at or aware_at" in editor.errors["discovered_at_local"]


def test_a_release_before_the_request_is_refused():
    stored = canonical(FULL)
    editor = resubmit(stored)
    editor.values["led_released_at_local"] = "2026-03-07T12:00"

    assert editor.to_document(stored) is None
    assert "must not be before" in editor.errors["led_released_at_local"]


@pytest.mark.parametrize(
    ("local", "zone", "expected"),
    [
        ("2026-03-05T09:30", "America/New_York", "2026-03-05T09:30:00-05:00"),
        ("2026-07-05T09:30:15", "America/New_York", "2026-07-05T09:30:15-04:00"),
        ("2026-03-29T03:00", "Europe/Berlin", "2026-03-29T03:00:00+02:00"),
        ("2026-01-10T12:00", "UTC+05:30", "2026-01-10T12:00:00+05:30"),
        ("2026-01-10T12:00", "UTC-00:00", "2026-01-10T12:00:00+00:00"),
        ("2026-11-01T01:30", "UTC-04:00", "2026-11-01T01:30:00-04:00"),
    ],
)
def test_local_times_become_instants_with_offsets(local, zone, expected):
    assert parse_local(local, zone).isoformat() == expected


def test_an_empty_local_time_is_no_instant():
    assert parse_local("  ", "Europe/Berlin") is None


@pytest.mark.parametrize(
    ("local", "zone", "field", "message"),
    [
        ("2026-03-29T02:30", "Europe/Berlin", "local", "does not exist in Europe/Berlin"),
        ("2026-11-01T01:30", "America/New_York", "local", "UTC-04:00 or UTC-05:00"),
        ("next tuesday", "Europe/Berlin", "local", "'next tuesday' cannot be read"),
        ("2026-01-10T12:00+01:00", "Europe/Berlin", "local", "without an offset"),
        ("2026-01-10T12:00", "Berlin", "zone", "'Berlin' is unknown"),
        ("2026-01-10T12:00", "UTC+5", "zone", "write it as UTC+01:00"),
        ("2026-01-10T12:00", "", "zone", "Choose the time zone"),
        ("9999-12-31T23:59", "America/Los_Angeles", "local", "outside the years 1900 to 2999"),
        ("0001-01-01T05:00", "Asia/Tokyo", "local", "outside the years 1900 to 2999"),
    ],
)
def test_unreadable_or_ambiguous_local_times_are_refused(local, zone, field, message):
    with pytest.raises(LocalTimeError) as caught:
        parse_local(local, zone)
    assert caught.value.field == field
    assert message in caught.value.message


def test_split_instant_reads_back_as_the_same_instant():
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, the second 01:30
    local, zone = split_instant(second, "America/New_York")
    assert (local, zone) == ("2026-11-01T01:30", "UTC-05:00")
    assert parse_local(local, zone) == second

    local, zone = split_instant(datetime(2026, 3, 5, 14, 30, tzinfo=UTC), "America/New_York")
    assert (local, zone) == ("2026-03-05T09:30", "America/New_York")


def test_same_compares_meaning():
    assert same("2026-03-05T14:30:00Z", "2026-03-05T09:30:00-05:00")
    assert not same("2026-03-05T14:30:00Z", "2026-03-05T14:30:00")
    assert same(None, "")
    assert same(["a", "b"], ["b", "a"], unordered=True)
    assert not same(["a", "b"], ["b", "a"])
    assert not same(1, True)


def test_instants_and_durations_read_plainly():
    instant = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert format_instant(instant, "America/New_York") == "2026-03-05 09:30 EST"
    assert format_instant(instant, "Asia/Kolkata") == "2026-03-05 20:00 IST"
    assert format_instant(None, "UTC") == "not given"
    assert format_duration(timedelta(days=4, hours=4, minutes=30)) == "4 days 4 h 30 min"
    assert format_duration(timedelta(seconds=20)) == "0 min"
    assert format_duration(None) == "not known yet"
    offset = timezone(timedelta(hours=-5))
    assert (
        format_instant(datetime(2026, 7, 1, 8, 0, tzinfo=offset), "UTC") == "2026-07-01 13:00 UTC"
    )


def test_changes_list_each_changed_value_in_words():
    before = {"facts": {"data": {"records": 15000, "encrypted": False}, "tags": ["a"]}}
    after = {"facts": {"data": {"records": 16000, "encrypted": True}, "tags": ["a", "b"]}}

    listed = [(c.path, c.before, c.after) for c in changes(before, after)]

    assert listed == [
        ("data › records", "15000", "16000"),
        ("data › encrypted", "no", "yes"),
        ("tags", "a", "a, b"),
    ]
    status = changes({"at": None}, {"at": "2026-03-05T14:30:00+00:00"}, "America/New_York")
    assert [(c.before, c.after) for c in status] == [("", "2026-03-05 09:30 EST")]


@pytest.mark.parametrize("zone", ["Factory", "localtime"])
def test_a_zone_file_that_is_no_places_time_is_refused(zone):
    with pytest.raises(LocalTimeError, match=f"The time zone '{zone}' is unknown"):
        parse_local("2026-01-10T12:00", zone)
