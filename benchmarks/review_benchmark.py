"""How long and how many keys a reviewer needs to clear a batch: a timing of the review path.

    .venv/bin/python benchmarks/review_benchmark.py [--trainees 50 --doubtful 10] [--json OUT.json]

Generates a batch (roster and agreement pages drawn as real images, a bundle-result/1 with every witness's
box, `--doubtful` values planted: misread ID numbers, low-confidence names, a signature the detector
missed, misread phone numbers), stores it as intake would (no OCR), starts `subsidy serve --no-worker` on a
free loopback port and lets a scripted reviewer (Playwright, Debian's chromium) clear the queue with the
keyboard alone: accept the clean claims in one go, then at each doubt type the value the paper shows or
confirm it, and accept. Reports keystrokes (every key press and typed character; the login is not counted)
and seconds from opening the batch to "ready", plus server pages loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.service.live import LiveServer, add_users  # noqa: E402
from tests.service.review_batch import clear_queue, generate, truth_of  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "benchmark password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--doubtful", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("Debian's chromium is not installed (/usr/bin/chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from service.db import open_service_store
    from service.settings import Settings

    for name in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY", "SUBSIDY_QUEUE_URL"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="review-bench-") as temp:
        root = Path(temp)
        data = root / "data"
        add_users(data, {"reviewer": "reviewer"}, PASSWORD)
        store = open_service_store(Settings.from_env(data))
        started = time.perf_counter()
        with store.session() as session:
            batch = generate(session, data, root / "pages", "基准批次", trainees=args.trainees,
                             doubtful=args.doubtful, seed=args.seed)
        generated = time.perf_counter() - started
        store.close()
        with LiveServer(data, args=("--no-worker",)) as live, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.goto(f"{live.url}/login")
            page.fill("input[name=name]", "reviewer")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/review")
            batch_id = int(page.locator("#queue tr[data-batch]").first.get_attribute("data-batch"))
            started = time.perf_counter()
            tally = clear_queue(page, live.url, batch_id, truth_of(batch))
            seconds = time.perf_counter() - started
            browser.close()
    kinds: dict[str, int] = {}
    for plant in batch.planted:
        kinds[plant.field] = kinds.get(plant.field, 0) + 1
    report = {"trainees": args.trainees, "doubtful": args.doubtful, "planted": kinds, "keystrokes": tally.keys,
              "seconds": round(seconds, 2), "pages_loaded": tally.pages, "corrected": tally.corrected,
              "confirmed": tally.confirmed, "decided_one_by_one": tally.decided_one_by_one,
              "accepted_in_bulk": args.trainees - tally.decided_one_by_one, "generate_seconds": round(generated, 2)}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
