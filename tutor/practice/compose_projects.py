"""Compose projects the learner started in a lesson, for its cleanup.

Compose's containers carry no learner label (the tutor does not rewrite compose files),
but Compose stamps each with the folder it was started from
(``com.docker.compose.project.working_dir``): a project started in the lesson's
workspace, or a folder in it, is the learner's. Its networks and volumes carry only the
project's name, so they are removed only when every container of that project name is
the learner's (another learner's project of the same name would share them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_LABEL = "com.docker.compose.project"
WORKING_DIR_LABEL = "com.docker.compose.project.working_dir"


def _within(folder: str, workspace: Path) -> bool:
    if not folder:
        return False
    path, root = Path(folder), workspace.resolve()
    return path == root or root in path.parents


def projects_in(api: Any, workspace: Path) -> list[dict[str, str]]:
    """The Compose projects started from ``workspace``, as cleanup items."""
    found: dict[str, dict[str, str]] = {}
    for container in api.containers(all=True, filters={"label": PROJECT_LABEL}) or ():
        labels = container.get("Labels") or {}
        if not _within(labels.get(WORKING_DIR_LABEL, ""), workspace):
            continue
        name = labels.get(PROJECT_LABEL, "")
        item = found.setdefault(name, {"kind": "compose", "name": name, "containers": "0"})
        item["containers"] = str(int(item["containers"]) + 1)
    return list(found.values())


def remove_project(api: Any, name: str, workspace: Path) -> None:
    """Remove the project's containers started from ``workspace``; then its networks and
    volumes, when no container of that project name is someone else's."""
    import docker.errors

    selector = {"label": f"{PROJECT_LABEL}={name}"}
    containers = api.containers(all=True, filters=selector) or []
    others = [c for c in containers
              if not _within((c.get("Labels") or {}).get(WORKING_DIR_LABEL, ""), workspace)]
    for container in containers:
        if container not in others:
            api.remove_container(container["Id"], force=True, v=True)
    if others:
        return
    for network in api.networks(filters=selector) or []:
        try:
            api.remove_network(network["Id"])
        except docker.errors.NotFound:
            pass
    for volume in (api.volumes(filters=selector) or {}).get("Volumes") or []:
        try:
            api.remove_volume(volume["Name"])
        except docker.errors.NotFound:
            pass
