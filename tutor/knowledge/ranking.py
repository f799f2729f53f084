"""Score every passage for a question (numpy; imported only once the index is built).

1. BM25 (bm25s) over two fields, in the way of BM25F: a passage's own text, and
   its surroundings (the heading, question, hints or glossary names it is found by),
   which count ``EXTRA_WEIGHT`` and do not make the passage itself "longer". Each
   concept of the question scores a passage with the best of its alternatives (a
   word or one of its synonyms, never both added up); the concepts' scores add up.
2. Coverage: the share of the question (concepts weighed by IDF) a passage speaks
   about. The score is multiplied by ``COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) *
   coverage``: "the difference between an image and a container" is best answered
   by a passage about both.
3. A glossary entry whose name makes up the whole question ("what is a registry",
   "whats docker tag") is the definition asked for: it comes first. One whose name
   makes up part of it is raised by up to ``NAME_BONUS`` as its name covers from
   half to all of the question.
4. Feedback on a wrong choice answers a misunderstanding, and is short, which BM25
   favours: it counts ``FEEDBACK_WEIGHT``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.knowledge.query import Query

K1 = 1.2
B = 0.75
EXTRA_WEIGHT = 0.5
COVERAGE_FLOOR = 0.3
NAME_BONUS = 1.0
FEEDBACK_WEIGHT = 0.8


@dataclass(frozen=True)
class Scores:
    score: np.ndarray[Any, Any]
    coverage: np.ndarray[Any, Any]
    topical: np.ndarray[Any, Any]  # the passage matches a concept that is a course topic


@dataclass(frozen=True)
class GlossaryNames:
    """The term sets of every glossary entry's names, found by any of their terms."""

    by_term: Mapping[str, Sequence[tuple[int, frozenset[str]]]]  # term -> (unit, name terms)
    # Terms most passages use ("docker"): a question about "tag" asks about "docker tag".
    common: frozenset[str] = frozenset()


class Fields:
    """The BM25 indexes of the passages' text and of their surroundings."""

    def __init__(self, texts: list[list[str]], extras: list[list[str]]) -> None:
        import bm25s  # numpy-based: loaded only when the index is built

        self.count = len(texts)
        self.indexes = []
        for documents in (texts, extras):
            index = bm25s.BM25(k1=K1, b=B, method="lucene")
            index.index(documents, show_progress=False)
            self.indexes.append(index)

    def scores(self, terms: Sequence[str]) -> np.ndarray[Any, Any]:
        """BM25 of ``terms`` (all must be present) for every passage."""
        total = np.zeros(self.count, dtype=np.float32)
        for weight, index in zip((1.0, EXTRA_WEIGHT), self.indexes, strict=True):
            known = [term for term in terms if term in index.vocab_dict]
            if known:
                total += weight * index.get_scores(known)
        return total


def kind_weights(kinds: Sequence[str]) -> np.ndarray[Any, Any]:
    return np.array([FEEDBACK_WEIGHT if kind == "feedback" else 1.0 for kind in kinds],
                    dtype=np.float32)


def score(query: Query, fields: Fields, vocabulary: Mapping[str, int],
          weights: np.ndarray[Any, Any], names: GlossaryNames) -> Scores:
    count = fields.count
    total = np.zeros(count, dtype=np.float32)
    covered = np.zeros(count, dtype=np.float32)
    topical = np.zeros(count, dtype=bool)
    for concept in query.concepts:
        best = np.zeros(count, dtype=np.float32)
        for terms in concept.alternatives:
            if all(term in vocabulary for term in terms):
                best = np.maximum(best, fields.scores(terms))
        total += best
        matched = best > 0
        covered += concept.weight * matched
        if concept.topical:
            topical |= matched
    coverage = covered / max(query.total_weight, 1e-9)
    result = total * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage) * weights
    top = float(result.max(initial=0.0))
    for unit, share in _named_entries(query, names).items():
        result[unit] *= 1 + NAME_BONUS * max(0.0, 2 * share - 1)
        if share > 0.999:
            result[unit] += top
    return Scores(result, coverage, topical)


def _named_entries(query: Query, names: GlossaryNames) -> dict[int, float]:
    """Glossary entries named in the question, with the share of the question their
    name covers (the best of their names)."""
    total = max(query.total_weight, 1e-9)
    terms_of = [{term for terms in concept.alternatives for term in terms}
                for concept in query.concepts]
    asked = set().union(*terms_of) if terms_of else set()
    shares: dict[int, float] = {}
    for term in asked:
        for unit, name in names.by_term.get(term, ()):
            needed = name - names.common or name
            if not needed <= asked:
                continue
            share = sum(concept.weight for concept, terms in zip(query.concepts, terms_of, strict=True)
                        if terms & name) / total
            shares[unit] = max(shares.get(unit, 0.0), share)
    return shares
