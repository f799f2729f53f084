"""The course as the tutor sees it once lesson files are validated.

Everything here is immutable: a loaded course never changes while the tutor runs.
The step types themselves (say, choice, text, command, cleanup) live in
``tutor.steps``, one module each, with how they are parsed, shown and answered;
here is what every step shares and what the rest of the tutor may ask of one.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, overload

from tutor.course.practice_spec import VarSpec, var_names

if TYPE_CHECKING:
    from random import Random

    from rich.console import Console

    from tutor.schema.location import LessonProblem
    from tutor.steps.command import CommandStep

# Fills a text's {{ placeholders }} with this run's values.
Fill = Callable[[str], str]


@dataclass(frozen=True)
class Verdict:
    """How a question step judged a line the learner typed."""

    correct: bool
    # Why a wrong answer is wrong (from the lesson), or how to answer when the
    # input was not understood.
    feedback: tuple[str, ...] = ()
    # The input was not an answer at all (letter "z" of four choices): it does not
    # count as an attempt.
    unclear: bool = False
    # The answer was recognised from words rather than in the form asked for (a
    # choice's text instead of its letter): a request in words wins over it.
    by_words: bool = False
    # Words that were close to one choice but not certain: "did you mean (b)?".
    proposed: int | None = None


@dataclass(frozen=True)
class QuizEntry:
    """One quiz question of a lesson as the lesson's header knows it (tutor.quiz.entries):
    enough to count reviews due and topic standings without reading the steps."""

    key: str  # the question's identity (tutor.quiz.questions.question_key)
    topics: tuple[str, ...]
    lesson_id: str


# Choices are lettered a, b, c...: a choice step shows them so, and whoever reports a
# verdict's ``proposed`` choice says its letter.
CHOICE_LABELS = "abcdefghijklmnopqrstuvwxyz"


def choice_label(index: int) -> str:
    return CHOICE_LABELS[index]


@dataclass(frozen=True)
class Reading:
    """A part of a step that a learner reads, as the lessons' index takes it
    (tutor.knowledge): each is searched by its words plus ``extra``, and quoted."""

    kind: str  # "say", "task", "explanation" or "feedback"
    text: str  # Markdown
    context: str | None = None  # what it is about; None: each block's own heading
    extra: str = ""  # more words it is found by (the question, hints, solutions)
    example: str = ""  # commands quoted with it
    by_block: bool = True  # cut into blocks, each block a passage of its own
    heading_found: bool = False  # a block's heading is among the words it is found by


def first_paragraph(text: str) -> str:
    """The first paragraph of Markdown, on one line."""
    return " ".join(text.strip().split("\n\n", 1)[0].split()) if text else ""


class StepHost(Protocol):
    """What a step may ask of the conversation that shows it."""

    console: Console

    def template_values(self, step: Step) -> dict[str, str]:
        """{{ workspace }} and the lesson's vars, as chosen for this learner."""

    def enter_practice(self, step: CommandStep) -> dict[str, str]:
        """Set up a practice step (fixtures, vars); returns its template values."""

    def leave_practice(self, step: CommandStep) -> None:
        """Remove what the practice step set up."""

    def check_practice(self, step: CommandStep) -> bool:
        """Judge a practice step against the engine; True when it passes."""

    def offer_cleanup(self) -> None:
        """List what the learner created in this lesson and offer to remove it."""


