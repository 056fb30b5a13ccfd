"""The fixture generator plants each signal of made-up claims the way the detectors should see it, and a
clean bundle holds none (held against the product's own checks where they need no OCR)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from intake.signals.dates import age_on
from tests.bundlegen import BundleSpec, render_pages
from tests.bundlegen.fraud import ACROSS, REGISTRY, WITHIN, _plan
from tests.bundlegen.problems import EXPECTED_FLAGS

# The slow tier: the fixture generator renders whole bundles (the product's tests use few of them).
pytestmark = pytest.mark.slow


def content_of(*problems: str, seed: int = 3, trainees: int = 6):
    return render_pages(BundleSpec(seed=seed, trainees=trainees, problems=problems))[0]


def test_clean_people_are_adults_of_working_age_on_the_training_day():
    for seed in range(40):
        content = content_of(seed=seed)
        for t in content.trainees:
            age = age_on(t.person.id_number, content.klass.training_start)
            assert 18 <= age < (60 if t.person.gender == "男" else 50), (seed, t.person.birth)


def test_one_hand_and_one_pasted_print_mark_the_rows_they_touch():
    content = content_of("same_hand", "fingerprint_pasted")
    hands = [t for t in content.trainees if t.hand_seed is not None]
    prints = [t for t in content.trainees if t.print_seed is not None]
    assert len(hands) == 3 and len({t.hand_seed for t in hands}) == 1 and len({t.hand_name for t in hands}) == 1
    assert len(prints) == 2 and len({t.print_seed for t in prints}) == 1
    assert not {id(t) for t in hands} & {id(t) for t in prints}


def test_a_shared_phone_and_impossible_dates():
    content = content_of("phone_shared")
    assert max(Counter(t.person.phone for t in content.trainees).values()) == 3
    content = content_of("underage", seed=4)
    [young] = [t for t in content.trainees if t.planted == ["underage"]]
    assert age_on(young.person.id_number, content.klass.training_start) == 17
    content = content_of("certificate_before_training_end", seed=5)
    [early] = [t for t in content.trainees if t.planted]
    assert early.certificate.issue_date < content.klass.training_end
    content = content_of("training_too_short", seed=6)
    assert (content.klass.training_end - content.klass.training_start).days <= 1
    content = content_of("class_filed_late", seed=7)
    assert content.klass.filing_date > content.klass.training_start


@pytest.mark.parametrize("bundles", [44, 48, 60])
def test_a_corpus_plants_every_signal_at_least_twice(bundles):
    plan = _plan(bundles, random.Random(bundles))
    planted = Counter(p.split(":")[1] if ":" in p else p for plants in plan for p in plants)
    for signal in (*WITHIN, *REGISTRY):
        assert planted[signal] >= 2, signal
    for signal in ACROSS:
        assert planted[signal] == 4, signal  # two pairs: a source and a target each
    assert all(signal in EXPECTED_FLAGS for signal in WITHIN)


def test_a_moved_class_keeps_its_certificates_after_it():
    content = render_pages(BundleSpec(seed=9, trainees=3, start_on="2020-09-07", profession="叉车司机"))[0]
    assert content.klass.training_start == dt.date(2020, 9, 7) and content.klass.quarter == 3
    assert all(t.certificate.item == "叉车司机" and t.certificate.issue_date > content.klass.training_end
               for t in content.trainees)
