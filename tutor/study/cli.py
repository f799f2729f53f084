"""``docker-tutor progress [--json | --export FILE.md]``: the report without the REPL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tutor.status import ExitStatus

if TYPE_CHECKING:
    from tutor.environment import Environment


def run_progress(env: Environment, as_json: bool = False, export: Path | None = None
                 ) -> ExitStatus:
    from tutor.lessonfile.loader import load_course
    from tutor.progress import ProgressStore
    from tutor.quiz.schedule import utc_now
    from tutor.render import blocks as show
    from tutor.study.output import export_to, write_json
    from tutor.study.report import build_report
    from tutor.study.view import show_report

    assert env.lessons_dir is not None
    course = load_course(env.lessons_dir)
    if course.problems and not as_json:
        show.say(env.console, "Some lesson files have problems; the report covers the others:",
                 "tutor.warning")
        show.problems(env.console, course.problems)
    loaded = ProgressStore(env.progress_path).load()
    if loaded.problem:
        env.stderr.write(f"docker-tutor: progress could not be read: {loaded.problem}\n")
    now = utc_now()
    report = build_report(course, loaded.progress, now, env.profile)
    if as_json:
        write_json(env.stdout, report)
    elif export is not None:
        if not export_to(env.console, export, report, now):
            return ExitStatus.ERROR
    else:
        if env.profile:
            show.say(env.console, f"Profile: {env.profile}", "tutor.muted")
        show_report(env.console, report, now)
    return ExitStatus.SUCCESS
