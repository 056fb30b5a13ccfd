"""A killed intake takes its OCR worker processes with it (no orphans holding engines and pages)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bundlegen import BundleSpec, generate_bundle

# The slow tier: a real intake process and its OCR workers, killed.
pytestmark = pytest.mark.slow


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def test_kill_9_of_intake_ends_its_workers(tmp_path):
    truth = generate_bundle(BundleSpec(seed=5, trainees=3), tmp_path / "bundle")
    intake = subprocess.Popen([sys.executable, "-m", "service.cli", "--data", str(tmp_path / "data"), "intake",
                               *(str(tmp_path / "bundle" / f) for f in truth.files), "--workers", "2", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and intake.poll() is None:
            workers = children_of(intake.pid)
            time.sleep(0.2)
        assert len(workers) >= 2, "the pool did not start its workers"
        os.kill(intake.pid, signal.SIGKILL)
        intake.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [w for w in workers if alive(w)], "workers outlived the killed intake"
    finally:
        if intake.poll() is None:
            intake.kill()
