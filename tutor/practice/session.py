"""The practice side of the conversation: run what the learner types, then ask the engine.

A step passes because the engine is in the state its check describes. The typed
text is parsed only to refuse shell syntax, to ask before destroying the
learner's own resources, and for checks of read-only commands.

The session composes the parts, each in its own module: the lesson's place and
record (``place``), step values (``values``), the step on stage and its fixtures
(``stage``), reading a typed line (``pipeline``), the removal policy
(``policy``), what the learner created (``created``) and the completion names
(``names``).
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.checks import CheckContext, EngineUnavailable, evaluate
from tutor.checks.queries import translate
from tutor.course.placeholders import render_template
from tutor.engine import runner
from tutor.practice import advice, preflight, recording
from tutor.practice.created import CreatedTracker
from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL
from tutor.practice.names import NameCache
from tutor.practice.pipeline import TypedCommand, read_command, with_label, with_options
from tutor.practice.place import LessonPlace
from tutor.practice.protocol import EngineLine, Failure, Outcome
from tutor.practice.reach import engine_for, plain_problem_in_words
from tutor.practice.sessions import SessionLock
from tutor.practice.stage import StepState, set_up, tear_down
from tutor.practice.values import recorded_values
from tutor.practice.workspace import write_file
from tutor.progress.records import new_learner_id
from tutor.render import blocks as show

if TYPE_CHECKING:
    from tutor.checks import CheckResult
    from tutor.course.lesson import Lesson, Step
    from tutor.dockercli import ParsedCommand
    from tutor.engine.connection import Engine
    from tutor.engine.runner import RunResult
    from tutor.environment import Environment
    from tutor.practice.reservations import Ledger
    from tutor.progress import LessonRecord
    from tutor.steps.command import CommandStep

# How a command reaches the docker CLI: (command, argv, workspace) -> result.
RunCommand = Callable[[TypedCommand, list[str], Path], "RunResult"]


class PracticeSession:
    def __init__(self, env: Environment, engine: Engine | None = None,
                 workspace_root: Path | None = None, run: RunCommand | None = None,
                 learner: str | None = None) -> None:
        self.env = env
        self._engine = engine
        self.place = LessonPlace(workspace_root or env.workspace_root)
        self.state: StepState | None = None
        self.created = CreatedTracker(self.place)
        self.names = NameCache(lambda: self.engine)
        self._run = run or self._run_for_the_learner
        # Whose resources are whose on a shared engine (tutor.practice.labels).
        self.learner = learner or new_learner_id()
        self.session = SessionLock(env.data_dir / "sessions" if env.data_dir else None)
        self._ledger: Ledger | None = None
        self._swept = False
        self.failure: Failure | None = None  # for "why did that fail?"

    @property
    def owner(self) -> dict[str, str]:
        """The labels of this learner's and this session's fixtures."""
        return {LEARNER_LABEL: self.learner, SESSION_LABEL: self.session.id}

    # -- where -------------------------------------------------------------------------

    @property
    def workspace(self) -> Path:
        return self.place.workspace

    @property
    def lesson(self) -> Lesson | None:
        return self.place.lesson

    @property
    def record(self) -> LessonRecord:
        return self.place.record

    def begin_lesson(self, lesson: Lesson, record: LessonRecord) -> None:
        if self.place.lesson is not lesson and self.state is not None:
            self.leave_step(self.state.lesson_id, self.state.step)
        self.place.lesson = lesson
        self.place.record = record

    def write_workspace_file(self, relative: str, content: str) -> Path:
        """Write a file inside the lesson's workspace (never outside it)."""
        return write_file(self.workspace, relative, content)

    def edit(self, name: str) -> None:
        from tutor.practice.editor import edit_file

        edit_file(self.env.console, self.workspace, name, self.env.environ)

    # -- the engine ----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = engine_for(self.env)
        return self._engine

    @property
    def ledger(self) -> Ledger:
        """The names and ports this session reserved on its engine (machine-wide)."""
        if self._ledger is None:
            from tutor.practice.reservations import ledger_for

            self._ledger = ledger_for(self.env.runtime_dir, self.engine.endpoint, self.learner,
                                      self.session.id)
        return self._ledger

    def watch_engine(self, changed: Callable[[], None]) -> None:
        self.engine.listeners.append(changed)

    def known_names(self, kind: str) -> tuple[str, ...]:
        return self.names.known(kind)

    def status(self) -> EngineLine:
        # The toolbar redraws often: never wait on the engine here.
        line = self.engine.status_line(block=False)
        status = self.engine.last_status
        if status is not None and status.ok and not self.names.warmed:
            self.names.known("container")  # warm the completion cache once the engine answers
        return EngineLine(line, None if status is None else status.ok)

    def plain_problem(self) -> str | None:
        return plain_problem_in_words(self.engine)

    def engine_ready(self) -> bool:
        """Probe the engine; when it is not there, say why and how to start it."""
        status = self.engine.probe()
        if status.ok:
            return True
        from tutor.engine.diagnosis import print_problem

        self._say("This needs the Docker engine, and it does not answer:", "tutor.error")
        assert status.problem is not None
        print_problem(self.env.console, status.problem, indent=2)
        self._say("Concept lessons and quizzes work without it. When the engine is up, type "
                  "your command again or /check.", "tutor.muted")
        return False

    # -- steps ---------------------------------------------------------------------------

    def enter_step(self, lesson_id: str, step: CommandStep) -> dict[str, str]:
        """Prepare a practice step; returns the values of its template variables."""
        if self.state is not None and self.state.is_for(lesson_id, step):
            return self.state.values
        self.state = StepState.begin(self.place, lesson_id, step)
        self.workspace.mkdir(parents=True, exist_ok=True)
        if self.engine_ready():
            self._sweep_leftovers()
            self._set_up(self.state)
        return self.state.values

    def _sweep_leftovers(self) -> None:
        """Once per session: fixtures of this learner that a killed session left behind."""
        if self._swept:
            return
        self._swept = True
        self.session.hold()
        from tutor.practice.fixtures import leftover_fixtures

        try:
            removed = leftover_fixtures(self.engine.api, self.learner, self.session.is_alive)
        except Exception:  # the engine went away: they stay labelled for the next time
            return
        if removed:
            self._say("Removed what an earlier tutor session (which ended abruptly) had set "
                      "up: " + ", ".join(removed) + ".", "tutor.muted")

    def _set_up(self, state: StepState) -> bool:
        """Choose the step's values and run its setup once; True when the step is ready."""
        if state.ready:
            return True
        from tutor.practice.fixtures import SetupFailed

        try:
            set_up(self.engine.api, self.place, state, self.owner, self.env.shared_engine,
                   self.ledger)
        except SetupFailed as error:
            self._say(f"Could not prepare this step: {error}", "tutor.error")
            return False
        except EngineUnavailable as error:
            self.engine.invalidate()
            self._say(f"The engine stopped answering: {error}", "tutor.error")
            return False
        except Exception as error:  # docker.errors.APIError, connection errors
            self.engine.invalidate()
            self._say(f"Could not prepare this step: {_short(error)}", "tutor.error")
            return False
        return True

    def leave_step(self, lesson_id: str, step: CommandStep) -> None:
        state, self.state = self.state, None
        if state is None or not state.ready:
            return
        try:
            removed = tear_down(self.engine.api, state, self.owner)
        except Exception as error:  # the engine went away: fixtures stay labelled for later
            self._say(f"Could not clean up this step's containers: {_short(error)}",
                      "tutor.warning")
            return
        if removed:
            self._say("Cleaned up what this step created: " + ", ".join(removed) + ".",
                      "tutor.muted")

    def values_for(self, step: Step) -> dict[str, str]:
        if self.state is not None and self.state.step is step:
            return self.state.values
        return recorded_values(self.place, step)

    # -- running commands ----------------------------------------------------------------

    def run_command(self, line: str, lesson_id: str | None, step: CommandStep | None) -> Outcome:
        words = line.split()
        if words[:2] == ["sudo", "docker"]:
            return self._without_sudo(line.split(None, 1)[1], lesson_id, step)
        command = read_command(line, self._say, self._markdown)
        if command is None or not self.engine_ready():
            return Outcome()
        if command.unsupported:
            return Outcome(confirm=(f"{command.unsupported} Run it anyway?",
                                    lambda: self._execute(command, None)))
        if step is not None and self.state is not None and not self._set_up(self.state):
            return Outcome()
        try:
            return self._ask_or_run(command, step)
        except Exception as error:  # the engine went away between the probe and now
            if not _engine_error(error):
                raise
            self._engine_lost(error)
            return Outcome()

    def _ask_or_run(self, command: TypedCommand, step: CommandStep | None) -> Outcome:
        before = self._preflight(command)
        if before is not None:
            if before.instead is None:
                self._say(before.message, "tutor.warning")
                return Outcome()
            other = read_command(shlex.join(before.instead), self._say, self._markdown)
            return Outcome(confirm=(before.question, lambda: self._execute(other, step)
                                    if other is not None else Outcome()))
        question = self._confirmation_question(command)
        if question:
            return Outcome(confirm=(question, lambda: self._execute(command, step)))
        return self._execute(command, step)

    def _engine_lost(self, error: BaseException) -> None:
        """The engine stopped answering in the middle of a command: say why, as for any
        engine problem; what the command made is found by its label when it is back."""
        cause = error.__cause__ if isinstance(error, EngineUnavailable) and error.__cause__ \
            else error
        from tutor.engine.diagnosis import print_problem

        self._say("The engine stopped answering while the command ran:", "tutor.error")
        print_problem(self.env.console, self.engine.problem_for(cause), indent=2)
        self._say("What the command made is looked up again once the engine is back.",
                  "tutor.muted")

    def _without_sudo(self, line: str, lesson_id: str | None,
                      step: CommandStep | None) -> Outcome:
        self._say("No need for sudo: the tutor runs docker for you, as your own user. If you "
                  "reach for sudo because docker says \"permission denied\" on its socket, "
                  "`docker-tutor doctor` shows the fix (usually: join the docker group).",
                  "tutor.warning")
        return Outcome(confirm=(f"Run `{line}` without sudo?",
                                lambda: self.run_command(line, lesson_id, step)))

    def _preflight(self, command: TypedCommand) -> preflight.Advice | None:
        return (preflight.buildx_advice(command, self.env.environ)
                or preflight.compose_advice(command, self.env.environ)
                or preflight.attach_advice(command, self.engine.api))

    def _confirmation_question(self, command: TypedCommand) -> str | None:
        from tutor.dockercli.effects import destructive_targets
        from tutor.practice.policy import confirmation_question

        if command.parsed is None:
            return None
        destruction = destructive_targets(command.parsed)
        if destruction is None:
            return None
        return confirmation_question(self.engine.api, destruction, self.created, self.owner)

    def play(self, line: str) -> str:
        """Run a command as typed, with no question asked and nothing judged (selftest);
        returns what it printed."""
        command = read_command(line, self._say, self._markdown)
        if command is None:
            raise ValueError(f"not a command the tutor runs: {line}")
        result, _made = self._run_and_record(command)
        return result.output

    def _execute(self, command: TypedCommand | None, step: CommandStep | None) -> Outcome:
        if command is None:
            return Outcome()
        try:
            result, made = self._run_and_record(command)
        except Exception as error:
            if not _engine_error(error):
                raise  # a bug, not the engine: the REPL reports it
            self._engine_lost(error)
            return Outcome()
        notes = self._advice(command, result, made, step)
        if result.interrupted:
            self._say("Stopped (Ctrl-C).", "tutor.muted")
        elif result.returncode != 0:
            if command.usage_note:
                self._say(command.usage_note, "tutor.warning")
            if not notes:
                from tutor.practice.diagnose import diagnose  # what docker's errors mean

                notes = diagnose(result.output)
        for note in notes:
            show.say(self.env.console, "Tip: " + note, "tutor.hint")
        if result.returncode != 0 and not result.interrupted:
            tail = "\n".join(result.output.strip().splitlines()[-6:])
            self.failure = Failure(command.line, tail, tuple(notes))
        if step is None:
            return Outcome()
        return Outcome(passed=self.check_step(self.state.lesson_id if self.state else "", step))

    def _advice(self, command: TypedCommand, result: RunResult, made: recording.Made | None,
                step: CommandStep | None) -> list[str]:
        parsed = command.parsed
        if parsed is None:
            return []
        found = [self._lost_race(command, result, made, step), advice.misplaced_options(parsed)]
        if result.interrupted and made is not None:
            found.append(advice.still_running(made.running))
        try:
            found.append(advice.implicit_latest(parsed, result.output, self.engine.api))
        except Exception:  # advice must never cost the learner the command's result
            pass
        if step is not None and self.state is not None:
            found.append(advice.swapped_copy(step.check, self.state.values, parsed))
        return [note for note in found if note]

    def _lost_race(self, command: TypedCommand, result: RunResult, made: recording.Made | None,
                   step: CommandStep | None) -> str | None:
        """Someone else took the step's name or port since it was handed out: a new one.
        Any other name in use by another learner's container: theirs, not to remove."""
        if result.returncode == 0:
            return None
        from tutor.practice.races import after_lost_race, held_by_another_learner

        api, output = self.engine.api, result.output
        try:
            note = None if step is None or self.state is None else after_lost_race(
                api, self.place, step, self.state.values, self.learner, command.argv, output,
                made, self.ledger)
            return note or held_by_another_learner(api, output, self.learner)
        except Exception:  # advice must never cost the learner the command's result
            return None

    def _run_and_record(self, command: TypedCommand) -> tuple[RunResult, recording.Made | None]:
        """Run the command; what it made is recorded for the lesson's cleanup."""
        with recording.container_id_file(command.parsed) as id_file:
            return self._run_and_record_with(command, id_file)

    def _run_and_record_with(self, command: TypedCommand,
                             id_file: Path | None) -> tuple[RunResult, recording.Made | None]:
        parsed = command.parsed
        argv = command.argv
        if parsed is not None and recording.label_for_learner(parsed):
            argv = with_label(argv, parsed.typed_path, f"{LEARNER_LABEL}={self.learner}")
        if parsed is not None and id_file is not None:
            argv = with_options(argv, parsed.typed_path, ["--cidfile", str(id_file)])
        before = self._look_before(parsed, id_file)
        self.workspace.mkdir(parents=True, exist_ok=True)
        started = time.time()
        try:
            result = self._run(command, argv, self.workspace)
        finally:
            if self.state is not None:
                self.state.windows.append((started, time.time()))
        if self.state is not None and parsed is not None:
            self.state.last_command = parsed
        made = None
        if before is not None and parsed is not None:
            try:
                made = recording.look_after(self.engine.api, parsed, self.learner, before,
                                            result.output)
            except Exception as error:
                if self.lesson is not None:
                    self.created.mark_pending(started, before.images)
                raise EngineUnavailable(_short(error)) from error
            if self.lesson is not None:
                self.created.remember(made.items)
        return result, made

    def _look_before(self, parsed: ParsedCommand | None,
                     id_file: Path | None = None) -> recording.Before | None:
        if parsed is None:
            return None
        api = self.engine.api
        self.created.resume(api, self.learner)
        return recording.look_before(api, parsed, self.learner, id_file)

    def _run_for_the_learner(self, command: TypedCommand, argv: list[str],
                             cwd: Path) -> RunResult:
        return runner.run_docker(argv, self.engine.endpoint, self.env, cwd,
                                 "terminal" if command.interactive else "stream")

    def last_failure(self) -> Failure | None:
        return self.failure

    def containers_summary(self) -> list[str]:
        from tutor.practice.fixtures import FIXTURE_LABEL
        from tutor.practice.inventory import describe_container

        api = self.engine.api
        mine = api.containers(all=True, filters=recording.learner_filter(self.learner))
        setup = api.containers(all=True, filters={"label": [
            FIXTURE_LABEL, f"{SESSION_LABEL}={self.session.id}"]})
        return [describe_container(c) for c in mine] + [
            describe_container(c) + " (set up by the tutor for this step)" for c in setup]

    # -- what the learner created ----------------------------------------------------------

    def created_in_lesson(self) -> list[dict[str, str]]:
        api = self.engine.api
        self.created.resume(api, self.learner)
        return self.created.still_there(api)

    def remove_created(self, items: list[dict[str, str]]) -> list[str]:
        return self.created.remove(self.engine.api, items,
                                   lambda message: self._say(message, "tutor.warning"))

    # -- judging ---------------------------------------------------------------------------

    def evaluate(self, step: CommandStep) -> CheckResult:
        """Judge the step against the engine, printing nothing (selftest, tests)."""
        assert self.state is not None and self.state.step is step
        context = CheckContext(api=self.engine.api, workspace=self.workspace,
                               values=self.state.values, last_command=self.state.last_command,
                               since=self.state.started, windows=tuple(self.state.windows),
                               http_host=self.engine.http_host,
                               learner_label=(LEARNER_LABEL, self.learner))
        return evaluate(step.check, context)

    def check_step(self, lesson_id: str, step: CommandStep) -> bool:
        if self.state is None or self.state.step is not step:
            self.enter_step(lesson_id, step)
        if not self.engine_ready() or self.state is None or not self._set_up(self.state):
            return False
        try:
            result = self.evaluate(step)
        except EngineUnavailable as error:
            self.engine.invalidate()
            self._say(f"The engine stopped answering while checking: {error}", "tutor.error")
            return False
        if result.passed:
            self.failure = None  # "why did that fail?" has nothing failed to tell now
            return True
        hints = tuple(render_template(hint, self.state.values) for hint in result.hints)
        previous = self.failure
        keep = previous is not None and previous.command is not None and not previous.missing
        self.failure = Failure(previous.command if keep and previous else None,
                               previous.output if keep and previous else "",
                               previous.tips if keep and previous else (),
                               tuple(result.messages), hints)
        self._say("Not done yet:", "tutor.wrong")
        show.bullets(self.env.console, result.messages, "tutor.feedback")
        for hint in result.hints:
            self._markdown(render_template(hint, self.state.values))
        return False

    # -- output ----------------------------------------------------------------------------

    def _say(self, message: str, style: str = "") -> None:
        show.say(self.env.console, message, style)

    def _markdown(self, text: str) -> None:
        show.markdown(self.env.console, text)


def _engine_error(error: BaseException) -> bool:
    """Whether the error says the engine could not be asked (rather than a bug)."""
    return isinstance(error, EngineUnavailable) or translate(error) is not error


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