@dataclass(frozen=True, kw_only=True)
class Step:
    """One step of a lesson; subclasses in ``tutor.steps`` add their fields and behaviour."""

    id: str
    hints: tuple[str, ...] = ()
    explanation: str = ""
    # Topics a question is about (quiz rounds by topic); empty for most steps.
    topics: tuple[str, ...] = ()
    # How quizzes use the step (tutor.quiz): "ask" for a choice or text question,
    # "recall" (type the command, judged by meaning) and "challenge" (do it against the
    # engine) for a practice step; empty when it stays out of quizzes.
    quiz: tuple[str, ...] = ()

    kind: ClassVar[str] = ""
    is_question: ClassVar[bool] = False
    # A free-text answer may begin with "docker"; on other steps such a line runs.
    takes_docker_answers: ClassVar[bool] = False
    # What /next asks for before moving on from an unanswered step.
    pending_action: ClassVar[str] = "Answer the question"

    def texts(self) -> tuple[str, ...]:
        """Everything the author wrote that a learner reads (placeholders, search)."""
        return (*self.hints, self.explanation)

    def declared_names(self) -> frozenset[str]:
        """Placeholder names the step itself declares (its vars, its fixtures)."""
        return frozenset(var_names(self.own_vars()))

    def own_vars(self) -> tuple[VarSpec, ...]:
        """The step's own template variables (chosen when it starts)."""
        return ()

    def render(self, console: Console, fill: Fill) -> None:
        """Show the step's body (the header is the conversation's)."""
        raise NotImplementedError

    def judge(self, answer: str) -> Verdict:
        """Judge a line typed on this step (question steps only)."""
        return Verdict(False, ("This step has no question: press Enter to go on "
                               "(or /help for commands).",), unclear=True)

    def practice_task(self) -> CommandStep | None:
        """The step as a practice task that docker commands work on, if it is one."""
        return None

    # -- outside the lesson: the index of what learners read, and quizzes ----------------

    def readings(self) -> tuple[Reading, ...]:
        """What a learner reads in this step, for answers to their questions."""
        return ()

    def explanation_reading(self, context: str, extra: str) -> Reading:
        return Reading("explanation", self.explanation, context,
                       f"{extra}\n" + "\n".join(self.hints))

    def quiz_identity(self, mode: str) -> tuple:
        """What makes the step, asked in quiz ``mode``, the question it is: when this
        changes, it is another question (tutor.quiz.questions)."""
        return (self.kind, repr(self))

    def shuffled(self, rng: Random) -> Step:
        """The step as a quiz asks it (a choice step's choices in another order)."""
        return self

    def answer_in_words(self, fill: Fill) -> str | None:
        """The right answer, said after a miss in a quiz; None when there is none to say."""
        return None

    # -- hooks: what happens around the step, through the host -------------------------

    def prepare(self, host: StepHost) -> dict[str, str]:
        """Before the step is shown; returns the values its text is filled with."""
        return host.template_values(self)

    def after_show(self, host: StepHost) -> None:
        """After the step is shown."""

    def leave(self, host: StepHost) -> None:
        """When the learner moves away from the step."""

    def recheck(self, host: StepHost) -> bool | None:
        """/check: True when it now passes; None when the step has nothing to check."""
        return None


class StepsOnDemand(Sequence["Step"]):
    """A lesson's steps, read when first needed; until then ``length`` says how many
    there are. Subclasses say how they are read (``_read``)."""

    def __init__(self, length: int, source: Path) -> None:
        self.length = length
        self.source = source
        self._steps: tuple[Step, ...] | None = None

    def _load(self) -> tuple[Step, ...]:
        if self._steps is None:
            self._steps = self._read()
        return self._steps

    def _read(self) -> tuple[Step, ...]:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.length if self._steps is None else len(self._steps)

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Step, ...]: ...

    def __getitem__(self, index: int | slice) -> Step | tuple[Step, ...]:
        return self._load()[index]

    def __iter__(self) -> Iterator[Step]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))


class LazySteps(StepsOnDemand):
    """A lesson's steps, read from the parse cache when first needed: a course of a
    thousand lessons opens with their titles, not their every word."""

    def _read(self) -> tuple[Step, ...]:
        with open(self.source, "rb") as handle:
            return tuple(pickle.load(handle))

    def read_once(self) -> tuple[Step, ...]:
        """The steps for their texts, without keeping them loaded if they were not: a pass
        over the whole course (the lessons' index) would otherwise hold every lesson's
        steps for good. Their checks are left unread (``_TextsUnpickler``)."""
        steps = self._steps
        if steps is not None:
            return steps
        with open(self.source, "rb") as handle:
            return tuple(_TextsUnpickler(handle).load())

    def __getstate__(self) -> dict[str, object]:
        return {"length": self.length, "source": self.source}  # never the loaded steps

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.length, self.source, self._steps = state["length"], state["source"], None


