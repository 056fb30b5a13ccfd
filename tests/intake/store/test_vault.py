"""Sealed files: round trip in chunks, and a cut, reordered or foreign file refused by name."""

from __future__ import annotations

import os

import pytest

from intake.store import vault
from intake.store.crypto import FieldCipher
from intake.store.keys import KeyProblem, new_secret


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(vault, "CHUNK", 16)


def test_round_trip_in_chunks_and_the_plain_size(tmp_path, small_chunks):
    cipher = FieldCipher(new_secret())
    for size in (0, 1, 16, 17, 100):
        plain = os.urandom(size)
        source = tmp_path / f"doc-{size}.docx"
        source.write_bytes(plain)
        vault.seal_in_place(cipher, source)
        assert vault.is_sealed(source)
        assert size < 8 or plain[:8] not in source.read_bytes()
        assert vault.open_file(cipher, source) == plain
        assert vault.plain_size(source) == size
        vault.seal_in_place(cipher, source)  # sealing twice does nothing
        assert vault.open_file(cipher, source) == plain


def test_a_cut_or_reordered_file_or_another_key_is_refused(tmp_path, small_chunks):
    cipher = FieldCipher(new_secret())
    path = tmp_path / "roster.docx"
    path.write_bytes(b"371602199003071239" * 5)
    vault.seal_in_place(cipher, path)
    sealed = path.read_bytes()
    step = 16 + vault.TAG_BYTES
    header, body = sealed[:vault.HEADER_BYTES], sealed[vault.HEADER_BYTES:]
    chunks = [body[i:i + step] for i in range(0, len(body), step)]
    for broken in (header + b"".join(chunks[:-1]), header + chunks[1] + chunks[0] + b"".join(chunks[2:])):
        path.write_bytes(broken)
        with pytest.raises(KeyProblem, match="roster.docx"):
            vault.open_file(cipher, path)
    path.write_bytes(sealed)
    with pytest.raises(KeyProblem, match="roster.docx"):
        vault.open_file(FieldCipher(new_secret()), path)


def test_reseal_moves_a_file_once(tmp_path):
    old, new = FieldCipher(new_secret()), FieldCipher(new_secret())
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK spreadsheet")
    vault.seal_in_place(old, path)
    assert vault.reseal_file(old, new, path) is True
    assert vault.reseal_file(old, new, path) is False  # a resumed rotation skips it
    assert vault.open_file(new, path) == b"PK spreadsheet"
