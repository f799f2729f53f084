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
    # Names; only asked for when ``snapshot(..., volumes_and_networks=True)``.
    volumes: frozenset[str] = frozenset()
    networks: frozenset[str] = frozenset()


def snapshot(api: docker.APIClient, volumes_and_networks: bool = False) -> Snapshot:
    containers = api.containers(all=True)
    tags = frozenset(tag for image in api.images() for tag in repo_tags(image))
    volumes: frozenset[str] = frozenset()
    networks: frozenset[str] = frozenset()
    if volumes_and_networks:
        volumes = frozenset(v["Name"] for v in (api.volumes() or {}).get("Volumes") or ())
        networks = frozenset(n["Name"] for n in api.networks() or ())
    return Snapshot(
        frozenset(c["Id"] for c in containers),
        {c["Id"]: (c.get("Names") or ["/" + c["Id"][:12]])[0].lstrip("/") for c in containers},
        tags, volumes, networks,
    )


def added(before: Snapshot, after: Snapshot) -> list[dict[str, str]]:
    """Resources in ``after`` that were not in ``before``, as progress records."""
    items = [{"kind": "container", "id": cid, "name": after.names.get(cid, cid[:12])}
             for cid in sorted(after.containers - before.containers)]
    items += [{"kind": "image", "ref": tag} for tag in sorted(after.image_tags - before.image_tags)]
    return items



def describe_container(summary: dict) -> str:
    """``web-2: running, from busybox, 0.0.0.0:8081->80/tcp``, from a container listing."""
    name = (summary.get("Names") or ["/" + summary.get("Id", "?")[:12]])[0].lstrip("/")
    status = summary.get("Status") or summary.get("State") or "?"
    ports = []
    for port in summary.get("Ports") or ():
        if port.get("PublicPort"):
            ports.append(f"{port.get('IP') or '0.0.0.0'}:{port['PublicPort']}->"
                         f"{port.get('PrivatePort')}/{port.get('Type', 'tcp')}")
    published = f", {', '.join(sorted(set(ports)))}" if ports else ", no published ports"
    return f"{name}: {status.lower()}, from {summary.get('Image', '?')}{published}"
