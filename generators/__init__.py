"""Filled documents from the records store: Attachments 1–3, the publicity list, the quarterly report."""

from __future__ import annotations

from generators.attachment1 import Attachment1
from generators.attachment2 import Attachment2
from generators.attachment3 import Attachment3
from generators.base import DocumentGenerator, GenerationError, Options
from generators.publicity import Publicity
from generators.quarterly import Quarterly

GENERATORS: dict[str, type[DocumentGenerator]] = {
    g.kind: g for g in (Attachment1, Attachment2, Attachment3, Publicity, Quarterly)}
BATCH_KINDS = ("attachment1", "attachment2", "attachment3", "publicity")

__all__ = ["GENERATORS", "BATCH_KINDS", "DocumentGenerator", "GenerationError", "Options"]
