"""Generated intake bundles with ground truth: `generate_bundle(BundleSpec(seed=...), out_dir)` renders a
roster, an agreement, certificate copies and optionally a report, degrades them like a scanner or a phone,
writes them as PDF / images / TIFF / text PDF, and writes truth.json (schema bundle-truth/1).

Everything is drawn from the seed, so a bundle is reproduced byte for byte by its spec.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from tests.bundlegen import agreement, certificate, output, raster, report, roster, scan
from tests.bundlegen.content import BundleContent, make_content, widen_class
from tests.bundlegen.dates import iso_range
from tests.bundlegen.draft import PageDraft
from tests.bundlegen.problems import EXPECTED_FLAGS, check_known, plant
from tests.bundlegen.records import write_records
from tests.bundlegen.rng import derive_seed, np_rng, py_rng
from tests.bundlegen.style import Style, make_style, make_wide_style

__all__ = ["VARIETIES", "BundleSpec", "BundleTruth", "generate_bundle", "render_pages"]

SCHEMA = "bundle-truth/1"
VARIETIES = ("house", "wide")


@dataclass(frozen=True)
class BundleSpec:
    seed: int
    trainees: int = 8
    profile: str = "scan"          # clean | scan | gray | phone
    output: str = "pdf"            # pdf | jpeg | png | tiff | text_pdf
    with_report: bool = False
    shuffle_pages: bool = False    # pages in a random order
    rows_per_page: int | None = None   # force roster/agreement pagination
    problems: tuple[str, ...] = ()     # names from problems.PROBLEMS
    records: bool = False          # also write records.xlsx
    variety: str = "house"         # house: the house look | wide: every axis drawn from the seed

    def check(self) -> None:
        if self.trainees < 1:
            raise ValueError("a bundle needs at least one trainee")
        if self.profile not in scan.PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}; known: {', '.join(scan.PROFILES)}")
        if self.output not in output.OUTPUTS:
            raise ValueError(f"unknown output {self.output!r}; known: {', '.join(output.OUTPUTS)}")
        if self.variety not in VARIETIES:
            raise ValueError(f"unknown variety {self.variety!r}; known: {', '.join(VARIETIES)}")
        if self.rows_per_page is not None and self.rows_per_page < 1:
            raise ValueError("rows_per_page must be at least 1")
        check_known(tuple(self.problems))


@dataclass
class BundleTruth:
    seed: int
    spec: dict[str, Any]
    files: list[str]
    pages: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    trainees: list[dict[str, Any]]
    problems: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "seed": self.seed, "spec": self.spec, "files": self.files, "pages": self.pages,
                "documents": self.documents, "trainees": self.trainees, "problems": self.problems}


@dataclass
class _Doc:
    kind: str
    drafts: list[PageDraft]
    stamp_present: bool
    fields: dict[str, Any]


def _documents(spec: BundleSpec, content: BundleContent, style: Style) -> list[_Doc]:
    """Documents in their natural order: roster, agreement, certificate copies, report."""
    s = spec.seed
    k = content.klass
    docs = [
        _Doc("roster", roster.render(content, style, py_rng(s, "roster"), np_rng(s, "roster"), spec.rows_per_page),
             content.stamps["roster"], roster.fields(content)),
        _Doc("agreement", agreement.render(content, style, py_rng(s, "agreement"), np_rng(s, "agreement"),
                                           spec.rows_per_page),
             content.stamps["agreement"],
             {"institution": k.institution, "class_period": k.class_period, "profession": k.profession.item,
              "training_date": iso_range(k.training_start, k.training_end)}),
    ]
    copied: set[str] = set()
    for i, t in enumerate(content.trainees):
        if not t.certificate_copy or t.person.id_number in copied:
            continue   # a repeated roster row brings no second copy
        copied.add(t.person.id_number)
        draft = certificate.render(t, style, py_rng(s, "certificate", i), np_rng(s, "certificate", i))
        docs.append(_Doc("certificate", [draft], False, certificate.fields(t)))
    if spec.with_report:
        docs.append(_Doc("report", [report.render(content, style, py_rng(s, "report"), np_rng(s, "report"))],
                         content.stamps["report"], report.fields(content)))
    return docs


def _trainee_truth(content: BundleContent, style: Style) -> list[dict[str, Any]]:
    """Canonical values (what a reader should return after normalising), and what the roster printed."""
    k = content.klass
    copied = {t.person.id_number for t in content.trainees if t.certificate_copy}
    out = []
    for t, row in roster.trainee_rows(content, style):
        out.append({
            "id_number": t.person.id_number, "name": t.person.name, "gender": t.roster_gender,
            "phone": t.person.phone, "profession": k.profession.item, "certificate_no": t.certificate.number,
            "training_date": iso_range(k.training_start, k.training_end), "class_period": k.class_period,
            "signed": t.signed, "signature_kind": t.signature_kind,
            "certificate_copy": t.person.id_number in copied, "certificate": certificate.fields(t),
            "flags": _expected_flags(content, t),
            "written": {"name": row.name, "profession": row.profession, "training_date": row.training_date,
                        "class_period": row.class_period},
        })
    return out


def _expected_flags(content: BundleContent, trainee: Any) -> list[str]:
    flags = {flag for p in trainee.planted for flag in EXPECTED_FLAGS[p]}
    # Every claim rests on the roster's and the agreement's seals.
    if not (content.stamps["roster"] and content.stamps["agreement"]):
        flags.add("missing_stamp")
    return sorted(flags)


def render_pages(spec: BundleSpec) -> tuple[BundleContent, Style, list[_Doc], list[tuple[PageDraft, int]]]:
    """Content, style, the documents, and the drafts in final page order, each with its document's index."""
    spec.check()
    content = make_content(py_rng(spec.seed, "content"), spec.trainees)
    if spec.variety == "wide":
        widen_class(content.klass, py_rng(spec.seed, "class-wide"))
    plant(content, tuple(spec.problems), py_rng(spec.seed, "problems"))
    if spec.variety == "wide":
        style = make_wide_style(py_rng(spec.seed, "style-wide"), truetype_only=spec.output == "text_pdf")
    else:
        style = make_style(py_rng(spec.seed, "style"), truetype_only=spec.output == "text_pdf")
    docs = _documents(spec, content, style)
    order = [(d, i) for i, doc in enumerate(docs) for d in doc.drafts]
    if spec.shuffle_pages:
        py_rng(spec.seed, "shuffle").shuffle(order)
    return content, style, docs, order


