"""The demo bundle `subsidy demo` takes in: a scanned bundle of 5 trainees made once by the fixture generator
(scripts/make_demo_bundle.py), shipped with the product so that the product never imports its tests."""

from pathlib import Path

BUNDLE = Path(__file__).with_name("bundle.pdf")
