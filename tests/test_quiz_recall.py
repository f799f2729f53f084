""""Type the command that ...": answers judged by what the command means, never run."""

from __future__ import annotations

import pytest
from conftest import SHIPPED_LESSONS

from tutor.lessonfile.loader import load_course
from tutor.quiz.recall import RecallQuestion
from tutor.steps.command import CommandStep
from tutor.steps.quizfields import RECALL


def shipped_step(lesson_id: str, step_id: str) -> CommandStep:
    lesson = load_course(SHIPPED_LESSONS).lesson(lesson_id)
    assert lesson is not None
    step = next(step for step in lesson.steps if step.id == step_id)
    assert isinstance(step, CommandStep)
    return step


@pytest.fixture(scope="module")
def run_web() -> RecallQuestion:
    return RecallQuestion.of(shipped_step("container-commands", "run-web"))


@pytest.mark.parametrize("line", [
    "docker run -d --name web -p 8080:80 busybox httpd -f -p 80",
    "docker container run --detach --name=web --publish=8080:80 busybox httpd -f -p 80",
    "docker run -p 8080:80 --name web -d busybox:latest httpd -f -p 80",
    "docker run -dp 8080:80 --name web docker.io/library/busybox httpd -f -p 80",
    "  docker   run -d --name web -p 8080:80 busybox httpd -f -p 80  ",
])
def test_every_spelling_of_the_same_command_is_right(run_web, line):
    assert run_web.judge(line).correct


@pytest.mark.parametrize(("line", "feedback"), [
    ("docker run -d --name web -p 8081:80 busybox httpd -f -p 80",
     "--publish is `8081:80`; the task wants `8080:80`."),
    ("docker run --name web -p 8080:80 busybox httpd -f -p 80", "It needs --detach."),
    ("docker run -d --rm --name web -p 8080:80 busybox httpd -f -p 80", "--rm is not asked for."),
    ("docker run -d --name web -p 8080:80 busybox httpd -f -p 8080",
     "The arguments are `busybox httpd -f -p 8080`; the task wants `busybox httpd -f -p 80`."),
    ("docker ps", "`docker container ls` is another command: List containers."),
])
def test_a_different_command_is_wrong_and_says_how(run_web, line, feedback):
    verdict = run_web.judge(line)
    assert not verdict.correct and not verdict.unclear
    assert feedback in verdict.feedback


@pytest.mark.parametrize(("line", "says"), [
    ("", "Type the docker command"),
    ("run -d busybox", "starting with `docker`"),
    ("docker run -d busybox | tee x", "shell syntax (pipe)"),
    ("docker rnu -d busybox", "Did you mean 'docker run'?"),
])
def test_what_is_not_a_command_is_no_attempt(run_web, line, says):
    verdict = run_web.judge(line)
    assert verdict.unclear and not verdict.correct
    assert says in " ".join(verdict.feedback)


def test_output_flags_count_only_when_the_lesson_gives_them():
    inspect = RecallQuestion.of(shipped_step("image-commands", "inspect"))
    assert inspect.judge("docker image inspect busybox").correct
    assert inspect.judge("docker inspect busybox:latest").correct  # a lesson alternative
    assert inspect.judge("docker image inspect --format '{{json .}}' busybox").correct
    formatted = RecallQuestion.of(shipped_step("image-commands", "inspect-format"))
    assert formatted.judge("docker image inspect -f '{{ .Config.Cmd }}' busybox").correct
    assert not formatted.judge("docker image inspect busybox").correct
    assert not formatted.judge("docker image inspect -f '{{.Config.Env}}' busybox").correct


def test_setup_names_and_defaults_stand_in_for_placeholders():
    inspect = RecallQuestion.of(shipped_step("container-commands", "inspect"))
    assert inspect.fill(inspect.step.task).startswith("A container named `box` is running.")
    assert inspect.answer == "docker inspect --format '{{.State.Status}}' box"
    assert inspect.judge("docker container inspect -f '{{.State.Status}}' box").correct
    assert inspect.judge("docker inspect --format='{{ .State.Status }}' box").correct
    assert not inspect.judge("docker inspect --format '{{.State.Status}}' web").correct


def test_every_shipped_recall_question_accepts_its_own_solution_and_alternatives():
    course = load_course(SHIPPED_LESSONS)
    steps = [step for lesson in course.lessons for step in lesson.steps
             if isinstance(step, CommandStep) and RECALL in step.quiz]
    assert len(steps) >= 8
    for step in steps:
        question = RecallQuestion.of(step)
        assert question.expected, step.id
        for actions in (step.solution, *step.alternatives):
            if len(actions) == 1 and isinstance(actions[0], str):
                assert question.judge(question.fill(actions[0])).correct, (step.id, actions)
        assert not question.judge("docker version").correct, step.id