def generate_bundle(spec: BundleSpec, out_dir: Path) -> BundleTruth:
    """Render the bundle into out_dir (created if need be) and write out_dir/truth.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    content, style, documents, order = render_pages(spec)
    docs = [{"kind": d.kind, "pages": [], "stamp_present": d.stamp_present, "fields": d.fields} for d in documents]
    born_digital = spec.output == "text_pdf"
    plan = scan.plan("clean" if born_digital else spec.profile, len(order), py_rng(spec.seed, "scan-plan"))
    images: list[Image.Image] = []
    pages: list[dict[str, Any]] = []
    for index, ((draft, doc), how) in enumerate(zip(order, plan, strict=True)):
        image = _page_image(draft)
        if not born_digital:
            image = scan.degrade(image, spec.profile, how, derive_seed(spec.seed, "scan", index))
        images.append(image)
        docs[doc]["pages"].append(index + 1)
        pages.append({"page": index + 1, "kind": draft.kind, "rotation": how.rotation, "skew": how.skew,
                      "has_header_row": bool(draft.meta.get("has_header_row", False)), "document": doc,
                      "has_title": bool(draft.meta.get("has_title", draft.kind in ("certificate", "report")))})
    if born_digital:
        from tests.bundlegen import textpdf  # reportlab is a test extra: only needed here
        files = textpdf.write_pdf([d for d, _ in order], images, out_dir / "bundle.pdf")
    else:
        scanned = dt.datetime.combine(content.klass.fill_date, dt.time(9, 30))
        files = output.write_images(images, spec.output, out_dir, clean=spec.profile == "clean", scanned=scanned)
    if spec.records:
        write_records(content, out_dir / "records.xlsx")
    truth = BundleTruth(seed=spec.seed, spec=_spec_json(spec), files=files, pages=pages, documents=docs,
                        trainees=_trainee_truth(content, style), problems=content.problems)
    (out_dir / "truth.json").write_text(json.dumps(truth.as_json(), ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    return truth


def _page_image(draft: PageDraft) -> Image.Image:
    image = raster.render(draft)
    if "photocopy_seed" in draft.meta:
        image = certificate.photocopy(image, draft.meta["photocopy_seed"])
    return image


def _spec_json(spec: BundleSpec) -> dict[str, Any]:
    out = dataclasses.asdict(spec)
    out["problems"] = list(spec.problems)
    return out
