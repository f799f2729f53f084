"""The parse cache: a course opened again reads its index, not every lesson file."""

from __future__ import annotations

import os
import pickle

from conftest import SHIPPED_LESSONS

from tutor.course.lesson import LazySteps
from tutor.lessonfile import cache as cache_module
from tutor.lessonfile.loader import lint, load_course


def copy_course(tmp_path):
    target = tmp_path / "lessons"
    target.mkdir()
    for source in SHIPPED_LESSONS.glob("*.yaml"):
        (target / source.name).write_text(source.read_text())
    return target


def test_a_cached_course_equals_a_freshly_parsed_one(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    fresh = load_course(lessons)
    first = load_course(lessons, cache)  # parses and writes the cache
    again = load_course(lessons, cache)  # from the cache
    assert isinstance(again.lessons[0].steps, LazySteps)
    assert [lesson.id for lesson in again.lessons] == [lesson.id for lesson in fresh.lessons]
    for cached, parsed in zip(again.lessons, fresh.lessons, strict=True):
        assert len(cached.steps) == len(parsed.steps)
        assert tuple(cached.steps) == tuple(parsed.steps)
        assert cached.variables == parsed.variables and cached.title == parsed.title
    assert first.problems == again.problems == fresh.problems == ()


def test_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    path = lessons / "what-is-docker.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Changed ", 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    course = load_course(lessons, cache)
    assert course.lesson("what-is-docker").title.startswith("Changed ")


def test_a_broken_file_stays_broken_when_read_from_the_cache(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    path = lessons / "what-is-docker.yaml"
    path.write_text(path.read_text().replace("summary:", "sumary:", 1))
    first = [str(p) for p in lint([lessons], cache)]
    second = [str(p) for p in lint([lessons], cache)]
    assert first == second and any("unknown field 'sumary'" in p for p in second)


def counting_parses(monkeypatch) -> list[str]:
    from tutor.lessonfile import lesson_file

    parsed: list[str] = []
    parse = lesson_file.load_lesson

    def counted(path, problems, warnings):
        parsed.append(path.stem)
        return parse(path, problems, warnings)

    monkeypatch.setattr(lesson_file, "load_lesson", counted)
    return parsed


def test_another_tutor_version_does_not_use_the_cache(tmp_path, monkeypatch):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    monkeypatch.setattr(cache_module, "_FINGERPRINT", "another version of the tutor")
    parsed = counting_parses(monkeypatch)
    course = load_course(lessons, cache)
    assert sorted(parsed) == sorted(lesson.id for lesson in course.lessons)  # parsed again


def test_a_first_start_keeps_no_parsed_steps_in_memory(tmp_path):
    """The steps just parsed are in the cache: they are read from there when a lesson is
    opened, not held for the session (a first start would hold every lesson's)."""
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    course = load_course(lessons, cache)
    assert all(isinstance(lesson.steps, LazySteps) and lesson.steps._steps is None
               for lesson in course.lessons)
    assert tuple(course.lessons[0].steps) == tuple(load_course(lessons).lessons[0].steps)


def test_without_a_cache_the_parsed_steps_are_kept(tmp_path, monkeypatch):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    cache.write_text("a file where the cache folder would be")
    course = load_course(lessons, cache)
    assert course.lessons and course.problems == ()
    assert not any(isinstance(lesson.steps, LazySteps) for lesson in course.lessons)


def test_an_unreadable_cache_is_ignored(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    [index] = list(cache.glob("lessons-*/index.pickle"))
    index.write_bytes(b"not a pickle")
    assert load_course(lessons, cache).lesson("what-is-docker") is not None


def test_lazy_steps_pickle_without_their_loaded_steps(tmp_path):
    lessons, cache = copy_course(tmp_path), tmp_path / "cache"
    load_course(lessons, cache)
    steps = load_course(lessons, cache).lessons[0].steps
    assert isinstance(steps, LazySteps)
    list(steps)  # loads them
    copied = pickle.loads(pickle.dumps(steps))
    assert copied._steps is None and tuple(copied) == tuple(steps)
