"""Signals of made-up claims across trainees, bundles and batches: each a flag with its evidence (the other
trainee, batch, page, box), shown to the reviewer and the officer, never a rejection by itself.

dates.py   dates that cannot be (date_impossible) and a class filed after it began (class_filed_after_start)
people.py  one person at two institutions, in two overlapping classes, one phone for several trainees
marks.py   descriptors of signatures, fingerprints and cards, and how alike two are
images.py  the same hand, print or card within a bundle and against the stored ones

intake/store/findings.py runs them when a bundle's claims are stored.
"""

SIGNAL_FLAGS = ("signature_same_hand", "fingerprint_same_image", "certificate_image_reused",
                "claimed_by_two_institutions", "training_dates_overlap", "phone_shared", "date_impossible",
                "class_filed_after_start")
