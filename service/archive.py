"""The archivist's pages: search, one trainee's record (claims, decisions, corrections, pages), the
original scan of a page. Reviewers reach the same trainee pages from their queue.

Searches are GET links (bookmarkable, shareable): names, institutions, batches, quarters, the full text,
and the last 4–6 digits of an ID or phone (matched through the archive's keyed suffix index). A full ID or
certificate number is the one thing searched with a POST form, so that it never appears in a URL (browser
history, proxy and access logs); the full number is shown only after the explicit "显示" button, logged.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from intake.store.archive import ArchiveProblem, ArchiveQuery, SearchResult, search_archive
from intake.store.archive_text import QueryTooShort
from intake.store.models import Page, Trainee
from service.deps import DB, RecordReader, SettingsDep
from service.models import User
from service.records import page_image_response, search_claims, trainee_record
from service.web import render, without_gloss

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/archive", response_class=HTMLResponse)
def archive(request: Request, user: RecordReader, db: DB, name: str = "", institution: str = "",
            class_period: str = "", batch: str = "", quarter: str = "", year: str = "", fulltext: str = "",
            id_suffix: str = "", phone_suffix: str = "") -> Response:
    query = ArchiveQuery(name=name, institution=institution, class_period=class_period, batch=batch,
                         quarter=quarter, year=year, fulltext=fulltext, id_suffix=id_suffix, phone_suffix=phone_suffix)
    if query.empty():
        return render(request, "archive.html", {"query": query, "rows": None, "suffix": {}}, user=user)
    return _results(request, user, db, query)


def _results(request: Request, user: User, db: DB, query: ArchiveQuery) -> Response:
    """One query, answered over the store's claims (every batch) and over the archive index."""
    rows = search_claims(db, query, user)
    archived, problem = _archive_index(db, query)
    # Typed ID and certificate numbers (a special-operation 证号 *is* the ID number) are not sent back into
    # the page: the form comes back without them.
    shown = replace(query, id_number="", certificate_no="")
    return render(request, "archive.html", {"query": shown, "rows": rows, "searched": True,
                                            "by_id": bool(query.id_number.strip()), "archived": archived,
                                            "fulltext": query.fulltext, "fulltext_problem": problem,
                                            "suffix": {"id": query.id_suffix, "phone": query.phone_suffix}},
                  user=user)


@router.post("/archive", response_class=HTMLResponse)
def search(request: Request, user: RecordReader, db: DB, name: Annotated[str, Form()] = "",
           id_number: Annotated[str, Form()] = "", certificate_no: Annotated[str, Form()] = "",
           institution: Annotated[str, Form()] = "", class_period: Annotated[str, Form()] = "",
           batch: Annotated[str, Form()] = "", quarter: Annotated[str, Form()] = "",
           year: Annotated[str, Form()] = "", fulltext: Annotated[str, Form()] = "",
           id_suffix: Annotated[str, Form()] = "", phone_suffix: Annotated[str, Form()] = "") -> Response:
    query = ArchiveQuery(name=name, id_number=id_number, certificate_no=certificate_no, institution=institution,
                         class_period=class_period, batch=batch, quarter=quarter, year=year, fulltext=fulltext,
                         id_suffix=id_suffix, phone_suffix=phone_suffix)
    return _results(request, user, db, query)


def _archive_index(db: DB, query: ArchiveQuery) -> tuple[SearchResult | None, str]:
    """The archive index (intake.store.archive): archived batches with their retention dates and page
    locations, and the full text of the scans. Numbers are matched by keyed hash, shown masked."""
    q = replace(query, year=query.year if query.year.strip().isdigit() else "", fulltext=query.fulltext.strip())
    if q.empty():
        return None, ""
    try:
        return search_archive(db, q), ""
    except (QueryTooShort, ArchiveProblem) as problem:
        return None, without_gloss(str(problem))


def _trainee(db: DB, trainee_id: int) -> Trainee:
    trainee = db.get(Trainee, trainee_id)
    if trainee is None:
        raise HTTPException(404, "没有这名学员")
    return trainee


@router.get("/trainees/{trainee_id}", response_class=HTMLResponse)
def trainee_page(request: Request, trainee_id: int, user: RecordReader, db: DB) -> Response:
    record = trainee_record(db, _trainee(db, trainee_id), user)
    return render(request, "trainee.html", {"r": record}, user=user)


@router.post("/trainees/{trainee_id}/reveal", response_class=HTMLResponse)
def reveal(request: Request, trainee_id: int, user: RecordReader, db: DB) -> Response:
    """Show the full ID and phone once, for this response only; the view goes to the access log."""
    record = trainee_record(db, _trainee(db, trainee_id), user, reveal=True)
    log.info("trainee %s: full ID shown to %s", trainee_id, user.name)
    return render(request, "trainee.html", {"r": record}, user=user)


@router.get("/pages/{page_id}", response_class=HTMLResponse)
def page_view(request: Request, page_id: int, user: RecordReader, db: DB) -> Response:
    page = db.get(Page, page_id)
    if page is None:
        raise HTTPException(404, "没有这一页")
    return render(request, "page.html", {"page": page}, user=user)


@router.get("/pages/{page_id}/image")
def page_image(page_id: int, user: RecordReader, db: DB, settings: SettingsDep) -> Response:
    return page_image_response(db, settings.data_dir, page_id, user)
