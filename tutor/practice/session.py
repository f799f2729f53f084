"""The practice side of the conversation: run what the learner types, then ask the engine.

A step passes because the engine is in the state its check describes. The
typed text is parsed only to refuse shell syntax, to ask before destroying
the learner's own resources, and for checks of read-only commands.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tutor.progress import LessonRecord
from tutor.render import lesson as show

if TYPE_CHECKING:
    from tutor.checks import CheckResult
    from tutor.course.model import CommandStep, Lesson
    from tutor.dockercli import ParsedCommand
    from tutor.engine.connection import Engine
    from tutor.environment import Environment


NAMES_FRESH_SECONDS = 3.0


@dataclass
class Outcome:
    """What running a command led to, for the conversation."""

    passed: bool = False
    # Set when the command needs a yes before it runs: (question, what to do on yes).
    confirm: tuple[str, Callable[[], "Outcome"]] | None = None


@dataclass
class StepState:
    lesson_id: str
    step: CommandStep
    values: dict[str, str]
    started: float
    label: str
    ready: bool = False  # setup done
    last_command: ParsedCommand | None = None
    notes: list[str] = field(default_factory=list)


class PracticeSession:
    def __init__(self, env: Environment, engine: Engine | None = None,
                 workspace_root: Path | None = None) -> None:
        self.env = env
        self._engine = engine
        self.workspace_root = workspace_root or env.workspace_root
        self.state: StepState | None = None
        self.selftest_label: str | None = None  # KEY=VALUE, set by selftest for its run
        self.last_values: dict[str, str] | None = None  # selftest: the solution's values
        self._names: dict[str, list[str]] = {}
        self._names_at = float("-inf")
        self._names_thread: threading.Thread | None = None
        self.lesson: Lesson | None = None
        # The lesson's record in progress: its vars' values and what the learner
        # created live there, so they survive a restart.
        self.record: LessonRecord = LessonRecord()

    @property
    def environ(self):
        return self.env.environ

    @property
    def workspace(self) -> Path:
        """Where the learner's commands run: one directory per lesson."""
        if self.lesson is None:
            return self.workspace_root
        return self.workspace_root / self.lesson.id

    def begin_lesson(self, lesson: Lesson, record: LessonRecord) -> None:
        if self.lesson is not lesson and self.state is not None:
            self.leave_step(self.state.lesson_id, self.state.step)
        self.lesson = lesson
        self.record = record

    def write_workspace_file(self, relative: str, content: str) -> Path:
        """Write a file inside the lesson's workspace (never outside it)."""
        from tutor.practice.workspace import write_file

        return write_file(self.workspace, relative, content)

    # -- engine -----------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from tutor.engine.connection import Engine
            from tutor.engine.endpoint import resolve_endpoint

            # Resolved once: the docker CLI and the SDK must reach the same engine.
            self._engine = Engine(resolve_endpoint(self.env.environ), environ=self.env.environ)
        return self._engine

    def known_names(self, kind: str) -> list[str]:
        """Container names or image tags for completion, from a cache the background
        refreshes: a keystroke never waits on the engine."""
        status = self.engine.last_status
        if status is None or not status.ok:
            return []
        if time.monotonic() - self._names_at > NAMES_FRESH_SECONDS and not (
                self._names_thread and self._names_thread.is_alive()):
            self._names_thread = threading.Thread(target=self._refresh_names, daemon=True,
                                                  name="docker-tutor-names")
            self._names_thread.start()
        return list(self._names.get(kind, ()))

    def _refresh_names(self) -> None:
        from tutor.practice.inventory import snapshot

        try:
            current = snapshot(self.engine.api)
        except Exception:  # the engine went away: completion simply offers nothing new
            return
        self._names = {"container": sorted(current.names.values()),
                       "image": sorted(current.image_tags)}
        self._names_at = time.monotonic()

    def status(self) -> str:
        # The toolbar redraws often: never wait on the engine here.
        line = self.engine.status_line(block=False)
        if self._names_at == float("-inf") and self._names_thread is None:
            self.known_names("container")  # warm the completion cache once the engine answers
        return line

    def _engine_ready(self) -> bool:
        """Probe the engine; when it is not there, say why and how to start it."""
        status = self.engine.probe()
        if status.ok:
            return True
        from tutor.engine.diagnosis import print_problem

        show.say(self.env.console, "This needs the Docker engine, and it does not answer:",
                 "tutor.error")
        print_problem(self.env.console, status.problem, indent=2)
        show.say(self.env.console, "Concept lessons and quizzes work without it. When the "
                 "engine is up, type your command again or /check.", "tutor.muted")
        return False

    # -- steps ------------------------------------------------------------------

    def enter_step(self, lesson_id: str, step: CommandStep) -> dict[str, str]:
        """Prepare a practice step; returns the values of its template variables."""
        from tutor.practice.fixtures import fixture_label_value

        if self.state and self.state.step is step and self.state.lesson_id == lesson_id:
            return self.state.values
        self.state = StepState(lesson_id, step, self._recorded_values(step), time.time(),
                               fixture_label_value(lesson_id, step.id))
        self.workspace.mkdir(parents=True, exist_ok=True)
        if self._engine_ready():
            self._prepare(self.state)
        return self.state.values

    def _prepare(self, state: StepState) -> bool:
        """Choose variable values and run setup; True when the step is ready."""
        from tutor.checks import EngineUnavailable
        from tutor.practice.fixtures import SetupFailed, apply_setup
        from tutor.practice.variables import choose_values

        if state.ready:
            return True
        api = self.engine.api
        try:
            lesson_specs = self.lesson.variables if self.lesson else ()
            missing = [spec for spec in lesson_specs if spec.name not in self.record.values]
            if missing:  # chosen once per lesson: later steps reuse the same port or name
                self.record.values.update(choose_values(api, missing))
            # A step's own vars are kept too (as "step.var"): after a restart the learner
            # is asked for the same name and port as before, not "web-2".
            step_missing = [spec for spec in state.step.variables
                            if step_key(state.step, spec.name) not in self.record.values]
            if step_missing:
                self.record.values.update({step_key(state.step, name): value for name, value
                                           in choose_values(api, step_missing).items()})
            state.values.update(self._recorded_values(state.step))
            for action in state.step.setup:
                apply_setup(api, action, state.values, state.label, self.workspace)
        except SetupFailed as error:
            show.say(self.env.console, f"Could not prepare this step: {error}", "tutor.error")
            return False
        except EngineUnavailable as error:
            show.say(self.env.console, f"The engine stopped answering: {error}", "tutor.error")
            self.engine.invalidate()
            return False
        except Exception as error:  # docker.errors.APIError, connection errors
            self.engine.invalidate()
            show.say(self.env.console, f"Could not prepare this step: {_short(error)}",
                     "tutor.error")
            return False
        state.ready = True
        state.started = time.time()
        return True

    def leave_step(self, lesson_id: str, step: CommandStep) -> None:
        state, self.state = self.state, None
        if state is None or not state.ready:
            return
        from tutor.practice.fixtures import cleanup

        try:
            removed = cleanup(self.engine.api, state.label)
        except Exception as error:  # the engine went away: fixtures stay labelled for later
            show.say(self.env.console, f"Could not clean up this step's containers: "
                     f"{_short(error)}", "tutor.warning")
            return
        if removed:
            show.say(self.env.console, "Cleaned up what this step created: "
                     + ", ".join(removed) + ".", "tutor.muted")

    def values_for(self, step: CommandStep) -> dict[str, str]:
        if self.state and self.state.step is step:
            return self.state.values
        return self._recorded_values(step)

    def _recorded_values(self, step) -> dict[str, str]:
        """The workspace, then the lesson's and the step's vars as recorded (or defaults)."""
        values = {"workspace": str(self.workspace)}
        for spec in (self.lesson.variables if self.lesson else ()):
            values[spec.name] = self.record.values.get(spec.name, spec.default)
        for spec in getattr(step, "variables", ()):
            values[spec.name] = self.record.values.get(step_key(step, spec.name), spec.default)
        return values

    # -- running commands -------------------------------------------------------

    def run_command(self, line: str, lesson_id: str | None, step: CommandStep | None) -> Outcome:
        from tutor.dockercli import (
            ShellSyntaxError,
            UnknownCommand,
            UnsupportedCommand,
            UsageError,
            parse,
            split_command,
        )
        from tutor.dockercli.effects import destructive_targets

        try:
            argv = split_command(line)
        except ShellSyntaxError as error:
            show.say(self.env.console, f"Not run: this line uses shell syntax ({error.construct}).",
                     "tutor.warning")
            show.markdown(self.env.console, error.advice)
            return Outcome()
        usage_note = None
        try:
            parsed = parse(argv)
        except UnsupportedCommand as error:
            # Real, but outside the tutor's model: it cannot tell what it would change,
            # so it asks rather than guess (`docker compose down -v` deletes volumes).
            if not self._engine_ready():
                return Outcome()
            return Outcome(confirm=(f"{error} Run it anyway?",
                                    lambda: self._execute(argv, None, step, None)))
        except UnknownCommand as error:
            show.say(self.env.console, str(error), "tutor.warning")
            return Outcome()
        except UsageError as error:
            # The docker CLI has the last word on flags; run it and add our note.
            parsed, usage_note = None, str(error)
        if not self._engine_ready():
            return Outcome()
        if step is not None and self.state is not None and not self._prepare(self.state):
            return Outcome()
        destruction = destructive_targets(parsed) if parsed is not None else None
        if destruction is not None:
            question = self._confirmation_question(destruction)
            if question:
                return Outcome(confirm=(question, lambda: self._execute(argv, parsed, step,
                                                                        usage_note)))
        return self._execute(argv, parsed, step, usage_note)

    def _confirmation_question(self, destruction) -> str | None:
        """A question when the command could touch resources the tutor did not create."""
        from tutor.practice.fixtures import FIXTURE_LABEL, is_fixture_image

        if destruction.prune or not destruction.targets:
            return (f"This will {destruction.description}, which can include your own "
                    "resources outside this lesson. Run it?")
        api = self.engine.api
        own: list[str] = []
        for target in destruction.targets:
            try:
                if destruction.kind == "containers":
                    labels = api.inspect_container(target)["Config"].get("Labels") or {}
                    fixture = FIXTURE_LABEL in labels
                elif destruction.kind == "images":
                    image = api.inspect_image(target)
                    image.setdefault("RepoTags", image.get("RepoTags") or [])
                    fixture = is_fixture_image(image, target)
                else:
                    fixture = False
            except Exception:  # missing: docker will say so itself
                continue
            if not fixture and not self._created_in_lesson(destruction.kind, target):
                own.append(target)
        if not own:
            return None
        return (f"This will {destruction.description}. {', '.join(own)} "
                f"{'was' if len(own) == 1 else 'were'} not created by the tutor for this step. "
                "Run it?")

    def _execute(self, argv: list[str], parsed: ParsedCommand | None,
                 step: CommandStep | None, usage_note: str | None) -> Outcome:
        from tutor.dockercli.effects import is_interactive
        from tutor.engine.runner import run_docker
        from tutor.practice.diagnose import diagnose

        from tutor.practice.inventory import CREATING_PATHS, added, snapshot

        mode = "terminal" if parsed is not None and is_interactive(parsed) else "stream"
        records = parsed is not None and parsed.path in CREATING_PATHS and self.lesson
        before = snapshot(self.engine.api) if records else None
        self.workspace.mkdir(parents=True, exist_ok=True)
        result = run_docker(argv, self.engine.endpoint, self.env, self.workspace, mode)
        if before is not None:
            self._remember(added(before, snapshot(self.engine.api)))
        if self.state is not None and parsed is not None:
            self.state.last_command = parsed
        if result.interrupted:
            show.say(self.env.console, "Stopped (Ctrl-C).", "tutor.muted")
        elif result.returncode != 0:
            if usage_note:
                show.say(self.env.console, usage_note, "tutor.warning")
            for note in diagnose(result.output):
                show.say(self.env.console, "Tip: " + note, "tutor.hint")
        if step is None:
            return Outcome()
        return Outcome(passed=self.check_step(self.state.lesson_id if self.state else "", step))

    def _created_in_lesson(self, kind: str, target: str) -> bool:
        """True for a container or tag the learner's own commands made in this lesson."""
        for item in self.record.created:
            if kind == "containers" and item.get("kind") == "container" and (
                    target == item.get("name") or (len(target) >= 12
                                                   and item.get("id", "").startswith(target))):
                return True
            if kind == "images" and item.get("kind") == "image":
                wanted = target if ":" in target.rsplit("/", 1)[-1] else f"{target}:latest"
                if wanted == item.get("ref"):
                    return True
        return False

    def _remember(self, items: list[dict[str, str]]) -> None:
        """Note what the learner's command created, for the lesson's cleanup."""
        known = {(i.get("kind"), i.get("id") or i.get("ref")) for i in self.record.created}
        for item in items:
            if (item["kind"], item.get("id") or item.get("ref")) not in known:
                self.record.created.append(item)

    def created_in_lesson(self) -> list[dict[str, str]]:
        """What the learner created in this lesson through the tutor that still exists."""
        import docker.errors

        api = self.engine.api
        present = []
        for item in self.record.created:
            try:
                if item["kind"] == "container":
                    api.inspect_container(item["id"])
                else:
                    api.inspect_image(item["ref"])
            except docker.errors.NotFound:
                continue
            present.append(item)
        return present

    def remove_created(self, items: list[dict[str, str]]) -> list[str]:
        """Remove the given lesson resources: containers first, then image tags."""
        import docker.errors

        from tutor.practice.inventory import describe

        api = self.engine.api
        removed = []
        ordered = sorted(items, key=lambda item: item["kind"] != "container")
        for item in ordered:
            try:
                if item["kind"] == "container":
                    api.remove_container(item["id"], force=True, v=True)
                else:
                    api.remove_image(item["ref"])
            except docker.errors.NotFound:
                pass
            except docker.errors.APIError as error:
                show.say(self.env.console, f"Could not remove {describe(item)}: "
                         f"{error.explanation or error}", "tutor.warning")
                continue
            removed.append(describe(item))
        self.record.created[:] = [i for i in self.record.created if i not in ordered]
        return removed

    def evaluate(self, step: CommandStep) -> CheckResult:
        """Judge the step against the engine without printing (selftest, tests)."""
        from tutor.checks import CheckContext, evaluate

        assert self.state is not None and self.state.step is step
        context = CheckContext(api=self.engine.api, workspace=self.workspace,
                               values=self.state.values, last_command=self.state.last_command,
                               since=self.state.started)
        return evaluate(step.check, context)

    def run_quietly(self, line: str, label: str | None = None) -> str:
        """Run a command with no questions asked and no terminal (selftest); returns output.

        Interactive commands run in a pseudo-terminal and are detached with
        Ctrl-P Ctrl-Q, as a learner would leave them.
        """
        from tutor.dockercli import parse, split_command
        from tutor.dockercli.effects import is_interactive
        from tutor.engine.runner import run_docker
        from tutor.practice.scripted import run_detached

        argv = split_command(line)
        parsed = parse(argv)
        if self.state is not None:
            self.state.last_command = parsed
        if label and parsed.path in (("container", "run"), ("container", "create")):
            argv = with_label(argv, parsed.typed_path, label if "=" in label else f"{label}=1")
        if is_interactive(parsed):
            return run_detached(argv, self.engine.endpoint, self.env, self.workspace)
        result = run_docker(argv, self.engine.endpoint, self.env, self.workspace, "stream")
        return result.output

    def check_step(self, lesson_id: str, step: CommandStep) -> bool:
        from tutor.checks import CheckContext, EngineUnavailable, evaluate, render_template

        if self.state is None or self.state.step is not step:
            self.enter_step(lesson_id, step)
        if not self._engine_ready() or self.state is None or not self._prepare(self.state):
            return False
        context = CheckContext(api=self.engine.api, workspace=self.workspace,
                               values=self.state.values, last_command=self.state.last_command,
                               since=self.state.started)
        try:
            result = evaluate(step.check, context)
        except EngineUnavailable as error:
            self.engine.invalidate()
            show.say(self.env.console, f"The engine stopped answering while checking: {error}",
                     "tutor.error")
            return False
        if result.passed:
            return True
        show.say(self.env.console, "Not done yet:", "tutor.wrong")
        show.bullets(self.env.console, result.messages, "tutor.feedback")
        for hint in result.hints:
            show.markdown(self.env.console, render_template(hint, self.state.values))
        return False


def step_key(step, name: str) -> str:
    """Where a step's own var is kept in the lesson record."""
    return f"{step.id}.{name}"


def with_label(argv: list[str], typed_path: tuple[str, ...], label: str) -> list[str]:
    """argv with ``--label KEY=VALUE`` right after the command words (``run``, ``container run``)."""
    for start in range(1, len(argv) - len(typed_path) + 1):
        if tuple(argv[start:start + len(typed_path)]) == typed_path:
            end = start + len(typed_path)
            return argv[:end] + ["--label", label] + argv[end:]
    return argv


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
