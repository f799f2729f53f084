"""Everything a learner can read in a course, as passages that can answer a question.

Say steps, explanations, the feedback of wrong choices, practice tasks and glossary
entries are cut into blocks (``tutor.knowledge.markdown``). Each passage is searched
by its own words plus its surroundings (``extra``): a section heading, the question
an explanation answers, a task's hints and solution, a glossary entry's aliases.
``{{ placeholders }}`` are never searched: they are filled with default values for
the quoted text and dropped from the searched words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from tutor.course.lesson import Course, GlossaryEntry, Lesson, Step
from tutor.course.placeholders import PLACEHOLDER, render_template
from tutor.knowledge.markdown import emphasised, split_blocks
from tutor.knowledge.passages import Passage


@dataclass(frozen=True)
class Unit:
    """A passage with the words it is found by."""

    passage: Passage
    raw: str  # the passage's text as written, placeholders and all
    extra: str = ""  # searched with the passage's text, never quoted
    names: tuple[str, ...] = ()  # a glossary entry's term and aliases

    @property
    def searched_text(self) -> str:
        """A glossary entry is read as "term (aliases): text"; other passages as written."""
        names = "\n".join(self.names)
        return strip_placeholders(f"{names}\n{self.raw}" if names else self.raw)

    @property
    def searched_extra(self) -> str:
        return strip_placeholders(self.extra)


class _UnitMaker(Protocol):
    """Makes a unit of the step being read (``unit`` in lesson_units)."""

    def __call__(self, kind: str, text: str, context: str = "", extra: str = "",
                 example: str = "") -> Unit: ...


def strip_placeholders(text: str) -> str:
    return PLACEHOLDER.sub(" ", text)


def _defaults(lesson: Lesson, step: Step | None) -> dict[str, str]:
    """Values to show for placeholders: each var's default; names without one show as
    themselves."""
    values: dict[str, str] = {}
    for spec in (*lesson.variables, *(step.own_vars() if step else ())):
        values.update(spec.values(spec.default))
    return values


class _Filler:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def __call__(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.values.get(m.group(1), m.group(1)),
                               render_template(text, self.values))


def course_units(course: Course) -> list[Unit]:
    """Every passage of the course, lesson by lesson, in reading order."""
    return [unit for lesson in course.lessons for unit in lesson_units(lesson)]


def lesson_units(lesson: Lesson, steps: Sequence[Step] | None = None) -> Iterator[Unit]:
    """The lesson's passages; ``steps``: its steps when the caller has read them already."""
    steps = lesson.steps if steps is None else steps
    numbers = {step.id: number for number, step in enumerate(steps, start=1)}
    for number, step in enumerate(steps, start=1):
        fill = _Filler(_defaults(lesson, step))

        def unit(kind: str, text: str, context: str = "", extra: str = "",
                 example: str = "", step: Step = step, number: int = number,
                 fill: _Filler = fill) -> Unit:
            passage = Passage(lesson.id, lesson.title, step.id, number, kind, fill(text),
                              context=fill(context), example=fill(example))
            return Unit(passage, text, extra)

        yield from _step_units(step, unit)
    for entry in lesson.glossary:
        yield _glossary_unit(lesson, entry, numbers)


def _step_units(step: Step, unit: _UnitMaker) -> Iterator[Unit]:
    """The step's readings (``Step.readings``), cut into blocks where they say so."""
    for reading in step.readings():
        if not reading.by_block:
            yield unit(reading.kind, reading.text, reading.context or "", reading.extra,
                       reading.example)
            continue
        for block in split_blocks(reading.text):
            found_by = [block.heading] if reading.heading_found else []
            extra = "\n".join((*found_by, block.lead, reading.extra))
            context = block.heading if reading.context is None else reading.context
            yield unit(reading.kind, block.text, context, extra, reading.example)


def _glossary_unit(lesson: Lesson, entry: GlossaryEntry, numbers: dict[str, int]) -> Unit:
    passage = Passage(lesson.id, lesson.title, entry.step,
                      numbers.get(entry.step) if entry.step else None, "glossary",
                      entry.text, context=entry.term)
    return Unit(passage, entry.text, "", entry.names)


# A word in capitals inside a command written out (`--entrypoint PROGRAM`,
# `docker exec -it NAME sh`) stands for what the learner fills in, not for a topic.
METAVARIABLE = re.compile(r"\b[A-Z][A-Z0-9_]+\b")


def lesson_topic_texts(lesson: Lesson, steps: Sequence[Step] | None = None) -> Iterator[str]:
    """Texts whose words are the lesson's topics: its title, headings, glossary names,
    and what it sets in bold or as code (a standalone `CMD` is a topic, the PROGRAM of
    `--entrypoint PROGRAM` is not); ``steps``: its steps when read already."""
    yield lesson.title
    for entry in lesson.glossary:
        yield from entry.names
    for step in lesson.steps if steps is None else steps:
        for text in step.texts():
            for emphasis in emphasised(strip_placeholders(text)):
                has_lowercase = any(char.islower() for char in emphasis)
                yield METAVARIABLE.sub(" ", emphasis) if has_lowercase else emphasis
            yield from (block.heading for block in split_blocks(text) if block.heading)
