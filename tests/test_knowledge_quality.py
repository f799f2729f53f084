"""How well the tutor answers learners' questions from the shipped lessons.

The question set (tests/data/knowledge_questions.yaml) says which passages answer
each question. These are quality guards: deterministic, not timed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import SHIPPED_LESSONS

from tutor.knowledge import KnowledgeIndex
from tutor.knowledge.corpus import course_units
from tutor.lessonfile.loader import load_course

QUESTIONS = Path(__file__).parent / "data" / "knowledge_questions.yaml"


@pytest.fixture(scope="module")
def course():
    return load_course(SHIPPED_LESSONS)


@pytest.fixture(scope="module")
def index(course):
    return KnowledgeIndex.build(course)


@pytest.fixture(scope="module")
def questions():
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


def hit_rates(index: KnowledgeIndex, items: list[dict]) -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    missed = []
    for item in items:
        sources = [passage.source for passage in index.ask(item["q"], limit=3).passages]
        expected = set(item["expect"])
        top1 += bool(sources) and sources[0] in expected
        hit = any(source in expected for source in sources)
        top3 += hit
        if not hit:
            missed.append(f"{item['q']!r} -> {sources}")
    return top1 / len(items), top3 / len(items), missed


def test_the_question_set_is_large_and_names_real_passages(course, questions):
    sources = {unit.passage.source for unit in course_units(course)}
    assert len(questions["answered"]) >= 80
    assert len(questions["unanswered"]) >= 15
    for item in questions["answered"] + questions["fresh"]:
        unknown = [source for source in item["expect"] if source not in sources]
        assert not unknown, f"{item['q']!r} expects passages no lesson has: {unknown}"


def test_no_question_is_copied_from_a_lesson(course, questions):
    def fold(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    lesson_text = " " + fold(" ".join(
        text for lesson in course.lessons
        for text in (lesson.title, lesson.summary,
                     *(t for step in lesson.steps for t in step.texts()),
                     *(entry.text for entry in lesson.glossary)))) + " "
    asked = [item["q"] for item in questions["answered"] + questions["fresh"]]
    copied = [question for question in asked + questions["unanswered"]
              if f" {fold(question)} " in lesson_text]
    assert copied == []


def test_answered_questions_find_their_passage(index, questions):
    top1, top3, missed = hit_rates(index, questions["answered"])
    assert top1 >= 0.90, (top1, missed)
    assert top3 >= 0.98, (top3, missed)


def test_questions_the_ranking_was_not_tuned_on(index, questions):
    top1, top3, missed = hit_rates(index, questions["fresh"])
    assert top1 >= 0.70, (top1, missed)
    assert top3 >= 0.90, (top3, missed)


def test_every_answered_question_is_found(index, questions):
    unfound = [item["q"] for item in questions["answered"] + questions["fresh"]
               if not index.ask(item["q"]).found]
    assert len(unfound) <= 2, unfound


def test_unrelated_questions_are_not_answered(index, questions):
    answered = {question: [p.source for p in index.ask(question).passages]
                for question in questions["unanswered"] if index.ask(question).found}
    assert answered == {}
