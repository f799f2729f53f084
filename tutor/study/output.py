"""The progress report's three outputs: on the terminal, as JSON (for scripts) and as a
Markdown file (to share). Used by /progress and ``docker-tutor progress``."""

from __future__ import annotations

import json
import shlex
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tutor.render import blocks as show
from tutor.study.report import Report, build_report, report_markdown
from tutor.study.view import show_report

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.repl.conversation import Conversation

USAGE = "Usage: /progress, /progress --json, or /progress --export FILE.md"


def write_json(stream: IO[str], report: Report) -> None:
    stream.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")


def export_markdown(path: Path, report: Report, now: datetime) -> Path:
    """Write the report as Markdown; OSError when the file cannot be written."""
    path = path.expanduser()
    if path.suffix.lower() not in (".md", ".markdown"):
        path = path.with_name(path.name + ".md")
    path.write_text(report_markdown(report, now), encoding="utf-8")
    return path


def progress_command(conv: Conversation, args: str) -> None:
    """/progress [--json | --export FILE.md]"""
    try:
        words = shlex.split(args)
    except ValueError:
        words = ["?"]
    now = conv.clock()
    report = build_report(conv.course, conv.progress, now, conv.profile)
    if not words:
        show_report(conv.console, report, now)
    elif words == ["--json"]:
        write_json(conv.console.file, report)
    elif len(words) == 2 and words[0] == "--export":
        export_to(conv.console, Path(words[1]), report, now)
    else:
        show.say(conv.console, USAGE, "tutor.muted")


def export_to(console: Console, path: Path, report: Report, now: datetime) -> bool:
    try:
        written = export_markdown(path, report, now)
    except OSError as error:
        show.say(console, f"Could not write {path}: {error.strerror or error}", "tutor.error")
        return False
    show.say(console, f"Wrote your progress report to {written}.", "tutor.done")
    return True