class _UnreadCheck:
    """Stands in for a check tree, and anything else of ``tutor.checks``, in steps read
    for their texts."""

    def __new__(cls, *args: Any, **kwargs: Any) -> _UnreadCheck:
        return object.__new__(cls)

    def __setstate__(self, state: Any) -> None:
        pass


class _TextsUnpickler(pickle.Unpickler):
    """Leaves out what a step's texts never need: its check, whose classes would bring in
    every check kind's module (the engine queries, the Dockerfile lint) when a whole
    course is read for the lessons' index."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "tutor.checks" or module.startswith("tutor.checks."):
            return _UnreadCheck
        return super().find_class(module, name)


def problems_on_opening(lesson: Lesson) -> tuple[LessonProblem, ...]:
    """What keeps a lesson read from its header alone from being played, found by
    parsing it whole now (tutor.lessonfile.headers); () for every other lesson."""
    problems = getattr(lesson.steps, "problems", None)
    return tuple(problems()) if callable(problems) else ()


def read_steps_once(lesson: Lesson) -> Sequence[Step]:
    """A lesson's steps for one pass over the course (``LazySteps.read_once``)."""
    steps = lesson.steps
    read_once = getattr(steps, "read_once", None)  # LazySteps, DeferredSteps
    return read_once() if callable(read_once) else steps


@dataclass(frozen=True)
class GlossaryEntry:
    """A term a lesson explains in a few words (``glossary:`` in a lesson file); the
    tutor answers a learner's "what is ..." from it."""

    term: str
    text: str
    aliases: tuple[str, ...] = ()
    step: str | None = None  # the id of the step that teaches the term, if one does
    line: int | None = field(default=None, compare=False)  # where the entry is, for messages

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class RecapEntry:
    """A line a lesson adds to its cheat sheet (``recap:``): a command and what it does,
    or a sentence alone."""

    text: str
    command: str | None = None


@dataclass(frozen=True)
class Topic:
    """A quiz topic the course declares (``topics:`` in course.yaml)."""

    id: str
    title: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    steps: Sequence[Step]  # a tuple, or LazySteps from the parse cache
    requires: tuple[str, ...] = ()
    needs_engine: bool = False
    recap: tuple[RecapEntry, ...] = ()  # lines the lesson adds to its cheat sheet
    source: Path | None = None
    requires_lines: tuple[int, ...] = ()  # where each `requires` entry is, for messages
    # Lesson-wide template variables, chosen once per lesson and kept in progress, for
    # resources that live across steps (a registry port).
    variables: tuple[VarSpec, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    # The quiz topics its steps name: known without reading the steps (a course checks
    # them against its declared topics on every start).
    quiz_topics: frozenset[str] = frozenset()
    # Its quiz questions, noted when the file was parsed; None: read them from the steps.
    quiz_entries: tuple[QuizEntry, ...] | None = None

    def step_index(self, step_id: str) -> int | None:
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        return None

    @property
    def question_count(self) -> int:
        return sum(1 for step in self.steps if step.is_question)


@dataclass(frozen=True)
class Course:
    title: str
    lessons: tuple[Lesson, ...]
    problems: tuple[LessonProblem, ...] = ()  # for files that failed to load
    warnings: tuple[LessonProblem, ...] = ()  # unwise but allowed (docker-tutor lint shows them)
    topics: tuple[Topic, ...] = ()  # quiz topics, in the order course.yaml gives them
    # Lessons read from their headers alone (tutor.lessonfile.headers): their problems,
    # if any, are found when they are opened or by the background parse.
    unchecked_lessons: int = 0

    def lesson(self, lesson_id: str) -> Lesson | None:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        return None

    def topic_title(self, topic_id: str) -> str:
        """A topic's title; a lesson's title for a question filed under its lesson."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic.title
        lesson = self.lesson(topic_id)
        return lesson.title if lesson is not None else topic_id
