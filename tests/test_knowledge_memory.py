"""The lessons' index stays small: it is built in every session (after the first prompt)
and held until the tutor quits, so what it keeps counts in every learner's memory."""

from __future__ import annotations

import math
import subprocess
import sys
import tracemalloc
from collections import Counter

from conftest import SHIPPED_LESSONS
from test_lesson_cache import copy_course

from tutor.course.lesson import LazySteps
from tutor.knowledge import KnowledgeIndex
from tutor.knowledge.ranking import BM25, K1, B
from tutor.lessonfile.loader import load_course

# The shipped course's index held 3.05 MiB before its postings were made flat and the
# stemmer's own cache was turned off; about 1.1 MiB since.
SHIPPED_INDEX_LIMIT = 1.6 * 2**20


def test_the_shipped_course_index_is_compact():
    course = load_course(SHIPPED_LESSONS)
    for lesson in course.lessons:
        tuple(lesson.steps)  # already in memory, as a first start's parsed lessons are
    KnowledgeIndex.build(course)  # imports and first-use caches are not the index's own
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = KnowledgeIndex.build(course)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert index.ask("how do i publish a port").found
    assert held < SHIPPED_INDEX_LIMIT, f"the index holds {held / 2**20:.2f} MiB"


def test_building_the_index_leaves_unread_lessons_unread(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    course = load_course(lessons, cache)  # steps come from the cache when first needed
    current = course.lesson("container-commands")
    assert current is not None and isinstance(current.steps, LazySteps)
    first_step = current.steps[0]  # the learner's lesson is open
    index = KnowledgeIndex.build(course)
    assert index.ask("how do i publish a port").found
    others = [lesson.steps for lesson in course.lessons if lesson is not current]
    assert others and all(isinstance(steps, LazySteps) and steps._steps is None
                          for steps in others)
    assert current.steps._steps is not None and current.steps[0] is first_step  # kept open


def reference_bm25(documents: list[list[str]], terms: list[str], weight: float) -> dict:
    """BM25 written out the plain way, to hold the flat postings to."""
    count = len(documents)
    average = sum(len(d) for d in documents) / count
    scores: dict[int, float] = {}
    for term in terms:
        users = [n for n, document in enumerate(documents) if term in document]
        if not users:
            continue
        idf = math.log(1 + (count - len(users) + 0.5) / (len(users) + 0.5))
        for number in users:
            tf = Counter(documents[number])[term]
            norm = K1 * (1 - B + B * len(documents[number]) / average)
            scores[number] = scores.get(number, 0.0) + weight * idf * tf / (tf + norm)
    return scores


def test_flat_postings_score_as_plain_bm25_does():
    documents = [["run", "contain", "port"], ["imag", "build"], [], ["port", "port", "publish"],
                 ["contain", "imag", "run", "run"], ["volum"]]
    index = BM25(documents)
    for terms in (["port"], ["run", "imag"], ["contain", "port", "port"], ["unknown"], []):
        found: dict[int, float] = {}
        index.scores(terms, 0.5, found)
        expected = reference_bm25(documents, terms, 0.5)
        assert found.keys() == expected.keys()
        assert all(math.isclose(found[n], expected[n]) for n in expected), (terms, found)


def loaded_after_building_the_index(tmp_path, report: str) -> str:
    """In a fresh interpreter, a course from the parse cache and its index built: what
    the expression ``report`` (over ``sys.modules``) prints."""
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    code = "\n".join([
        "import sys",
        "from pathlib import Path",
        "from tutor.knowledge import KnowledgeIndex",
        "from tutor.lessonfile.loader import load_course",
        f"course = load_course(Path({str(lessons)!r}), Path({str(cache)!r}))",
        "assert KnowledgeIndex.build(course).ask('how do i publish a port').found",
        f"print({report})",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def test_building_the_index_reads_no_yaml(tmp_path):
    """A session whose lessons come from the parse cache loads no YAML parser; the index's
    own word lists are Python, so building it (in every session) does not bring one in."""
    assert loaded_after_building_the_index(
        tmp_path, "sorted(name for name in sys.modules if name.split('.')[0] == 'yaml')") == "[]"


def test_steps_read_for_the_index_have_every_text_but_no_check(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    for lesson in load_course(lessons, cache).lessons:
        assert isinstance(lesson.steps, LazySteps)
        for read, loaded in zip(lesson.steps.read_once(), lesson.steps, strict=True):
            assert type(read) is type(loaded) and read.id == loaded.id
            assert read.texts() == loaded.texts() and read.readings() == loaded.readings()
            if hasattr(loaded, "check"):
                assert type(read.check).__name__ == "_UnreadCheck"


def test_building_the_index_loads_no_check_kind_the_lessons_do_not_run(tmp_path):
    """Steps are read for their texts: the check registry and the modules of the check
    kinds (the engine queries of each) are not loaded for the index."""
    kinds = ("registry", "compose", "dockerfile", "typed", "volumes", "health")
    assert loaded_after_building_the_index(
        tmp_path, f"sorted(k for k in {kinds!r} if 'tutor.checks.' + k in sys.modules)") == "[]"
