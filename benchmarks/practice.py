"""Driving the tutor's practice session in-process against the real engine, and a crowd
of labelled containers and image tags for it to wade through.

The session is the one the REPL uses (``PracticeSession.run_command``: read the line,
look at the engine before, run the docker CLI, record what it made, judge the step).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker

from tutor.course.lesson import Course, Lesson
from tutor.environment import Environment
from tutor.lessonfile.loader import load_course
from tutor.practice.session import PracticeSession
from tutor.progress import Progress

SHIPPED = Path(__file__).resolve().parents[1] / "lessons"
BENCH_LABEL = "org.docker-tutor.bench"
LESSON = "container-commands"
RUN_STEP, PS_STEP = "run-web", "list-running"


def engine_api() -> docker.APIClient:
    return docker.APIClient(version="auto", timeout=120, **docker.utils.kwargs_from_env())


def shipped_course() -> Course:
    course = load_course(SHIPPED)
    if course.problems:
        raise RuntimeError(f"the shipped lessons have problems: {course.problems[0]}")
    return course


@dataclass
class Learner:
    """One practice session on the shipped ``container-commands`` lesson."""

    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tb-learner-")))
    course: Course = field(default_factory=shipped_course)

    def __post_init__(self) -> None:
        self.env = Environment(stdout=io.StringIO(), stderr=io.StringIO(),
                               environ=dict(os.environ), data_dir=self.data_dir,
                               lessons_dir=SHIPPED, stdout_isatty=False, stdin_isatty=False,
                               width=300)
        self.session = PracticeSession(self.env, learner="bench" + uuid.uuid4().hex[:8])
        # Time spent in the docker CLI itself, so the tutor's own share can be told apart.
        self.cli_seconds = 0.0
        run_cli = self.session._run

        def timed_cli(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return run_cli(*args)
            finally:
                self.cli_seconds += time.perf_counter() - started

        self.session._run = timed_cli
        self.progress = Progress(learner=self.session.learner)
        lesson = self.course.lesson(LESSON)
        assert lesson is not None
        self.lesson: Lesson = lesson
        self.session.begin_lesson(lesson, self.progress.lesson(lesson.id))

    def step(self, step_id: str) -> Any:
        index = self.lesson.step_index(step_id)
        assert index is not None, step_id
        return self.lesson.steps[index]

    def enter(self, step_id: str) -> dict[str, str]:
        return self.session.enter_step(self.lesson.id, self.step(step_id))

    def run(self, line: str, step_id: str | None, yes: bool = True) -> tuple[bool, float]:
        """Run ``line`` as typed at the step; (passed, seconds until the verdict). The
        seconds spent in the docker CLI are in ``cli_seconds`` afterwards."""
        step = self.step(step_id) if step_id else None
        self.cli_seconds = 0.0
        started = time.perf_counter()
        outcome = self.session.run_command(line, self.lesson.id if step else None, step)
        if outcome.confirm is not None and yes:
            outcome = outcome.confirm[1]()
        return outcome.passed, time.perf_counter() - started

    def output(self) -> str:
        return self.env.stdout.getvalue()  # type: ignore[attr-defined]

    def close(self) -> None:
        """Remove the data directory (the learner's workspace is inside it)."""
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Learner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_line(name: str, port: str, label: str | None = None) -> str:
    extra = f" --label {label}" if label else ""
    return f"docker run -d --name {name} -p {port}:80{extra} busybox httpd -f -p 80"


def bare(line: str) -> float:
    """The same command run directly with the docker CLI, as a shell would."""
    started = time.perf_counter()
    done = subprocess.run(line.split(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{line}: {done.stdout}{done.stderr}")
    return elapsed


class Crowd:
    """``count`` extra containers (created, not started) and ``count`` extra image tags,
    all labelled ``org.docker-tutor.bench``; removed on exit."""

    def __init__(self, api: docker.APIClient, count: int = 500) -> None:
        self.api = api
        self.count = count
        self.run = uuid.uuid4().hex[:8]
        self.containers: list[str] = []
        self.tags: list[str] = []

    @property
    def prefix(self) -> str:
        return f"tb-crowd-{self.run}"

    def __enter__(self) -> Crowd:
        labels = {BENCH_LABEL: self.run}
        dockerfile = f"FROM busybox\nLABEL {BENCH_LABEL}={self.run}\n".encode()
        base = f"{self.prefix}-base:latest"
        for _ in self.api.build(fileobj=io.BytesIO(dockerfile), tag=base, rm=True,
                                decode=True):
            pass
        self.tags.append(base)

        def container(number: int) -> None:
            made = self.api.create_container("busybox", command=["sleep", "600"],
                                             name=f"{self.prefix}-{number:03d}", labels=labels)
            self.containers.append(made["Id"])

        def tag(number: int) -> None:
            self.api.tag(base, f"{self.prefix}-{number:03d}", "latest")
            self.tags.append(f"{self.prefix}-{number:03d}:latest")

        try:
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(container, range(self.count)))
                list(pool.map(tag, range(self.count - 1)))  # the base is one of them
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        def remove_container(container_id: str) -> None:
            try:
                self.api.remove_container(container_id, force=True)
            except docker.errors.NotFound:
                pass

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(remove_container, self.containers))
        # One by one: removing tags of one image at once races in the engine.
        for ref in reversed(self.tags):
            try:
                self.api.remove_image(ref)
            except docker.errors.APIError:
                pass
        leftovers = self.api.containers(all=True, filters={"label": f"{BENCH_LABEL}={self.run}"})
        for item in leftovers:
            remove_container(item["Id"])


def remove_container(api: docker.APIClient, name: str) -> None:
    try:
        api.remove_container(name, force=True)
    except docker.errors.NotFound:
        pass
