import stat
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder_data
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from report_samples import EVALUATION, FACTS, SIGNATORY

from tracker.config import load_config
from tracker.errors import ConfigError
from tracker.report.content import INCIDENT_TEMPLATE, incident_context
from tracker.report.document import produce_report
from tracker.report.keys import CERT_FILE, KEY_FILE, init_keys, key_folder, load_signing_key


def embedded_signature(pdf: bytes):
    signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    return signatures[0]


def test_signature_validates_against_the_certificate(report, config):
    certificate = load_cert_from_pemder(str(key_folder(config) / CERT_FILE))
    status = validate_pdf_signature(
        embedded_signature(report.pdf), ValidationContext(trust_roots=[certificate])
    )
    assert status.bottom_line
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_signature_is_pades_with_the_time_printed_on_page_one(report):
    signature = embedded_signature(report.pdf)
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == SIGNATORY.name
    assert signature.sig_object["/Reason"] == SIGNATORY.reason
    signed_at = signature.self_reported_timestamp
    assert signed_at == report.signed_at
    assert f"Signed at {report.signed_at:%Y-%m-%d %H:%M} UTC" not in report.html
    assert f"({report.signed_at:%Y-%m-%d %H:%M} UTC)" in report.html


def test_signature_is_untrusted_without_the_certificate(report):
    status = validate_pdf_signature(
        embedded_signature(report.pdf), ValidationContext(trust_roots=[])
    )
    assert status.intact and status.valid
    assert not status.trusted


def test_timestamp_authority_makes_the_signature_b_t(config, key, tmp_path):
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.now(UTC)
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(tsa_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(tsa_key, hashes.SHA256())
    )
    tsa_key_info = load_private_key_from_pemder_data(
        tsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        passphrase=None,
    )
    stamper = DummyTimeStamper(translate_pyca_cryptography_cert_to_asn1(tsa_cert), tsa_key_info)

    context = incident_context("INC-7", FACTS, EVALUATION)
    report = produce_report(
        "incident",
        INCIDENT_TEMPLATE,
        context,
        facts=FACTS,
        obligations=EVALUATION,
        signatory=SIGNATORY,
        config=config,
        key=key,
        timestamper=stamper,
    )

    status = validate_pdf_signature(
        embedded_signature(report.pdf),
        ValidationContext(trust_roots=[key.certificate]),
        ts_validation_context=ValidationContext(
            trust_roots=[translate_pyca_cryptography_cert_to_asn1(tsa_cert)]
        ),
    )
    assert status.intact and status.valid
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted


def test_keys_init_makes_an_owner_only_self_signed_certificate(tmp_path):
    config = load_config(environ={}, overrides={"INSTANCE": str(tmp_path)})
    path = init_keys(config)

    folder = key_folder(config)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign
    assert certificate.issuer == certificate.subject
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert timedelta(days=3 * 365) < lifetime < timedelta(days=10 * 365)

    key = load_signing_key(config)
    assert key.source == "self-signed" and key.is_self_signed


def test_keys_init_keeps_an_existing_certificate_unless_forced(tmp_path):
    config = load_config(environ={}, overrides={"INSTANCE": str(tmp_path)})
    first = init_keys(config).read_bytes()
    assert init_keys(config).read_bytes() == first
    assert init_keys(config, force=True).read_bytes() != first


def test_signing_key_is_made_on_first_use(tmp_path):
    config = load_config(environ={}, overrides={"INSTANCE": str(tmp_path)})
    load_signing_key(config)
    assert (key_folder(config) / CERT_FILE).exists()


def test_missing_key_without_creation_names_the_command(tmp_path):
    config = load_config(environ={}, overrides={"INSTANCE": str(tmp_path)})
    with pytest.raises(ConfigError, match="tracker keys init"):
        load_signing_key(config, create=False)


def _organisation_p12(tmp_path, password: bytes):
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Corp Legal")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(7)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(private_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"legal",
        private_key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password),
    )
    path = tmp_path / "org.p12"
    path.write_bytes(data)
    return path, private_key, certificate


def test_configured_pkcs12_is_used(tmp_path):
    path, _, certificate = _organisation_p12(tmp_path, b"s3cret")
    config = load_config(
        environ={},
        overrides={
            "INSTANCE": str(tmp_path),
            "SIGNING_P12": str(path),
            "SIGNING_PASSWORD": "s3cret",
        },
    )
    key = load_signing_key(config)
    assert key.source == "pkcs12"
    assert "Example Corp Legal" in key.subject
    assert not (key_folder(config) / CERT_FILE).exists()


def test_wrong_pkcs12_password_is_a_clear_error(tmp_path):
    path, _, _ = _organisation_p12(tmp_path, b"s3cret")
    config = load_config(
        environ={},
        overrides={"INSTANCE": str(tmp_path), "SIGNING_P12": str(path), "SIGNING_PASSWORD": "x"},
    )
    with pytest.raises(ConfigError, match="TRACKER_SIGNING_PASSWORD"):
        load_signing_key(config)


def test_configured_pem_pair_is_used(tmp_path):
    _, private_key, certificate = _organisation_p12(tmp_path, b"s3cret")
    key_path = tmp_path / "key.pem"
    cert_path = tmp_path / "cert.pem"
    key_path.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    config = load_config(
        environ={},
        overrides={
            "INSTANCE": str(tmp_path),
            "SIGNING_KEY": str(key_path),
            "SIGNING_CERT": str(cert_path),
        },
    )
    key = load_signing_key(config)
    assert key.source == "pem"
    assert "Example Corp Legal" in key.subject


def test_half_a_pem_pair_is_refused(tmp_path):
    config = load_config(
        environ={}, overrides={"INSTANCE": str(tmp_path), "SIGNING_KEY": str(tmp_path / "k")}
    )
    with pytest.raises(ConfigError, match="must be set together"):
        load_signing_key(config)
