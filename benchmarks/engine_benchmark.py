"""The OCR engines side by side: Tesseract, PP-OCRv4 and PP-OCRv6, in the product and alone.

    .venv/bin/python benchmarks/engine_benchmark.py [--bundles 3] [--profiles scan,phone] [--workers 2]
                                                    [--models tesseract,PP-OCRv4,PP-OCRv6] [--skip-pages]

For each engine and model, in one run:
- rare names: cell crops of 30 names with rare characters (生僻字) in a serif and a kai face, scanned;
  exact names and milliseconds per crop, recognition only, one thread;
- the product: `subsidy intake`'s reading of a generated corpus (planted problems, several scan
  profiles): the exact-field rate per trainee field, pages per minute with `--workers` processes,
  the peak memory of one worker;
- whole-page PP-OCR (or Tesseract) on the same pages: the engine's own full pipeline at its defaults,
  as a user would call it, with the same number of processes: pages per minute;
- a per-stage profile of the product's reading with the default engine: where a page's time goes.

PP-OCRv4 is the model pair of `rapidocr-onnxruntime` 1.4.4, which is no dependency of the project:
install it beside for this comparison (`pip install --no-deps rapidocr-onnxruntime==1.4.4`); without
it the PP-OCRv4 rows are left out. Each measurement runs in a process of its own, so peak memory is
that measurement's alone. The corpus is cached in benchmarks/out/.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import OUT, files_of, make_corpus, truth_of  # noqa: E402
from intake.policy.policy import default_policy  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

MODELS = ("tesseract", "PP-OCRv4", "PP-OCRv6")
# Characters of given names that fonts and engines often lack, beyond the generator's own list.
RARE_EXTRA = "赟翀彧祎婧璟晟钰淏旻昉瑄奭頔垚焱骉嫚翯昶珏玙瑀璠璘甯婞"
CROP_FACES = {"serif": "noto_serif", "kai": "ukai"}
CELL_TEXT_PX = 30  # a roster cell's characters at 200 dpi
# (file suffix, function) -> stage label: where the product's time goes, in pipeline order.
STAGES = (
    ("ocr/sources/__init__.py", "load_pages", "rasterise (PDF/image to pages)"),
    ("ocr/flatten.py", "find_sheet", "find the sheet (phone photos)"),
    ("ocr/geometry.py", "warp_sheet", "flatten the sheet"),
    ("ocr/geometry.py", "rescale", "rescale to the working resolution"),
    ("ocr/engines/rapid.py", "detect_orientation", "orientation (detector + classifier)"),
    ("ocr/engines/tesseract.py", "detect_orientation", "orientation (Tesseract OSD)"),
    ("ocr/deskew.py", "deskew", "deskew"),
    ("ocr/grid.py", "find_grid", "table grid"),
    ("intake/tables.py", "read_table", "table (header, cells, second look, signatures)"),
    ("ocr/cells.py", "text_ink", "cell ink mask"),
    ("ocr/cells.py", "read_cells", "cells: line boxes + recognition"),
    ("intake/second_look.py", "second_look", "second look at doubtful cells"),
    ("intake/page_reader.py", "read_outside", "text outside the table (detection + recognition)"),
    ("ocr/marks/seal.py", "find_seals", "seals"),
    ("ocr/marks/signature.py", "detect", "signatures"),
    ("ocr/engines/regions.py", "survey", "  engine: ink survey"),
    ("ocr/engines/rapid.py", "_detect", "  engine: text detection"),
    ("ocr/engines/rapid.py", "_recognise", "  engine: recognition"),
    ("ocr/engines/rapid.py", "_classify", "  engine: up/down classifier"),
    ("ocr/engines/tesseract.py", "_tsv", "  engine: Tesseract runs"),
    ("intake/bundle.py", "read_bundle", "whole bundle (pages + documents + trainees)"),
)


# -- the models --------------------------------------------------------------------------------------
def v4_models():
    """PP-OCRv4 detection, recognition and classifier from rapidocr-onnxruntime 1.4.4, or None."""
    from importlib.util import find_spec

    from ocr.engines.rapid import RapidModels

    spec = find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        return None
    d = Path(spec.origin).parent / "models"
    return RapidModels("PP-OCRv4", d / "ch_PP-OCRv4_det_infer.onnx", d / "ch_PP-OCRv4_rec_infer.onnx",
                       d / "ch_ppocr_mobile_v2.0_cls_infer.onnx")


def register(model: str) -> str:
    """The engine name the product's pool knows `model` by (PP-OCRv4 is registered for this run only)."""
    from ocr.engines import ENGINES, EngineEntry
    from ocr.engines.rapid import RapidOcrEngine

    if model == "tesseract":
        return "tesseract"
    if model == "PP-OCRv6":
        return "rapidocr"
    models = v4_models()
    ENGINES["rapidocr-v4"] = EngineEntry(lambda: RapidOcrEngine(models=models), lambda: None,
                                         low_confidence=ENGINES["rapidocr"].low_confidence)
    return "rapidocr-v4"


