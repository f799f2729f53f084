"""``docker-tutor selftest``: play every practice step against the real engine.

For each command step: the check fails before anything is done; each listed
wrong attempt fails with its expected reason; each alternative passes; the
solution passes; and nothing labelled is left behind. Between attempts,
containers and image tags an attempt created are removed again, so attempts do
not see each other's results.
"""

from __future__ import annotations

import dataclasses
import io
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.checks.refs import repo_tags
from tutor.course.placeholders import render_template
from tutor.course.practice_spec import PlayAction, WriteFile
from tutor.engine import runner
from tutor.practice.engine_limits import limit_hit
from tutor.practice.inventory import Snapshot, snapshot
from tutor.practice.pipeline import TypedCommand, with_label
from tutor.practice.scripted import run_detached
from tutor.practice.session import PracticeSession
from tutor.practice.untouched import changes, engine_state, mentioned_parts
from tutor.status import ExitStatus
from tutor.steps.command import CommandStep

SELFTEST_LABEL = "org.docker-tutor.selftest"

if TYPE_CHECKING:
    import docker
    from rich.console import Console

    from tutor.checks import CheckResult
    from tutor.course.lesson import Course, Lesson
    from tutor.engine.connection import EngineStatus
    from tutor.engine.product import EngineProduct
    from tutor.engine.runner import RunResult
    from tutor.environment import Environment


@dataclass
class StepReport:
    lesson: str
    step: str
    failures: list[str] = field(default_factory=list)
    checked: int = 0  # attempts played
    # Attempts this engine cannot play (tutor.practice.engine_limits), with the reason.
    unsupported: list[str] = field(default_factory=list)
    solution_unsupported: bool = False  # then the step is not counted as passed either


def excuse_after_unplayable(report: StepReport, unplayable: str) -> None:
    """A step after one whose solution this engine cannot play starts from a state the
    lesson never reached here (``compose up`` failed, so ``exec`` finds nothing running):
    its failures say nothing about the step, and are reported unsupported instead."""
    if report.failures:
        report.unsupported += [f"{failure} (after {unplayable}, which this engine cannot "
                               "play)" for failure in report.failures]
        report.failures.clear()
        report.solution_unsupported = True


def roll_back(api: docker.APIClient, before: Snapshot, commands: Sequence[str],
              run_label: str) -> None:
    """Remove what the played commands created since ``before``.

    Only containers carrying this run's selftest label (added to the run/create
    commands it plays) and new tags the commands name: the engine may be shared,
    and what someone else creates meanwhile is not ours to remove.
    """
    import docker.errors

    for container in api.containers(all=True, filters={"label": run_label}):
        if container["Id"] not in before.containers:
            try:
                api.remove_container(container["Id"], force=True, v=True)
            except docker.errors.NotFound:  # a --rm container that just went
                pass
    named = named_references(commands)
    now = snapshot(api, volumes_and_networks=True)
    for tag in sorted(now.image_tags - before.image_tags):
        if tag in named:
            try:
                api.remove_image(tag, force=True)
            except Exception:  # already gone with another tag of the same image
                pass
    # Volumes and networks carry no label of ours (`volume create`, `run -v NAME:/data`):
    # new ones that the commands name are theirs.
    words = mentioned_parts(commands)
    for volume in sorted(now.volumes - before.volumes):
        if volume in words:
            _remove_quietly(api.remove_volume, volume)
    for network in sorted(now.networks - before.networks):
        if network in words:
            _remove_quietly(api.remove_network, network)


def _remove_quietly(remove, name: str) -> None:
    """Remove a volume or network; one still in use (by a step's fixture, removed when the
    step is left) goes at the lesson's end, when this runs again."""
    import docker.errors

    try:
        remove(name)
    except docker.errors.APIError:
        pass



def named_references(commands: Sequence[str]) -> set[str]:
    """Image references the commands' words could name, with ``:latest`` filled in."""
    import shlex

    names: set[str] = set()
    for command in commands:
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        for word in words:
            if word.startswith("--") and "=" in word:
                word = word.split("=", 1)[1]  # --tag=hello:1 names hello:1
            if word.startswith("-") or "=" in word:
                continue
            last = word.rsplit("/", 1)[-1]
            names.add(word if ":" in last else f"{word}:latest")
    return names


def play_commands(practice: PracticeSession, actions: Sequence[PlayAction],
                  values: dict[str, str]) -> str:
    """Play actions as the learner would: type docker commands, write files."""
    output = []
    for action in actions:
        if isinstance(action, WriteFile):
            path = practice.write_workspace_file(render_template(action.path, values),
                                                 render_template(action.content, values))
            output.append(f"(wrote {path})")
            continue
        command = render_template(action, values)
        output.append(f"$ {command}\n{practice.play(command)}")
    return "\n".join(output)


