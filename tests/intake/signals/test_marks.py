"""The mark descriptors tell one hand, one pasted print and one copied card from others, through scan
grain, blur, JPEG, another place in the cell and another scale."""

import pytest

from intake.signals.marks import (
    PRINT_SHIFTS,
    SAME_CARD,
    SAME_HAND,
    SAME_PRINT,
    card_mark,
    fingerprint_mark,
    from_bytes,
    likeness,
    mark_likeness,
    signature_likeness,
    signature_mark,
)
from tests.intake.signals.marks_pages import card_line, one_hand, pressed, signed_by

NAMES = ("张宁飞", "周振家", "刘清胜", "李思建", "姜军山", "王德一")


def sig(image_box):
    return signature_mark(*image_box).vector


@pytest.mark.parametrize("hand_seed", [77, 80, 83])
def test_one_hand_signing_for_others_is_alike_and_different_people_are_not(hand_seed):
    hand = [sig(one_hand(hand_seed, NAMES[hand_seed % len(NAMES)], seed)) for seed in range(3)]
    own = [sig(signed_by(name, 100 + i)) for i, name in enumerate(NAMES)]
    same = [signature_likeness(a, b) for i, a in enumerate(hand) for b in hand[i + 1:]]
    other = [signature_likeness(a, b) for i, a in enumerate(own) for b in own[i + 1:]]
    assert max(same) >= SAME_HAND, same   # the group is found (its other rows by hysteresis, see images.py)
    assert max(other) < SAME_HAND, other


def test_a_pasted_fingerprint_is_the_same_image_and_two_fingers_are_not():
    pasted = [fingerprint_mark(*pressed(5, seed)).vector for seed in (1, 2)]
    others = [fingerprint_mark(*pressed(print_seed, 3)).vector for print_seed in (6, 7, 8)]
    assert likeness(*pasted, PRINT_SHIFTS) >= SAME_PRINT
    assert max(likeness(pasted[0], o, PRINT_SHIFTS) for o in others) < SAME_PRINT
    assert max(likeness(others[0], o, PRINT_SHIFTS) for o in others[1:]) < SAME_PRINT


def test_a_card_copied_again_at_another_scale_and_quality_is_the_same_and_another_number_is_not():
    first = card_mark(*card_line("T371602199003070014", 1.0, 1)).vector
    again = card_mark(*card_line("T371602199003070014", 1.15, 2, quality=50)).vector
    other = card_mark(*card_line("T371602198811230037", 1.0, 3)).vector
    assert likeness(first, again) >= SAME_CARD
    assert likeness(first, other) < SAME_CARD


@pytest.mark.parametrize("kind", ["signature", "fingerprint", "certificate"])
def test_descriptors_survive_storage(kind):
    image, box = {"signature": signed_by("张三", 1), "fingerprint": pressed(1, 1),
                  "certificate": card_line("T371602199003070014", 1.0, 1)}[kind]
    mark = {"signature": signature_mark, "fingerprint": fingerprint_mark, "certificate": card_mark}[kind](image, box)
    assert mark_likeness(kind, mark.vector, from_bytes(kind, mark.to_bytes())) > 0.99


def test_an_empty_cell_has_no_mark():
    from PIL import Image

    from tests.intake.signals.marks_pages import cell_with

    blank = Image.new("RGBA", (5, 5), (0, 0, 0, 0))
    assert signature_mark(*cell_with(blank, 1)) is None and fingerprint_mark(*cell_with(blank, 1)) is None
