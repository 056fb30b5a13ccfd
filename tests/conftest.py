"""For every test: no key from the environment of whoever runs the suite (each data folder gets its own)."""

import pytest

from intake.store.keys import KEY_ENVIRONMENT


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
