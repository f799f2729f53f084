"""What lessons say for quizzes (topics, quiz, recap) and what lint checks of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHIPPED_LESSONS, write_course
from quizkit import BASICS, PRACTICE, write_quiz_course

from tutor.lessonfile.loader import lint, load_course
from tutor.steps.command import CommandStep
from tutor.steps.quizfields import ASK, CHALLENGE, RECALL


def messages(directory: Path) -> list[str]:
    return [str(problem) for problem in lint([directory])]


def test_quiz_course_loads_with_topics_modes_and_recap(tmp_path):
    course = load_course(write_quiz_course(tmp_path / "lessons"))
    assert not course.problems, course.problems
    assert [(t.id, t.title) for t in course.topics] == [
        ("kernel", "The kernel"), ("registries", "Registries"), ("running", "Running containers")]
    basics, practice = course.lessons
    steps = {step.id: step for step in basics.steps + practice.steps}
    assert steps["kernel"].topics == ("kernel",) and steps["kernel"].quiz == (ASK,)
    assert steps["runtimes"].topics == ("kernel", "running")
    assert steps["just-now"].quiz == ()
    assert steps["intro"].quiz == ()
    assert steps["run-web"].quiz == (RECALL, CHALLENGE)
    assert steps["list"].quiz == (RECALL,)
    assert [(entry.command, entry.text) for entry in practice.recap] == [
        ("docker ps -a", "every container, the stopped ones too"),
        (None, "A container lives as long as its main process.")]
    assert course.topic_title("running") == "Running containers"
    assert course.topic_title("basics") == "Basics"  # a lesson id stands for untagged questions


def with_step(step: str, header: str = "") -> str:
    """A lesson ``one`` with ``step``; ``header`` adds top-level fields (vars, recap)."""
    return f"id: one\ntitle: One\nsummary: One lesson.\n{header}\nsteps:\n{step}"


def course_with(tmp_path: Path, lesson: str, topics: str = "kernel: The kernel") -> Path:
    directory = write_course(tmp_path / "lessons", {"one": lesson})
    (directory / "course.yaml").write_text((directory / "course.yaml").read_text()
                                           + f"topics:\n  {topics}\n")
    return directory


CHOICE = """  - id: q
    type: choice
    topics: [{topics}]
    question: "{question}"
    choices:
      - text: the right one
        correct: true
      - text: the wrong one
    hints: [h]
    explanation: e
    {extra}
"""


def test_an_unknown_topic_is_reported_with_the_closest(tmp_path):
    found = messages(course_with(tmp_path, with_step(CHOICE.format(
        topics="kernal", question="Q?", extra=""))))
    assert any("field 'topics'" in m and "unknown topic 'kernal' (did you mean 'kernel'?)" in m
               for m in found), found


def test_a_topic_must_be_an_id(tmp_path):
    found = messages(course_with(tmp_path, with_step(CHOICE.format(
        topics="Kernel Stuff", question="Q?", extra=""))))
    assert any("'Kernel Stuff' must be lowercase letters, digits and dashes" in m
               for m in found), found


def test_a_single_lesson_file_is_linted_against_its_folders_topics(tmp_path):
    directory = course_with(tmp_path, with_step(CHOICE.format(topics="kernal", question="Q?",
                                                              extra="")))
    found = [str(problem) for problem in lint([directory / "one.yaml"])]
    assert any("unknown topic 'kernal'" in m for m in found), found


def test_without_declared_topics_any_id_is_a_topic(tmp_path):
    directory = write_course(tmp_path / "lessons", {"one": with_step(CHOICE.format(
        topics="whatever", question="Q?", extra=""))})
    assert messages(directory) == []


def test_course_topics_must_be_a_mapping_with_titles(tmp_path):
    directory = write_course(tmp_path / "lessons", {"one": with_step(CHOICE.format(
        topics="kernel", question="Q?", extra=""))})
    course_file = directory / "course.yaml"
    course_file.write_text(course_file.read_text() + "topics: [kernel]\n")
    assert any("must be a mapping of topic ids to titles" in m for m in messages(directory))
    course_file.write_text(course_file.read_text().replace("topics: [kernel]\n",
                                                           "topics:\n  kernel: ''\n"))
    assert any("needs a title" in m for m in messages(directory))


def test_a_quiz_question_may_not_use_the_lessons_vars(tmp_path):
    step = CHOICE.format(topics="kernel", question="Is {{ port }} free?", extra="")
    lesson = with_step(step, "vars:\n  port: { free_port: 8080 }")
    found = messages(course_with(tmp_path, lesson))
    assert any("field 'quiz'" in m and "uses the lesson's var {{ port }}" in m
               and "quiz: false" in m for m in found), found
    fixed = with_step(CHOICE.format(topics="kernel", question="Is {{ port }} free?",
                                    extra="quiz: false"), "vars:\n  port: { free_port: 8080 }")
    assert messages(course_with(tmp_path / "again", fixed)) == []


COMMAND = """  - id: c
    type: command
    quiz: {quiz}
    task: "Do it: {{{{ name }}}}"
    vars:
      name: {{ free_name: web }}
    check:
      container: {{ name: "{{{{ name }}}}", state: running }}
    hints: [h]
    explanation: e
    solution: {solution}
