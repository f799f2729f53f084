"""Load and validate lesson files into a Course.

A broken lesson never stops the tutor: its problems are collected and the other
lessons still load. ``docker-tutor lint`` prints the same problems and fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tutor.course.lesson import Course, Lesson, Step, Topic
from tutor.course.placeholders import template_names
from tutor.course.practice_spec import BUILTIN_WORKSPACE, var_names
from tutor.dockercli import DockerCliError, parse, split_command
from tutor.dockercli.naming import named_image_refs
from tutor.lessonfile.cache import ParseCache
from tutor.lessonfile.glossary import glossary_warnings, parse_glossary
from tutor.lessonfile.quizlint import check_quiz_fields, topic_problems
from tutor.lessonfile.recap import parse_recap
from tutor.schema.fields import MISSING, Fields
from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineList, YamlError, parse_yaml
from tutor.steps import STEP_TYPES
from tutor.steps.practice_fields import parse_vars
from tutor.suggest import did_you_mean

COURSE_FILE = "course.yaml"
MISSING_COURSE = (f"is missing: a lesson folder needs a {COURSE_FILE} with the course's title "
                  "and its lessons in order (title: ..., lessons: [lesson-id, ...])")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _read(path: Path, problems: list[LessonProblem]) -> object | None:
    where = Where(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(LessonProblem(where, "file not found"))
        return None
    except OSError as error:
        problems.append(LessonProblem(where, f"cannot be read: {error.strerror or error}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(LessonProblem(
            where, f"is not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} "
                   "cannot be read (save the file as UTF-8)", line))
        return None
    try:
        return parse_yaml(text)
    except YamlError as error:
        problems.append(LessonProblem(where, error.message, error.line))
        return None


def _check_id(fields: Fields, name: str, value: str | None) -> None:
    if value is not None and not ID_PATTERN.match(value):
        fields.field_problem(name, f"'{value}' must be lowercase letters, digits and dashes")


def load_lesson(path: Path, problems: list[LessonProblem],
                warnings: list[LessonProblem] | None = None) -> Lesson | None:
    """Parse one lesson file; returns None (and records why) when it is invalid. Things
    that are allowed but unwise go to ``warnings`` (when given)."""
    before = len(problems)
    data = _read(path, problems)
    if data is None:
        if len(problems) == before:
            problems.append(LessonProblem(Where(path), "the file is empty"))
        return None
    raw_id = data.get("id") if isinstance(data, dict) else None
    where = Where(path, lesson=raw_id if isinstance(raw_id, str) else path.stem)
    fields = Fields(data, where, problems)
    if not fields.ok:
        return None
    lesson_id = fields.text("id")
    _check_id(fields, "id", lesson_id)
    if lesson_id is not None and lesson_id != path.stem:
        fields.field_problem("id", f"'{lesson_id}' must match the file name '{path.stem}.yaml'")
    title = fields.text("title")
    summary = fields.text("summary")
    requires = fields.text_list("requires", required=False)
    raw_requires = fields.mapping.get("requires")
    requires_lines = tuple(raw_requires.item_lines) if isinstance(raw_requires, LineList) else ()
    needs_engine = fields.boolean("needs_engine", default=False)
    recap = parse_recap(fields)
    variables = parse_vars(fields)
    steps = _parse_steps(fields, var_names(variables))
    glossary = parse_glossary(fields, _raw_step_ids(fields))
    fields.finish()
    if len(problems) != before or lesson_id is None or title is None or summary is None:
        return None
    if warnings is not None:
        warnings.extend(fixed_image_warnings(fields.where, steps))
    return Lesson(
        id=lesson_id,
        title=title,
        summary=summary,
        steps=tuple(steps),
        requires=requires,
        requires_lines=requires_lines,
        needs_engine=needs_engine,
        recap=recap,
        source=path,
        variables=variables,
        glossary=glossary,
    )


def _parse_steps(fields: Fields, lesson_vars: set[str]) -> list[Step]:
    parsers = STEP_TYPES
    located = fields.mappings("steps")
    if fields.has("steps") and not located:
        fields.field_problem("steps", "a lesson needs at least one step")
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for number, (item, _where, line) in enumerate(located, start=1):
        raw_id = item.get("id") if isinstance(item, dict) else None
        step_where = fields.where.at_step(raw_id if isinstance(raw_id, str) else None, number)
        step_fields = Fields(item, step_where, fields.problems, line)
        if not step_fields.ok:
            continue
        step_fields.declared = set(lesson_vars)
        step_id = step_fields.text("id")
        _check_id(step_fields, "id", step_id)
        if step_id is not None:
            if step_id in seen:
                step_fields.field_problem("id", f"'{step_id}' is already used by step #{seen[step_id]}")
            seen.setdefault(step_id, number)
        step_type = step_fields.text("type")
        parser = parsers.get(step_type) if step_type else None
        if step_type is not None and parser is None:
            step_fields.field_problem(
                "type",
                f"unknown step type '{step_type}'{did_you_mean(step_type, parsers)};"
                f" expected one of {', '.join(parsers)}",
            )
        if parser is None or step_id is None:
            # Mark everything read: reporting fields of an unknown type as unknown is noise.
            step_fields.read.update(step_fields.mapping)
            continue
        step = parser(step_fields, step_id)
        step_fields.finish()
        if step is not None:
            _check_placeholders(step_fields, step, lesson_vars)
            check_quiz_fields(step_fields, step, lesson_vars)
            steps.append(step)
    return steps


def _raw_step_ids(fields: Fields) -> list[str]:
    """Every step id written, valid step or not (a glossary entry may name any of them)."""
    raw = fields.mapping.get("steps")
    items = raw if isinstance(raw, list) else []
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _check_placeholders(fields: Fields, step: Step, lesson_vars: set[str]) -> None:
    """Every {{ name }} a step's texts use must be declared: by the lesson's vars, by
    the step itself (a practice step's vars and setup names), or be {{ workspace }}."""
    own = step.declared_names()
    declared = lesson_vars | own | {BUILTIN_WORKSPACE}
    used = set().union(*(template_names(text) for text in step.texts()))
    for name in sorted(used - declared):
        fields.problem(f"uses {{{{ {name} }}}} but no var '{name}' is declared"
                       f"{did_you_mean(name, declared)} (usable here: "
                       f"{', '.join(sorted(declared))})", fields.line_of())


def load_course(lessons_dir: Path, cache_dir: Path | None = None) -> Course:
    """Load the course from a directory with course.yaml and one file per lesson; with
    ``cache_dir``, files parsed before (and unchanged since) come from the cache."""
    problems: list[LessonProblem] = []
    warnings: list[LessonProblem] = []
    cache = ParseCache.open(cache_dir, lessons_dir)
    course_path = lessons_dir / COURSE_FILE
    data = _read(course_path, problems)
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
    for lesson_id in dict.fromkeys(lesson_ids):  # keep order, drop repeats
        lesson = _cached_lesson(lessons_dir / f"{lesson_id}.yaml", problems, warnings, cache)
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
    if topics:
        problems.extend(topic_problems(lessons, [topic.id for topic in topics]))
    return Course(title=title, lessons=tuple(lessons), problems=tuple(problems),
                  warnings=tuple(warnings), topics=topics)


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
    data = _read(lessons_dir / COURSE_FILE, [])
    topics = data.get("topics") if isinstance(data, dict) else None
    return [str(key) for key in topics] if isinstance(topics, dict) and topics else None


def _cached_lesson(path: Path, problems: list[LessonProblem], warnings: list[LessonProblem],
                   cache: ParseCache) -> Lesson | None:
    cached = cache.get(path)
    if cached is None:
        own_problems: list[LessonProblem] = []
        own_warnings: list[LessonProblem] = []
        lesson = load_lesson(path, own_problems, own_warnings)
        cache.put(path, lesson, own_problems, own_warnings)
        cached = (lesson, own_problems, own_warnings)
    lesson, own_problems, own_warnings = cached
    problems.extend(own_problems)
    warnings.extend(own_warnings)
    return lesson


def lint(paths: Iterable[Path], cache_dir: Path | None = None) -> list[LessonProblem]:
    """Validate lesson files or whole lesson directories; returns every problem found,
    warnings (``problem.warning``) included."""
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


_NAMING_WORDS = re.compile(r"\b(?:build|tag|commit|import)\b")


def fixed_image_warnings(where: Where, steps: list[Step]) -> list[LessonProblem]:
    """A practice step that builds or tags a fixed image name (``hello:1``) would move a
    name the learner may already have: such names should come from a free_image var."""
    found: list[LessonProblem] = []
    for number, step in enumerate(steps, start=1):
        task = step.practice_task()
        if task is None:
            continue
        # Only commands that can name an image are parsed (parsing every one is slow).
        commands = [action for actions in (task.solution, *task.alternatives)
                    for action in actions if isinstance(action, str)
                    and _NAMING_WORDS.search(action)]
        fixed: list[str] = []
        for command in commands:
            try:
                parsed = parse(split_command(command))
            except DockerCliError:
                continue
            fixed += [ref for ref in named_image_refs(parsed, pulls=False)
                      if "{{" not in ref and ref not in fixed]
        if fixed:
            found.append(LessonProblem(
                where.at_step(step.id, number).at_field("solution"),
                f"creates the fixed image name {', '.join(fixed)}, which a learner may "
                "already have (building or tagging over it would move their name): choose "
                "it with a free_image var", warning=True))
    return found
