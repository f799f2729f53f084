"""What exists on the engine, and what a command added to it.

Used to record what the learner created through the tutor (for a lesson's
cleanup) and by selftest to undo an attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.checks.refs import repo_tags

if TYPE_CHECKING:
    import docker

# Commands that can add containers or image tags (canonical paths).
CREATING_PATHS = frozenset({
    ("container", "run"), ("container", "create"), ("container", "commit"),
    ("image", "build"), ("image", "tag"), ("image", "pull"), ("image", "load"),
    ("image", "import"),
})


@dataclass(frozen=True)
class Snapshot:
    containers: frozenset[str]  # ids
    names: dict  # id -> name
    image_tags: frozenset[str]


def snapshot(api: docker.APIClient) -> Snapshot:
    containers = api.containers(all=True)
    tags = frozenset(tag for image in api.images() for tag in repo_tags(image))
    return Snapshot(
        frozenset(c["Id"] for c in containers),
        {c["Id"]: (c.get("Names") or ["/" + c["Id"][:12]])[0].lstrip("/") for c in containers},
        tags,
    )


def added(before: Snapshot, after: Snapshot) -> list[dict[str, str]]:
    """Resources in ``after`` that were not in ``before``, as progress records."""
    items = [{"kind": "container", "id": cid, "name": after.names.get(cid, cid[:12])}
             for cid in sorted(after.containers - before.containers)]
    items += [{"kind": "image", "ref": tag} for tag in sorted(after.image_tags - before.image_tags)]
    return items

