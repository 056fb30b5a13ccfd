"""The generated documents kept with an archived batch: Attachments 1-3 and the publicity list as .docx and
.xlsx, and as PDF/A-2 where LibreOffice is installed, under <data>/archive/batch-<id>/documents/<kind>/.

They are made once, when the batch is archived, and recorded with their SHA-256 (ArchiveDocument), so that
`verify` can prove later that the documents handed to the bureau are still those. A document the data
cannot make (say, a trainee without a certificate number) is noted and the others are still kept.

They carry full ID numbers, so they are kept sealed (intake.store.vault): made in a private work folder
inside the data folder (LibreOffice needs the .docx on disk), hashed, sealed into place, and the work
folder removed. The recorded SHA-256 and size are the plaintext's: what the bureau was given.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from generators import BATCH_KINDS, GENERATORS
from generators.base import GenerationError, Options
from generators.pdf import PDFA_EXPORT, soffice, to_pdf
from intake.policy.policy import Policy
from intake.store.db import cipher_of
from intake.store.models import ArchivedBatch, ArchiveDocument, Batch
from intake.store.uploads import sha256_of
from intake.store.vault import private_workspace, seal_file

MEDIA_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".pdf": "application/pdf"}


def documents_dir(data_dir: Path, record: ArchivedBatch) -> Path:
    return data_dir / "archive" / f"batch-{record.id}" / "documents"


def keep_documents(session: Session, data_dir: Path, record: ArchivedBatch, who: str, *, policy: Policy,
                   pdf: bool = True, publicity_start: dt.date | None = None) -> list[str]:
    """Generate and record the batch's documents; returns notes (documents not made, PDF unavailable).
    Replaces an earlier set of the same batch (re-archiving after corrections). The publicity list is
    made only with the start day the officer set (`publicity_start`)."""
    root = documents_dir(data_dir, record)
    shutil.rmtree(root, ignore_errors=True)
    session.execute(delete(ArchiveDocument).where(ArchiveDocument.archived_batch_id == record.id))
    with private_workspace(data_dir) as work:
        made, notes = _make(session, data_dir, record, who, policy, pdf, work, publicity_start)
        cipher = cipher_of(session)
        for kind, path in made:
            target = root / kind / path.name
            session.add(ArchiveDocument(archived_batch_id=record.id, kind=kind, name=path.name,
                                        stored_path=target.relative_to(data_dir).as_posix(), sha256=sha256_of(path),
                                        size=path.stat().st_size))
            seal_file(cipher, path, target)
    session.flush()
    return notes


def _make(session: Session, data_dir: Path, record: ArchivedBatch, who: str, policy: Policy, pdf: bool,
          root: Path, publicity_start: dt.date | None) -> tuple[list[tuple[str, Path]], list[str]]:
    """The documents in plain form under `root`/<kind>/, and notes on those not made."""
    batch = session.get(Batch, record.batch_id)
    notes: list[str] = []
    made: list[tuple[str, Path]] = []
    for kind in BATCH_KINDS:
        options = Options(policy=policy, data_dir=data_dir, who=who, publicity_start=publicity_start)
        generator = GENERATORS[kind](options)
        try:
            files = generator.generate(session, batch.name, root / kind)
        except GenerationError as problem:
            notes.append(f"{generator.title}：未生成：" + "；".join(problem.problems))
            continue
        made += [(kind, f) for f in files]
    if pdf and soffice() is not None:
        for kind in {k for k, _ in made}:
            docx = [f for k, f in made if k == kind and f.suffix == ".docx"]
            try:
                made += [(kind, f) for f in to_pdf(docx, root / kind, export_filter=PDFA_EXPORT)]
            except GenerationError as problem:
                notes += [f"PDF/A: {line}" for line in problem.problems]
    elif pdf:
        notes.append("未安装 LibreOffice，未生成 PDF/A")
    return made, notes
