"""Many uncached lesson files are parsed by one worker per core into the parse cache,
with the same lessons, problems and warnings, in the same order, as one by one."""

from __future__ import annotations

import os
import threading

import pytest
from replkit import ALPHA, BROKEN, write_course
from test_lesson_cache import counting_parses

from tutor.course.lesson import LazySteps
from tutor.lessonfile import parallel
from tutor.lessonfile.cache import ParseCache
from tutor.lessonfile.loader import lint, load_course

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="parsing in workers needs two cores")

@pytest.fixture
def alone(monkeypatch):
    """As ``lint`` runs: no other thread (this test run may have some, such as a fake
    engine's server, that a fork would not touch)."""
    monkeypatch.setattr(parallel, "_alone", lambda: True)


# A step that builds a fixed image name: a warning, not a problem.
FIXED_IMAGE = ALPHA.replace("""  - id: bye
    type: say
    text: Alpha says goodbye.
""", """  - id: build
    type: command
    task: Build the image.
    solution: [docker build -t hello:1 .]
    check: {image: {ref: "hello:1"}}
    hints: [Use docker build.]
    explanation: docker build makes an image.
""")


def mixed_course(folder, count: int = 120):
    lessons = {}
    for number in range(count):
        lesson_id = f"lesson-{number:03d}"
        text = BROKEN if number % 7 == 3 else FIXED_IMAGE if number % 5 == 1 else ALPHA
        lessons[lesson_id] = text.replace("id: broken", f"id: {lesson_id}", 1).replace(
            "id: alpha", f"id: {lesson_id}", 1)
    return write_course(folder, lessons)


def test_workers_find_what_one_process_finds_and_fill_the_cache(tmp_path, monkeypatch, alone):
    folder = mixed_course(tmp_path / "lessons")
    cache = ParseCache.open(tmp_path / "cache", folder)
    assert parallel.worker_count(120, cache) >= 2

    parsed_here = counting_parses(monkeypatch)  # a worker's parses are not counted here
    in_workers = [str(problem) for problem in lint([folder], tmp_path / "cache")]
    assert parsed_here == []
    monkeypatch.setattr(parallel, "PARALLEL_AT", 10**6)
    one_by_one = [str(problem) for problem in lint([folder], tmp_path / "no-workers")]
    assert len(parsed_here) == 120
    assert in_workers == one_by_one
    assert any("txet" in p for p in in_workers) and any("hello:1" in p for p in in_workers)

    again = load_course(folder, tmp_path / "cache")  # every file from the cache now
    assert all(isinstance(lesson.steps, LazySteps) for lesson in again.lessons)
    fresh = load_course(folder)
    assert [tuple(a.steps) for a in again.lessons] == [tuple(f.steps) for f in fresh.lessons]


def test_no_workers_without_a_cache_or_for_few_files(tmp_path, alone):
    folder = mixed_course(tmp_path / "lessons", count=3)
    with_cache = ParseCache.open(tmp_path / "cache", folder)
    assert parallel.worker_count(parallel.PARALLEL_AT - 1, with_cache) == 0
    assert parallel.worker_count(500, ParseCache.open(None, folder)) == 0
    assert parallel.worker_count(500, with_cache) >= 2


def test_no_workers_beside_another_thread(tmp_path):
    with_cache = ParseCache.open(tmp_path / "cache", mixed_course(tmp_path / "lessons", 3))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel._alone()
        assert parallel.worker_count(500, with_cache) == 0
    finally:
        stop.set()
        other.join()