def make_engine(model: str):
    from ocr.engines import create_engine

    return create_engine(register(model))


def available(model: str) -> bool:
    return model != "PP-OCRv4" or v4_models() is not None


# -- rare-name crops -------------------------------------------------------------------------------
def rare_names(n: int = 30, seed: int = 2020) -> list[str]:
    from tests.bundlegen.data import load
    from tests.bundlegen.people import make_name

    rng = random.Random(seed)
    pool = list(dict.fromkeys(load("names")["given"]["rare"] + RARE_EXTRA))
    names: list[str] = []
    while len(names) < n:
        name = make_name(rng, rng.choice("男女"))
        # One rare character in every name; in a third of them two.
        chars = list(name)
        for i in rng.sample(range(1, len(chars)), k=1 if len(chars) < 3 or rng.random() < 0.67 else 2):
            chars[i] = rng.choice(pool)
        name = "".join(chars)
        if name not in names:
            names.append(name)
    return names


def name_crops() -> list[tuple[str, str, np.ndarray]]:
    """(name, face, crop): each name as a roster cell's text line would come off a scan."""
    from PIL import Image, ImageDraw

    from tests.bundlegen.fonts import font, glyph_face, runs, text_width
    from tests.bundlegen.scan import Degradation, degrade

    out = []
    for i, name in enumerate(rare_names()):
        for label, key in CROP_FACES.items():
            width = int(text_width(name, key, CELL_TEXT_PX)) + 24
            image = Image.new("RGB", (width, CELL_TEXT_PX + 20), "white")
            draw = ImageDraw.Draw(image)
            x = 12.0
            for face_key, part in runs(name, glyph_face(key, name[0])):
                draw.text((x, 6), part, font=font(face_key, CELL_TEXT_PX), fill=(20, 20, 20))
                x += font(face_key, CELL_TEXT_PX).getlength(part)
            scanned = degrade(image, "scan", Degradation(0, 0.0), seed=i)
            out.append((name, label, np.asarray(scanned.convert("RGB"))[:, :, ::-1].copy()))
    return out


def run_crops(model: str) -> dict:
    os.environ["SUBSIDY_OCR_THREADS"] = "1"
    os.environ["OMP_THREAD_LIMIT"] = "1"
    engine = make_engine(model)
    crops = name_crops()
    engine.read_lines([c for _, _, c in crops[:4]])  # warm-up: first calls pay for allocations
    start = time.perf_counter()
    readings = engine.read_lines([c for _, _, c in crops])
    seconds = time.perf_counter() - start
    wrong = [f"{name} ({face}) -> {r.text}" for (name, face, _), r in zip(crops, readings, strict=True)
             if r.text != name]
    return {"exact": len(crops) - len(wrong), "crops": len(crops), "ms_per_crop": seconds / len(crops) * 1000,
            "wrong": wrong, "peak_mb": _peak_mb()}


