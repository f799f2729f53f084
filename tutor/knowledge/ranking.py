"""Score the passages for a question.

Scores are sparse (``{passage: score}``): only passages that share a term with the
question are touched, so a question costs little even over a thousand lessons.
BM25 is computed here, over inverted indexes: the libraries (bm25s, rank-bm25) need
numpy, whose import (~0.12 s) and memory (~17 MiB, a third of a whole session)
cost more than the forty lines below (benchmarks/bench_knowledge.py).

1. BM25 (the Lucene variant) over two fields, in the way of BM25F: a passage's own text, and
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

import math
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tutor.knowledge.query import Query

K1 = 1.2
B = 0.75
EXTRA_WEIGHT = 0.5
COVERAGE_FLOOR = 0.3
NAME_BONUS = 1.0
FEEDBACK_WEIGHT = 0.8

Sparse = dict[int, float]  # passage -> value; a passage not in it has 0


@dataclass(frozen=True)
class Scores:
    score: Sparse
    coverage: Sparse
    topical: frozenset[int]  # passages matching a concept that is a course topic


@dataclass(frozen=True)
class GlossaryNames:
    """The term sets of every glossary entry's names, found by any of their terms."""

    by_term: Mapping[str, Sequence[tuple[int, frozenset[str]]]]  # term -> (unit, name terms)
    # Terms most passages use ("docker"): a question about "tag" asks about "docker tag".
    common: frozenset[str] = frozenset()


class BM25:
    """BM25 of one field, Lucene's variant: idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
    term weight = idf * tf / (tf + k1 * (1 - b + b * length / average length)).

    The postings are kept flat: each term's passages and weights are a stretch of two
    arrays, in passage order. A list of (passage, weight) tuples per term took four
    times the memory (a tuple and a float object per posting: 1.7 MB for the shipped
    course), all of it held for the whole session."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        count = len(documents)
        lengths = [len(document) for document in documents]
        average = (sum(lengths) / count) if count else 1.0
        hits: Counter[str] = Counter()  # how many documents use each term
        for document in documents:
            hits.update(set(document))
        self._slot = {term: slot for slot, term in enumerate(hits)}
        self._start = array("L", [0])  # a term's postings: _start[slot] to _start[slot + 1]
        for used in hits.values():
            self._start.append(self._start[-1] + used)
        self._passage = array("I", bytes(4 * self._start[-1]))
        self._weight = array("d", bytes(8 * self._start[-1]))
        filled = array("L", self._start[:-1])  # where each term's next posting goes
        for number, document in enumerate(documents):
            norm = K1 * (1 - B + B * lengths[number] / (average or 1.0))
            for term, tf in Counter(document).items():
                slot = self._slot[term]
                at = filled[slot]
                self._passage[at] = number
                self._weight[at] = tf / (tf + norm)
                filled[slot] = at + 1
        self._idf = array("d", (math.log(1 + (count - used + 0.5) / (used + 0.5))
                                for used in hits.values()))

    def scores(self, terms: Sequence[str], weight: float, into: Sparse) -> None:
        """Add ``weight`` times the BM25 of ``terms`` (each counted as often as given)."""
        get = into.get
        for term in terms:
            slot = self._slot.get(term)
            if slot is None:
                continue
            factor = weight * self._idf[slot]
            start, stop = self._start[slot], self._start[slot + 1]
            for number, part in zip(self._passage[start:stop], self._weight[start:stop],
                                    strict=True):
                into[number] = get(number, 0.0) + factor * part


class Fields:
    """The BM25 indexes of the passages' text and of their surroundings."""

    def __init__(self, texts: list[list[str]], extras: list[list[str]]) -> None:
        self.count = len(texts)
        self.indexes = (BM25(texts), BM25(extras))

    def scores(self, terms: Sequence[str]) -> Sparse:
        """BM25 of ``terms`` for the passages that use any of them."""
        total: Sparse = {}
        for weight, index in zip((1.0, EXTRA_WEIGHT), self.indexes, strict=True):
            index.scores(terms, weight, total)
        return total


def kind_weights(kinds: Sequence[str]) -> list[float]:
    return [FEEDBACK_WEIGHT if kind == "feedback" else 1.0 for kind in kinds]


def score(query: Query, fields: Fields, vocabulary: Mapping[str, int],
          weights: Sequence[float], names: GlossaryNames) -> Scores:
    total: Sparse = {}
    covered: Sparse = {}
    topical: set[int] = set()
    for concept in query.concepts:
        best: Sparse = {}
        for terms in concept.alternatives:
            if not all(term in vocabulary for term in terms):
                continue
            scores = fields.scores(terms)
            if not best:
                best = scores  # the usual case: one alternative, nothing to compare
                continue
            get = best.get
            for number, value in scores.items():
                if value > get(number, 0.0):
                    best[number] = value
        total_get, covered_get, weight = total.get, covered.get, concept.weight
        for number, value in best.items():
            if value > 0:
                total[number] = total_get(number, 0.0) + value
                covered[number] = covered_get(number, 0.0) + weight
        if concept.topical:
            topical.update(number for number, value in best.items() if value > 0)
    whole = max(query.total_weight, 1e-9)
    coverage = {number: value / whole for number, value in covered.items()}
    floor, rest = COVERAGE_FLOOR, 1 - COVERAGE_FLOOR
    result = {number: value * (floor + rest * coverage[number]) * weights[number]
              for number, value in total.items()}
    top = max(result.values(), default=0.0)
    for unit, share in _named_entries(query, names).items():
        value = result.get(unit, 0.0) * (1 + NAME_BONUS * max(0.0, 2 * share - 1))
        result[unit] = value + top if share > 0.999 else value
    return Scores(result, coverage, frozenset(topical))


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
