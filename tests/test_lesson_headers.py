"""A large course opened for the first time is read from its lessons' headers: each
lesson's steps are parsed when needed, a broken one says so when it is opened, and a
background parse fills the cache for the next start."""

from __future__ import annotations

import time

import pytest
from conftest import SHIPPED_LESSONS
from replkit import ALPHA, BROKEN, write_course

from tutor.course.lesson import LazySteps, problems_on_opening
from tutor.lessonfile import fill
from tutor.lessonfile.headers import HEADERS_FIRST_AT, DeferredSteps, cut_steps, read_header
from tutor.lessonfile.lesson_file import load_lesson
from tutor.lessonfile.loader import load_course
from tutor.progress import Progress
from tutor.quiz.entries import entries_from_steps

MANY = HEADERS_FIRST_AT + 5


def many_lessons(folder, broken: set[int] = frozenset(), text: str = ALPHA):
    """MANY copies of a lesson, ``broken`` ones with a misspelt step field."""
    lessons = {}
    for number in range(MANY):
        lesson_id = f"lesson-{number:03d}"
        copy = (BROKEN if number in broken else text).replace("id: broken", "id: alpha", 1)
        lessons[lesson_id] = copy.replace("id: alpha", f"id: {lesson_id}", 1)
    return write_course(folder, lessons)


# -- cutting the steps out ---------------------------------------------------------------


@pytest.mark.parametrize("text, length, ids", [
    ("id: a\nsteps:\n  - id: one\n    type: say\n  - id: two\n    type: say\nglossary: []\n",
     2, ["one", "two"]),
    # at column 0, with a comment before the first item and one after the key
    ("steps:  # the steps\n# first\n- id: one\n  text: |\n    - not a step\n-\n  id: two\n",
     2, ["one"]),
    # a block scalar whose lines look like items, one level deeper
    ("title: T\nsteps:\n  - id: x\n    text: |\n      - one\n      - two\nrecap: []",
     1, ["x"]),
])
def test_the_steps_block_is_blanked_and_its_items_counted(text, length, ids):
    cut = cut_steps(text)
    assert cut is not None
    head, counted, found = cut
    assert (counted, found) == (length, ids)
    assert head.count("\n") == text.count("\n")  # every other line keeps its number
    assert "steps" not in head and "- id" not in head
    for line in text.splitlines():
        if line and not line.startswith((" ", "-", "#", "steps:")):
            assert line in head.splitlines()  # the other top-level keys stay


@pytest.mark.parametrize("text", [
    "id: a\ntitle: T\n",  # no steps at all
    "id: a\nsteps: [{id: one, type: say, text: hi}]\n",  # a flow sequence
    "steps:\n  id: one\n",  # a mapping, not a sequence
    "steps:\n# only a comment\ntitle: T\n",  # nothing in it
])
def test_anything_but_a_block_of_items_is_left_to_the_full_parse(text):
    assert cut_steps(text) is None


def test_every_shipped_lesson_reads_from_its_header_as_it_parses_whole():
    for path in sorted(SHIPPED_LESSONS.glob("*.yaml")):
        if path.name == "course.yaml":
            continue
        full = load_lesson(path, [])
        header = read_header(path)
        assert full is not None and header is not None, path.name
        assert isinstance(header.steps, DeferredSteps)
        assert len(header.steps) == len(full.steps), path.name  # before parsing...
        assert tuple(header.steps) == tuple(full.steps)  # ...and after
        for name in ("id", "title", "summary", "requires", "requires_lines", "needs_engine",
                     "recap", "variables", "glossary"):
            assert getattr(header, name) == getattr(full, name), (path.name, name)
        assert [entry.line for entry in header.glossary] == [e.line for e in full.glossary]
        assert entries_from_steps(header) == list(full.quiz_entries or ())


@pytest.mark.parametrize("text", [
    ALPHA + "steps:\n  - id: x\n    type: say\n    text: hi\n",  # steps twice
    ALPHA + "---\nid: other\n",  # a second document
    ALPHA.replace("title: Alpha lesson\n", ""),  # no title
])
def test_a_file_whose_header_is_wrong_is_left_to_the_full_parse(tmp_path, text):
    path = tmp_path / "alpha.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    assert load_lesson(path, problems) is None and problems
    assert read_header(path) is None


# -- opening a course from headers -------------------------------------------------------


def test_a_large_uncached_course_opens_from_headers_and_a_small_one_does_not(tmp_path):
    large = many_lessons(tmp_path / "large")
    course = load_course(large, tmp_path / "cache", headers_first=True)
    assert course.unchecked_lessons == MANY and course.problems == ()
    assert all(isinstance(lesson.steps, DeferredSteps) for lesson in course.lessons)
    assert len(course.lessons[0].steps) == 4 and course.lessons[0].steps[1].id == "pick"

    assert load_course(large, headers_first=False).unchecked_lessons == 0  # lint's way
    small = write_course(tmp_path / "small", {"alpha": ALPHA})
    assert load_course(small, tmp_path / "cache", headers_first=True).unchecked_lessons == 0


def test_a_broken_header_is_reported_at_start_as_before(tmp_path):
    folder = many_lessons(tmp_path / "lessons")
    path = folder / "lesson-003.yaml"
    path.write_text(path.read_text().replace("summary:", "sumary:", 1))
    course = load_course(folder, headers_first=True)
    assert course.unchecked_lessons == MANY - 1
    assert course.lesson("lesson-003") is None
    assert any("lesson-003" in str(p) and "unknown field 'sumary'" in str(p)
               for p in course.problems)


