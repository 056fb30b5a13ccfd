"""How alike two characters look: a recogniser's misreadings of rare characters against other shapes."""

import pytest

from ocr.glyphs import glyph_likeness


@pytest.mark.parametrize(("rare", "read"), [("曌", "盟"), ("玥", "明"), ("淼", "森"), ("䶮", "美")])
def test_a_rare_character_and_its_misreading_look_alike(rare, read):
    assert glyph_likeness(rare, read) >= 0.78


@pytest.mark.parametrize(("a", "b"), [("曌", "伟"), ("玥", "伟"), ("三", "叁"), ("曌", "明")])
def test_characters_of_other_shapes_do_not(a, b):
    assert glyph_likeness(a, b) < 0.78


def test_without_a_cjk_face_nothing_looks_alike(monkeypatch):
    """A face without Chinese draws every character as the same box: that must not make them alike."""
    from ocr import glyphs

    monkeypatch.setattr(glyphs, "FONT_CANDIDATES", ())
    glyphs.cjk_font.cache_clear()
    try:
        assert glyph_likeness("曌", "伟") == 0.0
    finally:
        glyphs.cjk_font.cache_clear()
