"""A learner's question, read as the concepts it asks about.

Each word that is not a stop word is one concept, searched as itself and its
synonyms ("img" as "image"); a word no lesson uses is first read as the lesson word
it was most likely meant to be ("contianer"). A concept weighs as much as its term
is rare in the lessons (its IDF): "cgroups" says more about a question than "docker".
A word that stays unknown weighs as much as the rarest term, since the lessons do
not talk about it: "kubernetes helm chart" is two-thirds unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from tutor.knowledge.spelling import Speller
from tutor.knowledge.words import Words


@dataclass(frozen=True)
class Concept:
    word: str  # as understood (after correction)
    alternatives: tuple[tuple[str, ...], ...]  # each a list of terms
    weight: float
    known: bool  # some alternative is a term of the lessons
    topical: bool  # some alternative is one of the course's topics


@dataclass(frozen=True)
class Query:
    concepts: tuple[Concept, ...]
    corrections: tuple[tuple[str, str], ...] = field(default=())

    @property
    def total_weight(self) -> float:
        return sum(concept.weight for concept in self.concepts)


def idf(document_count: int, frequency: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (document_count - frequency + 0.5) / (frequency + 0.5))


def _base_form(word: str, words: Words, frequency: Mapping[str, int]) -> str | None:
    """"faster" is also searched as "fast", "bigger" as "big", "easiest" as "easy": the
    stemmer leaves comparatives alone, and lessons seldom use them."""
    for ending, replacement in (("iest", "y"), ("ier", "y"), ("est", ""), ("er", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)] + replacement
            if len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]  # bigg -> big
            if words.stem(base) in frequency:
                return base
    return None


def read_question(question: str, words: Words, speller: Speller, frequency: Mapping[str, int],
                  document_count: int, topics: frozenset[str]) -> Query:
    """``frequency``: how many passages use each term; ``topics``: the course's topic terms."""
    unknown_weight = idf(document_count, 0)
    concepts: list[Concept] = []
    corrections: list[tuple[str, str]] = []
    seen: set[str] = set()
    for typed in words.words(question):
        word = typed
        if words.is_stop(word) or word in seen:
            continue
        seen.add(word)
        plain_word = not word.startswith("-") and word.isalpha()
        if plain_word and words.stem(word) not in frequency and not words.synonyms(word):
            corrected = speller.correct(word)
            if corrected is not None:
                corrections.append((typed, corrected))
                word = corrected
                if words.is_stop(word) or word in seen:
                    continue
                seen.add(word)
        found = words.alternatives(word)
        base = _base_form(word, words, frequency)
        if base is not None:
            found.append([words.stem(base)])
        alternatives = tuple(tuple(terms) for terms in found)
        present = [terms for terms in alternatives if all(term in frequency for term in terms)]
        weight = max((min(idf(document_count, frequency[term]) for term in terms)
                      for terms in present), default=unknown_weight)
        topical = any(term in topics for terms in present for term in terms)
        concepts.append(Concept(word, alternatives, weight, bool(present), topical))
    return Query(tuple(concepts), tuple(corrections))
