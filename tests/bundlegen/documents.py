"""The documents of a bundle in their natural order, each with the page drafts it is printed on:
roster, agreement, certificate copies, the report, and any stray pages that got into the pile."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from tests.bundlegen import agreement, certificate, report, roster, sheets, strays
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.dates import iso_range
from tests.bundlegen.draft import PageDraft
from tests.bundlegen.rng import np_rng, py_rng
from tests.bundlegen.style import Style
from tests.bundlegen.variety import BundleLook


@dataclass
class Doc:
    kind: str
    drafts: list[PageDraft]             # the pages it owns
    stamp_present: bool
    fields: dict[str, Any]
    shared: list[PageDraft] = field(default_factory=list)   # sheets it shares with other people's cards
    holder: Trainee | None = None       # a certificate copy's trainee


def make_documents(seed: int, content: BundleContent, style: Style, look: BundleLook, rows_per_page: int | None,
                   with_report: bool) -> list[Doc]:
    k = content.klass
    docs = [
        Doc("roster", roster.render(content, style, py_rng(seed, "roster"), np_rng(seed, "roster"), rows_per_page),
            content.stamps["roster"], roster.fields(content)),
        Doc("agreement", agreement.render(content, style, py_rng(seed, "agreement"), np_rng(seed, "agreement"),
                                          rows_per_page),
            content.stamps["agreement"],
            {"institution": k.institution, "class_period": k.class_period, "profession": k.profession.item,
             "training_date": iso_range(k.training_start, k.training_end)}),
    ]
    copied = _copied(content)
    if style.wide:
        docs += _sheets(seed, copied, style, look)
    else:
        docs += [Doc("certificate", [certificate.render(t, style, py_rng(seed, "certificate", i),
                                                        np_rng(seed, "certificate", i))],
                     False, certificate.fields(t), holder=t) for i, t in copied]
    if with_report:
        docs.append(Doc("report", [report.render(content, style, py_rng(seed, "report"), np_rng(seed, "report"))],
                        content.stamps["report"], report.fields(content)))
    _slip_in_strays(docs, seed, content, style, look)
    return docs


def _copied(content: BundleContent) -> list[tuple[int, Trainee]]:
    """Trainees with a certificate copy, with their roster index; a repeated roster row brings no second copy."""
    seen: set[str] = set()
    out = []
    for i, t in enumerate(content.trainees):
        if t.certificate_copy and t.person.id_number not in seen:
            seen.add(t.person.id_number)
            out.append((i, t))
    return out


def _sheets(seed: int, copied: list[tuple[int, Trainee]], style: Style, look: BundleLook) -> list[Doc]:
    """One certificate document per trainee; a sheet with several people's cards is owned by the first."""
    plan = sheets.plan([t for _, t in copied], look.sheet_mode, py_rng(seed, "sheet-plan"))
    docs = []
    for i, cards in enumerate(plan):
        draft = sheets.render(cards, style, py_rng(seed, "sheet", i), np_rng(seed, "sheet", i))
        holders: list[Trainee] = []
        for card in cards:
            if all(card.trainee is not h for h in holders):
                holders.append(card.trainee)
        for h, trainee in enumerate(holders):
            docs.append(Doc("certificate", [draft] if h == 0 else [], False, certificate.fields(trainee),
                            shared=[] if h == 0 else [draft], holder=trainee))
    return docs


def _slip_in_strays(docs: list[Doc], seed: int, content: BundleContent, style: Style, look: BundleLook) -> None:
    rng: random.Random = py_rng(seed, "strays")
    for i, kind in enumerate(look.strays):
        draft = strays.render(kind, content, style, py_rng(seed, "stray", i), np_rng(seed, "stray", i))
        docs.insert(rng.randint(0, len(docs)), Doc("unknown", [draft], False, {"what": kind}))
