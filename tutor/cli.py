"""The ``docker-tutor`` command: argument parsing and dispatch, nothing else."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tutor import __version__
from tutor.environment import Environment, profile_problem
from tutor.status import ExitStatus

DESCRIPTION = (
    "An interactive tutor that teaches Docker. Run without arguments to start the lessons."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docker-tutor", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"docker-tutor {__version__}")
    parser.add_argument("--no-banner", action="store_true", help="skip the big start-up banner")
    parser.add_argument("--lessons", dest="lessons_dir", type=Path, metavar="DIR",
                        help="use the lesson files in DIR instead of the shipped ones")
    parser.add_argument("--workspace", type=Path, metavar="DIR",
                        help="where practice files go and commands run (one folder per "
                        "lesson; default: the data directory's workspace)")
    parser.add_argument("--profile", metavar="NAME",
                        help="keep separate progress for one of several learners on this "
                        "machine (default: $DOCKER_TUTOR_PROFILE, else the one learner)")
    parser.add_argument("--shared-engine", action="store_true",
                        help="the Docker engine is shared by a class: names and ports in "
                        "tasks get your own suffix (web-3f2a), so no two learners get the "
                        "same (also $DOCKER_TUTOR_SHARED_ENGINE=1)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    lint = commands.add_parser("lint", help="validate lesson files",
                               description="Validate lesson files (default: the shipped lessons).")
    lint.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                      help="lesson files or directories")
    commands.add_parser("doctor", help="check the Docker engine and what the lessons need",
                        description="Report the docker client, the engine it reaches and how, "
                        "and the images the lessons use, with the fix for each problem.")
    selftest = commands.add_parser(
        "selftest", help="play every practice step against the engine",
        description="For each practice step: the check fails before the solution, wrong "
        "attempts fail for their reason, alternatives and the solution pass, and nothing "
        "labelled is left behind. Needs a Docker engine.")
    selftest.add_argument("lesson_ids", nargs="*", metavar="LESSON",
                          help="lesson ids (default: all)")
    quiz = commands.add_parser(
        "quiz", help="a round of quiz questions from the lessons",
        description="Ask a round of questions drawn from the lessons: multiple choice, free "
        "text, \"type the command that ...\", and practical challenges against the engine. "
        "Questions due for review and those missed last time come first.")
    quiz.add_argument("--topic", metavar="TOPIC", help="only questions on this topic (or "
                      "from this lesson)")
    quiz.add_argument("--count", type=int, default=None, metavar="N",
                      help="how many questions (default: 10)")
    progress = commands.add_parser(
        "progress", help="how far you are: lessons, quiz mastery, reviews due, time",
        description="Report progress per lesson, quiz mastery per topic, what is due for "
        "review, the time spent and what to do next.")
    output = progress.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the report as JSON")
    output.add_argument("--export", type=Path, metavar="FILE.md",
                        help="write the report as Markdown to FILE.md")
    return parser


def lesson_images(env: Environment) -> list[str]:
    """Images the practice steps pull or start containers from."""
    from tutor.lessonfile.loader import load_course

    assert env.lessons_dir is not None
    images: dict[str, None] = {}
    for lesson in load_course(env.lessons_dir, env.cache_dir).lessons:
        for step in lesson.steps:
            task = step.practice_task()
            for action in (task.setup if task is not None else ()):
                if action.form == "pull":
                    images[action.spec] = None
                elif action.form == "container":
                    images[action.spec["image"]] = None
    # A templated reference ({{ old }}) names an image a step builds itself.
    return [image for image in images if "{{" not in image]


def run_lint(env: Environment, paths: list[Path]) -> ExitStatus:
    from tutor.lessonfile.loader import lint

    assert env.lessons_dir is not None
    targets = paths or [env.lessons_dir]
    problems = lint(targets, env.cache_dir)
    for problem in problems:
        env.stdout.write(f"{problem}\n")
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        env.stdout.write(f"{len(errors)} problem(s) found.\n")
        return ExitStatus.LESSON_ERRORS
    if problems:
        env.stdout.write(f"{len(problems)} warning(s); the lessons load.\n")
        return ExitStatus.SUCCESS
    names = ", ".join(str(path) for path in targets)
    env.stdout.write(f"All lesson files are valid ({names}).\n")
    return ExitStatus.SUCCESS


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    args = build_parser().parse_args(argv)
    env = env or Environment()
    if args.lessons_dir is not None:
        env.lessons_dir = args.lessons_dir
    if args.workspace is not None:
        env.workspace_dir = args.workspace.expanduser().resolve()
    if args.profile is not None:
        env.profile = args.profile or None
    if args.shared_engine:
        env.shared_engine = True
    if env.profile and (problem := profile_problem(env.profile)):
        env.stderr.write(f"docker-tutor: {problem}\n")
        return ExitStatus.USAGE
    try:
        if args.command == "lint":
            return run_lint(env, args.paths)
        if args.command == "doctor":
            from tutor.engine.doctor import run_doctor

            return run_doctor(env, images=lesson_images(env))
        if args.command == "selftest":
            from tutor.practice.selftest import run_selftest

            return run_selftest(env, args.lesson_ids)
        if args.command == "quiz":
            from tutor.app import run_quiz

            return run_quiz(env, args.topic, args.count, banner=not args.no_banner)
        if args.command == "progress":
            from tutor.study.cli import run_progress

            return run_progress(env, as_json=args.json, export=args.export)
        from tutor.app import run_tutor

        return run_tutor(env, banner=not args.no_banner)
    except KeyboardInterrupt:
        env.stderr.write("\n")
        return ExitStatus.INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
