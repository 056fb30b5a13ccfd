"""Every page each role reads, over one store with something on each of them (a batch taken in, reviewed in
part, a rejection, a correction, a step of its life, an archive), for the tests that walk all pages: no raw
code or UTC time in what is read, no sideways scrolling on a phone."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sqlalchemy import select

from intake.store.models import Batch, Claim, Page, Trainee
from service.models import Job

STAFF = ("clerk", "reviewer", "officer", "archivist", "admin")


def pages_of(ids: dict[str, int]) -> dict[str, list[str]]:
    """The pages per role (paths filled from `ids`)."""
    b, c, t, p, j, rb, rc = (ids[k] for k in ("batch", "claim", "trainee", "page", "job", "review_batch",
                                             "review_claim"))
    return {
        "anonymous": ["/login"],
        "clerk": ["/upload", f"/jobs/{j}"],
        "reviewer": ["/review", f"/review/batches/{rb}", f"/review/claims/{rc}", f"/review/batches/{rb}/verify/name",
                     "/batches", f"/batches/{rb}", f"/batches/{rb}/claims/{rc}", f"/trainees/{t}",
                     f"/archive?name={ids['name']}", "/risk"],
        "officer": ["/batches", "/risk", "/institutions", f"/batches/{b}", f"/batches/{b}/claims/{c}",
                    f"/batches/{b}/steps/reviewed",
                    f"/batches/{rb}", f"/batches/{rb}/steps/submitted", f"/jobs/{j}"],
        "archivist": ["/archive", "/archive/batches", f"/archive?name={ids['name']}", f"/trainees/{t}",
                      f"/pages/{p}", f"/batches/{b}"],
        "admin": ["/admin/users", "/institutions"],
    }


def seed_ids(app, seeded: dict, review) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.state.store.session() as session:
        batch = session.get(Batch, seeded["batch_id"])
        claim = session.scalar(select(Claim).where(Claim.batch_id == batch.id))
        trainee = session.get(Trainee, seeded["trainee_id"])
        rb = session.scalar(select(Batch.id).where(Batch.name == review.name))
        return {"batch": batch.id, "claim": claim.id, "trainee": trainee.id, "page": seeded["page_id"],
                "job": session.scalar(select(Job.id)), "review_batch": rb, "review_claim": review.claim_ids[0],
                "name": trainee.name, "pages": session.scalar(select(Page.id))}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script and style, and the values of buttons and options."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")
        if values.get("placeholder"):
            self.parts.append(values["placeholder"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))