"""


@pytest.mark.parametrize(("quiz", "solution", "expected"), [
    ("true", '["docker run -d --name {{ name }} busybox sleep 9"]',
     "say how a quiz uses this practice step: recall"),
    ("recal", '["docker run -d --name {{ name }} busybox sleep 9"]',
     "'recal' is not one of recall, challenge (did you mean 'recall'?)"),
    ("recall", '["docker create --name {{ name }} busybox sleep 9", "docker start {{ name }}"]',
     "recall needs a solution of exactly one docker command (this one has 2 steps)"),
    ("recall", '["docker run -d --name {{ name }} -v {{ workspace }}:/w busybox sleep 9"]',
     "recall cannot ask for a command with {{ workspace }}"),
])
def test_practice_quiz_modes_are_checked(tmp_path, quiz, solution, expected):
    found = messages(course_with(tmp_path, with_step(COMMAND.format(quiz=quiz,
                                                                    solution=solution))))
    assert any("field 'quiz'" in m and expected in m for m in found), found


def test_a_challenge_must_not_lean_on_the_lessons_vars(tmp_path):
    step = COMMAND.format(quiz="challenge", solution='["docker run -d --name {{ name }} -p '
                          '{{ port }}:80 busybox sleep 9"]')
    found = messages(course_with(tmp_path, with_step(step, "vars:\n  port: { free_port: 8080 }")))
    assert any("a challenge must set up everything it uses" in m and "{{ port }}" in m
               for m in found), found


def test_recall_and_challenge_of_a_self_contained_step_are_fine(tmp_path):
    step = COMMAND.format(quiz="[recall, challenge]",
                         solution='["docker run -d --name {{ name }} busybox sleep 9"]')
    assert messages(course_with(tmp_path, with_step(step))) == []


def test_a_recap_command_must_be_a_docker_command(tmp_path):
    lesson = with_step(CHOICE.format(topics="kernel", question="Q?", extra=""),
                       "recap:\n  - command: docker frobnicate\n    text: x\n"
                       "  - command: ls -l\n    text: y\n  - command: docker ps\n")
    found = messages(course_with(tmp_path, lesson))
    assert any("field 'recap[1].command'" in m and "docker frobnicate" in m for m in found), found
    assert any("field 'recap[2].command'" in m and "must start with docker" in m
               for m in found), found
    assert any("field 'recap[3].text'" in m and "is required" in m for m in found), found


def test_the_shipped_questions_are_tagged_with_declared_topics():
    course = load_course(SHIPPED_LESSONS)
    assert not course.problems
    declared = {topic.id for topic in course.topics}
    assert len(declared) >= 8
    questions = [step for lesson in course.lessons for step in lesson.steps
                 if step.is_question and step.quiz]
    assert questions and all(step.topics and set(step.topics) <= declared
                             for step in questions)
    # Every choice and text question is quiz material; practice steps that are say how.
    practice = [step for lesson in course.lessons for step in lesson.steps
                if isinstance(step, CommandStep) and step.quiz]
    assert sum(RECALL in step.quiz for step in practice) >= 8
    assert sum(CHALLENGE in step.quiz for step in practice) >= 4
    used = {topic for step in questions for topic in step.topics}
    assert used == declared, declared - used


def test_quizkit_course_is_valid():
    assert "quiz: false" in BASICS and "quiz: [recall, challenge]" in PRACTICE
