"""Load and validate a lesson folder into a Course.

A broken lesson never stops the tutor: its problems are collected and the other
lessons still load. ``docker-tutor lint`` prints the same problems and fails.
Lesson files come from the parse cache when unchanged; only the others are parsed
(tutor.lessonfile.lesson_file, imported then: it needs every step type and check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tutor.course.lesson import Course, Lesson, Topic
from tutor.lessonfile.cache import ParseCache
from tutor.lessonfile.glossary import glossary_warnings
from tutor.lessonfile.yamlfile import COURSE_FILE, ID_PATTERN, read_course_file, read_yaml_file
from tutor.schema.fields import MISSING, Fields
from tutor.schema.location import LessonProblem, Where
from tutor.suggest import did_you_mean

MISSING_COURSE = (f"is missing: a lesson folder needs a {COURSE_FILE} with the course's title "
                  "and its lessons in order (title: ..., lessons: [lesson-id, ...])")


def load_course(lessons_dir: Path, cache_dir: Path | None = None,
                headers_first: bool = False) -> Course:
    """Load the course from a directory with course.yaml and one file per lesson; with
    ``cache_dir``, files parsed before (and unchanged since) come from the cache. With
    ``headers_first``, when many files are not in the cache, those are read from their
    headers and their steps parsed when needed (tutor.lessonfile.headers)."""
    problems: list[LessonProblem] = []
    warnings: list[LessonProblem] = []
    cache = open_cache(cache_dir, lessons_dir)
    course_path = lessons_dir / COURSE_FILE
    data, read_problems = cache.remembered(course_path, lambda: read_course_file(course_path))
    problems.extend(read_problems)
    title = "Docker course"
    lesson_ids: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    if data is not None:
        fields = Fields(data, Where(course_path), problems)
        if fields.ok:
            title = fields.text("title") or title
            lesson_ids = fields.text_list("lessons", min_items=1)
            topics = _parse_topics(fields)
            fields.finish()
    lessons: list[Lesson] = []
    repeated = sorted({i for i in lesson_ids if lesson_ids.count(i) > 1})
    if repeated:
        problems.append(LessonProblem(Where(course_path, field="lessons"),
                                      f"lists {', '.join(repeated)} more than once"))
    # In the course's order, repeats dropped.
    paths = [lessons_dir / f"{lesson_id}.yaml" for lesson_id in dict.fromkeys(lesson_ids)]
    cached = [cache.get(path) for path in paths]
    missing = [path for path, result in zip(paths, cached, strict=True) if result is None]
    read_header = _header_reader(headers_first, len(missing))
    if read_header is None and missing:
        from tutor.lessonfile.parallel import parse_into_cache

        parse_into_cache(missing, cache)  # when there are many, on every core
        cached = [cache.get(path) if result is None else result
                  for path, result in zip(paths, cached, strict=True)]
    unchecked = 0
    for path, result in zip(paths, cached, strict=True):
        lesson = read_header(path) if result is None and read_header is not None else None
        if lesson is not None:
            unchecked += 1
        else:
            lesson = _cached_lesson(path, result, problems, warnings, cache)
        if lesson is not None:
            lessons.append(lesson)
    listed = set(lesson_ids)
    for path in sorted(lessons_dir.glob("*.yaml")):
        if path.name != COURSE_FILE and path.stem not in listed:
            problems.append(
                LessonProblem(Where(path, lesson=path.stem),
                              f"is not listed in {COURSE_FILE}, so no learner would see it")
            )
    known = {lesson.id for lesson in lessons} | listed
    for lesson in lessons:
        for index, required in enumerate(lesson.requires):
            if required not in known:
                problems.append(
                    LessonProblem(
                        Where(lesson.source or course_path, lesson.id,
                              field=f"requires[{index + 1}]"),
                        f"unknown lesson '{required}'{did_you_mean(required, known)}",
                        lesson.requires_lines[index] if index < len(lesson.requires_lines)
                        else None,
                    )
                )
    cache.save()
    warnings.extend(glossary_warnings(lessons, Where(course_path)))
    declared = [topic.id for topic in topics]
    # The lessons' headers say which topics they name: steps are read (for where each
    # unknown topic is) only when there is one, so a start reads no steps from the cache.
    strays = [lesson for lesson in lessons if lesson.quiz_topics - set(declared)]
    if topics and strays:
        from tutor.lessonfile.quizlint import topic_problems

        problems.extend(topic_problems(strays, declared))
    return Course(title=title, lessons=tuple(lessons), problems=tuple(problems),
                  warnings=tuple(warnings), topics=topics, unchecked_lessons=unchecked)


def _header_reader(headers_first: bool, missing: int) -> Callable[[Path], Lesson | None] | None:
    """tutor.lessonfile.headers.read_header when the course is to be opened from its
    lessons' headers: asked for, and ``missing`` (files not in the cache) is many."""
    if not headers_first:
        return None
    from tutor.lessonfile.headers import HEADERS_FIRST_AT, read_header

    return read_header if missing > HEADERS_FIRST_AT else None


