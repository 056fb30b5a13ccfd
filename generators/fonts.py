"""Which characters the document font can draw, so that a rare name is reported, not printed as a box.

The templates name 宋体 (what Word on the clerk's PC has); LibreOffice on this server draws it with the
font fontconfig gives for it (fonts.conf beside this file pins that to Noto Serif CJK SC, and sees no
other fonts of the machine). Checking a name against that font's character map (fontTools) is what
tells "prints" from "prints as tofu".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def matched_font(family: str, conf: Path = FONTS_CONF) -> tuple[Path, tuple[str, ...]] | None:
    """The file and families fontconfig gives for a family with Chinese text, under the pinned fonts.conf
    (the answer is what LibreOffice will draw with); None where fontconfig is absent or finds nothing."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    done = subprocess.run([fc_match, "--format=%{file}\n%{family}", f"{family}:lang=zh-cn"],
                          capture_output=True, text=True, timeout=30, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not Path(lines[0]).is_file():
        return None
    return Path(lines[0]), tuple(lines[1].split(",")) if len(lines) > 1 else ()


@cache
def font_file(family: str) -> Path | None:
    found = matched_font(family)
    return found[0] if found else None


@cache
def _codepoints(path: Path, family: str) -> frozenset[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
        chosen = next((f for f in fonts if family in {r.toUnicode() for r in f["name"].names if r.nameID == 1}),
                      fonts[0])
    else:
        chosen = TTFont(str(path), lazy=True)
    return frozenset(chosen.getBestCmap())


def lacking(text: str, path: Path, family: str) -> str:
    """The characters of `text` that face `family` of the font file lacks."""
    points = _codepoints(path, family)
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in points))


def missing_glyphs(text: str, family: str) -> str:
    """The characters of `text` the font lacks (empty when all print, or when no font can be checked)."""
    path = font_file(family)
    return "" if path is None else lacking(text, path, family)
