"""OCR text for the archive's full-text search: numbers replaced by keyed tokens, Chinese cut into bigrams.

Why tokens: a roster page's text holds every trainee's ID and phone number; the database must hold none in
clear (DOMAIN.md, personal information). The page's text itself is kept sealed (Page.text_enc); what is
indexed is the text with every long number (personal.py) replaced by its keyed token (FieldCipher.token),
so the index holds no digit of it, yet a query holding the same number, in any spacing, is given the same
token and finds the page.

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
from collections.abc import Callable

from intake.store.personal import tokenise_numbers

Token = Callable[[str], str]  # FieldCipher.token
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SEGMENT = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position


def segments(text: str, token: Token) -> list[list[str]]:
    """The text's runs, each as its tokens: bigrams for a Chinese run (the character itself when alone),
    the lower-cased word for letters and digits, a keyed token for each long number."""
    out = []
    for run in _SEGMENT.findall(tokenise_numbers(text, token).lower()):
        if _IS_CJK.match(run):
            out.append([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append([run])
    return out


def tokens(text: str, token: Token) -> list[str]:
    return [t for seg in segments(text, token) for t in seg]


def index_string(text: str, token: Token) -> str:
    """Space-separated tokens, as FTS5 stores them (its unicode61 tokenizer splits on the spaces)."""
    return " ".join(tokens(text, token))


def tsvector_literal(text: str, token: Token) -> str:
    """A tsvector in its input syntax ('lexeme':position ...), cast by PostgreSQL without any parser."""
    return " ".join(f"'{tok}':{min(pos, MAX_POSITION)}" for pos, tok in enumerate(tokens(text, token), start=1))


class QueryTooShort(ValueError):
    """A full-text query with a single Chinese character (bigrams cannot answer it)."""


def query_segments(query: str, token: Token) -> list[list[str]]:
    found = segments(query, token)
    if not found:
        raise QueryTooShort("全文检索词为空")
    for seg in found:
        if len(seg) == 1 and len(seg[0]) == 1 and _IS_CJK.match(seg[0]):
            raise QueryTooShort(f"全文检索至少需要两个汉字：“{seg[0]}”")
    return found


def fts5_query(query: str, token: Token) -> str:
    """FTS5 MATCH text: each run a quoted phrase of its tokens, runs joined by AND (tokens hold no quotes)."""
    return " AND ".join('"' + " ".join(seg) + '"' for seg in query_segments(query, token))


def tsquery_literal(query: str, token: Token) -> str:
    """A tsquery in its input syntax: each run a phrase ('a' <-> 'b'), runs joined with &."""
    return " & ".join("(" + " <-> ".join(f"'{t}'" for t in seg) + ")" for seg in query_segments(query, token))
