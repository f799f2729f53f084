"""Shared fixtures: a small course on disk, an in-memory console, a fake Practice.

Nothing here touches the real user data directory: every test gets its own
tmp_path for lessons and progress.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from tutor.course.lesson import Course, Lesson
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.progress import Progress, ProgressStore
from tutor.render.theme import TUTOR_THEME
from tutor.repl.conversation import Conversation
from tutor.steps.command import CommandStep
from tutor.steps.say import SayStep

# Fixtures for practice sessions without an engine (tests/practice_kit.py).
pytest_plugins = ["practice_kit"]

REPO = Path(__file__).resolve().parents[1]
SHIPPED_LESSONS = REPO / "lessons"


@pytest.fixture(autouse=True)
def engine_not_shared(monkeypatch):
    """Tests expect the lessons' own names: another test run's containers on the same
    engine must not switch a test's learner to personal names (tests of that switch set
    ``shared_engine`` themselves)."""
    monkeypatch.setenv("DOCKER_TUTOR_SHARED_ENGINE", "0")


@pytest.fixture(autouse=True)
def own_runtime_dir(monkeypatch, tmp_path):
    """Each test has its own machine-wide folder (the names and ports sessions reserve):
    a session of an earlier test, or of another test run on this machine, must not
    move a test's learner off the lessons' own names."""
    runtime = tmp_path / "machine-runtime"
    monkeypatch.setenv("DOCKER_TUTOR_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr("tutor.environment.machine_runtime_dir", lambda: runtime)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} time(s) in the YAML under test")


# -- a small course written as YAML -------------------------------------------------

FIRST_LESSON = dedent(
    """
    id: first
    title: First lesson
    summary: The first lesson, about kernels and registries.
    steps:
      - id: intro
        type: say
        text: Welcome to the first lesson.
      - id: kernel
        type: choice
        question: What do containers on one host share?
        choices:
          - text: The host kernel
            correct: true
          - text: A guest operating system
            feedback: That describes a virtual machine.
          - text: A hypervisor
            feedback: Containers need no hypervisor.
        hints:
          - Think about uname -r inside a container.
          - It starts with k.
        explanation: Containers are processes sharing the host kernel.
      - id: registry
        type: text
        question: Name the public registry run by Docker, Inc.
        accept:
          - ignore_case: Docker Hub
        feedback:
          - when: { ignore_case: quay.io }
            text: Quay is run by Red Hat.
        hints:
          - It is a hub.
        explanation: Docker Hub is the default registry.
      - id: wrap
        type: say
        text: That is all for the first lesson.
    """
)

SECOND_LESSON = dedent(
    """
    id: second
    title: Second lesson
    summary: The second lesson, with a multiple-answer question.
    requires: [first]
    steps:
      - id: hello
        type: say
        text: Welcome to the second lesson.
      - id: pick
        type: choice
        question: Which of these are container runtimes?
        choices:
          - text: runc
            correct: true
          - text: nginx
            feedback: nginx is a web server.
          - text: crun
            correct: true
        hints:
          - Two of them end in "run".
        explanation: runc and crun are OCI runtimes.
    """
)


def write_course(directory: Path, lessons: dict[str, str], title: str = "Test course",
                 listed: list[str] | None = None) -> Path:
    """Write course.yaml (listing ``listed`` or every lesson) and one file per lesson."""
    directory.mkdir(parents=True, exist_ok=True)
    ids = listed if listed is not None else list(lessons)
    course = f"title: {title}\nlessons:\n" + "".join(f"  - {i}\n" for i in ids)
    (directory / "course.yaml").write_text(course, encoding="utf-8")
    for lesson_id, text in lessons.items():
        (directory / f"{lesson_id}.yaml").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return write_course(tmp_path / "lessons", {"first": FIRST_LESSON, "second": SECOND_LESSON})


@pytest.fixture
def course(course_dir: Path) -> Course:
    loaded = load_course(course_dir)
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


# -- a course with a practice step, built from model objects -------------------------

PRACTICE_LESSON = Lesson(
    id="practice",
    title="Practice lesson",
    summary="Pull an image.",
    steps=(
        SayStep(id="before", text="Time to practise."),
        CommandStep(id="pull", task="Pull the busybox image.", check={"image": "busybox"},
                    hints=("Use docker pull.",), explanation="The image is now local."),
        SayStep(id="after", text="Well pulled."),
    ),
)


@pytest.fixture
def practice_course() -> Course:
    return Course(title="Practice course", lessons=(PRACTICE_LESSON,))


class FakeOutcome:
    """What a practice run led to; truthy when the step passed."""

    def __init__(self, passed: bool) -> None:
        self.passed = passed
        self.confirm = None

    def __bool__(self) -> bool:
        return self.passed


class FakePractice:
    """Records every call as (name, line or step id..., step); answers as configured.

    The lesson id the conversation passes along (when it does) is recorded in
    ``lesson_ids``; the step is always the last argument.
    """

    def __init__(self, run_result: bool | None = False, check_result: bool = False) -> None:
        self.run_result = run_result
        self.check_result = check_result
        self.calls: list[tuple] = []
        self.lesson_ids: list = []

    def _lesson(self, args: tuple) -> None:
        if len(args) > 1:
            self.lesson_ids.append(args[0])

    def run_command(self, line, *args):
        self._lesson(args)
        self.calls.append(("run_command", line, args[-1]))
        return FakeOutcome(bool(self.run_result))

    def check_step(self, *args):
        self._lesson(args)
        self.calls.append(("check_step", args[-1]))
        return self.check_result

    def enter_step(self, *args):
        self._lesson(args)
        self.calls.append(("enter_step", args[-1].id))
        return {}

    def leave_step(self, *args):
        self._lesson(args)
        self.calls.append(("leave_step", args[-1].id))

    def values_for(self, step):
        return {}

    def begin_lesson(self, lesson, record):
        # Kept apart from `calls`: tests compare those to the learner's actions.
        self.begun = [*getattr(self, "begun", []), lesson.id]
        self.record = record

    def created_in_lesson(self):
        return list(getattr(self, "created", []))

    def remove_created(self, items):
        self.calls.append(("remove_created", len(items)))
        self.created = [item for item in getattr(self, "created", []) if item not in items]
        return [f"{item['kind']} {item.get('name') or item.get('ref')}" for item in items]

    def status(self):
        from tutor.practice.protocol import EngineLine

        return EngineLine("fake engine", True)

    def edit(self, name):
        self.calls.append(("edit", name))

    def plain_problem(self):
        return getattr(self, "problem", None)

    def watch_engine(self, changed):
        self.watchers = [*getattr(self, "watchers", []), changed]

    def known_names(self, kind):
        return list(getattr(self, "names", {}).get(kind, ()))

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


# -- console, store, conversation -------------------------------------------------------


def make_console() -> Console:
    return Console(file=io.StringIO(), theme=TUTOR_THEME, width=100, no_color=True,
                   color_system=None, force_terminal=False, highlight=False, emoji=False)


class Talk:
    """A Conversation plus easy access to what it printed since the last look."""

    def __init__(self, conversation: Conversation) -> None:
        self.conv = conversation
        self._seen = 0

    @property
    def file(self) -> io.StringIO:
        return self.conv.console.file  # type: ignore[return-value]

    def output(self) -> str:
        """Everything printed since the previous call."""
        text = self.file.getvalue()
        new = text[self._seen:]
        self._seen = len(text)
        return new

    def say(self, line: str) -> str:
        self.output()
        self.conv.handle(line)
        return self.output()

    @property
    def position(self) -> tuple[str | None, str | None]:
        step = self.conv.step
        return (self.conv.lesson.id if self.conv.lesson else None, step.id if step else None)


@pytest.fixture
def progress_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "progress.json"


@pytest.fixture
def make_talk(progress_path: Path) -> Callable[..., Talk]:
    """Build a Talk over ``course``; progress comes from the store unless given."""

    def build(course: Course, practice=None, progress: Progress | None = None) -> Talk:
        store = ProgressStore(progress_path)
        if progress is None:
            progress = store.load().progress
        conversation = Conversation(course, store, make_console(), practice=practice,
                                    progress=progress)
        return Talk(conversation)

    return build


@pytest.fixture
def talk(make_talk, course) -> Talk:
    return make_talk(course)


def saved(progress_path: Path) -> Progress:
    """What is on disk now."""
    result = ProgressStore(progress_path).load()
    assert result.backup is None and result.problem is None
    return result.progress


# -- environment for the CLI ------------------------------------------------------------


@pytest.fixture
def make_env(tmp_path: Path) -> Callable[..., Environment]:
    def build(lessons_dir: Path = SHIPPED_LESSONS) -> Environment:
        return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={},
                           data_dir=tmp_path / "data", lessons_dir=lessons_dir,
                           stdout_isatty=False, stdin_isatty=False, width=100)

    return build
