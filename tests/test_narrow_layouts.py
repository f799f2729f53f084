"""What the tutor shows at 60 and 80 columns: lesson ids whole, diagrams never cut,
a toolbar that says less instead of losing its end."""

from __future__ import annotations

import io
import re

import pytest
from replkit import load_shipped
from rich.console import Console

from tutor.course.lesson import Course, Lesson
from tutor.practice.protocol import EngineLine
from tutor.progress import LessonRecord, Progress, StepRecord
from tutor.render import blocks, tables
from tutor.render.theme import TUTOR_THEME
from tutor.repl.toolbar import make_toolbar, short_engine_text
from tutor.steps.say import SayStep

WIDTHS = (60, 80)


def console_of(width: int) -> Console:
    return Console(file=io.StringIO(), theme=TUTOR_THEME, width=width, no_color=True,
                   color_system=None, force_terminal=False, highlight=False, emoji=False)


def printed(console: Console) -> list[str]:
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def whole_word(word: str, lines: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    return any(pattern.search(line) for line in lines)


@pytest.fixture(scope="module")
def shipped() -> Course:
    return load_shipped()


# -- the lesson table ------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_greetings_table_is_one_line_per_lesson_with_every_id_whole(shipped, width):
    console = console_of(width)
    tables.lesson_table(console, shipped, Progress(), compact=True)
    lines = printed(console)
    rows = [line for line in lines if "│" in line]
    assert len(rows) == len(shipped.lessons)
    assert all(len(line.rstrip()) <= width for line in lines)
    for lesson, row in zip(shipped.lessons, rows, strict=True):
        assert whole_word(lesson.id, [row]), (lesson.id, row)


def test_the_greetings_table_says_which_lessons_need_the_engine(shipped):
    console = console_of(80)
    tables.lesson_table(console, shipped, Progress(), compact=True)
    rows = {line.split("│")[2].strip(): line.split("│")[3].strip()
            for line in printed(console) if line.count("│") == 3}
    assert rows["what-is-docker"] == "not started"
    assert rows["image-commands"] == "needs engine"


def test_a_greeting_too_narrow_for_one_line_per_lesson_falls_back_to_two():
    long_id = "life-before-and-after-containers"
    course = Course(title="T", lessons=(Lesson(id=long_id, title="A title", summary="s",
                                               steps=()),))
    console = console_of(40)
    tables.lesson_table(console, course, Progress(), compact=True)
    lines = printed(console)
    assert whole_word(long_id, lines) and any("A title" in line for line in lines)


@pytest.mark.parametrize("height, rows", [(50, 12), (24, 10), (16, 4), (5, 4)])
def test_the_greeting_shows_fewer_lessons_on_a_short_terminal(height, rows):
    from tutor.repl.greeting import greeting_rows

    assert greeting_rows(height) == rows


@pytest.mark.parametrize("width", WIDTHS)
def test_lesson_table_shows_every_id_whole(shipped, width):
    console = console_of(width)
    tables.lesson_table(console, shipped, Progress())
    lines = printed(console)
    assert all(len(line.rstrip()) <= width for line in lines)
    assert not any("…" in line for line in lines)
    for number, lesson in enumerate(shipped.lessons, start=1):
        assert whole_word(lesson.id, lines), (width, lesson.id)
        assert any(re.match(rf"\s*{number} ", line) for line in lines)


def test_lesson_table_keeps_its_four_columns_when_they_fit(shipped):
    console = console_of(120)
    tables.lesson_table(console, shipped, Progress())
    lesson = shipped.lessons[0]
    row = next(line for line in printed(console) if lesson.id in line)
    assert lesson.title in row and "not started" in row  # one line per lesson


def test_lesson_table_at_60_columns_puts_id_and_status_under_the_title(shipped):
    lesson = shipped.lessons[0]
    progress = Progress(lessons={lesson.id: LessonRecord(
        steps={lesson.steps[0].id: StepRecord(status="passed")})},
        current_lesson=lesson.id, current_step=lesson.steps[1].id)
    console = console_of(60)
    tables.lesson_table(console, shipped, progress)
    lines = printed(console)
    title_at = next(i for i, line in enumerate(lines) if lesson.title in line)
    assert lesson.id in lines[title_at + 1]
    assert f"1/{len(lesson.steps)} steps" in lines[title_at + 1]


def test_an_id_longer_than_a_narrow_window_is_folded_not_cut():
    long_id = "a-lesson-id-that-is-much-longer-than-sixty-columns-of-terminal"
    course = Course(title="Long", lessons=(
        Lesson(id=long_id, title="Long id", summary="s", steps=(SayStep(id="x", text="x"),)),))
    console = console_of(60)
    tables.lesson_table(console, course, Progress())
    text = "".join(line.strip(" │") for line in printed(console))
    assert long_id in text.replace(" ", "")
    assert "…" not in text


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_table_fits_without_cutting_numbers(shipped, width):
    console = console_of(width)
    tables.progress_table(console, shipped, Progress())
    lines = printed(console)
    assert all(len(line.rstrip()) <= width for line in lines)
    assert not any("…" in line for line in lines)
    for lesson in shipped.lessons:
        assert any(f"0/{len(lesson.steps)}" in line for line in lines)


# -- diagrams ---------------------------------------------------------------------------------


def shipped_diagrams(course: Course) -> list[tuple[str, str, str | None]]:
    return [(f"{lesson.id}/{step.id}", step.diagram, step.diagram_title)
            for lesson in course.lessons for step in lesson.steps
            if isinstance(step, SayStep) and step.diagram]


@pytest.mark.parametrize("width", WIDTHS)
def test_shipped_diagrams_are_never_cut(shipped, width):
    diagrams = shipped_diagrams(shipped)
    if not diagrams:
        pytest.skip("no shipped lesson has a diagram")
    for where, text, title in diagrams:
        console = console_of(width)
        blocks.diagram(console, text, title)
        lines = printed(console)
        for drawn in text.splitlines():
            if drawn.strip():
                assert any(drawn.rstrip() in line for line in lines), (width, where, drawn)


def test_a_diagram_that_fits_is_framed():
    console = console_of(80)
    blocks.diagram(console, "[a] --> [b]", "Flow")
    lines = printed(console)
    assert "Flow" in lines[0] and "╭" in lines[0]
    assert "│ [a] --> [b] │" in lines[1]


def test_a_diagram_too_wide_for_a_frame_is_printed_unframed():
    picture = "+" + "-" * 56 + "+"   # 58 columns: fits 60 only without the frame
    console = console_of(60)
    blocks.diagram(console, picture, "Box")
    lines = printed(console)
    assert picture in lines
    assert not any("╭" in line for line in lines)
    assert "Box" in lines[0]
    assert not any("wider" in line or "widen" in line for line in lines)


def test_a_diagram_wider_than_the_window_says_so_and_is_written_whole():
    picture = "\n".join(["<" + "=" * 68 + ">", "|" + " " * 68 + "|"])  # 70 columns
    console = console_of(60)
    blocks.diagram(console, picture)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "This picture is 70 columns wide and the window 60" in " ".join(out.split())
    for drawn in picture.splitlines():
        assert drawn in out.splitlines()  # not cut, not wrapped by the tutor


# -- the toolbar ------------------------------------------------------------------------------


class _Practice:
    def __init__(self, line: EngineLine) -> None:
        self.line = line

    def status(self) -> EngineLine:
        return self.line


class _Conversation:
    def __init__(self, title: str | None, step: int = 3, total: int = 12,
                 engine: str | None = "engine ok · 20.10.24") -> None:
        self.state = (title, step, total)
        self.practice = _Practice(EngineLine(engine, True)) if engine else None

    def toolbar_state(self):
        return self.state


def toolbar_text(conversation, width: int) -> str:
    toolbar = make_toolbar(conversation, columns=lambda: width)  # type: ignore[arg-type]
    return "".join(text for _style, text, *_ in toolbar())


def test_the_toolbar_says_everything_when_there_is_room():
    text = toolbar_text(_Conversation("Working with containers"), 120)
    assert text == (" Working with containers  step 3/12  │  engine ok · 20.10.24  │  "
                    "/help  Ctrl-D quits ")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("title", ["What Docker is", "Life before and after containers",
                                   "A very long lesson title that no narrow terminal can hold"])
def test_the_toolbar_fits_and_keeps_where_the_learner_is(width, title):
    text = toolbar_text(_Conversation(title), width)
    assert len(text) <= width
    assert "3/12" in text
    assert "engine ok" in text
    assert text.startswith(" " + title[:8])


def test_at_80_columns_a_long_title_drops_only_the_key_hint_words():
    text = toolbar_text(_Conversation("Life before and after containers"), 80)
    assert text == (" Life before and after containers  step 3/12  │  engine ok · 20.10.24  │  "
                    "/help ")


def test_at_60_columns_the_toolbar_is_short():
    text = toolbar_text(_Conversation("Life before and after containers"), 60)
    assert text == " Life before and after containers  3/12 │ engine ok │ /help "


def test_a_title_too_long_for_the_toolbar_is_shortened_with_an_ellipsis():
    title = "A very long lesson title that no narrow terminal can hold"
    text = toolbar_text(_Conversation(title), 60)
    assert "…" in text and len(text) <= 60
    assert text.endswith("  3/12 │ engine ok")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_toolbar_without_a_lesson_or_engine_fits(width):
    text = toolbar_text(_Conversation(None, engine=None), width)
    assert text.startswith(" no lesson open") and "/help" in text and len(text) <= width


def test_short_engine_text_keeps_the_first_words():
    assert short_engine_text("engine ok · 20.10.24") == "engine ok"
    assert short_engine_text("engine unreachable (socket missing)") == "engine unreachable"
    assert short_engine_text("engine checking…") == "engine checking…"
