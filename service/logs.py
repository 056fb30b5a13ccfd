"""Logging that never carries a full ID number (DOMAIN.md, personal information).

Log lines are written by code, but their arguments may come from pages and files; a filter on the
root handlers masks every long number (IDs, "T" + ID certificate numbers, phones, with or without the
spaces OCR puts in them: intake.store.personal) before it is written, whoever logged it.
"""

from __future__ import annotations

import logging

from intake.store.personal import mask_numbers


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = mask_numbers(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install(level: int = logging.INFO) -> None:
    """Root logging with the redaction filter on every handler (uvicorn has its own: uvicorn_log_config)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())


def uvicorn_log_config() -> dict:
    """uvicorn's own logging configuration with the redaction filter on its handlers (access lines carry
    query strings)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": "service.logs.RedactFilter"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact")
    return config
