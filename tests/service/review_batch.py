"""A generated batch for the review form's tests and benchmark, stored as intake would store it, without OCR.

Each group of up to 25 trainees gets a roster page and an agreement page drawn with PIL (real pixels, a CJK
font, cell borders, a red seal, signatures as ink strokes), stored as uploads; the bundle-result/1 dict
carries every witness with its box (the cell rectangle in page pixels), so crops show exactly what a
reviewer would see. Doubtful values are planted on purpose and their truth returned, so a scripted
reviewer knows what the paper says:

- "id_number": the roster's ID read with one wrong digit (check character fails), low confidence; the
  agreement read it right (a disagreement between witnesses).
- "name": read right but with low confidence.
- "signature": the agreement row is signed on paper but the detector said not signed (missing signature).
- "phone": read with one wrong digit and low confidence.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from intake.fields.id_numbers import check_char
from intake.store.uploads import store_upload
from service.review.evidence import take_in
from tests.bundlegen.fonts import available, font
from tests.bundlegen.handwriting import signature
from tests.policy import POLICY

WIDTH, HEIGHT = 1240, 1754
ROWS_PER_PAGE = 25
TOP, ROW_H = 260, 52
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
PROFESSIONS = ("低压电工作业", "熔化焊接与热切割作业", "高处安装、维护、拆除作业", "叉车司机")
ROSTER_COLS = (("row", "序号", 70), ("name", "姓名", 130), ("gender", "性别", 70), ("id_number", "身份证号", 330),
               ("phone", "手机", 200), ("profession", "专业（工种）", 300))
AGREEMENT_COLS = (("row", "序号", 70), ("name", "姓名", 130), ("gender", "性别", 70), ("id_number", "身份证号码", 330),
                  ("phone", "手机", 200), ("signature", "签字（手印或盖章）", 300))
KINDS = ("id_number", "name", "signature", "phone")


def make_id(n: int) -> str:
    first17 = f"3716021990{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + check_char(first17)


@dataclass
class Planted:
    index: int          # trainee index in the batch
    field: str
    truth: str          # what the paper says ("yes" for a signature that is there)
    read: str           # what intake read


@dataclass
class GeneratedBatch:
    name: str
    claim_ids: list[int] = field(default_factory=list)
    trainees: list[dict[str, Any]] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)
    bundle_id: int = 0


def _font(size: int):
    return font(available()[0], size)


def _draw_table(cols, people: list[dict[str, Any]], title: str, signed: list[bool], seal: bool,
                start: int) -> tuple[Image.Image, list[dict[str, list[int]]]]:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2 - 260, 70), title, fill="black", font=_font(40))
    draw.text((80, 170), "单位名称（盖章）：滨州市测试培训学校", fill="black", font=_font(26))
    x0 = 60
    lefts = []
    for _key, _label, width in cols:
        lefts.append(x0)
        x0 += width
    right = x0
    small = _font(24)
    draw.rectangle((60, TOP, right, TOP + ROW_H), outline="black", width=2)
    for (_key, label, _w), left in zip(cols, lefts, strict=True):
        draw.text((left + 8, TOP + 12), label, fill="black", font=_font(22))
        draw.line((left, TOP, left, TOP + ROW_H * (len(people) + 1)), fill="black", width=2)
    boxes = []
    for i, person in enumerate(people):
        y = TOP + ROW_H * (i + 1)
        draw.line((60, y + ROW_H, right, y + ROW_H), fill="black", width=2)
        row_boxes = {}
        for (key, _label, width), left in zip(cols, lefts, strict=True):
            box = [left + 2, y + 2, left + width - 2, y + ROW_H - 2]
            row_boxes[key] = box
            text = str(start + i + 1) if key == "row" else str(person.get(key, ""))
            if key == "signature":
                if signed[i]:  # the name in the trainee's own hand (the fixture generator's handwriting)
                    mark = signature(person["name"], np.random.default_rng(int(person["id_number"][-8:-1])), 34)
                    image.paste(mark, (left + 30, y + (ROW_H - mark.height) // 2), mark)
                continue
            draw.text((left + 8, y + 12), text, fill="black", font=small)
        boxes.append(row_boxes)
    draw.line((right, TOP, right, TOP + ROW_H * (len(people) + 1)), fill="black", width=2)
    if seal:
        cx, cy = WIDTH - 260, 150
        draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), outline=(220, 30, 30), width=8)
        draw.text((cx - 80, cy - 20), "测试培训学校", fill=(220, 30, 30), font=_font(26))
    return image, boxes


def _wrong_digit(value: str, rng: random.Random, position: int) -> str:
    digit = value[position]
    other = rng.choice([d for d in "0123456789" if d != digit])
    return value[:position] + other + value[position + 1:]


def generate(session, data_dir: Path, work: Path, name: str, trainees: int = 50, doubtful: int = 10,
             seed: int = 7, kinds: tuple[str, ...] = KINDS, certificates: bool = False) -> GeneratedBatch:
    """Draw the pages, store them as uploads and the reading as a bundle of batch `name`. Commits.
    With `certificates`, every trainee's certificate number is read too (the documents need them)."""
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    people = []
    for i in range(trainees):
        person = {"name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                  "id_number": make_id(seed * 1000 + i), "phone": f"13{rng.randrange(10**8, 10**9)}",
                  "profession": rng.choice(PROFESSIONS)}
        person["gender"] = "男" if int(person["id_number"][16]) % 2 else "女"
        people.append(person)
    chosen = rng.sample(range(trainees), doubtful)
    planted: dict[int, Planted] = {}
    for n, index in enumerate(sorted(chosen)):
        kind = kinds[n % len(kinds)]
        truth = people[index]
        if kind == "id_number":
            read = _wrong_digit(truth["id_number"], rng, rng.randrange(6, 16))
            while check_char(read[:17]) == read[17]:
                read = _wrong_digit(truth["id_number"], rng, rng.randrange(6, 16))
            planted[index] = Planted(index, kind, truth["id_number"], read)
        elif kind == "phone":
            read = _wrong_digit(truth["phone"], rng, rng.randrange(3, 11))
            planted[index] = Planted(index, kind, truth["phone"], read)
        elif kind == "signature":
            planted[index] = Planted(index, kind, "yes", "no")
        else:
            planted[index] = Planted(index, kind, truth["name"], truth["name"])
    result: dict[str, Any] = {"schema": "bundle-result/1", "source": f"{name}.png", "engine": "generated",
                              "pages": [], "documents": [], "trainees": [], "problems": [], "notes": []}
    upload_ids = []
    page_no = 0
    for start in range(0, trainees, ROWS_PER_PAGE):
        group = people[start:start + ROWS_PER_PAGE]
        for kind, cols, title in (("roster", ROSTER_COLS, "安全技能培训补贴花名册"),
                                  ("agreement", AGREEMENT_COLS, "代领安全技能培训补贴协议书")):
            page_no += 1
            image, boxes = _draw_table(cols, group, title, [True] * len(group), True, start)
            path = work / f"{name}-p{page_no}.png"
            image.save(path)
            upload_ids.append(store_upload(session, data_dir, path, "test").id)
            result["pages"].append({"page": page_no, "kind": kind, "rotation": 0, "source": path.name})
            result["documents"].append({"kind": kind, "pages": [page_no], "stamp_present": True, "fields": {}})
            for offset, row_boxes in enumerate(boxes):
                index = start + offset
                if kind == "roster":
                    result["trainees"].append(_trainee(people[index], planted.get(index), certificates))
                _witness(result["trainees"][index], kind, page_no, offset, row_boxes, people[index],
                         planted.get(index), cols)
    for index, t in enumerate(result["trainees"]):
        if planted.get(index) and planted[index].field == "signature":
            t["signed"] = False
            t["flags"].append("missing_signature")
    saved = take_in(session, result, upload_ids, name, POLICY)
    session.commit()
    return GeneratedBatch(name, list(saved.claims), people, [planted[i] for i in sorted(planted)], saved.bundle_id)


