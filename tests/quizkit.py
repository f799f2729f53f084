"""A small course for quiz tests, a clock that moves through simulated days, and answers
derived from the question a round is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import dedent, write_course

from tutor.steps.choice import ChoiceStep, label
from tutor.steps.text import TextStep

BASICS = dedent(
    """
    id: basics
    title: Basics
    summary: Kernels and registries.
    steps:
      - id: intro
        type: say
        text: Welcome.
      - id: kernel
        type: choice
        topics: [kernel]
        question: What do containers on one host share?
        choices:
          - text: The host kernel
            correct: true
          - text: A guest operating system
            feedback: That describes a virtual machine.
          - text: A hypervisor
            feedback: Containers need no hypervisor.
          - text: Nothing at all
        hints:
          - Think about uname -r inside a container.
        explanation: Containers are processes sharing the host kernel.
      - id: registry
        type: text
        topics: [registries]
        question: Name the public registry run by Docker, Inc.
        accept:
          - ignore_case: Docker Hub
        hints:
          - It is a hub.
        explanation: Docker Hub is the default registry.
      - id: runtimes
        type: choice
        topics: [kernel, running]
        question: Which of these are container runtimes?
        choices:
          - text: runc
            correct: true
          - text: nginx
          - text: crun
            correct: true
        hints:
          - Two of them end in "run".
        explanation: runc and crun are OCI runtimes.
      - id: just-now
        type: choice
        quiz: false
        question: Did the last command print anything?
        choices:
          - text: It printed a line
            correct: true
          - text: It printed nothing
        hints: [Look up.]
        explanation: It did.
    """
)

PRACTICE = dedent(
    """
    id: practice
    title: Practice
    summary: Run things.
    requires: [basics]
    needs_engine: true
    recap:
      - command: docker ps -a
        text: every container, the stopped ones too
      - text: A container lives as long as its main process.
    steps:
      - id: run-web
        type: command
        topics: [running]
        quiz: [recall, challenge]
        task: Start a container named `{{ name }}` from busybox running `sleep 600`, detached.
        vars:
          name: { free_name: web }
        check:
          container: { name: "{{ name }}", state: running }
        hints: [docker run -d.]
        explanation: It runs in the background.
        solution: ["docker run -d --name {{ name }} busybox sleep 600"]
        alternatives:
          - ["docker create --name {{ name }} busybox sleep 600", "docker start {{ name }}"]
      - id: list
        type: command
        topics: [running]
        quiz: recall
        task: List the containers that are running.
        check:
          typed: [docker ps]
        hints: [ps.]
        explanation: docker ps lists running containers.
        solution: ["docker ps"]
    """
)

COURSE_TOPICS = dedent(
    """
    topics:
      kernel: The kernel
      registries: Registries
      running: Running containers
    """
)


def write_quiz_course(directory: Path) -> Path:
    write_course(directory, {"basics": BASICS, "practice": PRACTICE}, title="Quiz course")
    course_file = directory / "course.yaml"
    course_file.write_text(course_file.read_text(encoding="utf-8") + COURSE_TOPICS,
                           encoding="utf-8")
    return directory


@dataclass
class FakeClock:
    """Now, in UTC, moved on by the test."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def right_answer(asked) -> str:
    """What the round accepts for the question it is asking (``present.Asked``)."""
    if asked.recall is not None:
        return asked.recall.answer
    step = asked.step
    if isinstance(step, ChoiceStep):
        return " ".join(label(i) for i in sorted(step.correct_indexes))
    if isinstance(step, TextStep):
        return next(value for pattern in step.accept if pattern.kind != "regex"
                    for value in pattern.values)
    raise AssertionError(f"no typed answer for {step.id}")


def wrong_answer(asked) -> str:
    if asked.recall is not None:
        return "docker images"
    step = asked.step
    if isinstance(step, ChoiceStep):
        return label(next(i for i in range(len(step.choices)) if i not in step.correct_indexes))
    return "surely not the answer"
