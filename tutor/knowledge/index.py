"""Answer a learner's question from the lessons: ``KnowledgeIndex.build(course).ask(q)``.

The passages (``corpus.py``) are indexed with BM25 (``ranking.py``); a question is
read as concepts (``query.py``) and the passages that share a term with it scored.
The lessons answer a question (``found``) when the best passage covers at least
``COVERAGE_TO_ANSWER`` of it (by IDF weight) and talks about one of the course's
topics (a title, heading, glossary term, or a word a lesson sets in bold or as
code): "what time is it" matches lesson words, but none the course is about, and
"kubernetes helm chart" matches only a third of its words. The thresholds were
calibrated on tests/data/knowledge_questions.yaml (answered and unanswered sets).

Why no ranking library: bm25s (and rank-bm25) need numpy, whose import takes
~0.12 s quiet (~0.45 s under load) and whose memory (~17 MiB) is a third of a
whole tutor session, for scoring that inverted indexes do in a few lines with
sparse results: only passages sharing a term with the question are touched, so
an answer over 1,000 lessons stays in milliseconds (benchmarks/bench_knowledge.py).
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tutor.course.lesson import read_steps_once
from tutor.knowledge.corpus import lesson_topic_texts, lesson_units
from tutor.knowledge.passages import Answer, LessonMatch, Passage
from tutor.knowledge.query import Query, read_question
from tutor.knowledge.ranking import Fields, GlossaryNames, kind_weights
from tutor.knowledge.ranking import score as score_passages
from tutor.knowledge.spelling import Speller
from tutor.knowledge.words import WordLists, Words

if TYPE_CHECKING:
    from tutor.course.lesson import Course
    from tutor.knowledge.ranking import Scores

# How much of a question (by IDF weight) the best passage must speak about.
COVERAGE_TO_ANSWER = 0.55
# The leading passages: at most this many, scored at least this share of the best.
LEADING_PASSAGES = 3
LEADING_SHARE = 0.9
# Further passages are given while they score at least this share of the best one...
RELATIVE_TO_BEST = 0.25
# ...and another block of a step already quoted joins it when it scores this share.
MERGE_SHARE = 0.6
CLOSEST_LESSONS = 3
# Lessons are named as close only when a passage speaks to this share of the question:
# "who won the world cup" shares one word ("world", from a hello-world example) and
# would send the learner to a lesson that cannot help.
CLOSEST_MIN_COVERAGE = 0.3
# How many of the best passages are ranked in order (the rest are never looked at).
ORDER_HEAD = 500
# A term in more than this share of the passages says little ("docker").
COMMON_SHARE = 0.3


class KnowledgeIndex:
    """The course's passages, ready to answer questions. Immutable once built; ``ask``
    may be called from any thread."""

    def __init__(self, passages: list[Passage], names: list[tuple[str, ...]],
                 texts: list[list[str]], extras: list[list[str]], words: Words,
                 topics: frozenset[str], surface: Counter[str]) -> None:
        """``names``: each passage's glossary names (empty but for glossary entries);
        ``texts``, ``extras``: each passage's terms, read here and not kept."""
        self.passages = passages
        self.words = words
        self.topics = topics
        self.fields = Fields(texts, extras)
        self.frequency: Counter[str] = Counter()  # how many passages use each term
        for text, extra in zip(texts, extras, strict=True):
            self.frequency.update(set(text) | set(extra))
        self.speller = Speller(surface, known=(*words.lists.stop_words, *words.lists.synonyms))
        self.lesson_titles = {passage.lesson_id: passage.lesson_title for passage in passages}
        self.weights = kind_weights([passage.kind for passage in passages])
        by_term: dict[str, list[tuple[int, frozenset[str]]]] = {}
        for index, passage_names in enumerate(names):
            for name in passage_names:
                terms = frozenset(words.terms(name))
                for term in terms:
                    by_term.setdefault(term, []).append((index, terms))
        common = frozenset(term for term, count in self.frequency.items()
                           if count > COMMON_SHARE * len(passages))
        self.names: GlossaryNames = GlossaryNames(by_term, common)

    @classmethod
    def build(cls, course: Course) -> KnowledgeIndex:
        """Index every passage of ``course`` (in a background thread after the first
        prompt: tokenising a large course takes a moment)."""
        words = Words(WordLists.load())
        passages: list[Passage] = []
        names: list[tuple[str, ...]] = []
        texts: list[list[str]] = []
        extras: list[list[str]] = []
        surface: Counter[str] = Counter()
        topics: set[str] = set()
        for lesson in course.lessons:
            # A lesson's steps are read for their words and let go: kept, every lesson's
            # steps would stay in memory for the whole session.
            steps = read_steps_once(lesson)
            for unit in lesson_units(lesson, steps):
                text_words = words.words(unit.searched_text)
                text_terms = words.terms_of(text_words)
                if text_terms:  # a passage with no words of its own is never an answer
                    extra_words = words.words(unit.searched_extra)
                    passages.append(unit.passage)
                    names.append(unit.names)
                    texts.append(text_terms)
                    extras.append(words.terms_of(extra_words))
                    surface.update(set(text_words) | set(extra_words))
            topics.update(words.stem(word) for text in lesson_topic_texts(lesson, steps)
                          for word in words.words(text) if not words.is_stop(word))
        index = cls(passages, names, texts, extras, words, frozenset(topics), surface)
        words.forget_stems()
        return index

    def read(self, question: str) -> Query:
        """The question as the index understands it (concepts, corrections)."""
        return read_question(question, self.words, self.speller, self.frequency,
                             len(self.passages), self.topics)

    def ask(self, question: str, limit: int = 3) -> Answer:
        """The passages that answer ``question``, best first (at most ``limit`` steps or
        glossary entries); ``found`` False when the lessons do not answer it."""
        query = self.read(question)
        if not self.passages or not any(concept.known for concept in query.concepts):
            return Answer(question, False, corrections=query.corrections)
        scored = score_passages(query, self.fields, self.frequency, self.weights, self.names)
        # Best first; equal scores in the order of the course (as a stable sort would).
        # Only the head is ever looked at: the passages quoted and the closest lessons.
        order = heapq.nsmallest(ORDER_HEAD, scored.score,
                                key=lambda number: (-scored.score[number], number))
        if not order:
            return Answer(question, False, corrections=query.corrections)
        best = order[0]
        closest = self._closest_lessons(scored, order)
        # A leading passage must answer: the best, or one scored nearly as well (a passage
        # that only names the subject may outscore the one that answers the question).
        leading = [number for number in order[:LEADING_PASSAGES]
                   if scored.score[number] >= scored.score[best] * LEADING_SHARE]
        found = scored.score[best] > 0 and any(
            scored.coverage.get(number, 0.0) >= COVERAGE_TO_ANSWER and number in scored.topical
            for number in leading)
        if not found:
            return Answer(question, False, closest_lessons=closest,
                          corrections=query.corrections)
        passages = self._passages(scored, order, limit)
        return Answer(question, True, passages, closest, query.corrections)

    def _passages(self, scored: Scores, order: Any, limit: int) -> tuple[Passage, ...]:
        best_score = float(scored.score[int(order[0])])
        groups: dict[tuple[str, str], list[int]] = {}
        for position in order[: max(limit * 8, 24)]:
            index = int(position)
            score = float(scored.score[index])
            if score < best_score * RELATIVE_TO_BEST or score <= 0:
                break
            passage = self.passages[index]
            key = (passage.source, passage.kind)
            if key in groups:
                if score >= float(scored.score[groups[key][0]]) * MERGE_SHARE:
                    groups[key].append(index)
            elif len(groups) < limit:
                groups[key] = [index]
        return tuple(self._merged(members, float(scored.score[members[0]]))
                     for members in groups.values())

    def _merged(self, members: list[int], score: float) -> Passage:
        """One passage from blocks of the same step, in the order the lesson has them."""
        first = self.passages[min(members)]
        text = "\n\n".join(self.passages[index].text for index in sorted(members))
        return replace(first, text=text, score=round(score, 4))

    def _closest_lessons(self, scored: Scores, order: Any) -> tuple[LessonMatch, ...]:
        if max(scored.coverage.values(), default=0.0) < CLOSEST_MIN_COVERAGE:
            return ()
        best: dict[str, float] = {}
        for position in order[:500]:
            index = int(position)
            if scored.score[index] <= 0:
                break
            lesson_id = self.passages[index].lesson_id
            best.setdefault(lesson_id, float(scored.score[index]))
            if len(best) == CLOSEST_LESSONS:
                break
        return tuple(LessonMatch(lesson_id, self.lesson_titles[lesson_id], round(value, 4))
                     for lesson_id, value in best.items())
