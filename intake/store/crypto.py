"""Field encryption and the keyed hash of ID numbers, with the key kept outside the database.

A copied database file alone must reveal no ID or phone number (DOMAIN.md, personal information), so
those fields are sealed with AES-256-GCM (cryptography's maintained implementation) and looked up by an
HMAC-SHA256 of the normalised ID number. Both keys are derived from one secret by HKDF with different
labels: knowing the look-up key gives nothing about the sealing key and the other way round.

Where the secret comes from, and how a wrong one is refused before it is used, is keys.py. Back the key
up apart from the database: without it the sealed fields cannot be read again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from intake.store.keys import SECRET_BYTES, KeyProblem

NONCE_BYTES = 12
FORMAT_VERSION = b"\x01"


def _derive(secret: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"subsidy/" + label).derive(secret)


def _hashed_form(number: str) -> str:
    """The bytes a keyed hash is taken of: no spaces, upper-case X, so the same number always gives the
    same hash. What counts as the same number is the field's business (intake/fields); this only makes
    the hash blind to spacing and case."""
    return "".join(number.split()).upper()


class FieldCipher:
    """Seals and opens personal fields; hashes ID numbers for look-ups."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != SECRET_BYTES:
            raise KeyProblem(f"密钥长度应为{SECRET_BYTES}字节 (key must be {SECRET_BYTES} bytes)")
        self._aead = AESGCM(_derive(secret, b"field-encryption"))
        self._hash_key = _derive(secret, b"id-hash")
        self._chain_key = _derive(secret, b"audit-chain")
        self._token_key = _derive(secret, b"fulltext-token")
        self._suffix_key = _derive(secret, b"suffix-hash")
        self._file_aead = AESGCM(_derive(secret, b"file-encryption"))

    def seal(self, text: str | None, field: str) -> bytes | None:
        """Random nonce per value; the field name is bound in so a value cannot be moved to another column."""
        if text is None or text == "":
            return None
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_VERSION + nonce + self._aead.encrypt(nonce, text.encode("utf-8"), field.encode())

    def open(self, token: bytes | None, field: str) -> str | None:
        if not token:
            return None
        if token[:1] != FORMAT_VERSION:
            raise KeyProblem("未知的密文格式 (unknown sealed-field format)")
        nonce, body = token[1:1 + NONCE_BYTES], token[1 + NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, body, field.encode()).decode("utf-8")
        except Exception as exc:  # InvalidTag: wrong key or a tampered value
            raise KeyProblem("密钥不符或数据被改动 (wrong key or altered value)") from exc

    def id_hash(self, number: str) -> str:
        """HMAC-SHA256 of the normalised ID number, hex: the trainee's natural key in the database."""
        return hmac.new(self._hash_key, _hashed_form(number).encode(), hashlib.sha256).hexdigest()

    def keyed_hash(self, text: str) -> str:
        """The same keyed hash for other sealed values matched exactly (certificate numbers)."""
        return self.id_hash(text)

    def phone_hash(self, phone: str) -> str:
        """Keyed hash of a phone number, for finding trainees who share one; "phone:" keeps it apart from
        an ID or certificate number that happened to have the same digits."""
        return self.id_hash("phone:" + "".join(phone.split()))

    def file_aead(self) -> AESGCM:
        """The AEAD for sealed files (vault.py), under its own derived key."""
        return self._file_aead

    def token(self, number: str) -> str:
        """The full-text index's stand-in for a number (personal.tokenise_numbers): a letter and 80 bits of
        a keyed hash, one word to every tokenizer; the same number always gives the same token."""
        digest = hmac.new(self._token_key, _hashed_form(number).encode(), hashlib.sha256).hexdigest()
        return "n" + digest[:20]

    def suffix_hash(self, kind: str, suffix: str) -> str:
        """Keyed hash of the last digits of a number ("last 4 to 6 digits" search); the kind and the length
        are bound in, so the last four of an ID never match the last four of a phone."""
        message = f"{kind}:{len(suffix)}:{_hashed_form(suffix)}".encode()
        return hmac.new(self._suffix_key, message, hashlib.sha256).hexdigest()

    def chain_mac(self, previous: str, content: bytes) -> str:
        """HMAC-SHA256 over the previous audit-chain hash and a row's canonical content (audit.py). Keyed, so
        someone who can write the database but has not the key cannot forge a consistent chain."""
        return hmac.new(self._chain_key, previous.encode("ascii") + b"\n" + content, hashlib.sha256).hexdigest()

    def seal_text(self, text: str | None, field: str) -> str | None:
        """Sealed value as ASCII text, for columns that hold either plain or sealed text (corrections)."""
        token = self.seal(text, field)
        return base64.urlsafe_b64encode(token).decode() if token else None

    def open_text(self, text: str | None, field: str) -> str | None:
        return self.open(base64.urlsafe_b64decode(text), field) if text else None
