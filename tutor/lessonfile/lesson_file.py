"""Parse and validate one lesson file into a Lesson.

Only a lesson file not in the parse cache (tutor.lessonfile.cache) is parsed, so the
step types, their checks and the docker command model this needs are imported when a
file changed, not on every start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from tutor.course.lesson import Lesson, Step
from tutor.course.placeholders import template_names
from tutor.course.practice_spec import BUILTIN_WORKSPACE, var_names
from tutor.dockercli import DockerCliError, parse, split_command
from tutor.dockercli.naming import named_image_refs
from tutor.lessonfile.glossary import parse_glossary
from tutor.lessonfile.quizlint import check_quiz_fields
from tutor.lessonfile.recap import parse_recap
from tutor.lessonfile.yamlfile import ID_PATTERN, read_yaml_file
from tutor.quiz.questions import noted_entries
from tutor.schema.fields import Fields
from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineList
from tutor.steps import STEP_TYPES
from tutor.steps.practice_fields import parse_vars
from tutor.suggest import did_you_mean


def check_id(fields: Fields, name: str, value: str | None) -> None:
    if value is not None and not ID_PATTERN.match(value):
        fields.field_problem(name, f"'{value}' must be lowercase letters, digits and dashes")


def load_lesson(path: Path, problems: list[LessonProblem],
                warnings: list[LessonProblem] | None = None) -> Lesson | None:
    """Parse one lesson file; returns None (and records why) when it is invalid. Things
    that are allowed but unwise go to ``warnings`` (when given)."""
    before = len(problems)
    data = read_yaml_file(path, problems)
    if data is None:
        if len(problems) == before:
            problems.append(LessonProblem(Where(path), "the file is empty"))
        return None
    return lesson_from_data(path, data, problems, warnings)


def lesson_from_data(path: Path, data: object, problems: list[LessonProblem],
                     warnings: list[LessonProblem] | None = None,
                     steps_later: StepsLater | None = None) -> Lesson | None:
    """The lesson a file's YAML describes. With ``steps_later`` the data holds everything
    but the steps (tutor.lessonfile.headers): those are read and checked when needed."""
    before = len(problems)
    raw_id = data.get("id") if isinstance(data, dict) else None
    where = Where(path, lesson=raw_id if isinstance(raw_id, str) else path.stem)
    fields = Fields(data, where, problems)
    if not fields.ok:
        return None
    lesson_id = fields.text("id")
    check_id(fields, "id", lesson_id)
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
    steps: Sequence[Step]
    if steps_later is None:
        steps = tuple(_parse_steps(fields, var_names(variables)))
        step_ids: Sequence[str] = _raw_step_ids(fields)
    else:
        steps, step_ids = steps_later.steps, steps_later.ids
    glossary = parse_glossary(fields, step_ids)
    fields.finish()
    if len(problems) != before or lesson_id is None or title is None or summary is None:
        return None
    parsed = steps_later is None
    if warnings is not None and parsed:
        warnings.extend(fixed_image_warnings(fields.where, steps))
    return Lesson(
        id=lesson_id,
        title=title,
        summary=summary,
        steps=steps,
        requires=requires,
        requires_lines=requires_lines,
        needs_engine=needs_engine,
        recap=recap,
        source=path,
        variables=variables,
        glossary=glossary,
        # Steps read later say these then (tutor.quiz.entries reads them from the steps).
        quiz_topics=frozenset(topic for step in steps for topic in step.topics) if parsed
        else frozenset(),
        quiz_entries=noted_entries(lesson_id, steps) if parsed else None,
    )


class StepsLater(Protocol):
    """Steps not parsed yet (tutor.lessonfile.headers.DeferredSteps), and the step ids
    the file's text shows, for the glossary's references."""

    @property
    def steps(self) -> Sequence[Step]: ...

    @property
    def ids(self) -> Sequence[str]: ...


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
        check_id(step_fields, "id", step_id)
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


_NAMING_WORDS = re.compile(r"\b(?:build|tag|commit|import)\b")


def fixed_image_warnings(where: Where, steps: Sequence[Step]) -> list[LessonProblem]:
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
