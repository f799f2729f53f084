"""Did-you-mean suggestions: one helper for lesson fields, commands and Dockerfiles."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates that look like ``word``, the closest first."""
    import difflib  # only needed when something is wrong: kept off the start-up path

    return difflib.get_close_matches(word, sorted(set(candidates)), n=n, cutoff=CUTOFF)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or ``""``."""
    close = close_matches(word, candidates, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