# -- the product over the corpus ----------------------------------------------------------------------
def run_product(model: str, folders: list[Path], workers: int) -> dict:
    from benchmarks.intake_benchmark import score
    from intake.bundle import read_bundle
    from intake.records import read_records
    from intake.workers import PageReaderPool

    name = register(model)
    results, pages = [], 0
    start = time.perf_counter()
    with PageReaderPool(name, workers) as pool:
        for folder in folders:
            truth = truth_of(folder)
            records_file = folder / "records.xlsx"
            records = read_records(records_file) if records_file.exists() else None
            read = read_bundle(files_of(folder, truth), pool, records=records, policy=POLICY)
            results.append((truth, read.to_json()))
            pages += len(truth["pages"])
    seconds = time.perf_counter() - start
    report = score(results)
    return {"fields": report["fields"], "page_kind": report["page_kind"],
            "certificate_fields": report["certificate_fields"], "pages": pages, "seconds": seconds,
            "pages_per_minute": pages / seconds * 60, "peak_mb_worker": _peak_mb(children=workers > 1),
            "misses": report["misses"][:20]}


# -- whole-page reading with the engine's own pipeline ----------------------------------------------
_raw = None


def _raw_init(model: str) -> None:
    global _raw
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if model == "PP-OCRv6":
        from rapidocr import RapidOCR

        ocr = RapidOCR(params={"Global.log_level": "error", "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                               "EngineConfig.onnxruntime.inter_op_num_threads": 1})
        _raw = lambda image: list(ocr(image).txts or ())  # noqa: E731
    elif model == "PP-OCRv4":
        from rapidocr_onnxruntime import RapidOCR

        ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
        _raw = lambda image: [t for _, t, _ in (ocr(image)[0] or ())]  # noqa: E731
    else:
        from ocr.engines.tesseract import TesseractEngine

        engine = TesseractEngine()
        _raw = lambda image: [w.text for w in engine.read_page(image)]  # noqa: E731


def _raw_read(image: np.ndarray) -> str:
    assert _raw is not None
    return "\n".join(_raw(image))


def run_pages(model: str, folders: list[Path], workers: int) -> dict:
    from ocr.sources import load_pages

    images, truths = [], []
    for folder in folders:
        truth = truth_of(folder)
        truths.append(truth)
        number = 1
        for path in files_of(folder, truth):
            for page in load_pages(path, first_number=number):
                number += 1
                images.append(page.image)
    with ProcessPoolExecutor(workers, initializer=_raw_init, initargs=(model,)) as pool:
        list(pool.map(_raw_read, images[:workers]))  # models loaded in every worker before the clock starts
        start = time.perf_counter()
        texts = list(pool.map(_raw_read, images))
        seconds = time.perf_counter() - start
    text = "".join(texts).replace(" ", "")
    people = [t for truth in truths for t in truth["trainees"]]
    return {"pages": len(images), "seconds": seconds, "pages_per_minute": len(images) / seconds * 60,
            "ids_found": sum(t["id_number"] in text for t in people) / max(len(people), 1),
            "names_found": sum(t["name"] in text for t in people) / max(len(people), 1),
            "peak_mb_worker": _peak_mb(children=True)}


# -- where the product's time goes --------------------------------------------------------------------
def run_stages(model: str, folders: list[Path]) -> dict:
    from intake.bundle import read_bundle
    from intake.workers import PageReaderPool

    os.environ["SUBSIDY_OCR_THREADS"] = "1"
    os.environ["OMP_THREAD_LIMIT"] = "1"
    name = register(model)
    pages = 0
    profile = cProfile.Profile()
    with PageReaderPool(name, workers=1) as pool:
        for folder in folders:
            truth = truth_of(folder)
            profile.enable()
            read_bundle(files_of(folder, truth), pool, policy=POLICY)
            profile.disable()
            pages += len(truth["pages"])
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    seconds: dict[str, float] = {}
    for (file, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for suffix, wanted, label in STAGES:
            if function == wanted and file.endswith(suffix):
                seconds[label] = seconds.get(label, 0.0) + cumulative
    return {"pages": pages, "seconds_per_page": {label: seconds[label] / pages
                                                 for _, _, label in STAGES if label in seconds}}


def _peak_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


# -- the run -------------------------------------------------------------------------------------------
def _corpus(args: argparse.Namespace) -> list[Path]:
    return [f for profile in args.profiles.split(",") for f in make_corpus(args.bundles, args.trainees, profile)]


def measure(args: argparse.Namespace) -> dict:
    """One measurement, in this process (called by the run in a child of its own)."""
    folders = _corpus(args)
    load = os.getloadavg()[0]
    if args.measure == "crops":
        out = run_crops(args.model)
    elif args.measure == "product":
        out = run_product(args.model, folders, args.workers)
    elif args.measure == "pages":
        out = run_pages(args.model, folders, args.workers)
    else:
        out = run_stages(args.model, folders[: args.stage_bundles])
    # Speed is only comparable between measurements the machine's other work left alike.
    return {**out, "load": [round(load, 1), round(os.getloadavg()[0], 1)]}


def in_child(args: argparse.Namespace, what: str, model: str) -> dict:
    command = [sys.executable, __file__, "--measure", what, "--model", model, "--bundles", str(args.bundles),
               "--trainees", str(args.trainees), "--profiles", args.profiles, "--workers", str(args.workers),
               "--stage-bundles", str(args.stage_bundles)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{what} {model} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_report(summary: dict) -> None:
    models = list(summary["models"])
    print("\n## rare names (cell crops, recognition only, 1 thread)")
    for m in models:
        c = summary["models"][m].get("crops")
        if c:
            print(f"  {m:10s} exact {c['exact']:3d}/{c['crops']}  {c['ms_per_crop']:6.1f} ms/crop")
    print(f"\n## the product ({summary['pages']} pages, {summary['workers']} workers)")
    fields = list(next(iter(summary["models"].values()))["product"]["fields"]) if models else []
    print("  " + " " * 18 + "".join(f"{m:>12s}" for m in models))
    for f in fields:
        print(f"  {f:18s}" + "".join(f"{summary['models'][m]['product']['fields'][f]:12.1%}" for m in models))
    for key, label in (("pages_per_minute", "pages/min"), ("peak_mb_worker", "peak MB/worker")):
        print(f"  {label:18s}" + "".join(f"{summary['models'][m]['product'][key]:12.1f}" for m in models))
    loads = ["{:.0f}-{:.0f}".format(*summary["models"][m]["product"]["load"]) for m in models]
    print(f"  {'load avg (1 min)':18s}" + "".join(f"{load:>12s}" for load in loads))
    print("\n## whole-page reading, the engine's own pipeline at its defaults")
    for m in models:
        p = summary["models"][m].get("pages")
        if p:
            print(f"  {m:10s} {p['pages_per_minute']:6.1f} pages/min, peak {p['peak_mb_worker']:.0f} MB/worker "
                  f"(IDs found {p['ids_found']:.0%}, names {p['names_found']:.0%}; load {p['load'][0]}-{p['load'][1]})")
    if summary.get("stages"):
        st = summary["stages"]
        print(f"\n## where a page's time goes (the product, {st['model']}, 1 process, {st['pages']} pages)")
        for label, s in st["seconds_per_page"].items():
            print(f"  {label:50s} {s:6.2f} s/page")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", type=int, default=3, help="bundles per scan profile")
    ap.add_argument("--trainees", type=int, default=12)
    ap.add_argument("--profiles", default="scan,phone")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--stage-bundles", type=int, default=2, help="bundles the per-stage profile reads")
    ap.add_argument("--skip-pages", action="store_true", help="leave out whole-page reading")
    ap.add_argument("--measure", choices=("crops", "product", "pages", "stages"), help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args), ensure_ascii=False))
        return
    folders = _corpus(args)
    summary: dict = {"pages": sum(len(truth_of(f)["pages"]) for f in folders), "workers": args.workers,
                     "profiles": args.profiles, "models": {}}
    for model in args.models.split(","):
        if not available(model):
            print(f"{model}: left out (pip install --no-deps rapidocr-onnxruntime==1.4.4 to compare it)")
            continue
        row = summary["models"][model] = {}
        for what in ("crops", "product") + (() if args.skip_pages else ("pages",)):
            row[what] = in_child(args, what, model)
            print(f"{model} {what}: done", file=sys.stderr)
    default = "PP-OCRv6"
    summary["stages"] = {"model": default, **in_child(args, "stages", default)}
    print_report(summary)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "engine-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
