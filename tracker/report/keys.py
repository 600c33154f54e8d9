"""The organisation's signing key: a configured PKCS#12 or PEM pair, or a self-signed one.

Without configuration the instance folder holds a self-signed organisation certificate,
made on first use (or by `tracker keys init`). Reports signed with it are intact and
verifiable by this product, but a regulator's reader will not trust the signer until the
organisation installs a certificate from its own certificate authority.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..db import now_utc
from ..errors import ConfigError

log = logging.getLogger(__name__)

KEY_FOLDER = "signing"
KEY_FILE = "organisation-key.pem"
CERT_FILE = "organisation-cert.pem"
VALIDITY_YEARS = 5

SELF_SIGNED_NOTICE = (
    "The signing certificate is self-signed: this product can prove a report unaltered, "
    "but other readers will not trust the signer until a certificate from the "
    "organisation's certificate authority is installed (set TRACKER_SIGNING_P12 and "
    "TRACKER_SIGNING_PASSWORD, or TRACKER_SIGNING_KEY and TRACKER_SIGNING_CERT)."
)


@dataclass(frozen=True)
class SigningKey:
    """A loaded signer with what the reports and their verification say about it."""

    signer: SimpleSigner
    certificate: asn1_x509.Certificate
    source: str  # "pkcs12", "pem" or "self-signed"

    @property
    def is_self_signed(self) -> bool:
        return self.certificate.self_signed != "no"

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate, as hex pairs joined by colons."""
        digest = hashlib.sha256(self.certificate.dump()).hexdigest().upper()
        return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def key_folder(config: Mapping[str, Any]) -> Path:
    return Path(config["INSTANCE"]) / KEY_FOLDER


def init_keys(config: Mapping[str, Any], *, force: bool = False) -> Path:
    """Create the instance's self-signed organisation certificate; return its path."""
    folder = key_folder(config)
    cert_path = folder / CERT_FILE
    if cert_path.exists() and not force:
        return cert_path

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    certificate = _self_signed_certificate(private_key, str(config["SIGNING_ORGANISATION"]))

    _write_private(
        folder / KEY_FILE,
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))

    log.info("Created a self-signed organisation signing certificate in %s", folder)
    return cert_path


def load_signing_key(config: Mapping[str, Any], *, create: bool = True) -> SigningKey:
    """The configured key, or the instance's self-signed one (made now if `create`)."""
    if config.get("SIGNING_P12"):
        return _load_pkcs12(config)

    if config.get("SIGNING_KEY") or config.get("SIGNING_CERT"):
        return _load_pem(config)

    cert_path = key_folder(config) / CERT_FILE
    if not cert_path.exists():
        if not create:
            raise ConfigError(
                f"No signing key is configured and {cert_path} does not exist; "
                "run `tracker keys init` or set TRACKER_SIGNING_P12."
            )
        init_keys(config)

    key = _pem_signer(key_folder(config) / KEY_FILE, cert_path, None)
    return SigningKey(key[0], key[1], "self-signed")


def instance_certificate(config: Mapping[str, Any]) -> asn1_x509.Certificate | None:
    """The instance's own self-signed certificate, when it has one."""
    path = key_folder(config) / CERT_FILE
    if not path.exists():
        return None
    return next(iter(load_certs_from_pemder_data(path.read_bytes())))


def trust_roots(config: Mapping[str, Any]) -> list[asn1_x509.Certificate]:
    """The configured roots (TRACKER_TRUST_ROOTS) plus the instance's own certificate."""
    roots: list[asn1_x509.Certificate] = []
    for name in _split_paths(config.get("TRUST_ROOTS")):
        roots.extend(_read_certificates(Path(name), "TRACKER_TRUST_ROOTS"))

    own = instance_certificate(config)
    if own is not None:
        roots.append(own)
    return roots


def _self_signed_certificate(private_key: rsa.RSAPrivateKey, organisation: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} report signing"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    issued_at = now_utc() - timedelta(minutes=5)

    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(issued_at)
        .not_valid_after(issued_at + timedelta(days=365 * VALIDITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_key_usage(), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False
        )
    )
    return builder.sign(private_key, hashes.SHA256())


def _signing_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, replacing any earlier one."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _load_pkcs12(config: Mapping[str, Any]) -> SigningKey:
    path = Path(config["SIGNING_P12"])
    data = _read_setting_file(path, "TRACKER_SIGNING_P12")
    password = config.get("SIGNING_PASSWORD")

    try:
        signer = SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=password.encode() if password else None
        )
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"The PKCS#12 file {path} (TRACKER_SIGNING_P12) cannot be opened: {exc}; "
            "check TRACKER_SIGNING_PASSWORD."
        ) from None
    return SigningKey(signer, signer.signing_cert, "pkcs12")


def _load_pem(config: Mapping[str, Any]) -> SigningKey:
    if not (config.get("SIGNING_KEY") and config.get("SIGNING_CERT")):
        raise ConfigError(
            "TRACKER_SIGNING_KEY and TRACKER_SIGNING_CERT must be set together: "
            "the PEM private key and its PEM certificate."
        )
    password = config.get("SIGNING_PASSWORD")
    signer, cert = _pem_signer(
        Path(config["SIGNING_KEY"]),
        Path(config["SIGNING_CERT"]),
        password.encode() if password else None,
    )
    return SigningKey(signer, cert, "pem")


def _pem_signer(
    key_path: Path, cert_path: Path, password: bytes | None
) -> tuple[SimpleSigner, asn1_x509.Certificate]:
    certificates = _read_certificates(cert_path, "TRACKER_SIGNING_CERT")
    key_data = _read_setting_file(key_path, "TRACKER_SIGNING_KEY")

    try:
        private_key = load_private_key_from_pemder_data(key_data, passphrase=password)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"The private key {key_path} cannot be read: {exc}; it must be a PEM or DER key, "
            "with TRACKER_SIGNING_PASSWORD when it is encrypted."
        ) from None

    signer = SimpleSigner(
        signing_cert=certificates[0],
        signing_key=private_key,
        cert_registry=_registry(certificates[1:]),
    )
    return signer, certificates[0]


def _registry(certificates: list[asn1_x509.Certificate]) -> SimpleCertificateStore:
    store = SimpleCertificateStore()
    store.register_multiple(certificates)
    return store


def _read_certificates(path: Path, setting: str) -> list[asn1_x509.Certificate]:
    data = _read_setting_file(path, setting)
    try:
        certificates = list(load_certs_from_pemder_data(data))
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"The certificate file {path} ({setting}) cannot be read: {exc}."
        ) from None
    if not certificates:
        raise ConfigError(
            f"The file {path} ({setting}) holds no certificate; expected PEM or DER X.509."
        )
    return certificates


def _read_setting_file(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"The file {path} named by {setting} cannot be read: {exc.strerror}."
        ) from None


def _split_paths(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]
