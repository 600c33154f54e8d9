"""What changed between two evaluations, and which fact moved it."""

from tracker.deadline import compare

from .support import run

CA = {"timezone": "America/Los_Angeles", "affected": {"US-CA": 600}}


def test_moved_deadline_names_the_fact():
    old = run(events={"discovered_at": "2026-03-05T09:30:00-08:00"}, **CA)
    new = run(events={"discovered_at": "2026-03-02T09:30:00-08:00"}, **CA)

    changes = {change.key: change for change in compare(old, new)}
    change = changes["us-ca/individuals"]

    assert change.kind == "moved"
    assert change.old_due.isoformat() == "2026-04-05T06:59:59.999999+00:00"
    assert change.new_due.isoformat() == "2026-04-02T06:59:59.999999+00:00"
    assert change.delta_seconds == -3 * 86400
    assert change.cause == (
        "events.discovered_at moved from 2026-03-05T17:30:00+00:00 to 2026-03-02T17:30:00+00:00"
    )


def test_obligation_appears_when_a_threshold_is_crossed():
    old = run(timezone="America/Los_Angeles", affected={"US-CA": 500})
    new = run(timezone="America/Los_Angeles", affected={"US-CA": 501})

    changes = compare(old, new)

    assert [(c.kind, c.key) for c in changes] == [("added", "us-ca/attorney_general")]
    assert changes[0].cause == (
        "changed facts: affected.US-CA; before, it did not apply: "
        "500 affected residents of US-CA; it needs more than 500"
    )


def test_obligation_disappears_with_encryption():
    old = run(**CA)
    new = run(data={"encrypted": True}, **CA)

    removed = [c for c in compare(old, new) if c.kind == "removed"]

    assert {c.key for c in removed} == {"us-ca/individuals", "us-ca/attorney_general"}
    assert "encryption safe harbour" in removed[0].cause


def test_version_change_is_named():
    old = run(events={"discovered_at": "2025-12-31T10:00:00-08:00"}, **CA)
    new = run(events={"discovered_at": "2026-01-01T10:00:00-08:00"}, **CA)

    change = next(c for c in compare(old, new) if c.key == "us-ca/individuals")

    assert change.old_due_kind == "without_undue_delay"
    assert change.new_due_kind == "fixed"
    assert change.delta_seconds is None


def test_no_change_no_entries():
    assert compare(run(**CA), run(**CA)) == []