def played(commands: Sequence[PlayAction], values: dict[str, str]) -> list[str]:
    return [render_template(command, values) for command in commands if isinstance(command, str)]


class ScriptedRun:
    """Runs commands for selftest: every container it makes carries the run's label (so
    rollback removes exactly those), and interactive commands get a pseudo-terminal and
    are detached from, as a learner would leave them."""

    def __init__(self, env: Environment, label: str) -> None:
        self.env = env
        self.label = label
        self.endpoint: object = None  # set once the session's engine is known
        self.played: list[str] = []  # every command line, for the untouched-guard

    def __call__(self, command: TypedCommand, argv: list[str], cwd: Path) -> RunResult:
        from tutor.engine.runner import RunResult

        self.played.append(command.line)
        parsed = command.parsed
        if parsed is not None and parsed.path in (("container", "run"), ("container", "create")):
            argv = with_label(argv, parsed.typed_path, self.label)
        if command.interactive:
            output = run_detached(argv, self.endpoint, self.env, cwd)  # type: ignore[arg-type]
            return RunResult(returncode=0, output=output, interrupted=False)
        return runner.run_docker(argv, self.endpoint, self.env, cwd,  # type: ignore[arg-type]
                                 "stream")


def selftest_step(practice: PracticeSession, lesson: Lesson, step: CommandStep,
                  report: StepReport, run_label: str,
                  product: EngineProduct | None = None) -> dict[str, str]:
    """Play one step. Each attempt starts from a fresh setup, so an attempt that removes
    a fixture cannot make the next one pass without doing anything. Returns the values
    the solution was played with (later steps build on its results). ``product`` is the
    engine: an attempt it cannot play (tutor.practice.engine_limits) is reported
    unsupported."""
    api = practice.engine.api

    def unsupported(what: str, actions, values: dict[str, str], output: str,
                    result: CheckResult) -> bool:
        # What the commands printed and what the checks said: either may show the limit.
        said = output + "\n" + "\n".join(result.messages)
        limit = limit_hit(product, played(actions, values), said)
        if limit is not None:
            report.unsupported.append(f"{what} {list(actions)}: {limit.reason}")
        return limit is not None

    def fresh_setup() -> tuple[dict[str, str], Snapshot] | None:
        said = practice.env.stdout
        mark = said.tell() if isinstance(said, io.StringIO) else 0
        practice.leave_step(lesson.id, step)
        values = practice.enter_step(lesson.id, step)
        if practice.state is None or not practice.state.ready:
            # What the session said about it (selftest's output goes to a buffer).
            why = said.getvalue()[mark:].strip() if isinstance(said, io.StringIO) else ""
            report.failures.append(f"setup failed: {' '.join(why.split())}" if why
                                   else "setup failed")
            return None
        return values, snapshot(api, volumes_and_networks=True)

    def attempt(actions) -> tuple[CheckResult, str, dict[str, str]] | None:
        prepared = fresh_setup()
        if prepared is None:
            return None
        values, before = prepared
        output = play_commands(practice, actions, values)
        result = practice.evaluate(step)
        report.checked += 1
        roll_back(api, before, played(actions, values), run_label)
        return result, output, values

    if fresh_setup() is None:
        return {}
    result = practice.evaluate(step)
    report.checked += 1
    if result.passed:
        report.failures.append("passes before anything was done (the check proves nothing)")

    for wrong in step.wrong_attempts:
        outcome = attempt(wrong.commands)
        if outcome is None:
            return {}
        result, output, values = outcome
        reason = render_template(wrong.reason, values)
        messages = " | ".join(result.messages)
        if not result.passed and reason.lower() not in messages.lower() and unsupported(
                "wrong attempt", wrong.commands, values, output, result):
            continue
        if result.passed:
            report.failures.append(f"wrong attempt passed: {list(wrong.commands)}\n{output}")
        elif reason.lower() not in messages.lower():
            report.failures.append(
                f"wrong attempt {list(wrong.commands)} failed, but not with {reason!r}: "
                f"{messages}\n{output}")

    for alternative in step.alternatives:
        outcome = attempt(alternative)
        if outcome is None:
            return {}
        result, output, values = outcome
        if not result.passed and not unsupported("alternative", alternative, values, output,
                                               result):
            report.failures.append(
                f"alternative {list(alternative)} did not pass: "
                f"{' | '.join(result.messages)}\n{output}")

    # The solution's results stay: later steps of the lesson build on them.
    prepared = fresh_setup()
    if prepared is None:
        return {}
    values, _before = prepared
    solution_values = dict(values)
    output = play_commands(practice, step.solution, values)
    result = practice.evaluate(step)
    report.checked += 1
    if not result.passed and unsupported("solution", step.solution, values, output, result):
        report.solution_unsupported = True
    elif not result.passed:
        report.failures.append(
            f"solution {list(step.solution)} did not pass: {' | '.join(result.messages)}"
            f"\n{output}")
    practice.leave_step(lesson.id, step)
    return solution_values


