"""Evidence items, streamed hashing and the append-only chain of custody."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tracker.audit.models import AuditEvent
from tracker.db import make_engine, make_session_factory, upgrade_database
from tracker.errors import Conflict, ValidationError
from tracker.evidence import service
from tracker.evidence.models import CustodyTransfer, HashCheck

COLLECTED = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
SEIZED = datetime(2026, 3, 5, 16, 30, tzinfo=UTC)
LAB = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


class Pattern(io.RawIOBase):
    """A readable stream of `size` bytes made on the fly, so the test holds none of them."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = b"\xa5" * count
        self.left -= count
        return count


@pytest.fixture
def config(tmp_path):
    return {"INSTANCE": str(tmp_path / "instance")}


@pytest.fixture
def item(session, make_incident, make_user):
    user = make_user("responder")
    incident = make_incident(actor=user)
    made = service.create_item(
        session,
        user,
        description="Laptop of the finance director",
        collected_by="Dana Cruz",
        collected_at=COLLECTED,
        incident_id=incident.id,
        source_system="FIN-LT-042",
        location="Evidence locker 3, shelf B",
    )
    session.commit()
    return made


def upload(session, item, data: bytes, config, name="image.dd"):
    streamed = service.stream_to_folder(io.BytesIO(data), config)
    check = service.attach_file(session, item, streamed, name, None)
    session.commit()
    return check


def test_a_large_file_is_hashed_in_chunks_without_being_held_in_memory(config):
    size = 64 * 1024 * 1024 + 17
    expected = hashlib.sha256()
    for _ in range(64):
        expected.update(b"\xa5" * (1024 * 1024))
    expected.update(b"\xa5" * 17)

    tracemalloc.start()
    streamed = service.stream_to_folder(io.BufferedReader(Pattern(size)), config)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert streamed.size == size
    assert streamed.sha256 == expected.hexdigest()
    assert streamed.path.stat().st_size == size
    assert peak < 4 * 1024 * 1024  # a few chunks at most, against 64 MiB of data


def test_a_file_over_the_limit_is_refused_and_nothing_is_left_behind(config, tmp_path):
    with pytest.raises(ValidationError) as refused:
        service.stream_to_folder(io.BufferedReader(Pattern(3 * 1024 * 1024)), config, limit=1000)

    assert refused.value.fields == {"file": "expected at most 1000 bytes"}
    assert list((tmp_path / "instance" / "evidence").iterdir()) == []


def test_an_item_without_a_hash_takes_the_computed_one_and_keeps_the_file(session, item, config):
    check = upload(session, item, b"", config)

    assert item.sha256 == EMPTY_SHA256
    assert item.hash_source == "computed"
    assert check.is_match is True and check.expected is None
    assert item.filename == "image.dd" and item.size == 0


def test_an_entered_hash_is_checked_and_a_mismatch_is_recorded_never_overwritten(
    session, item, config
):
    item.sha256 = hashlib.sha256(b"original image").hexdigest()
    item.hash_source = "entered"
    session.commit()

    check = upload(session, item, b"tampered image", config)

    assert check.is_match is False
    assert check.sha256 == hashlib.sha256(b"tampered image").hexdigest()
    assert check.expected == hashlib.sha256(b"original image").hexdigest()
    assert item.sha256 == hashlib.sha256(b"original image").hexdigest()
    assert item.stored_name is None
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-1] == "evidence.hash_mismatch"

    matching = upload(session, item, b"original image", config)
    assert matching.is_match is True
    assert item.stored_name is not None
    assert [row.is_match for row in item.checks] == [False, True]


def test_entered_hashes_are_normalised_and_bad_ones_named(session, make_user):
    user = make_user("responder")
    made = service.create_item(
        session,
        user,
        description="Mail export",
        collected_by="Dana Cruz",
        collected_at=COLLECTED,
        sha256=f"  {EMPTY_SHA256.upper()} ",
    )
    assert made.sha256 == EMPTY_SHA256 and made.hash_source == "entered"

    with pytest.raises(ValidationError) as refused:
        service.create_item(
            session,
            user,
            description="Mail export",
            collected_by="Dana Cruz",
            collected_at=COLLECTED,
            sha256="abc123",
        )
    assert refused.value.fields == {"sha256": "expected 64 hexadecimal digits"}


