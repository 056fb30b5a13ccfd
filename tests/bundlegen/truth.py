"""The ground truth of a bundle (truth.json, schema bundle-truth/1): canonical trainee values — what a
reader should return after normalising — with what the roster printed beside them; every page's kind,
document and capture; every certificate card's region on its sheet.

Keys are only ever added, never renamed, so older readers of truth.json keep working.
"""

from __future__ import annotations

from typing import Any

from tests.bundlegen import certificate, roster
from tests.bundlegen.content import BundleContent, Trainee
from tests.bundlegen.dates import iso_range
from tests.bundlegen.documents import Doc
from tests.bundlegen.draft import PageDraft
from tests.bundlegen.problems import EXPECTED_FLAGS
from tests.bundlegen.style import Style
from tests.bundlegen.tablepage import TableLook
from tests.bundlegen.variety import BundleLook
from tests.bundlegen.writing import canonical_period


def trainees(content: BundleContent, style: Style) -> list[dict[str, Any]]:
    k = content.klass
    period = canonical_period(k.training_start.year, k.period_number, k.period_code)
    copied = {t.person.id_number for t in content.trainees if t.certificate_copy}
    out = []
    for t, row in roster.trainee_rows(content, style):
        flags = expected_flags(content, t)
        out.append({
            # A roster misprinting the gender is outvoted by the ID and the other papers: the trainee keeps
            # their own, with the flags that say the roster disagrees.
            "id_number": t.person.id_number, "name": t.person.name,
            "gender": t.person.gender if "gender_id_mismatch" in flags else t.roster_gender,
            "phone": t.person.phone, "profession": k.profession.item, "certificate_no": t.certificate.number,
            "training_date": iso_range(k.training_start, k.training_end), "class_period": period,
            "signed": t.signed, "signature_kind": t.signature_kind,
            "certificate_copy": t.person.id_number in copied, "certificate": certificate.fields(t),
            "flags": flags,
            "written": {"name": row.name, "gender": t.roster_gender, "profession": row.profession,
                        "training_date": row.training_date,
                        "class_period": row.class_period},
        })
    return out


def expected_flags(content: BundleContent, trainee: Trainee) -> list[str]:
    flags = {flag for p in trainee.planted for flag in EXPECTED_FLAGS.get(p, ())} | set(trainee.extra_flags)
    # Every claim rests on the roster's and the agreement's seals.
    if not (content.stamps["roster"] and content.stamps["agreement"]):
        flags.add("missing_stamp")
    return sorted(flags)


def documents(docs: list[Doc], page_of: dict[int, int]) -> list[dict[str, Any]]:
    """Each document with its pages (a shared certificate sheet is a page of every document on it)."""
    out = []
    for doc in docs:
        pages = sorted(page_of[id(d)] for d in doc.drafts + doc.shared)
        entry = {"kind": doc.kind, "pages": pages, "stamp_present": doc.stamp_present, "fields": doc.fields}
        out.append(entry)
    return out


def cards(draft: PageDraft, docs: list[Doc], scale: float) -> list[dict[str, Any]]:
    """The cards on a certificate sheet: whose, which side, how turned, and where — `region` as fractions of
    the upright page (x0, y0, x1, y1), `box` in the upright page's pixels at its resolution."""
    holder_doc = {id(d.holder): i for i, d in enumerate(docs) if d.holder is not None}
    out = []
    for card in draft.meta.get("cards", []):
        x0, y0, x1, y1 = card["box"]
        t = card["trainee"]
        out.append({"document": holder_doc[id(t)], "id_number": t.person.id_number, "name": t.person.name,
                    "side": card["side"], "turn": card["turn"],
                    "region": [round(x0 / draft.width, 4), round(y0 / draft.height, 4), round(x1 / draft.width, 4),
                               round(y1 / draft.height, 4)],
                    "box": [round(v * scale) for v in (x0, y0, x1, y1)]})
    return out


def page(number: int, draft: PageDraft, docs: list[Doc], owner: int, rotation: int, skew: float, dpi: int,
         capture: str) -> dict[str, Any]:
    on_page = [i for i, d in enumerate(docs) if any(x is draft for x in d.drafts + d.shared)]
    entry = {"page": number, "kind": draft.kind, "rotation": rotation, "skew": skew,
             "has_header_row": bool(draft.meta.get("has_header_row", False)), "document": owner,
             "documents": on_page,
             "has_title": bool(draft.meta.get("has_title", draft.kind in ("certificate", "report", "unknown"))),
             "dpi": dpi, "capture": capture}
    if draft.kind == "certificate":
        entry["cards"] = cards(draft, docs, dpi / 200)
    return entry


def look(style: Style, bundle: BundleLook) -> dict[str, Any]:
    """The axes this bundle drew, so a benchmark can say which of them a reader gets wrong."""
    return {"variety": style.variety, "body_face": style.body_face, "dpi": bundle.dpi,
            "photo_share": bundle.photo_share, "sheet_mode": bundle.sheet_mode, "strays": list(bundle.strays),
            "repeat_header": style.repeat_header, "page_rows": style.page_rows,
            "seal_first_only": style.seal_first_only, "notice_wording": style.notice_wording,
            "hand_header": style.hand_header,
            "form_labels": style.form_labels,
            "roster": _table(style.roster_table()), "agreement": _table(style.agreement_table()),
            "habits": {writer: vars(h) for writer, h in style.habits.items()}}


def _table(t: TableLook) -> dict[str, Any]:
    return {"columns": list(t.columns), "labels": t.labels, "group": t.group[0] if t.group else None,
            "spans": sorted(t.spans), "ruling": t.ruling, "hand": sorted(t.hand), "glue_gender": t.glue_gender,
            "two_line_header": any("\n" in v for v in t.labels.values()), "align": t.align}