def selftest_challenges(practice: PracticeSession, lesson: Lesson, run_label: str,
                        console: Console) -> list[StepReport]:
    """Play the lesson's quiz challenges as a quiz does: each alone, in a place of its own
    (no earlier step ran, no lesson var chosen), so a challenge that leans on its lesson
    fails here."""
    from rich.text import Text

    from tutor.progress import LessonRecord
    from tutor.steps.quizfields import CHALLENGE, challenge_lesson

    reports = []
    for step in lesson.steps:
        if not isinstance(step, CommandStep) or CHALLENGE not in step.quiz:
            continue
        quiz = challenge_lesson(step)
        practice.begin_lesson(quiz, LessonRecord())
        report = StepReport(f"quiz:{lesson.id}", step.id)
        reports.append(report)
        start = snapshot(practice.engine.api)
        values: dict[str, str] = {}
        try:
            values = selftest_step(practice, quiz, step, report, run_label)
        except Exception as error:
            report.failures.append(f"crashed: {type(error).__name__}: {error}")
            practice.leave_step(quiz.id, step)
        roll_back(practice.engine.api, start, played(step.solution, values), run_label)
        mark = ("✔", "tutor.correct") if not report.failures else ("✘", "tutor.error")
        console.print(Text.assemble((f"{mark[0]} ", mark[1]), f"quiz challenge {lesson.id}/"
                                    f"{step.id}", (f"  ({report.checked} checks)", "tutor.muted")))
        for failure in report.failures:
            console.print(Text(f"    {failure}", style="tutor.feedback"))
    return reports


def leftovers(api: docker.APIClient, before: Snapshot,
              owner: Mapping[str, str]) -> list[str]:
    """Fixtures this run created that are still there (``owner``: the labels of this run's
    fixtures; another selftest on a shared engine makes fixtures of its own meanwhile)."""
    from tutor.practice.fixtures import FIXTURE_IMAGE_LABEL, FIXTURE_LABEL, labelled_images

    owned = [f"{key}={value}" for key, value in owner.items()]
    found = [f"container {c['Names'][0].lstrip('/')}"
             for c in api.containers(all=True, filters={"label": [FIXTURE_LABEL, *owned]})
             if c["Id"] not in before.containers]
    found += [f"image {tag}"
              for image in labelled_images(api, FIXTURE_IMAGE_LABEL, owner)
              for tag in repo_tags(image)
              if tag not in before.image_tags]
    volumes = api.volumes(filters={"label": [FIXTURE_LABEL, *owned]}) or {}
    found += [f"volume {volume['Name']}" for volume in volumes.get("Volumes") or ()
              if volume["Name"] not in before.volumes]
    found += [f"network {network['Name']}"
              for network in api.networks(filters={"label": [FIXTURE_LABEL, *owned]}) or ()
              if network["Name"] not in before.networks]
    return found


def engine_product(practice: PracticeSession, status: EngineStatus) -> EngineProduct:
    """What answers (Podman, rootless, remote...): selftest knows the limits of some."""
    from tutor.engine.product import identify

    try:
        options = practice.engine.api.info().get("SecurityOptions")
    except Exception:  # /info is only for the report; the run goes on without it
        options = None
    return identify(practice.engine.endpoint, status.platform_name, status.components,
                    options if isinstance(options, list) else None)