def test_missing_fields_and_naive_or_future_instants_are_refused(session):
    with pytest.raises(ValidationError) as refused:
        service.create_item(session, None, description=" ", collected_by="", collected_at=COLLECTED)
    assert set(refused.value.fields) == {"description", "collected_by"}

    with pytest.raises(ValidationError) as naive:
        service.create_item(
            session,
            None,
            description="Disk",
            collected_by="Dana",
            collected_at=datetime(2026, 3, 5, 15, 0),
        )
    assert naive.value.fields == {"collected_at": "expected an instant with an offset"}

    with pytest.raises(ValidationError) as future:
        service.create_item(
            session,
            None,
            description="Disk",
            collected_by="Dana",
            collected_at=datetime(2999, 1, 1, tzinfo=UTC),
        )
    assert future.value.fields == {"collected_at": "expected an instant in the past"}


def test_transfers_chain_from_the_current_holder(session, item):
    first = service.add_transfer(
        session,
        item,
        None,
        from_party="Dana Cruz",
        to_party="Forensics lab",
        at=SEIZED,
        purpose="Imaging",
        condition="Sealed bag 0042, seal intact",
    )
    session.commit()

    assert item.holder == "Forensics lab"
    assert first.condition == "Sealed bag 0042, seal intact"
    with pytest.raises(Conflict) as refused:
        service.add_transfer(
            session, item, None, from_party="Dana Cruz", to_party="Counsel", at=LAB, purpose="x"
        )
    assert refused.value.fields == {"from": "expected 'Forensics lab'"}


def test_a_correction_is_a_new_entry_and_the_corrected_one_stays(session, item):
    wrong = service.add_transfer(
        session,
        item,
        None,
        from_party="Dana Cruz",
        to_party="Forensic lab",
        at=SEIZED,
        purpose="Imaging",
    )
    fixed = service.add_transfer(
        session,
        item,
        None,
        from_party="Dana Cruz",
        to_party="Forensics lab (R. Okafor)",
        at=SEIZED,
        purpose="Recipient's name was misspelt",
        corrects_id=wrong.id,
    )
    session.commit()

    assert [row.id for row in item.transfers] == [wrong.id, fixed.id]
    assert session.get(CustodyTransfer, wrong.id).to_party == "Forensic lab"
    assert item.holder == "Forensics lab (R. Okafor)"
    with pytest.raises(Conflict) as twice:
        service.add_transfer(
            session,
            item,
            None,
            from_party="Dana Cruz",
            to_party="Lab",
            at=SEIZED,
            purpose="again",
            corrects_id=wrong.id,
        )
    assert twice.value.fields == {"corrects": f"expected {fixed.id}, the latest correction"}
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "custody_transfer")
    ).all()
    assert actions == ["custody.transfer", "custody.correct"]


def test_a_transfer_before_the_collection_is_refused(session, item):
    with pytest.raises(ValidationError) as refused:
        service.add_transfer(
            session,
            item,
            None,
            from_party="Dana Cruz",
            to_party="Lab",
            at=datetime(2026, 3, 1, tzinfo=UTC),
            purpose="Imaging",
        )
    assert refused.value.fields == {"at": "expected an instant after the collection"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE custody_transfers SET to_party = 'Someone else'",
        "DELETE FROM custody_transfers",
        "UPDATE evidence_hash_checks SET is_match = TRUE",
        "DELETE FROM evidence_hash_checks",
    ],
)
def test_the_database_refuses_to_change_custody_history(session, item, config, statement):
    service.add_transfer(
        session, item, None, from_party="Dana Cruz", to_party="Lab", at=SEIZED, purpose="Imaging"
    )
    upload(session, item, b"image", config)

    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))
    session.rollback()

    assert session.scalar(select(func.count()).select_from(CustodyTransfer)) == 1
    assert session.scalar(select(func.count()).select_from(HashCheck)) == 1
    assert session.get(CustodyTransfer, item.transfers[0].id).to_party == "Lab"


@pytest.fixture
def pg_session(postgres_url):
    upgrade_database(postgres_url)
    engine = make_engine(postgres_url)
    db = make_session_factory(engine)()
    yield db
    db.close()
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_refuses_to_change_custody_history(pg_session):
    db_session = pg_session
    item = service.create_item(
        db_session, None, description="Disk", collected_by="Dana", collected_at=COLLECTED
    )
    service.add_transfer(
        db_session, item, None, from_party="Dana", to_party="Lab", at=SEIZED, purpose="Imaging"
    )
    db_session.commit()

    for statement in (
        "UPDATE custody_transfers SET to_party = 'x'",
        "DELETE FROM custody_transfers",
        "TRUNCATE custody_transfers CASCADE",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            db_session.execute(text(statement))
        db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(CustodyTransfer)) == 1
