"""What one intake job does, in the worker process: read the stored originals and store the reading.

The job row holds only record ids; the originals are opened from the content-addressed store under the
names the clerk gave them (symlinks in a temporary folder), so page sources in the result match the
upload rows. The reading function is a setting (`intake_reader`, "module:function") so that a test can
put a fast fake in its place without touching this code.
"""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from intake.result import BundleResult
from intake.store.db import Store
from intake.store.models import Batch, Upload
from service.settings import Settings

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
Reader = Callable[[list[Path], Progress, list | None, Settings], BundleResult]


def read_files(files: list[Path], progress: Progress, records: list | None, settings: Settings) -> BundleResult:
    """The real reader: intake.bundle.read_bundle with one engine in this (already separate) process.

    workers=1 reads in-process: a queue worker is a daemon process and may not start a pool of its own;
    parallelism comes from running several queue workers instead.
    """
    from intake.bundle import read_bundle
    from intake.workers import PageReaderPool
    from ocr.engines import DEFAULT_ENGINE

    with PageReaderPool(settings.engine or DEFAULT_ENGINE, workers=1) as pool:
        return read_bundle(files, pool, progress, records=records, policy=settings.policy)


def load_reader(spec: str) -> Reader:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def run_intake(store: Store, settings: Settings, job_id: int, progress: Progress) -> tuple[int, int, list[str]]:
    """Read the job's uploads and store the reading in its batch; returns (bundle id, trainees, problems)."""
    from intake.records import read_records
    from intake.store.bundles import apply_verdicts, save_bundle_result
    from service.models import Job
    from service.review.evidence import keep_evidence

    with store.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise LookupError(f"job {job_id} does not exist")
        uploads = [session.get(Upload, i) for i in job.upload_ids]
        if any(u is None for u in uploads):
            raise LookupError(f"job {job_id}: an upload row is missing")
        records_upload = session.get(Upload, job.records_upload_id) if job.records_upload_id else None
        batch = session.get(Batch, job.batch_id) if job.batch_id else None
        batch_name = batch.name if batch else None
        upload_ids = list(job.upload_ids)
    with tempfile.TemporaryDirectory(prefix="subsidy-job-") as temp:
        files = []
        for position, upload in enumerate(uploads):
            name = Path(upload.original_name).name or f"page-{position + 1}"
            link = Path(temp) / name
            if link.exists():  # same name twice in one bundle: keep the order, lose only the page mapping
                link = Path(temp) / f"{position + 1:03d}-{name}"
            link.symlink_to((store.data_dir / upload.stored_path).resolve())
            files.append(link)
        records = None
        if records_upload is not None:
            link = Path(temp) / "records" / Path(records_upload.original_name).name
            link.parent.mkdir()
            link.symlink_to((store.data_dir / records_upload.stored_path).resolve())
            records = read_records(link)
        result = load_reader(settings.intake_reader)(files, progress, records, settings)
    with store.session() as session:
        saved = save_bundle_result(session, result, upload_ids, batch_name, policy=settings.policy,
                                   decided_by=f"job-{job_id}")
        # The store's flags (the registry's and the signals' among them) are the review's starting point.
        apply_verdicts(result, saved)
        # The witnesses (values, confidences, boxes) stay with each claim for the review form.
        keep_evidence(session, saved, result)
        session.commit()
    return saved.bundle_id, len(result.trainees), list(result.problems)
