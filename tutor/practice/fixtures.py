"""Resources a step sets up, labelled so that cleanup removes exactly those.

Nothing without the fixture label is ever removed by cleanup: the learner's own
containers and images are theirs.
"""

from __future__ import annotations

import io
import secrets
import tarfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.course.placeholders import render_value
from tutor.practice.workspace import OutsideWorkspace, write_file

if TYPE_CHECKING:
    import docker

    from tutor.course.practice_spec import SetupAction

FIXTURE_LABEL = "org.docker-tutor.fixture"
# Images carry their own keys: a container or image the learner makes FROM a fixture
# image inherits its labels, and must not look like a fixture itself.
FIXTURE_IMAGE_LABEL = "org.docker-tutor.fixture-image"
FIXTURE_TAG_LABEL = "org.docker-tutor.fixture-tag"


class SetupFailed(Exception):
    """A step's setup could not be done; the message says what and why."""


def fixture_label_value(lesson_id: str, step_id: str) -> str:
    return f"{lesson_id}/{step_id}"


def unique_name(alias: str) -> str:
    # A random suffix keeps fixtures clear of names the learner (or another learner on
    # the same engine) already uses.
    return f"tutor-{alias.replace('_', '-')}-{secrets.token_hex(2)}"


def unique_tag(tag: str) -> str:
    """``tutor-old:1`` -> ``tutor-old-3f2a:1``: a fixture image's own repository."""
    repository, colon, version = tag.rpartition(":")
    if not colon or "/" in version:
        repository, version = tag, "latest"
    return f"{repository}-{secrets.token_hex(2)}:{version}"


def ensure_image(api: docker.APIClient, ref: str) -> None:
    import docker.errors

    try:
        api.inspect_image(ref)
        return
    except docker.errors.ImageNotFound:
        pass
    repository, _, tag = ref.rpartition(":") if ":" in ref.split("/")[-1] else (ref, "", "latest")
    for event in api.pull(repository, tag=tag or "latest", stream=True, decode=True):
        if "error" in event:
            raise SetupFailed(f"could not pull {ref}: {event['error']}")


