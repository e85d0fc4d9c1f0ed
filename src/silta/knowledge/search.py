"""Guide search in Finnish and Swedish: folded text and crude stems.

Both languages inflect by endings ("vuokravakuuden", "hyresgarantin"), so each word of a
query longer than six letters is cut by up to four letters before it is looked for in
the entry's folded text (both languages and the keywords). Every word must match.
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q

from silta.core.text import fold

MIN_STEM = 5


def stem(word: str) -> str:
    if len(word) <= 6:
        return word
    return word[: max(MIN_STEM, len(word) - 4)]


def query_stems(query: str) -> list[str]:
    return [stem(word) for word in fold(query).replace(",", " ").split() if len(word) > 1]


def search_filter(query: str) -> Q | None:
    """The entries whose text matches every word of ``query`` (None: no query)."""
    stems = query_stems(query)
    if not stems:
        return None
    return reduce(and_, (Q(search_text__contains=s) for s in stems))


def search_text(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))
