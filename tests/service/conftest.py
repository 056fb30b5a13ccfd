"""Fixtures for the web service: a data folder, an app whose queue runs jobs at once with a fake reader,
one account per role, and clients logged in as them (with their CSRF token at hand)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.jobs import JobQueue
from service.settings import ROLES, Settings
from service.users import add_user

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("SUBSIDY_DATABASE_URL", "SUBSIDY_KEY", "SUBSIDY_QUEUE_URL", "SUBSIDY_TEST_PAGE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return Settings.from_env(tmp_path / "data", intake_reader="tests.service.fakes:fake_reader",
                             max_upload_mb=2, max_pages=20)


@pytest.fixture
def app(web_settings: Settings):
    app = create_app(web_settings, queue=JobQueue(web_settings, immediate=True))
    with app.state.store.session() as session:
        for role in ROLES:
            add_user(session, role, role, PASSWORD)
        add_user(session, "clerk2", "clerk", PASSWORD)
    yield app
    app.state.store.close()


class Client(TestClient):
    """A TestClient that knows its session's CSRF token."""

    csrf: str = ""

    def refresh_csrf(self) -> str:
        self.csrf = self.get("/api/csrf").json()["csrf_token"]
        return self.csrf

    def form(self, path: str, data: dict | None = None, files=None, **kwargs):
        return self.post(path, data={"csrf_token": self.csrf, **(data or {})}, files=files, follow_redirects=False,
                         **kwargs)


@pytest.fixture
def client_for(app) -> Callable[[str | None], Client]:
    made: list[Client] = []

    def make(name: str | None) -> Client:
        client = Client(app, base_url="http://testserver")
        made.append(client)
        client.refresh_csrf()
        if name is not None:
            response = client.post("/api/session", json={"name": name, "password": PASSWORD},
                                   headers={"X-CSRF-Token": client.csrf})
            assert response.status_code == 200, response.text
            client.csrf = response.json()["csrf_token"]
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "page1.png"
    Image.new("RGB", (400, 560), "white").save(path)
    return path


@pytest.fixture
def seeded(app, client_for, png_file: Path) -> dict:
    """One upload taken in through the web with the fake reader: a batch, a bundle, a trainee, a claim."""
    clerk = client_for("clerk")
    with png_file.open("rb") as fh:
        response = clerk.form("/upload", {"batch": "测试批次", "quarter": "2020Q2", "institution": "滨州测试培训学校"},
                              files=[("files", ("page1.png", fh, "image/png"))])
    assert response.status_code == 303, response.text
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    from intake.store.models import Batch, Page, Trainee
    from service.models import Job

    with app.state.store.session() as session:
        job = session.get(Job, job_id)
        assert job.status == "done", job.message
        return {"job_id": job_id, "batch_id": session.query(Batch).one().id,
                "trainee_id": session.query(Trainee).one().id, "page_id": session.query(Page).first().id}
