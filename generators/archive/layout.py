"""Where things lie in an archive package's payload (data/): package.py writes there, restore.py reads
there, so the two cannot drift apart. The layout is the package's; README.txt inside each package says it
in words for a reader without this software."""

from __future__ import annotations

PAYLOAD = "data"
ORIGINALS = "originals"
PAGES = "pages"
BUNDLES = "bundles"
INDEX = "index"
README = "README.txt"
BATCH = "records/batch.json"
UPLOADS = "records/uploads.json"
CLAIMS = "records/claims.json"
DECISIONS = "records/decisions.json"
CORRECTIONS = "records/corrections.json"
DOCUMENTS = "records/documents.json"


def bundle_file(bundle_id: int) -> str:
    return f"{BUNDLES}/bundle-{bundle_id}.json"


def bundle_pages(bundle_id: int) -> str:
    return f"{PAGES}/bundle-{bundle_id}"


def document_file(kind: str, name: str) -> str:
    return f"documents/{kind}/{name}"
