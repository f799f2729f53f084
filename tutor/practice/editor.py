"""Open a workspace file in the learner's editor."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.practice.workspace import OutsideWorkspace, inside
from tutor.render import blocks as show

if TYPE_CHECKING:
    from rich.console import Console

FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vim", "vi")


def editor_command(environ: Mapping[str, str]) -> list[str] | None:
    """$VISUAL, then $EDITOR (split into words, never given to a shell), then a usual one."""
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for name in FALLBACK_EDITORS:
        if shutil.which(name, path=environ.get("PATH")):
            return [name]
    return None


def edit_file(console: Console, workspace: Path, name: str, environ: Mapping[str, str]) -> None:
    try:
        target = inside(workspace, name)
    except OutsideWorkspace:
        show.say(console, f"{name} is outside the lesson's workspace ({workspace}).",
                 "tutor.warning")
        return
    command = editor_command(environ)
    if command is None:
        show.say(console, f"No editor found. Set $EDITOR, or edit {target} in another window "
                 "and come back.", "tutor.warning")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        finished = subprocess.run([*command, str(target)], env=dict(environ), check=False)
    except OSError as error:
        show.say(console, f"Could not start {command[0]}: {error.strerror or error}. "
                 f"Edit {target} in another window instead.", "tutor.warning")
        return
    if finished.returncode != 0:
        show.say(console, f"{command[0]} exited with status {finished.returncode}.",
                 "tutor.warning")
    elif target.exists():
        show.say(console, f"Saved {target}. /check checks it.", "tutor.muted")
    else:
        show.say(console, f"{target} was not saved.", "tutor.muted")