def test_a_glossary_naming_a_step_not_seen_in_the_text_is_parsed_whole(tmp_path):
    # The step's id is not on the item's first line, so the header pass cannot tell
    # the reference is right: the full parse decides (it is right).
    text = ALPHA.replace("  - id: bye\n    type: say\n", "  - type: say\n    id: bye\n")
    text += "glossary:\n  - term: goodbye\n    text: What alpha says last.\n    step: bye\n"
    folder = many_lessons(tmp_path / "lessons", text=text)
    course = load_course(folder, headers_first=True)
    assert course.problems == () and course.unchecked_lessons == 0
    assert course.lessons[0].glossary[0].step == "bye"


def test_a_lesson_with_broken_steps_says_so_when_opened(tmp_path, make_talk):
    folder = many_lessons(tmp_path / "lessons", broken={2})
    course = load_course(folder, headers_first=True)
    broken = course.lesson("lesson-002")
    assert broken is not None and course.problems == ()  # not known before it is opened
    problems = [str(problem) for problem in problems_on_opening(broken)]
    assert any("lesson-002.yaml" in p and "step 'only'" in p and "txet" in p
               for p in problems), problems
    assert problems_on_opening(course.lesson("lesson-001")) == ()

    talk = make_talk(course)
    out = talk.say("/start lesson-002")
    assert "cannot be opened" in out and "txet" in out
    assert talk.conv.lesson is None
    assert "Lesson: Alpha lesson" in talk.say("/start lesson-001")


def test_a_learner_left_in_a_lesson_found_broken_is_not_put_back_in_it(tmp_path, make_talk):
    folder = many_lessons(tmp_path / "lessons", broken={2})
    course = load_course(folder, headers_first=True)
    progress = Progress(current_lesson="lesson-002", current_step="only")
    assert make_talk(course, progress=progress).conv.lesson is None
    progress = Progress(current_lesson="lesson-001", current_step="word")
    talk = make_talk(course, progress=progress)
    assert talk.conv.lesson is not None and talk.conv.step.id == "word"


# -- the background parse ----------------------------------------------------------------


def test_the_background_parse_fills_the_cache_for_the_next_start(tmp_path):
    folder, cache = many_lessons(tmp_path / "lessons", broken={7}), tmp_path / "cache"
    assert load_course(folder, cache, headers_first=True).unchecked_lessons == MANY
    process = fill.start_fill(folder, cache)
    assert process is not None and process.wait(timeout=60) == 0
    again = load_course(folder, cache, headers_first=True)
    assert again.unchecked_lessons == 0
    assert isinstance(again.lessons[0].steps, LazySteps)
    assert any("lesson-007" in str(p) and "txet" in str(p) for p in again.problems)


def test_the_background_parse_starts_only_for_a_course_read_from_headers(tmp_path,
                                                                         monkeypatch):
    started: list[tuple] = []
    monkeypatch.setattr(fill, "FILL_DELAY_SECONDS", 0.0)
    monkeypatch.setattr(fill, "start_fill", lambda *args: started.append(args))
    small = load_course(write_course(tmp_path / "small", {"alpha": ALPHA}), tmp_path / "c",
                        headers_first=True)
    fill.fill_later(small, tmp_path / "small", tmp_path / "c")
    large_dir = many_lessons(tmp_path / "large")
    large = load_course(large_dir, tmp_path / "c", headers_first=True)
    fill.fill_later(large, large_dir, None)  # no cache to fill
    fill.fill_later(large, large_dir, tmp_path / "c")
    deadline = time.monotonic() + 10
    while not started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started == [(large_dir, tmp_path / "c")]


def test_steps_read_from_a_header_pickle_as_their_parsed_steps(tmp_path):
    import pickle

    folder = many_lessons(tmp_path / "lessons")
    lesson = load_course(folder, headers_first=True).lessons[0]
    assert pickle.loads(pickle.dumps(lesson.steps)) == tuple(load_lesson(
        lesson.source, []).steps)


def test_a_tutor_session_on_a_large_new_course_fills_the_cache_behind_it(tmp_path,
                                                                          monkeypatch):
    from replkit import run_keys

    folder = many_lessons(tmp_path / "lessons", broken={4})
    monkeypatch.setattr(fill, "FILL_DELAY_SECONDS", 0.0)
    started: list = []
    real_start = fill.start_fill
    monkeypatch.setattr(fill, "start_fill", lambda *args: started.append(real_start(*args)))
    run = run_keys(tmp_path / "data", "/start lesson-004\n/quit\n", lessons_dir=folder)
    assert run.status == 0, run.err
    assert "cannot be opened" in run.text and "txet" in run.text
    deadline = time.monotonic() + 10
    while not started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started and started[0] is not None and started[0].wait(timeout=60) == 0
    # The next start reads every lesson from the cache and names the broken one at once.
    again = run_keys(tmp_path / "data", "/quit\n", lessons_dir=folder)
    assert "Some lesson files have problems" in again.text and "lesson-004" in again.text
    course = load_course(folder, tmp_path / "data" / "cache", headers_first=True)
    assert course.unchecked_lessons == 0
