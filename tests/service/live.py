"""A real `subsidy serve` in a subprocess on a free loopback port, for browser tests and the benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`subsidy --data DIR serve --port P` (web + embedded worker), stopped with its whole process group."""

    def __init__(self, data: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data.parent / f"serve-{self.port}.log"
        self.env = {**os.environ, **(env or {})}
        self.args = args
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> LiveServer:
        self.data.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "--data", str(self.data), "serve", "--port", str(self.port),
                 *self.args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("server did not start in 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def add_users(data: Path, users: dict[str, str], password: str) -> None:
    from service.db import open_service_store
    from service.settings import Settings
    from service.users import add_user

    store = open_service_store(Settings.from_env(data))
    with store.session() as session:
        for name, role in users.items():
            add_user(session, name, role, password)
    store.close()
