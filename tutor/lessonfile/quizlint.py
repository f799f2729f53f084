"""What a quiz needs of a question step, checked when the lesson loads.

A quiz asks a question outside its lesson: nothing before it ran, no lesson var was
chosen. So a question it asks may not depend on the lesson's vars; a recall question
needs one docker command the model understands as its answer; a challenge must set up
everything it needs itself. Topics must be ones the course declares (when it does).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from tutor.course.lesson import Lesson, Step
from tutor.course.placeholders import PLACEHOLDER, render_template, template_names
from tutor.course.practice_spec import BUILTIN_WORKSPACE
from tutor.dockercli import DockerCliError, ShellSyntaxError, parse, split_command
from tutor.schema.fields import Fields
from tutor.schema.location import LessonProblem, Where
from tutor.steps.command import CommandStep
from tutor.steps.quizfields import ASK, CHALLENGE, RECALL, stand_in_values
from tutor.suggest import did_you_mean


def topic_problems(lessons: Iterable[Lesson], topics: Collection[str]) -> list[LessonProblem]:
    """Topics the questions name that course.yaml does not declare. (Checked for the
    course, not in each lesson file: a lesson parses the same whatever the course says.)"""
    found = []
    for lesson in lessons:
        for number, step in enumerate(lesson.steps, start=1):
            for topic in step.topics:
                if topic not in topics:
                    where = Where(lesson.source or Path(f"{lesson.id}.yaml"), lesson.id)
                    found.append(LessonProblem(
                        where.at_step(step.id, number).at_field("topics"),
                        f"unknown topic '{topic}'{did_you_mean(topic, topics)}; course.yaml's "
                        f"topics: {', '.join(topics)}"))
    return found


def check_quiz_fields(fields: Fields, step: Step, lesson_vars: set[str]) -> None:
    """Report what keeps ``step`` from being asked in a quiz the way it says."""
    borrowed: list[str] = []
    if lesson_vars and (ASK in step.quiz or CHALLENGE in step.quiz):
        # Every text of the step is read only when a lesson var could be borrowed.
        used = set().union(*(template_names(text) for text in _strings(fields.mapping)
                             if "{{" in text))
        borrowed = sorted((used & lesson_vars) - step.declared_names())
    if ASK in step.quiz and borrowed:
        fields.field_problem("quiz", f"the question uses the lesson's var {{{{ {borrowed[0]} }}}}, "
                                     "which a quiz does not choose: write `quiz: false`, or ask "
                                     "it without the var")
    if not isinstance(step, CommandStep):
        return
    if CHALLENGE in step.quiz and borrowed:
        fields.field_problem("quiz", f"a challenge must set up everything it uses, but this step "
                                     f"uses the lesson's var {{{{ {borrowed[0]} }}}} (give the step "
                                     "its own vars, or leave it out of quizzes)")
    if RECALL in step.quiz:
        problem = recall_problem(step)
        if problem:
            fields.field_problem("quiz", problem)


def recall_problem(step: CommandStep) -> str | None:
    """Why the step cannot be asked as "type the command", or None."""
    commands = [action for action in step.solution if isinstance(action, str)]
    if len(step.solution) != 1 or len(commands) != 1:
        return ("recall needs a solution of exactly one docker command (this one has "
                f"{len(step.solution)} steps); use challenge for tasks of several")
    if BUILTIN_WORKSPACE in template_names(commands[0]):
        return "recall cannot ask for a command with {{ workspace }} in it (a path of the learner's)"
    values = stand_in_values(step.variables, step.setup)
    command = render_template(commands[0], values)
    if PLACEHOLDER.search(command):
        return f"the solution `{commands[0]}` uses a var recall cannot fill in"
    try:
        argv = split_command(command)
        parse(argv)
    except (ShellSyntaxError, DockerCliError) as error:
        return f"the solution `{command}` is not a command the command model understands: {error}"
    if not argv or argv[0] != "docker":
        return f"the solution `{command}` must start with docker"
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
