"""Files of the data folder that carry full ID numbers inside (generated documents, archived documents),
sealed at rest with the store's key; opened only when served, packed or exported on purpose.

Format: a header (magic, format byte, random 8-byte nonce prefix), then the plaintext in chunks of 1 MiB,
each sealed with AES-256-GCM under a key derived for files only (FieldCipher.file_aead). A chunk's nonce is
the prefix and its number; the header, the number and a last-chunk mark are authenticated with it, so
chunks can be neither reordered, dropped nor cut off at the end without `open_file` refusing the file.
Files are written to a temporary name, flushed and renamed: a crash leaves the old file or the new one.

Why not the originals: an upload is kept byte for byte as the clerk gave it and is a scan (pixels) in all
but born-digital submissions; the documents generated from the store are text full of numbers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from intake.store.crypto import FieldCipher
from intake.store.keys import KeyProblem
from intake.store.uploads import sha256_of

MAGIC = b"SUBSIDY-SEALED\x00\x01"
PREFIX_BYTES = 8
HEADER_BYTES = len(MAGIC) + PREFIX_BYTES
CHUNK = 1 << 20
TAG_BYTES = 16


def is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _aad(header: bytes, number: int, last: bool) -> bytes:
    return header + struct.pack(">I?", number, last)


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def _sealed_chunks(cipher: FieldCipher, plain: Iterator[bytes]) -> Iterator[bytes]:
    aead = cipher.file_aead()
    prefix = os.urandom(PREFIX_BYTES)
    header = MAGIC + prefix
    yield header
    number, current = 0, next(plain, b"")
    while True:
        following = next(plain, None)
        last = following is None
        yield aead.encrypt(_nonce(prefix, number), current, _aad(header, number, last))
        if last:
            return
        number, current = number + 1, following


def _read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _write_atomically(target: Path, chunks: Iterator[bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)  # 0600
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def seal_file(cipher: FieldCipher, source: Path, target: Path) -> None:
    """`target` (it may be `source`) becomes the sealed copy of `source`."""
    _write_atomically(target, _sealed_chunks(cipher, _read_chunks(source)))


def seal_in_place(cipher: FieldCipher, path: Path) -> None:
    if not is_sealed(path):
        seal_file(cipher, path, path)


def iter_open(cipher: FieldCipher, path: Path) -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk; KeyProblem naming the file if anything is wrong."""
    aead = cipher.file_aead()
    with path.open("rb") as fh:
        header = fh.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise KeyProblem(f"{path.name}: 不是加密保存的文件 (not a sealed file)")
        prefix = header[len(MAGIC):]
        number, current = 0, fh.read(CHUNK + TAG_BYTES)
        while True:
            following = fh.read(CHUNK + TAG_BYTES)
            last = not following
            try:
                yield aead.decrypt(_nonce(prefix, number), current, _aad(header, number, last))
            except Exception:  # InvalidTag: another key, or the file altered or cut short
                raise KeyProblem(f"{path.name}: 无法用当前密钥解开，或文件被改动 (wrong key or altered file)") from None
            if last:
                return
            number, current = number + 1, following


def plain_sha256(cipher: FieldCipher, path: Path) -> str:
    """The SHA-256 of what the file holds: of its plaintext when sealed, of its bytes otherwise."""
    if not is_sealed(path):
        return sha256_of(path)
    digest = hashlib.sha256()
    for chunk in iter_open(cipher, path):
        digest.update(chunk)
    return digest.hexdigest()


def open_file(cipher: FieldCipher, path: Path) -> bytes:
    return b"".join(iter_open(cipher, path))


def export_file(cipher: FieldCipher, path: Path, target: Path) -> None:
    """The plaintext of a sealed file written to `target` (a package, an export folder)."""
    _write_atomically(target, iter_open(cipher, path))


def reseal_file(old: FieldCipher, new: FieldCipher, path: Path) -> bool:
    """Move a sealed file to the new key; False when it already is (a rotation that resumes)."""
    try:
        next(iter_open(old, path), None)
    except KeyProblem:
        next(iter_open(new, path), None)  # neither key opens it: let the problem be seen
        return False
    _write_atomically(path, _sealed_chunks(new, iter_open(old, path)))
    return True


def plain_size(path: Path) -> int:
    """The size of the plaintext, from the sealed file's size (each chunk carries one tag)."""
    if not is_sealed(path):
        return path.stat().st_size
    body = path.stat().st_size - HEADER_BYTES
    chunks = max(1, -(-body // (CHUNK + TAG_BYTES)))
    return body - chunks * TAG_BYTES


WORK = ".work"


@contextmanager
def private_workspace(data_dir: Path) -> Iterator[Path]:
    """A folder (0700) inside the data folder for plaintext that must briefly exist as a file (LibreOffice
    converts files, not bytes), removed afterwards whatever happens."""
    parent = data_dir / WORK
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sealed_files(root: Path) -> list[Path]:
    """Every sealed file below `root` (the documents a key rotation must move)."""
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-") and is_sealed(p))
