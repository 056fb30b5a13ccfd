"""Phone photos are flattened; scans are left alone."""

import cv2
import numpy as np

from ocr.flatten import find_sheet, flatten


def photographed_sheet() -> tuple[np.ndarray, np.ndarray]:
    sheet = np.full((700, 500, 3), 235, np.uint8)
    for y in range(100, 600, 50):
        cv2.line(sheet, (50, y), (450, y), (30, 30, 30), 2)
    frame = np.full((900, 800, 3), 70, np.uint8)  # a dark desk
    corners = np.float32([[140, 90], [620, 130], [660, 820], [110, 780]])
    warp = cv2.getPerspectiveTransform(np.float32([[0, 0], [499, 0], [499, 699], [0, 699]]), corners)
    cv2.warpPerspective(sheet, warp, (800, 900), frame, borderMode=cv2.BORDER_TRANSPARENT)
    return frame, corners


def test_the_sheet_is_found_at_its_corners():
    frame, corners = photographed_sheet()
    found = find_sheet(frame)
    assert found is not None and np.abs(found - corners).max() < 14


def test_flattened_rules_run_straight():
    flat, done = flatten(photographed_sheet()[0])
    assert done
    ink = (cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY) < 100).astype(np.uint8)
    rows = ink.sum(axis=1)
    # Each rule is horizontal again: its ink gathers in a few rows that span most of the width.
    assert (rows > flat.shape[1] * 0.7).sum() >= 10


def test_a_scan_that_fills_the_frame_is_left_alone():
    scan = np.full((700, 500, 3), 240, np.uint8)
    cv2.putText(scan, "roster", (50, 100), cv2.FONT_HERSHEY_SIMPLEX, 2, (20, 20, 20), 3)
    out, done = flatten(scan)
    assert not done and out is scan
