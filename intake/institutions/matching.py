"""Which registered institution a bundle is from: the roster's 培训机构 and the agreement's 甲方 as read,
against every form of every registered name.

A read name is compared with each printed form of a name (names.printed_forms) by edit distance; a form found
whole inside the read text (the seal's words or a label read with it) counts nearly as the same. The papers
decide; the name the clerk typed at upload counts only when neither paper's name could be read, and a paper
that names another institution than the clerk typed is a reason to look.

- sure: one institution, clearly closest (SURE and MARGIN ahead of the next), and no paper names another;
- unsure: the closest is only close (MAYBE), or the papers (or papers and upload) name different institutions:
  checked as the closest, and flagged for a reviewer to confirm;
- unknown: nothing registered is close, or no name could be read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from intake.fields.text import edit_distance
from intake.institutions.names import name_key, name_variants, place_of, printed_forms, same_place

SURE, MAYBE, MARGIN = 0.9, 0.7, 0.06
CONTAINED = 0.97
PAPERS = ("roster", "agreement")
SOURCE_NAMES = {"roster": "花名册的培训机构", "agreement": "协议书的甲方", "batch": "上传时填写的培训机构"}


@dataclass(frozen=True)
class Known:
    institution_id: int
    name: str
    forms: frozenset[str]
    places: frozenset[str] = frozenset()   # the places its names start with

    @classmethod
    def of(cls, institution_id: int, name: str, aliases: Iterable[str] = ()) -> Known:
        names = (name, *aliases)
        places = frozenset(p for n in names if (p := place_of(name_key(n))))
        return cls(institution_id, name, frozenset(printed_forms(name, tuple(aliases))), places)

    def score(self, read_key: str) -> float:
        """How close the name read is to this institution's closest printed form. A name read with another
        place in front is another institution's: it is never more than close."""
        place = place_of(read_key)
        best = max((similarity(v, f) for v in name_variants(read_key) for f in self.forms), default=0.0)
        if place and self.places and not any(same_place(place, p) for p in self.places):
            return min(best, MAYBE - 0.01)
        return best


@dataclass(frozen=True)
class Candidate:
    institution_id: int
    name: str
    score: float
    source: str   # roster | agreement | batch
    read: str


@dataclass(frozen=True)
class InstitutionMatch:
    status: str                       # sure | unsure | unknown
    institution_id: int | None = None
    name: str = ""
    reason: str = ""                  # for the reviewer, in Chinese (empty when sure)
    read: dict[str, str] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()

    def evidence(self) -> dict[str, object]:
        return {"read": dict(self.read), "candidates": [
            {"institution_id": c.institution_id, "name": c.name, "score": round(c.score, 3), "source": c.source}
            for c in self.candidates]}


def similarity(read_key: str, form: str) -> float:
    if read_key == form:
        return 1.0
    if len(form) >= 4 and form in read_key:
        return CONTAINED
    longest = max(len(read_key), len(form))
    return 1 - edit_distance(read_key, form) / longest if longest else 0.0


def ranked(read: str, known: Iterable[Known], source: str) -> list[Candidate]:
    """Every institution by how close its closest form is to the name read, closest first."""
    key = name_key(read)
    if not key:
        return []
    scored = [Candidate(k.institution_id, k.name, k.score(key), source, read) for k in known]
    return sorted(scored, key=lambda c: -c.score)


def _sure(candidates: list[Candidate]) -> Candidate | None:
    if not candidates or candidates[0].score < SURE:
        return None
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    return candidates[0] if candidates[0].score - runner_up >= MARGIN else None


def match_institution(read: Mapping[str, str], known: list[Known]) -> InstitutionMatch:
    """The registered institution the names read point to (read: source -> name as read)."""
    names = {s: n for s, n in read.items() if name_key(n)}
    per_source = {s: ranked(n, known, s) for s, n in names.items()}
    papers = [s for s in PAPERS if s in per_source]
    sources = papers or (["batch"] if "batch" in per_source else [])
    if not sources:
        return InstitutionMatch("unknown", reason="材料上的培训机构名称未能识别", read=names)
    sure = {s: c for s in sources if (c := _sure(per_source[s]))}
    best = max((per_source[s][0] for s in sources if per_source[s]), key=lambda c: c.score, default=None)
    tops = tuple(c for s in sources for c in per_source[s][:2] if c.score >= MAYBE)
    if best is None or best.score < MAYBE:
        said = "；".join(f"{SOURCE_NAMES[s]}“{names[s]}”" for s in sources)
        return InstitutionMatch("unknown", reason=f"{said}不在机构名录中", read=names, candidates=tops)
    chosen = sure.get("roster") or sure.get("agreement") or sure.get("batch")
    others = {c.institution_id for c in sure.values()}
    declared = _sure(per_source.get("batch", [])) if papers else None
    if chosen is not None and len(others) == 1 and (declared is None or declared.institution_id in others):
        return InstitutionMatch("sure", chosen.institution_id, chosen.name, read=names, candidates=(chosen,))
    if len(others) > 1:
        what = "、".join(f"{SOURCE_NAMES[s]}是“{c.name}”" for s, c in sure.items())
        reason = f"两份材料的培训机构不一致：{what}"
    elif chosen is not None:
        reason = f"材料上的培训机构是“{chosen.name}”，而{SOURCE_NAMES['batch']}是“{declared.name}”"
    else:
        chosen = best
        reason = (f"{SOURCE_NAMES[best.source]}“{best.read}”与名录中的“{best.name}”相近（相似度 {best.score:.2f}），"
                  f"需核对是否同一机构")
    return InstitutionMatch("unsure", chosen.institution_id, chosen.name, reason, names, tops)
