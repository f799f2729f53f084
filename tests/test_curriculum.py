"""The shipped course as a whole: its order, prerequisites, forward links from the
concept lessons, questions beside practice in every lesson, and the commands it
teaches known to /explain and completion."""

from __future__ import annotations

import re

import pytest
from conftest import SHIPPED_LESSONS

from tutor.dockercli import parse, split_command
from tutor.lessonfile.loader import load_course
from tutor.study.recap import cheat_sheet


@pytest.fixture(scope="module")
def course():
    loaded = load_course(SHIPPED_LESSONS)
    assert not loaded.problems
    return loaded


BEYOND_THE_BASICS = ["container-lifecycle", "volumes-and-mounts", "networks", "configuration",
                     "better-dockerfiles", "compose", "troubleshooting", "housekeeping"]


def test_the_lessons_beyond_the_basics_come_after_their_prerequisites(course):
    order = [lesson.id for lesson in course.lessons]
    assert set(BEYOND_THE_BASICS) <= set(order)
    for lesson in course.lessons:
        for required in lesson.requires:
            assert order.index(required) < order.index(lesson.id), (lesson.id, required)
    compose = course.lesson("compose")
    assert compose is not None
    assert {"volumes-and-mounts", "networks"} <= set(compose.requires)


def test_the_concept_lessons_point_forward_to_each_of_them(course):
    concept_text = " ".join(text for lesson in course.lessons if not lesson.needs_engine
                            for step in lesson.steps for text in step.texts())
    for lesson_id in BEYOND_THE_BASICS:
        lesson = course.lesson(lesson_id)
        assert lesson is not None
        names = {lesson.title, lesson.title.split(":")[0], lesson.title.split()[0]}
        assert any(f"*{name}*" in concept_text for name in names), lesson.title


@pytest.mark.parametrize("lesson_id", BEYOND_THE_BASICS)
def test_each_has_questions_practice_and_a_cheat_sheet(course, lesson_id):
    lesson = course.lesson(lesson_id)
    assert lesson is not None and lesson.needs_engine
    assert sum(step.is_question for step in lesson.steps) >= 2
    assert sum(step.practice_task() is not None for step in lesson.steps) >= 2
    assert len(cheat_sheet(lesson)) >= 2


@pytest.mark.parametrize("lesson_id", BEYOND_THE_BASICS)
def test_every_command_they_teach_is_known_to_the_command_model(course, lesson_id):
    lesson = course.lesson(lesson_id)
    assert lesson is not None
    for step in lesson.steps:
        task = step.practice_task()
        for actions in (task.solution, *task.alternatives) if task else ():
            for action in actions:
                if isinstance(action, str) and action.startswith("docker"):
                    # Each placeholder stands for a plain word (a name, a port, a path).
                    line = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: (
                        "/tmp/ws" if m.group(1) == "workspace" else m.group(1)), action)
                    parse(split_command(line))
