"""The reviewers' queue and correction form (issue 7): see routes.py for the pages, actions.py for what a
save does, doubts.py for what needs a look, values.py for where each field lives, crops.py for the scans.

Intake hands over each claim's witnesses with `keep_evidence` (evidence.py) right after storing a bundle.
"""

from __future__ import annotations

from service.review.routes import router

__all__ = ["router"]