def _parse_topics(fields: Fields) -> tuple[Topic, ...]:
    """course.yaml's ``topics:``: quiz topic ids and their titles, in order. When given,
    a lesson's questions may only name these topics."""
    value = fields.raw("topics")
    if not isinstance(value, dict):
        if value is not MISSING:
            fields.field_problem("topics", "must be a mapping of topic ids to titles, such as "
                                           "{images: Images and tags}")
        return ()
    found = []
    for topic_id, title in value.items():
        where = fields.where.at_field("topics").at_field(str(topic_id))
        line = value.line_of(topic_id) if hasattr(value, "line_of") else None
        if not isinstance(topic_id, str) or not ID_PATTERN.match(topic_id):
            fields.problem(f"'{topic_id}' must be lowercase letters, digits and dashes",
                           line, where)
        elif not isinstance(title, str) or not title.strip():
            fields.problem("needs a title (text)", line, where)
        else:
            found.append(Topic(topic_id, title.strip()))
    return tuple(found)


def course_topics(lessons_dir: Path) -> list[str] | None:
    """The topic ids a folder's course.yaml declares (None: it declares none), for lint
    of a single lesson file."""
    data = read_yaml_file(lessons_dir / COURSE_FILE, [])
    topics = data.get("topics") if isinstance(data, dict) else None
    return [str(key) for key in topics] if isinstance(topics, dict) and topics else None


def open_cache(cache_dir: Path | None, lessons_dir: Path) -> ParseCache:
    """The parse cache, or when it is empty (a new learner, a new tutor) and the lessons
    are the shipped ones: the parse the wheel's build made of them."""
    cache = ParseCache.open(cache_dir, lessons_dir)
    if not cache.files:
        from tutor.lessonfile.prebuilt import seeded_results

        for path, result in seeded_results(lessons_dir).items():
            cache.adopt(path, result)
    return cache


def _cached_lesson(path: Path, cached: Any, problems: list[LessonProblem],
                   warnings: list[LessonProblem], cache: ParseCache) -> Lesson | None:
    """The file's lesson (None: it is broken) from ``cached``, the cache's result for
    it, or parsed now when that is None."""
    if cached is None:
        from tutor.lessonfile.lesson_file import load_lesson

        own_problems: list[LessonProblem] = []
        own_warnings: list[LessonProblem] = []
        lesson = load_lesson(path, own_problems, own_warnings)
        cached = cache.put(path, lesson, own_problems, own_warnings)
    lesson, own_problems, own_warnings = cached
    problems.extend(own_problems)
    warnings.extend(own_warnings)
    return lesson


def lint(paths: Iterable[Path], cache_dir: Path | None = None) -> list[LessonProblem]:
    """Validate lesson files or whole lesson directories; returns every problem found,
    warnings (``problem.warning``) included."""
    from tutor.lessonfile.lesson_file import load_lesson
    from tutor.lessonfile.quizlint import topic_problems

    problems: list[LessonProblem] = []
    warnings: list[LessonProblem] = []
    for path in paths:
        if path.is_dir():
            if (path / COURSE_FILE).exists():
                course = load_course(path, cache_dir)
                problems.extend(course.problems)
                warnings.extend(course.warnings)
            else:
                # The tutor cannot open such a folder: say so, then check the files anyway.
                problems.append(LessonProblem(Where(path / COURSE_FILE), MISSING_COURSE))
                for lesson_path in sorted(path.glob("*.yaml")):
                    load_lesson(lesson_path, problems, warnings)
        elif path.name == COURSE_FILE:
            course = load_course(path.parent, cache_dir)
            problems.extend(course.problems)
            warnings.extend(course.warnings)
        else:
            lesson = load_lesson(path, problems, warnings)
            declared = course_topics(path.parent)
            if lesson is not None and declared:
                problems.extend(topic_problems([lesson], declared))
    return problems + warnings
