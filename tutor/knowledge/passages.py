"""What an answer is made of: passages quoted from the lessons, best first."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tutor.knowledge.markdown import plain

# What a passage is, by where in a lesson it was written.
KINDS = ("say", "explanation", "feedback", "task", "glossary")


@dataclass(frozen=True)
class Passage:
    """A piece of a lesson that answers a question.

    ``text`` is Markdown as the lesson wrote it, cut to the paragraph(s) that answer,
    with ``{{ placeholders }}`` filled with the lesson's default values (a name with
    no default shows as itself). ``context`` says what the text belongs to: the
    section heading of a say step, the question an explanation answers, the wrong
    choice a feedback corrects, the term of a glossary entry.
    """

    lesson_id: str
    lesson_title: str
    step_id: str | None  # None for a glossary entry that names no step
    step_number: int | None  # 1-based, as /lessons and the step header count
    kind: str  # one of KINDS
    text: str
    context: str = ""
    example: str = ""  # a task's solution, as commands (one a line)
    score: float = 0.0

    @property
    def source(self) -> str:
        """``lesson-id/step-id``, or ``glossary/TERM`` for a glossary entry."""
        if self.kind == "glossary":
            return f"glossary/{self.context}"
        return f"{self.lesson_id}/{self.step_id}"

    @property
    def label(self) -> str:
        """Where the passage comes from, in words: 'What Docker is, step 4'."""
        if self.kind == "glossary":
            where = f"{self.lesson_title}, step {self.step_number}" if self.step_number \
                else self.lesson_title
            return f"{self.context} ({where})"
        return f"{self.lesson_title}, step {self.step_number}"

    def excerpt(self, limit: int = 200) -> str:
        """The text as one plain line, cut at a sentence (or word) before ``limit``."""
        line = plain(self.text)
        if len(line) <= limit:
            return line
        cut = line[:limit]
        sentence = max((m.end() for m in re.finditer(r"[.!?](?=\s)", cut)), default=0)
        if sentence >= limit // 3:
            return cut[:sentence]
        return cut.rsplit(" ", 1)[0] + " …"

    def scored(self, score: float) -> Passage:
        return replace(self, score=score)


@dataclass(frozen=True)
class LessonMatch:
    """A lesson near a question, for "these lessons may help"."""

    lesson_id: str
    lesson_title: str
    score: float


@dataclass(frozen=True)
class Answer:
    """What the lessons say to a question.

    ``found`` is False when nothing in the lessons answers it well enough: then
    ``passages`` is empty, and ``closest_lessons`` (possibly empty too) names the
    lessons nearest the question. ``corrections`` are the words read differently
    from how they were typed (``("publsh", "publish")``), to show the learner.
    """

    question: str
    found: bool
    passages: tuple[Passage, ...] = ()
    closest_lessons: tuple[LessonMatch, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
