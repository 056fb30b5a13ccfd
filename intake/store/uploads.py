"""Original uploads, kept byte for byte under `<data>/originals/ab/cdef...` by their SHA-256.

The order of work makes a crash harmless: the file is written to a temporary name in its final folder,
flushed to disk and renamed into place (atomic on one file system), and only then is the row added and
committed by the caller. A crash before the commit leaves a complete file without a row, which the next
run of the same upload simply re-uses; a crash during the write leaves only a `.tmp-*` file, which is
never taken for an original. Both are swept away later (`sweep_orphans`, when intake or a worker starts):
an original nobody's row names is a file of personal data nobody can account for. An existing original
is never rewritten.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.store.models import Upload
from intake.store.personal import mask_numbers

ORIGINALS = "originals"
TEMP_PREFIX = ".tmp-"
CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def original_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / ORIGINALS / sha256[:2] / sha256[2:]


def media_type_of(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def write_original(data_dir: Path, source: Path, sha256: str) -> Path:
    """Copy `source` into place under its hash unless it is already there; return the final path."""
    target = original_path(data_dir, sha256)
    if target.exists():
        return target  # content-addressed: the same name always holds the same bytes
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            digest = hashlib.sha256()
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise OSError(f"{source}: 文件在复制时被改动")
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_upload(session: Session, data_dir: Path, source: Path, uploaded_by: str,
                 original_name: str | None = None, media_type: str | None = None) -> Upload:
    """The Upload row for this file's content, adding file and row when new (idempotent by SHA-256).

    The row is added and flushed, not committed: the caller commits it with whatever else belongs to the
    same unit of work (a bundle's pages and claims).
    """
    sha256 = sha256_of(source)
    existing = session.scalar(select(Upload).where(Upload.sha256 == sha256))
    if existing is not None:
        return existing
    final = write_original(data_dir, source, sha256)
    upload = Upload(sha256=sha256, size=final.stat().st_size, media_type=media_type or media_type_of(source),
                    # a clerk may name a scan after the trainee's ID number: the name is kept masked
                    original_name=mask_numbers(original_name or source.name),
                    stored_path=final.relative_to(data_dir).as_posix(), uploaded_by=uploaded_by)
    session.add(upload)
    session.flush()
    return upload


def sweep_temp_files(data_dir: Path, older_than_seconds: float = 3600) -> list[Path]:
    """Remove temporary files left by a crash. Only old ones: a young one may be another writer's."""
    root = data_dir / ORIGINALS
    return _remove_older(list(root.glob(f"*/{TEMP_PREFIX}*")) if root.exists() else [], older_than_seconds)


def _remove_older(paths: list[Path], older_than_seconds: float) -> list[Path]:
    cutoff = time.time() - older_than_seconds
    removed = []
    for path in paths:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed


def stored_originals(data_dir: Path) -> list[Path]:
    """Every complete original on disk (temporary files excluded)."""
    root = data_dir / ORIGINALS
    if not root.exists():
        return []
    return sorted(p for p in root.glob("*/*") if p.is_file() and not p.name.startswith(TEMP_PREFIX))


def unreferenced_originals(session: Session, data_dir: Path) -> list[Path]:
    """Originals on disk without a row: left by a crash before commit; harmless, re-used on re-upload."""
    known = set(session.scalars(select(Upload.stored_path)))
    return [p for p in stored_originals(data_dir) if p.relative_to(data_dir).as_posix() not in known]


def verify_upload(data_dir: Path, upload: Upload) -> bool:
    """True when the stored file still has the hash it was stored under."""
    path = data_dir / upload.stored_path
    return path.exists() and sha256_of(path) == upload.sha256


def sweep_orphans(session: Session, data_dir: Path, older_than_seconds: float = 600) -> list[Path]:
    """Remove what crashes left: temporary files, and complete originals that no row names. Only old ones:
    a young one may be another writer's, between writing the file and committing its row."""
    return (sweep_temp_files(data_dir, older_than_seconds)
            + _remove_older(unreferenced_originals(session, data_dir), older_than_seconds))
