import json
from io import BytesIO

import pytest
from click.testing import CliRunner
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from report_samples import FACTS, lookup_for, record_for

from tracker.cli import main
from tracker.config import load_config
from tracker.report.commands import EXIT_ALTERED, EXIT_UNCONFIRMED, EXIT_VALID, exit_status
from tracker.report.keys import CERT_FILE, key_folder
from tracker.report.manifest import facts_digest
from tracker.report.verify import verify_pdf


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def signature_gap(pdf: bytes) -> tuple[int, int]:
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    start, length, gap_end, _ = (int(value) for value in signature.byte_range)
    return start + length, gap_end


def test_intact_known_report_is_valid(report, config):
    result = verify_pdf(report.pdf, config, lookup_for(report))
    assert result.problems == []
    assert result.is_valid
    assert result.signed_at == report.signed_at
    assert result.sha256 == report.sha256
    assert result.facts_match is True
    assert result.is_self_signed
    assert "Tracker organisation report signing" in result.signer
    assert exit_status(result) == EXIT_VALID


def test_embedded_facts_extract_equal_to_the_stored_ones(report, config):
    result = verify_pdf(report.pdf, config, lookup_for(report))
    assert json.loads(result.embedded["facts.json"]) == FACTS
    assert facts_digest(result.embedded["facts.json"]) == record_for(report)["facts_sha256"]


@pytest.mark.parametrize("where", ["header", "first_quarter", "middle", "before_gap", "end"])
def test_a_flipped_byte_in_the_signed_bytes_is_caught(report, config, where):
    gap_start, _ = signature_gap(report.pdf)
    offsets = {
        "header": 3,
        "first_quarter": len(report.pdf) // 4,
        "middle": gap_start // 2,
        "before_gap": gap_start - 5,
        "end": len(report.pdf) - 3,
    }
    result = verify_pdf(flip(report.pdf, offsets[where]), config, lookup_for(report))
    assert not result.is_valid
    assert not result.is_authentic
    assert exit_status(result) == EXIT_ALTERED


@pytest.mark.parametrize("position", ["cms_start", "cms_middle", "padding"])
def test_a_changed_byte_in_the_signature_value_is_caught(report, config, position):
    gap_start, gap_end = signature_gap(report.pdf)
    offsets = {
        "cms_start": gap_start + 3,
        "cms_middle": gap_start + 400,
        "padding": gap_end - 10,
    }
    changed = bytearray(report.pdf)
    offset = offsets[position]
    changed[offset] = ord("1") if changed[offset] != ord("1") else ord("2")
    result = verify_pdf(bytes(changed), config, lookup_for(report))
    assert not result.is_valid
    assert not result.is_authentic


def test_a_hex_digit_in_the_other_case_is_caught(report, config):
    gap_start, _ = signature_gap(report.pdf)
    changed = bytearray(report.pdf)
    offset = next(i for i in range(gap_start + 1, gap_start + 200) if chr(changed[i]) in "ABCDEF")
    changed[offset] = ord(chr(changed[offset]).lower())
    result = verify_pdf(bytes(changed), config, lookup_for(report))
    assert not result.is_valid


def test_an_appended_incremental_update_is_caught(report, config):
    writer = IncrementalPdfFileWriter(BytesIO(report.pdf))
    writer.root["/PageLabels"] = generic.DictionaryObject()
    writer.update_root()
    output = BytesIO()
    writer.write(output)

    result = verify_pdf(output.getvalue(), config, lookup_for(report))
    assert not result.is_unmodified
    assert not result.is_valid
    assert exit_status(result) == EXIT_ALTERED
    assert any("added to the file after it was signed" in p for p in result.problems)


def test_a_truncated_file_is_caught(report, config):
    result = verify_pdf(report.pdf[: len(report.pdf) // 2], config, lookup_for(report))
    assert not result.is_valid
    assert exit_status(result) == EXIT_ALTERED


def test_not_a_pdf_is_reported_not_raised(config):
    result = verify_pdf(b"hello", config, None)
    assert not result.is_valid
    assert result.problems


def test_an_unknown_report_is_intact_but_not_valid(report, config):
    result = verify_pdf(report.pdf, config, lambda export_id, sha256: None)
    assert result.is_authentic
    assert not result.is_known
    assert exit_status(result) == EXIT_UNCONFIRMED


def test_facts_that_differ_from_the_record_are_caught(report, config):
    record = {**record_for(report), "facts_sha256": "0" * 64}
    result = verify_pdf(report.pdf, config, lambda export_id, sha256: record)
    assert result.facts_match is False
    assert not result.is_valid
    assert exit_status(result) == EXIT_UNCONFIRMED


def test_a_signer_outside_the_trust_roots_is_not_trusted(report, tmp_path):
    stranger = load_config(environ={}, overrides={"INSTANCE": str(tmp_path)})
    result = verify_pdf(report.pdf, stranger, lookup_for(report))
    assert result.is_authentic
    assert not result.is_trusted
    assert exit_status(result) == EXIT_UNCONFIRMED


def test_configured_trust_roots_are_honoured(report, config, tmp_path):
    other = load_config(
        environ={},
        overrides={
            "INSTANCE": str(tmp_path),
            "TRUST_ROOTS": str(key_folder(config) / CERT_FILE),
        },
    )
    assert verify_pdf(report.pdf, other, lookup_for(report)).is_trusted


def test_cli_keys_init_says_it_is_self_signed(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE", str(tmp_path))
    result = CliRunner().invoke(main, ["keys", "init"])
    assert result.exit_code == 0, result.output
    assert "self-signed" in result.output
    assert "TRACKER_SIGNING_P12" in result.output
    assert (tmp_path / "signing" / "organisation-cert.pem").exists()
