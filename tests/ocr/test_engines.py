"""The engine adapters: parsing saved raw output (no engine needed), then the engines for real."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import ENGINES, EngineUnavailable, create_engine
from ocr.engines.base import rotate_clockwise
from ocr.engines.rapid import parse_line_results, parse_page_result
from ocr.engines.tesseract import build_strip, parse_osd, parse_tsv, split_strip_lines

DATA = Path(__file__).parent / "data"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def test_rapidocr_page_output_becomes_words_with_boxes():
    raw = json.loads((DATA / "rapidocr_header_raw.json").read_text(encoding="utf-8"))
    words = parse_page_result(raw)
    assert [w.text for w in words][0] == "2020年安全技能培训人员花名册"
    title = words[0]
    assert (title.box.x0, title.box.y0) == (698, 87)
    assert title.box.x1 >= 1325 and title.box.y1 >= 140
    assert all(0.0 <= w.confidence <= 1.0 for w in words)


def test_rapidocr_blank_lines_have_no_confidence():
    assert parse_line_results([("  ", 0.7), ("张三", 0.98)])[0].confidence == 0.0
    assert parse_line_results([("张三 ", 0.98)])[0].text == "张三"


def test_tesseract_tsv_joins_cjk_without_spaces():
    words = parse_tsv((DATA / "tesseract_header.tsv").read_text(encoding="utf-8"))
    assert words[0].text == "2020年安全技能培训人员花名册"
    assert " " not in words[0].text


def test_tesseract_strip_lines_go_back_to_their_crops():
    slots = [tuple(s) for s in json.loads((DATA / "tesseract_strip_slots.json").read_text())]
    readings = split_strip_lines(parse_tsv((DATA / "tesseract_strip.tsv").read_text(encoding="utf-8")), slots)
    assert [r.text for r in readings] == ["张三", "37160219900307123X", "低压电工作业", "2020.05.06-2020.05.20"]


def test_strip_slots_do_not_overlap():
    crops = [np.full((30, w, 3), 255, np.uint8) for w in (50, 200, 120)]
    strip, slots = build_strip(crops)
    assert len(slots) == 3
    assert all(a[1] < b[0] for a, b in zip(slots, slots[1:], strict=False))
    assert strip.shape[0] >= slots[-1][1]


def test_osd_rotation_is_read():
    osd = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 7.5\nScript: Han\n"
    o = parse_osd(osd)
    assert o.rotation == 90 and 0.4 < o.confidence < 0.6


def test_unknown_engine_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown OCR engine 'abbyy'"):
        create_engine("abbyy")


def _text_image(lines: list[str]) -> np.ndarray:
    font = ImageFont.truetype(FONT, 30, index=2)
    img = Image.new("RGB", (1200, 120 + 80 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((60, 60 + i * 80), line, font=font, fill="black")
    return np.array(img)[:, :, ::-1].copy()


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine(request):
    return create_engine(request.param)


@pytest.mark.slow  # a real engine
def test_engine_reads_a_printed_page(engine):
    image = _text_image(["安全技能培训人员花名册", "身份证号 37160219900307123X"])
    text = "".join(w.text for w in engine.read_page(image))
    assert "37160219900307123X" in text
    assert "花名册" in text


@pytest.mark.slow  # a real engine
def test_engine_reads_line_crops_in_order(engine):
    image = _text_image(["低压电工作业", "13812345678"])
    crops = [image[45:110, 40:600], image[125:190, 40:600]]
    readings = engine.read_lines(crops)
    assert readings[0].text == "低压电工作业"
    assert engine.read_lines(crops[1:], "digits")[0].text == "13812345678"


@pytest.mark.slow  # a real engine
def test_rapidocr_finds_each_rotation():
    engine = create_engine("rapidocr")
    page = _text_image(["2020年安全技能培训人员花名册", "单位名称（盖章）：滨州市宏达机械有限公司",
                        "培训机构：滨州市安泰职业培训学校", "第二季度：共培训12人"])
    for needed in (0, 90, 180, 270):
        scanned = rotate_clockwise(page, (360 - needed) % 360)
        assert engine.detect_orientation(scanned).rotation == needed


# -- the install: models from the wheel, missing parts named -----------------------------------

OFFLINE_READ = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network unreachable (test)")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import numpy as np
from ocr.engines import create_engine
engine = create_engine("rapidocr")
image = np.load(sys.argv[1])
print(engine.read_lines([image])[0].text)
print(engine.models.version)
"""


@pytest.mark.slow  # a real engine
def test_rapidocr_runs_with_the_network_unreachable(tmp_path):
    """The PP-OCRv6 models come from the wheel: nothing is fetched, nothing is written beside them."""
    from ocr.engines.rapid import wheel_models

    models_dir = wheel_models().rec.parent
    before = {p.name: p.stat().st_mtime for p in models_dir.iterdir()}
    line = _text_image(["低压电工作业"])[45:110, 40:600]
    np.save(tmp_path / "line.npy", line)
    done = subprocess.run([sys.executable, "-c", OFFLINE_READ, str(tmp_path / "line.npy")], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).parents[2],
                          env={**os.environ, "HTTP_PROXY": "", "HTTPS_PROXY": "", "NO_PROXY": "*"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["低压电工作业", "PP-OCRv6"]
    assert {p.name: p.stat().st_mtime for p in models_dir.iterdir()} == before


def test_a_missing_model_file_is_named_with_its_fix(tmp_path):
    from ocr.engines.rapid import RapidOcrEngine, wheel_models

    models = replace(wheel_models(), rec=tmp_path / "PP-OCRv6_rec_small.onnx")
    with pytest.raises(EngineUnavailable) as missing:
        RapidOcrEngine(models=models)
    assert str(tmp_path / "PP-OCRv6_rec_small.onnx") in str(missing.value)
    assert "pip install" in missing.value.fix


def test_a_broken_model_file_is_named_not_a_traceback(tmp_path):
    from ocr.engines.rapid import RapidOcrEngine, wheel_models

    broken = tmp_path / "PP-OCRv6_det_small.onnx"
    broken.write_bytes(b"not an onnx graph")
    with pytest.raises(EngineUnavailable, match="无法加载"):
        RapidOcrEngine(models=replace(wheel_models(), det=broken))


def test_a_missing_tesseract_is_named_with_its_fix():
    from ocr.engines.tesseract import check_tesseract

    with pytest.raises(EngineUnavailable, match="找不到 Tesseract") as missing:
        check_tesseract("no-such-tesseract")
    assert "apt-get install" in missing.value.fix


def test_tesseract_without_its_chinese_model_is_named(tmp_path, monkeypatch):
    from ocr.engines.tesseract import check_tesseract

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tessdata folder without chi_sim
    with pytest.raises(EngineUnavailable, match="chi_sim") as missing:
        check_tesseract()
    assert "tesseract-ocr-chi-sim" in missing.value.fix


def test_engine_unavailable_crosses_process_boundaries_whole():
    problem = EngineUnavailable("rapidocr", "缺少模型", "pip install rapidocr")
    again = pickle.loads(pickle.dumps(problem))
    assert str(again) == str(problem) and again.fix == "pip install rapidocr"