def _tar_of(files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(path.lstrip("/"))
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def apply_setup(
    api: docker.APIClient,
    action: SetupAction,
    values: dict[str, str],
    label_value: str,
    workspace: Path,
    owner: Mapping[str, str] | None = None,
) -> None:
    """Carry out one setup entry; ``as`` names are added to ``values``. ``owner`` labels
    say whose fixtures these are (learner and session)."""
    spec = render_value(action.spec, values)
    labels = {FIXTURE_LABEL: label_value, **(owner or {})}
    if action.form == "pull":
        ensure_image(api, spec)
    elif action.form == "container":
        _create_container(api, spec, values, labels)
    elif action.form == "image":
        tag = unique_tag(spec["tag"])
        image_labels = {FIXTURE_IMAGE_LABEL: label_value, FIXTURE_TAG_LABEL: tag, **(owner or {})}
        stream = api.build(fileobj=io.BytesIO(spec["dockerfile"].encode()), tag=tag,
                           labels=image_labels, rm=True, forcerm=True, decode=True)
        for event in stream:
            if "error" in event:
                raise SetupFailed(f"could not build {tag}: {event['error'].strip()}")
        values[spec["as"]] = tag
    elif action.form == "file":
        try:
            write_file(workspace, spec["path"], spec["content"])
        except OutsideWorkspace:
            raise SetupFailed(
                f"setup file {spec['path']} would land outside the workspace") from None


def _create_container(api: docker.APIClient, spec: dict, values: dict[str, str],
                      labels: dict[str, str]) -> None:
    ensure_image(api, spec["image"])
    name = unique_name(spec["as"])
    ports = {str(k): int(v) for k, v in (spec.get("ports") or {}).items()}
    host_config = api.create_host_config(port_bindings=ports) if ports else None
    container = api.create_container(
        spec["image"],
        command=spec.get("command"),
        name=name,
        labels=labels,
        environment=spec.get("env"),
        # docker-py appends "/tcp" to a plain entry: "80/tcp" goes as ("80", "tcp").
        ports=[tuple(key.split("/", 1)) if "/" in key else key for key in ports] or None,
        host_config=host_config,
        detach=True,
    )
    values[spec["as"]] = name
    files = spec.get("files") or {}
    if files:
        api.put_archive(container["Id"], "/", _tar_of(files))
    state = spec.get("state", "running")
    if state in ("running", "exited"):
        api.start(container["Id"])
    if state == "exited":
        api.stop(container["Id"], timeout=1)


def cleanup(api: docker.APIClient, label_value: str | None = None,
            owner: Mapping[str, str] | None = None) -> list[str]:
    """Remove fixtures (of one step, or all of them; only ``owner``'s when given: another
    learner on the same engine may be on the same step); returns what was removed."""
    import docker.errors

    selector = FIXTURE_LABEL if label_value is None else f"{FIXTURE_LABEL}={label_value}"
    owned = [f"{key}={value}" for key, value in (owner or {}).items()]
    removed: list[str] = []
    for container in api.containers(all=True, filters={"label": [selector, *owned]}):
        try:
            api.remove_container(container["Id"], force=True, v=True)
            removed.append("container " + container["Names"][0].lstrip("/"))
        except docker.errors.NotFound:
            pass
    image_selector = (FIXTURE_IMAGE_LABEL if label_value is None
                      else f"{FIXTURE_IMAGE_LABEL}={label_value}")
    for image in api.images(filters={"label": [image_selector, *owned]}):
        for tag in fixture_tags(image):
            try:
                api.remove_image(tag, force=True)
                removed.append("image " + tag)
            except docker.errors.NotFound:
                pass
    return removed


def fixture_tags(image: dict) -> list[str]:
    """The tag setup gave this image, if it still has it (not tags the learner added,
    nor images built FROM it, which inherit the labels but not the tag)."""
    labels = image.get("Labels") or (image.get("Config") or {}).get("Labels") or {}
    tag = labels.get(FIXTURE_TAG_LABEL)
    if not tag:
        return []
    wanted = tag if ":" in tag.rsplit("/", 1)[-1] else f"{tag}:latest"
    return [wanted] if wanted in (image.get("RepoTags") or []) else []


def is_fixture_image(image: dict, reference: str) -> bool:
    """True when ``reference`` names exactly the tag a step's setup created."""
    wanted = reference if ":" in reference.rsplit("/", 1)[-1] else f"{reference}:latest"
    return wanted in fixture_tags(image)


def leftover_fixtures(api: docker.APIClient, learner: str,
                      is_alive: Callable[[str], bool]) -> list[str]:
    """Remove this learner's fixtures whose session is no longer running (a session killed
    before it could clean up); returns what was removed. Other learners' are left alone."""
    import docker.errors

    from tutor.practice.labels import LEARNER_LABEL, SESSION_LABEL

    mine = f"{LEARNER_LABEL}={learner}"
    removed: list[str] = []
    for container in api.containers(all=True, filters={"label": [FIXTURE_LABEL, mine]}):
        session = (container.get("Labels") or {}).get(SESSION_LABEL)
        if session is None or is_alive(session):
            continue
        try:
            api.remove_container(container["Id"], force=True, v=True)
            removed.append("container " + container["Names"][0].lstrip("/"))
        except docker.errors.NotFound:
            pass
    for image in api.images(filters={"label": [FIXTURE_IMAGE_LABEL, mine]}):
        session = (image.get("Labels") or {}).get(SESSION_LABEL)
        if session is None or is_alive(session):
            continue
        for tag in fixture_tags(image):
            try:
                api.remove_image(tag, force=True)
                removed.append("image " + tag)
            except docker.errors.NotFound:
                pass
    return removed