def run_selftest(env: Environment, lesson_ids: Sequence[str]) -> ExitStatus:
    from rich.text import Text

    from tutor.lessonfile.loader import load_course
    from tutor.progress import LessonRecord
    from tutor.render import blocks as show

    assert env.lessons_dir is not None
    course: Course = load_course(env.lessons_dir, env.cache_dir)
    console = env.console
    if course.problems:
        show.problems(console, course.problems)
        return ExitStatus.LESSON_ERRORS
    unknown = [lesson_id for lesson_id in lesson_ids if course.lesson(lesson_id) is None]
    if unknown:
        show.say(console, f"Unknown lesson(s): {', '.join(unknown)}", "tutor.error")
        return ExitStatus.USAGE
    lessons = ([found for i in lesson_ids if (found := course.lesson(i)) is not None]
               if lesson_ids else list(course.lessons))
    with tempfile.TemporaryDirectory(prefix="docker-tutor-selftest-") as scratch:
        # Commands' own output goes to a buffer: the report is what matters here.
        # The lessons' own names unless told the engine is shared: another learner's
        # containers must not change what is played (decoys sit on the default names).
        quiet_env = dataclasses.replace(env, stdout=io.StringIO(), stdout_isatty=False,
                                        data_dir=Path(scratch),
                                        shared_engine=env.shared_engine or False)
        # One label value per run: two selftests on one engine leave each other alone.
        run_label = f"{SELFTEST_LABEL}={secrets.token_hex(6)}"
        scripted = ScriptedRun(quiet_env, run_label)
        practice = PracticeSession(quiet_env, workspace_root=Path(scratch) / "workspace",
                                   run=scripted)
        scripted.endpoint = practice.engine.endpoint
        status = practice.engine.probe()
        if not status.ok:
            from tutor.engine.diagnosis import print_problem

            show.say(console, "selftest needs a Docker engine:", "tutor.error")
            if status.problem is not None:
                print_problem(console, status.problem, indent=2)
            return ExitStatus.ENGINE_UNAVAILABLE
        api = practice.engine.api
        product = engine_product(practice, status)
        run_start = snapshot(api, volumes_and_networks=True)
        existed = engine_state(api)
        reports: list[StepReport] = []
        for lesson in lessons:
            steps = [s for s in lesson.steps if isinstance(s, CommandStep)]
            if not steps:
                continue
            practice.begin_lesson(lesson, LessonRecord())
            lesson_start = snapshot(api, volumes_and_networks=True)
            lesson_commands: list[str] = []
            unplayable: str | None = None  # the first step whose solution this engine cannot play
            for step in steps:
                report = StepReport(lesson.id, step.id)
                reports.append(report)
                try:
                    values = selftest_step(practice, lesson, step, report, run_label, product)
                    # With the values this run chose (a lesson's port may not be the default).
                    lesson_commands += played(step.solution, values)
                except Exception as error:  # report and go on with the next step
                    report.failures.append(f"crashed: {type(error).__name__}: {error}")
                    practice.leave_step(lesson.id, step)
                if unplayable is not None:
                    excuse_after_unplayable(report, unplayable)
                elif report.solution_unsupported:
                    unplayable = step.id
                mark = (("✘", "tutor.error") if report.failures else
                        ("○", "tutor.muted") if report.solution_unsupported else
                        ("✔", "tutor.correct"))
                console.print(Text.assemble((f"{mark[0]} ", mark[1]), f"{lesson.id}/{step.id}",
                                            (f"  ({report.checked} checks)", "tutor.muted")))
                for failure in report.failures:
                    console.print(Text(f"    {failure}", style="tutor.feedback"))
                for note in report.unsupported:
                    console.print(Text(f"    unsupported here: {note}", style="tutor.muted"))
            roll_back(api, lesson_start, lesson_commands, run_label)
        for lesson in lessons:
            reports += selftest_challenges(practice, lesson, run_label, console)
        remaining = leftovers(api, run_start, practice.owner)
        if remaining:
            console.print(Text("✘ labelled resources left behind: " + ", ".join(remaining),
                               style="tutor.error"))
        touched = changes(existed, engine_state(api), scripted.played)
        if touched:
            console.print(Text("✘ selftest changed what existed before it started:",
                               style="tutor.error"))
            for change in touched:
                console.print(Text(f"    {change}", style="tutor.error"))
        failed = sum(1 for report in reports if report.failures)
        not_played = sum(1 for report in reports
                         if report.solution_unsupported and not report.failures)
        passed = len(reports) - failed - not_played
        skipped = sum(len(report.unsupported) for report in reports)
        if skipped:
            where = product.describe() + (f" on {product.remote}" if product.remote else "")
            so_steps = (f", so {not_played} step{'s' if not_played > 1 else ''} (○) could not "
                     "be played to the end" if not_played else "")
            console.print(f"{skipped} attempt{'s' if skipped > 1 else ''} unsupported by "
                          f"{where}{so_steps} (listed above; not counted as failures)")
        skipped_steps = f", {not_played} skipped" if not_played else ""
        console.print(f"selftest: {passed} passed, {failed} failed{skipped_steps}")
        return (ExitStatus.SELFTEST_FAILED if failed or remaining or touched
                else ExitStatus.SUCCESS)
