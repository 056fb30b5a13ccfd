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


@cache
def font_file(family: str) -> Path | None:
    """The file fontconfig picks for a family with Chinese text, or None where fontconfig is absent."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    # Asked with the pinned fonts.conf: the answer is the file LibreOffice will draw with.
    done = subprocess.run([fc_match, "--format=%{file}\n%{family}", f"{family}:lang=zh-cn"],
                          capture_output=True, text=True, timeout=30,
                          env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)})
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not Path(lines[0]).is_file():
        return None
    return Path(lines[0])


@cache
def _codepoints(path: Path, family: str) -> frozenset[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
        chosen = next((f for f in fonts if family in {r.toUnicode() for r in f["name"].names if r.nameID == 1}),
                      fonts[0])
    else:
        chosen = TTFont(str(path), lazy=True)
    return frozenset(chosen.getBestCmap())


def missing_glyphs(text: str, family: str) -> str:
    """The characters of `text` the font lacks (empty when all print, or when no font can be checked)."""
    path = font_file(family)
    if path is None:
        return ""
    points = _codepoints(path, family)
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in points))