def certificate_no(person: dict[str, Any]) -> str:
    """A special-equipment 档案编号 (TS + 13 digits), a special-operation 证号 (T + the ID number)."""
    return f"TS{person['id_number'][-13:]}" if person["profession"] == "叉车司机" else f"T{person['id_number']}"


def _trainee(person: dict[str, Any], plant: Planted | None, certificates: bool = False) -> dict[str, Any]:
    t = {"id_number": person["id_number"], "name": person["name"], "gender": person["gender"],
         "phone": person["phone"], "profession": person["profession"],
         "certificate_no": certificate_no(person) if certificates else "",
         "training_date": "2020-05-06/2020-05-20", "class_period": "2020年第1期", "signed": True,
         "certificate_copy": True, "flags": [], "eligible": None, "evidence": [], "corrections": []}
    if plant and plant.field in ("id_number", "phone"):
        t[plant.field] = plant.read
        t["flags"].append("invalid_id_number" if plant.field == "id_number" else "low_confidence")
        if plant.field == "id_number":
            t["flags"].append("field_mismatch")
    if plant and plant.field == "name":
        t["flags"].append("low_confidence")
    return t


def _witness(t: dict[str, Any], kind: str, page: int, row: int, boxes: dict[str, list[int]], person: dict[str, Any],
             plant: Planted | None, cols) -> None:
    for key, _label, _w in cols:
        if key == "row":
            continue
        value, confidence = person.get(key, ""), 0.97
        if key == "signature":
            signed = not (plant and plant.field == "signature")
            t["evidence"].append({"document": kind, "page": page, "row": row, "field": "signature",
                                  "value": "signature" if signed else "", "raw": "",
                                  "confidence": 0.95 if signed else 0.55, "box": boxes[key]})
            continue
        if plant and plant.field == key and (kind == "roster" or key == "name"):
            value, confidence = plant.read, 0.62
        t["evidence"].append({"document": kind, "page": page, "row": row, "field": key, "value": value,
                              "raw": value, "confidence": confidence, "box": boxes[key]})


