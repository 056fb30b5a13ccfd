"""How alike two characters look: a recogniser's misreadings of rare characters against other shapes."""

import pytest

from ocr.glyphs import glyph_likeness


@pytest.mark.parametrize(("rare", "read"), [("曌", "盟"), ("玥", "明"), ("淼", "森"), ("䶮", "美")])
def test_a_rare_character_and_its_misreading_look_alike(rare, read):
    assert glyph_likeness(rare, read) >= 0.78


@pytest.mark.parametrize(("a", "b"), [("曌", "伟"), ("玥", "伟"), ("三", "叁"), ("曌", "明")])
def test_characters_of_other_shapes_do_not(a, b):
    assert glyph_likeness(a, b) < 0.78
