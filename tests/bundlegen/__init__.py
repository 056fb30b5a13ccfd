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

from tests.bundlegen import capture, output, scan, truth
from tests.bundlegen.content import BundleContent, make_content, widen_class
from tests.bundlegen.documents import Doc, make_documents
from tests.bundlegen.draft import PageDraft
from tests.bundlegen.guests import Guest, welcome
from tests.bundlegen.problems import check_known, plant
from tests.bundlegen.records import write_records
from tests.bundlegen.rng import derive_seed, py_rng
from tests.bundlegen.style import Style, make_style, make_wide_style
from tests.bundlegen.variety import BundleLook, house_look, wide_look

__all__ = ["VARIETIES", "BundleSpec", "BundleTruth", "Guest", "generate_bundle", "render_pages"]

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
    dpi: int | None = None         # scan at this resolution instead of the look's (the same pages, finer)
    # A corpus of batches (tests/bundlegen/fraud.py) sets who the institution is, when the class began, and
    # which trainees are people of other bundles (the same person, phone or card elsewhere).
    institution: str = ""
    start_on: str = ""             # ISO date the class begins
    profession: str = ""           # the class's catalogue item
    guests: tuple[Guest, ...] = ()

    def check(self) -> None:
        if self.trainees < 1:
            raise ValueError("a bundle needs at least one trainee")
        if self.profile not in scan.PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}; known: {', '.join(scan.PROFILES)}")
        if self.output not in output.OUTPUTS:
            raise ValueError(f"unknown output {self.output!r}; known: {', '.join(output.OUTPUTS)}")
        if self.variety not in VARIETIES:
            raise ValueError(f"unknown variety {self.variety!r}; known: {', '.join(VARIETIES)}")
        if self.dpi is not None and not 100 <= self.dpi <= 600:
            raise ValueError("dpi must be between 100 and 600")
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
    look: dict[str, Any] = field(default_factory=dict)   # the axes the bundle drew (truth.look)

    def as_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "seed": self.seed, "spec": self.spec, "files": self.files, "pages": self.pages,
                "documents": self.documents, "trainees": self.trainees, "problems": self.problems,
                "look": self.look}


def render_pages(spec: BundleSpec) -> tuple[BundleContent, Style, BundleLook, list[Doc], list[tuple[PageDraft, int]]]:
    """Content, style, the bundle's look, the documents, and the drafts in final page order, each with the
    index of the document that owns it."""
    spec.check()
    wide = spec.variety == "wide"
    content = make_content(py_rng(spec.seed, "content"), spec.trainees)
    if wide:
        widen_class(content.klass, py_rng(spec.seed, "class-wide"))
    plant(content, tuple(spec.problems), py_rng(spec.seed, "problems"))
    welcome(content, spec.institution, spec.start_on, spec.profession, spec.guests)
    truetype_only = spec.output == "text_pdf"
    if wide:
        style = make_wide_style(py_rng(spec.seed, "style-wide"), truetype_only)
        look = wide_look(py_rng(spec.seed, "look-wide"))
    else:
        style, look = make_style(py_rng(spec.seed, "style"), truetype_only), house_look()
    docs = make_documents(spec.seed, content, style, look, spec.rows_per_page, spec.with_report)
    order = [(d, i) for i, doc in enumerate(docs) for d in doc.drafts]
    if spec.shuffle_pages:
        py_rng(spec.seed, "shuffle").shuffle(order)
    return content, style, look, docs, order


def generate_bundle(spec: BundleSpec, out_dir: Path) -> BundleTruth:
    """Render the bundle into out_dir (created if need be) and write out_dir/truth.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    content, style, look, docs, order = render_pages(spec)
    born_digital = spec.output == "text_pdf"
    dpi = 200 if born_digital else spec.dpi or look.dpi
    # The house scanner works at 200 dpi; any other resolution takes the scanner wide bundles use.
    any_dpi = spec.variety == "wide" or dpi != 200
    plan = scan.plan("clean" if born_digital else spec.profile, len(order), py_rng(spec.seed, "scan-plan"))
    captures = capture.captures(spec.profile, born_digital, look.photo_share, len(order),
                                py_rng(spec.seed, "captures"))
    images: list[Image.Image] = []
    pages: list[dict[str, Any]] = []
    page_of: dict[int, int] = {}
    for index, ((draft, doc), how, how_taken) in enumerate(zip(order, plan, captures, strict=True)):
        image = capture.page_image(draft, dpi / 200, any_dpi=any_dpi)
        if not born_digital:
            image = capture.degrade(image, how_taken, how, derive_seed(spec.seed, "scan", index), dpi / 200,
                                    any_dpi=any_dpi)
        images.append(image)
        page_of[id(draft)] = index + 1
        pages.append(truth.page(index + 1, draft, docs, doc, how.rotation, how.skew, dpi, how_taken))
    if born_digital:
        from tests.bundlegen import textpdf  # reportlab is a test extra: only needed here
        files = textpdf.write_pdf([d for d, _ in order], images, out_dir / "bundle.pdf")
    else:
        scanned = dt.datetime.combine(content.klass.fill_date, dt.time(9, 30))
        files = output.write_images(images, spec.output, out_dir, clean=spec.profile == "clean", scanned=scanned,
                                    dpi=dpi)
    if spec.records:
        write_records(content, out_dir / "records.xlsx", style)
    result = BundleTruth(seed=spec.seed, spec=_spec_json(spec), files=files, pages=pages,
                         documents=truth.documents(docs, page_of), trainees=truth.trainees(content, style),
                         problems=content.problems, look=truth.look(style, look))
    (out_dir / "truth.json").write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    return result


def _spec_json(spec: BundleSpec) -> dict[str, Any]:
    out = dataclasses.asdict(spec)
    out["problems"] = list(spec.problems)
    return out
