"""Read a misspelt word as the lesson word it was meant to be ("contianer").

A word of the question that no lesson uses is compared with every word the lessons
use (and the stop words and short forms the tutor knows) by optimal string
alignment distance (rapidfuzz): a swap of two letters counts as one edit, as
learners' typos so often are. Words up to 7 letters get one edit, longer ones two; the first
letter must match (typos there are rare, and it keeps "cook" from becoming "book").
Of equally close words the one most passages use wins. A word that lessons only
use with a number after it is read as that ("arm" as "arm64", "sha" as "sha256").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MIN_LENGTH = 4  # shorter words are too easily something else ("cp", "rm", "ps")


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class Speller:
    """Corrects words against a fixed vocabulary. Read-only after it is made."""

    def __init__(self, frequency: Mapping[str, int], known: Iterable[str] = ()) -> None:
        """``frequency``: each lesson word and how many passages use it; ``known``: words
        the tutor understands besides (stop words, short forms), with no frequency."""
        vocabulary = dict(frequency)
        for word in known:
            vocabulary.setdefault(word, 0)
        self.frequency = vocabulary
        # Candidates grouped by first letter: a question's word is compared only with those.
        self._by_letter: dict[str, list[str]] = {}
        self._numbered: dict[str, str] = {}  # "arm" -> "arm64", the most used such word
        for word in sorted(vocabulary, key=lambda w: (-vocabulary[w], w)):
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                self._by_letter.setdefault(word[0], []).append(word)
            stem = word.rstrip("0123456789")
            if stem != word and len(stem) >= 3 and stem.isalpha():
                self._numbered.setdefault(stem, word)

    def correct(self, word: str) -> str | None:
        """The vocabulary word ``word`` was most likely meant to be, or None."""
        if word in self.frequency or not word.isalpha():
            return None
        if word in self._numbered:
            return self._numbered[word]
        if len(word) < MIN_LENGTH:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = max_edits(word)
        matches = process.extract(word, self._by_letter.get(word[0], []), scorer=OSA.distance,
                                  score_cutoff=limit, limit=None)
        if not matches:
            return None
        best = min(matches, key=lambda match: (match[1], -self.frequency[match[0]], match[0]))
        return best[0]
