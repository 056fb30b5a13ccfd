import pytest

from intake.store.uploads import store_upload


@pytest.fixture
def upload(store, session, tmp_path):
    scan = tmp_path / "bundle_007.pdf"
    scan.write_bytes(b"%PDF-1.4 scan bytes")
    row = store_upload(session, store.data_dir, scan, "clerk")
    session.commit()
    return row
