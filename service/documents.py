"""The officer's generated documents, made by the generators package (one module per document).

This module is the seam between the web and `generators/`: it runs a document's generator
(generators.GENERATORS) for a batch into <data>/generated/batch-<id>/<kind>/, and lists and serves what is
there. Downloads are looked up by listing the folder, never by joining a user-given path.

The files carry full ID numbers: they are sealed as soon as they are made (intake.store.vault) and opened
only for a download by a role that may have them.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import Response
from sqlalchemy import inspect as inspect_db
from sqlalchemy import select
from sqlalchemy.orm import Session

from generators import GENERATORS, DocumentGenerator, GenerationError, Options
from intake.labels import DOCUMENTS as TITLES
from intake.policy.policy import Policy
from intake.store.db import cipher_of
from intake.store.vault import is_sealed, open_file, plain_size, seal_in_place
from service.models import User

# kind -> (module in generators/, Chinese title). The quarterly report is per quarter, not per batch.
DOCUMENTS: dict[str, tuple[str, str]] = {kind: (GENERATORS[kind].__module__, title) for kind, title in TITLES.items()}
BATCH_KINDS = ("attachment1", "attachment2", "attachment3", "publicity")


class DocumentProblem(Exception):
    """The document cannot be made; the message is for the officer (Chinese)."""


@dataclass
class DocumentFile:
    kind: str
    title: str
    name: str
    size: int


def generator_class(kind: str) -> type[DocumentGenerator] | None:
    """The kind's generator; None for a kind that is no document."""
    return GENERATORS.get(kind)


def publicity_start(session: Session, batch_name: str) -> dt.date | None:
    """The day the officer set the batch's publicity to start on (the batch page), if any; None where the
    service never ran on this store (no table of publicity periods yet)."""
    from intake.store.models import Batch
    from service.models import Publicity

    if not inspect_db(session.connection()).has_table(Publicity.__tablename__):
        return None
    batch = session.scalar(select(Batch).where(Batch.name == batch_name))
    found = session.get(Publicity, batch.id) if batch is not None else None
    return found.start_date if found else None


@dataclass
class LeftOutRow:
    """A trainee the batch's documents leave out, as the officer reads it beside the generate buttons."""

    claim_id: int
    name: str
    id_number: str  # masked
    state: str      # refused | pending
    state_label: str
    reasons: list[str]


def left_out_rows(session: Session, batch_id: int, user: User) -> list[LeftOutRow]:
    """Who Attachments 1–3 and the publicity list leave out, and why (intake.policy.listing's one rule)."""
    from intake.policy.listing import left_out
    from intake.store.models import Claim
    from service.records import trainee_view

    claims = list(session.scalars(select(Claim).where(Claim.batch_id == batch_id).order_by(Claim.id)))
    out = left_out(session, claims)
    rows = []
    for claim in claims:
        if (why := out.get(claim.id)) is not None:
            view = trainee_view(session, claim.trainee, user)
            rows.append(LeftOutRow(claim.id, view.name, view.id_number, why.state, why.state_label, list(why.reasons)))
    return rows


def available_kinds() -> dict[str, bool]:
    return {kind: generator_class(kind) is not None for kind in DOCUMENTS}


def output_dir(data_dir: Path, scope: str, kind: str) -> Path:
    """scope is 'batch-<id>' or 'quarter-<2020Q2>', both built from validated values by the callers."""
    return data_dir / "generated" / scope / kind


def generate(session: Session, data_dir: Path, scope: str, subject: str, kind: str, who: str, policy: Policy,
             publicity_start: dt.date | None = None, fill_date: dt.date | None = None) -> list[Path]:
    cls = generator_class(kind)
    if cls is None:
        raise DocumentProblem(f"{DOCUMENTS.get(kind, (kind, kind))[1]}：生成模块尚未提供")
    target = output_dir(data_dir, scope, kind)
    fresh = target.with_name(f".{kind}-new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        generator = cls(Options(policy=policy, data_dir=data_dir, who=who, publicity_start=publicity_start,
                                fill_date=fill_date))
        cipher = cipher_of(session)
        for path in generator.generate(session, subject, fresh):
            seal_in_place(cipher, path)
    except GenerationError as problem:
        shutil.rmtree(fresh, ignore_errors=True)
        raise DocumentProblem("；".join(problem.problems) or str(problem)) from None
    except Exception:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    # Swap in the new set whole: a download never sees half of an old and half of a new generation.
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    return sorted(p for p in target.iterdir() if p.is_file())


def list_files(data_dir: Path, scope: str, kinds: tuple[str, ...] = BATCH_KINDS) -> list[DocumentFile]:
    files = []
    for kind in kinds:
        folder = output_dir(data_dir, scope, kind)
        if folder.is_dir():
            files += [DocumentFile(kind, DOCUMENTS[kind][1], p.name, plain_size(p))
                      for p in sorted(folder.iterdir()) if p.is_file()]
    return files


def download_response(session: Session, path: Path) -> Response:
    """The document opened for the one who asked (never cached on the way)."""
    body = open_file(cipher_of(session), path) if is_sealed(path) else path.read_bytes()
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(body, media_type=media, headers={"Cache-Control": "no-store",
                                                     "Content-Disposition": content_disposition(path.name)})


def content_disposition(name: str) -> str:
    """attachment with the UTF-8 file name (RFC 6266/5987), as Starlette's FileResponse writes it."""
    return f"attachment; filename*=utf-8''{quote(name)}"


def find_file(data_dir: Path, scope: str, kind: str, name: str) -> Path | None:
    """The file only if `name` is exactly one of the files listed in that folder (no path ever joined from
    user input reaches the file system)."""
    if kind not in DOCUMENTS:
        return None
    folder = output_dir(data_dir, scope, kind)
    if not folder.is_dir():
        return None
    for path in folder.iterdir():
        if path.is_file() and path.name == name:
            return path
    return None
