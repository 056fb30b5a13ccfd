"""Load on the web service over loopback: concurrent officers and archivists browsing batches and searching.

    .venv/bin/python benchmarks/web_benchmark.py [--users 20] [--seconds 60] [--batches 20 --trainees 25]

Starts `subsidy serve --no-worker` (one uvicorn process, SQLite) on a free port with a fresh data folder
seeded through the store (no OCR), logs every user in, then for the given time each user loops over:
the batch list, one batch (masked trainees), an archive search by name, the JSON batch list. Reports
requests per second, p50/p95/max latency and errors, per kind and overall. Bounded: it stops at the end
of the time whatever the server does (timeouts count as errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from intake.policy.policy import default_policy  # noqa: E402
from tests.service.live import LiveServer, add_users  # noqa: E402

POLICY = default_policy()  # a benchmark is an entry point: it reads the policy once

PASSWORD = "benchmark password"
SURNAMES = "王李张刘陈杨赵黄周吴"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed(data: Path, batches: int, trainees: int) -> None:
    """Batches of trainees stored as the intake would store them (fake readings of tiny distinct images)."""
    from PIL import Image

    from intake.fields.id_numbers import check_char
    from intake.store.bundles import save_bundle_result
    from intake.store.uploads import store_upload
    from service.db import open_service_store
    from service.settings import Settings

    store = open_service_store(Settings.from_env(data))
    rng = random.Random(7)
    with store.session() as session:
        for b in range(batches):
            image = data / f"seed-{b}.png"
            Image.new("RGB", (200, 280), (255, 255 - b % 200, 255)).save(image)
            upload = store_upload(session, data, image, "benchmark")
            people = []
            for t in range(trainees):
                first17 = f"371602{1970 + (b * trainees + t) % 30}0{1 + t % 9}1{t % 10}{b % 10}{t % 7}{(b + t) % 10}"
                people.append({"id_number": first17[:17] + check_char(first17[:17]),
                               "name": rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋") + str(t),
                               "gender": "男", "phone": f"138{b:04d}{t:04d}", "profession": "叉车司机",
                               "certificate_no": f"TS{b:06d}{t:07d}", "training_date": "2020-05-06/2020-05-20",
                               "class_period": f"2020第{b + 1}期", "flags": []})
            result = {"schema": "bundle-result/1", "source": f"bundle-{b}.pdf", "engine": "seed",
                      "pages": [{"page": 1, "kind": "roster", "rotation": 0, "source": image.name}],
                      "documents": [], "trainees": people}
            save_bundle_result(session, result, [upload.id], f"压测批次{b + 1:02d}", policy=POLICY)
        session.commit()
    store.close()


async def user(url: str, name: str, stop_at: float, batch_ids: list[int], stats: dict[str, list[float]],
               errors: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=10, follow_redirects=False) as client:
        token = CSRF.search((await client.get("/login")).text).group(1)
        response = await client.post("/login", data={"csrf_token": token, "name": name, "password": PASSWORD})
        if response.status_code != 303:
            errors["login"] += 1
            return
        token = CSRF.search((await client.get("/batches")).text).group(1)
        rng = random.Random(name)
        while time.monotonic() < stop_at:
            for kind, call in (
                ("batch list", lambda: client.get("/batches")),
                ("batch page", lambda: client.get(f"/batches/{rng.choice(batch_ids)}")),
                ("search", lambda: client.post("/archive", data={"csrf_token": token, "name": rng.choice(SURNAMES)})),
                ("api batches", lambda: client.get("/api/batches")),
            ):
                if kind == "search" and not name.startswith("archivist"):
                    continue
                start = time.perf_counter()
                try:
                    response = await call()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    stats[kind].append(time.perf_counter() - start)
                else:
                    errors[kind] += 1
                if time.monotonic() >= stop_at:
                    break


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    if not ordered:
        return {"requests": 0}
    return {"requests": len(ordered), "per_second": round(len(ordered) / seconds, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


async def run(url: str, users: int, seconds: float, batch_ids: list[int]) -> dict:
    stats: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    names = [f"{'archivist' if i % 2 else 'officer'}{i}" for i in range(users)]
    start = time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(user(url, n, stop_at, batch_ids, stats, errors) for n in names))
    elapsed = time.monotonic() - start
    everything = [x for values in stats.values() for x in values]
    return {"users": users, "seconds": round(elapsed, 1), "overall": summary(everything, elapsed),
            "by_kind": {k: summary(v, elapsed) for k, v in sorted(stats.items())},
            "errors": dict(errors), "error_total": sum(errors.values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--trainees", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-bench-") as temp:
        data = Path(temp) / "data"
        seed(data, args.batches, args.trainees)
        add_users(data, {f"{'archivist' if i % 2 else 'officer'}{i}": ("archivist" if i % 2 else "officer")
                         for i in range(args.users)}, PASSWORD)
        with LiveServer(data, args=("--no-worker",)) as server:
            report = asyncio.run(run(server.url, args.users, args.seconds, list(range(1, args.batches + 1))))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
