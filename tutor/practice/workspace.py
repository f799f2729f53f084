"""Files in a lesson's workspace: a relative path must never lead out of it."""

from __future__ import annotations

from pathlib import Path


class OutsideWorkspace(ValueError):
    """The path would land outside the workspace (``..`` or an absolute path)."""


def inside(workspace: Path, relative: str) -> Path:
    """The resolved path of ``relative`` in ``workspace``; OutsideWorkspace when it escapes."""
    if relative.startswith("~"):
        # A shell would expand ~ to a home folder: never a folder named "~" in the workspace.
        raise OutsideWorkspace(f"{relative} is in a home folder, outside the workspace {workspace}")
    target = (workspace / relative).resolve()
    if workspace.resolve() not in target.parents:
        raise OutsideWorkspace(f"{relative} is outside the workspace {workspace}")
    return target


def write_file(workspace: Path, relative: str, content: str) -> Path:
    target = inside(workspace, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return target
