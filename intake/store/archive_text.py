"""OCR text for the archive's full-text search: numbers masked before storing, Chinese cut into bigrams.

Why mask: a roster page's text holds every trainee's ID and phone number; the database must hold none in
clear (DOMAIN.md, personal information), so runs that look like ID numbers keep only their first 6 and last
4 characters and mobile numbers their first 3 and last 4 — the same masks the pages print.

Why bigrams: Chinese has no spaces, so a word tokenizer sees a whole line as one token and a search for 张三
inside it finds nothing. Overlapping character bigrams (张三丰 -> 张三 三丰) make every substring of two or
more characters a phrase of consecutive tokens, the classic CJK indexing of Lucene's CJKAnalyzer. The same
tokens go into SQLite FTS5 and PostgreSQL tsvector (built directly as lexemes with positions, so neither
database's own parser or locale decides how Chinese is split), and a query is the phrase of its bigrams on
both, so both backends find the same pages. pg_trgm was the alternative on PostgreSQL: it needs three
characters for an indexed match, and two-character names and words are the common Chinese query.
A one-character query cannot be answered from bigrams and is refused (search by name for a surname).
"""

from __future__ import annotations

import re

_LONG_NUMBER = re.compile(r"(?<!\d)\d{14,17}[\dXx](?![\dXx])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SEGMENT = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position


def redact(text: str) -> str:
    """The text with ID-like and mobile numbers masked (371602********123X, 138****5678)."""
    text = _LONG_NUMBER.sub(lambda m: m.group()[:6] + "*" * (len(m.group()) - 10) + m.group()[-4:], text)
    return _MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[7:], text)


def segments(text: str) -> list[list[str]]:
    """The text's runs, each as its tokens: bigrams for a Chinese run (the character itself when alone),
    the lower-cased word for letters and digits."""
    out = []
    for run in _SEGMENT.findall(text.lower()):
        if _IS_CJK.match(run):
            out.append([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append([run])
    return out


def tokens(text: str) -> list[str]:
    return [t for seg in segments(text) for t in seg]


def index_string(text: str) -> str:
    """Space-separated tokens, as FTS5 stores them (its unicode61 tokenizer splits on the spaces)."""
    return " ".join(tokens(text))


def tsvector_literal(text: str) -> str:
    """A tsvector in its input syntax ('lexeme':position ...), cast by PostgreSQL without any parser."""
    return " ".join(f"'{tok}':{min(pos, MAX_POSITION)}" for pos, tok in enumerate(tokens(text), start=1))


class QueryTooShort(ValueError):
    """A full-text query with a single Chinese character (bigrams cannot answer it)."""


def query_segments(query: str) -> list[list[str]]:
    found = segments(query)
    if not found:
        raise QueryTooShort("全文检索词为空")
    for seg in found:
        if len(seg) == 1 and len(seg[0]) == 1 and _IS_CJK.match(seg[0]):
            raise QueryTooShort(f"全文检索至少需要两个汉字：“{seg[0]}”")
    return found


def fts5_query(query: str) -> str:
    """FTS5 MATCH text: each run a quoted phrase of its tokens, runs joined by AND (tokens hold no quotes)."""
    return " AND ".join('"' + " ".join(seg) + '"' for seg in query_segments(query))


def tsquery_literal(query: str) -> str:
    """A tsquery in its input syntax: each run a phrase ('a' <-> 'b'), runs joined with &."""
    return " & ".join("(" + " <-> ".join(f"'{t}'" for t in seg) + ")" for seg in query_segments(query))