# --- a scripted reviewer (Playwright), for the browser tests and the benchmark ---------------------

@dataclass
class Tally:
    keys: int = 0
    pages: int = 0
    corrected: int = 0
    confirmed: int = 0
    decided_one_by_one: int = 0
    steps: list[str] = field(default_factory=list)


def _press(page, key: str, tally: Tally, navigate: bool = True) -> None:
    tally.keys += 1
    if navigate:
        with page.expect_navigation():
            page.keyboard.press(key)
        page.wait_for_load_state("load")
        tally.pages += 1
    else:
        page.keyboard.press(key)


def clear_queue(page, base_url: str, batch_id: int, truth: dict[tuple[int, str], str], limit: int = 400) -> Tally:
    """Work a batch from its review page to ready with the keyboard alone, as a reviewer who reads each crop
    and knows what the paper says (`truth`: (claim id, field) -> value; "yes" for a signature that is there).
    Every key press and typed character is counted."""
    tally = Tally()
    page.goto(f"{base_url}/review/batches/{batch_id}")
    page.wait_for_load_state("load")
    for _ in range(limit):
        url = page.url
        if "/review/batches/" in url:
            if page.locator("#ready").count():
                return tally
            focused = page.evaluate("document.activeElement && document.activeElement.id")
            if url.split("?")[0].endswith("/accept-clean"):  # the bulk accept's own confirmation
                if focused != "cancel":
                    raise AssertionError(f"the bulk confirmation should start on its cancel link ({focused!r})")
                _press(page, "Shift+Tab", tally, navigate=False)
                tally.steps.append("confirm-accept")
                _press(page, "Enter", tally)
                continue
            if focused != "start":
                raise AssertionError(f"the batch page's focus should start on the first doubt ({focused!r})")
            if page.locator("#accept-clean").count():  # the clean claims first, in bulk, by choice
                _press(page, "Shift+Tab", tally, navigate=False)
                focused = "accept-clean"
            tally.steps.append(focused)
            _press(page, "Enter", tally)
            continue
        if not re.search(r"/review/claims/\d+$", url.split("?")[0]):
            error = page.locator("#form-error, .error").all_text_contents()
            raise AssertionError(f"a save was refused at {url}: {error}")
        claim_id = int(url.split("?")[0].rsplit("/", 1)[1])
        page.wait_for_function("() => document.activeElement && document.activeElement !== document.body")
        info = page.evaluate("""() => { const e = document.activeElement;
            return {id: e.id, kind: e.dataset ? (e.dataset.kind || '') : '', value: e.value || ''}; }""")
        if info["kind"]:
            wanted = truth.get((claim_id, info["kind"]), info["value"])
            if wanted != info["value"]:
                tally.keys += len(wanted)
                page.keyboard.type(wanted)
                tally.corrected += 1
                tally.steps.append(f"{claim_id}:{info['kind']}=typed")
            else:
                tally.confirmed += 1
                tally.steps.append(f"{claim_id}:{info['kind']}=confirmed")
            _press(page, "Enter", tally)
        elif info["id"] in ("signature-no", "signature-yes"):
            wanted = truth.get((claim_id, "signature"), info["id"].split("-")[1])
            if not info["id"].endswith(wanted):
                _press(page, "Tab", tally, navigate=False)
                tally.corrected += 1
            else:
                tally.confirmed += 1
            tally.steps.append(f"{claim_id}:signature={wanted}")
            _press(page, "Enter", tally)
        elif info["id"] == "accept":
            tally.decided_one_by_one += 1
            tally.steps.append(f"{claim_id}:accept")
            _press(page, "Enter", tally)
        else:
            raise AssertionError(f"claim {claim_id}: unexpected focus {info}")
    raise AssertionError("the queue did not clear")


def truth_of(batch: GeneratedBatch) -> dict[tuple[int, str], str]:
    return {(batch.claim_ids[p.index], p.field): p.truth for p in batch.planted}
