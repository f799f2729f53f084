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

from tutor.checks.refs import repo_tags
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


# How the engine refuses to remove a volume (409) or network (403) a container still uses.
IN_USE_STATUSES = (403, 409)


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
    elif action.form == "volume":
        values[spec["as"]] = _create_volume(api, spec, labels)
    elif action.form == "network":
        name = unique_name(spec["as"])
        api.create_network(name, driver="bridge", labels=labels)
        values[spec["as"]] = name
    elif action.form == "file":
        try:
            write_file(workspace, spec["path"], spec["content"])
        except OutsideWorkspace:
            raise SetupFailed(
                f"setup file {spec['path']} would land outside the workspace") from None


STOP_TIMEOUT_SECONDS = 10  # what `docker stop` waits before it kills


def _create_container(api: docker.APIClient, spec: dict, values: dict[str, str],
                      labels: dict[str, str]) -> None:
    ensure_image(api, spec["image"])
    name = unique_name(spec["as"])
    ports = {str(k): int(v) for k, v in (spec.get("ports") or {}).items()}
    volumes = list(spec.get("volumes") or ())
    restart = spec.get("restart")
    network = spec.get("network")
    host_options: dict = {}
    if ports:
        host_options["port_bindings"] = ports
    if volumes:
        host_options["binds"] = volumes  # "SOURCE:DEST[:ro]", as after docker run -v
    if restart:
        policy, _, retries = str(restart).partition(":")
        host_options["restart_policy"] = {"Name": policy,
                                          "MaximumRetryCount": int(retries or 0)}
    if network:
        host_options["network_mode"] = network
    host_config = api.create_host_config(**host_options) if host_options else None
    container = api.create_container(
        spec["image"],
        command=spec.get("command"),
        name=name,
        labels=labels,
        environment=spec.get("env"),
        ports=[_exposed(key) for key in ports] or None,
        host_config=host_config,
        detach=True,
        # Docker's default, said out loud: Podman gives a container made through its
        # Docker API a stop timeout of 0 s, so `docker stop` would kill it at once (137).
        stop_timeout=STOP_TIMEOUT_SECONDS,
    )
    values[spec["as"]] = name
    files = spec.get("files") or {}
    if files:
        _put_files(api, container["Id"], "/", files)
    state = spec.get("state", "running")
    if state in ("running", "exited"):
        api.start(container["Id"])
    if state == "exited":
        api.stop(container["Id"], timeout=1)


def _put_files(api: docker.APIClient, container_id: str, folder: str,
               files: Mapping[str, str]) -> None:
    """Write ``files`` into the container; asked twice when the engine fails inside
    (Podman's copier now and then loses its pipe: "write |1: broken pipe", HTTP 500).
    Writing the same files again changes nothing."""
    import docker.errors

    archive = _tar_of(files)
    try:
        api.put_archive(container_id, folder, archive)
    except docker.errors.APIError as error:
        if error.status_code != 500:
            raise
        api.put_archive(container_id, folder, archive)


def _exposed(key: str) -> tuple[int, str]:
    """``"80/tcp"`` as the SDK wants an exposed port: ``(80, "tcp")``. (Given the text, it
    appends its own ``/tcp``, and the engine then publishes nothing for an image that does
    not EXPOSE the port itself.)"""
    number, _, protocol = key.partition("/")
    return int(number), protocol or "tcp"


def _create_volume(api: docker.APIClient, spec: dict, labels: dict[str, str]) -> str:
    """A labelled volume; ``files`` are written into it through a helper container that
    is created (never started) with the volume mounted, and removed right after."""
    name = unique_name(spec["as"])
    api.create_volume(name, labels=labels)
    files = spec.get("files") or {}
    if files:
        from tutor.checks.helpers import volume_helper

        with volume_helper(api, name, read_only=False) as helper:
            if helper is None:
                raise SetupFailed(f"could not write files into volume {name}: the engine has "
                                  "no image to mount it with")
            _put_files(api, helper, "/volume", files)
    return name


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
            remove_fixture_container(api, container)
            removed.append("container " + container["Names"][0].lstrip("/"))
        except docker.errors.NotFound:
            pass
    image_selector = (FIXTURE_IMAGE_LABEL if label_value is None
                      else f"{FIXTURE_IMAGE_LABEL}={label_value}")
    for image in labelled_images(api, image_selector, owner or {}):
        for tag in fixture_tags(image):
            try:
                api.remove_image(tag, force=True)
                removed.append("image " + tag)
            except docker.errors.NotFound:
                pass
    # After the containers: a volume or network in use cannot be removed.
    removed += _remove_volumes_and_networks(api, [selector, *owned])
    return removed


def remove_fixture_container(api: docker.APIClient, container: dict) -> None:
    """Remove a setup container at once. Killed first: Podman's forced remove stops it
    with its stop timeout (the 10 s setup gives it), where Docker's kills."""
    import docker.errors

    if container.get("State") == "running":
        try:
            api.kill(container["Id"])
        except docker.errors.APIError as error:  # it stopped meanwhile, or is gone
            if error.status_code not in (404, 409):
                raise
    api.remove_container(container["Id"], force=True, v=True)


def _remove_volumes_and_networks(api: docker.APIClient, selector: list[str],
                                 keep: Callable[[dict], bool] = lambda labels: False) -> list[str]:
    """Remove the volumes and networks whose labels match every entry of ``selector``
    (except those ``keep`` says to keep); returns what was removed.

    One that a container of the learner's still uses is left (the engine refuses, and the
    learner's container is not ours to remove); it stays labelled for a later cleanup."""
    import docker.errors

    removed: list[str] = []
    volumes = (api.volumes(filters={"label": selector}) or {}).get("Volumes") or []
    networks = api.networks(filters={"label": selector}) or []
    doomed = [("volume", v["Name"], v["Name"], v) for v in volumes] + [
        ("network", n["Name"], n["Id"], n) for n in networks]
    for kind, name, ident, found in doomed:
        if keep(found.get("Labels") or {}):
            continue
        remove = api.remove_volume if kind == "volume" else api.remove_network
        try:
            remove(ident)
            removed.append(f"{kind} {name}")
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as error:
            if error.status_code not in IN_USE_STATUSES:
                raise
    return removed


def labelled_images(api: docker.APIClient, selector: str,
                    also: Mapping[str, str]) -> list[dict]:
    """Images with the label ``selector`` (``key`` or ``key=value``) and every label in
    ``also``. One label filter goes to the engine: Podman's Docker-compatible API finds
    no image at all when given several."""
    found = []
    for image in api.images(filters={"label": selector}):
        labels = image.get("Labels") or {}
        if all(labels.get(key) == value for key, value in also.items()):
            found.append(image)
    return found


def fixture_tags(image: dict) -> list[str]:
    """The tag setup gave this image, if it still has it (not tags the learner added,
    nor images built FROM it, which inherit the labels but not the tag)."""
    labels = image.get("Labels") or (image.get("Config") or {}).get("Labels") or {}
    tag = labels.get(FIXTURE_TAG_LABEL)
    if not tag:
        return []
    wanted = tag if ":" in tag.rsplit("/", 1)[-1] else f"{tag}:latest"
    return [wanted] if wanted in repo_tags(image) else []


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
            remove_fixture_container(api, container)
            removed.append("container " + container["Names"][0].lstrip("/"))
        except docker.errors.NotFound:
            pass
    for image in labelled_images(api, FIXTURE_IMAGE_LABEL, {LEARNER_LABEL: learner}):
        session = (image.get("Labels") or {}).get(SESSION_LABEL)
        if session is None or is_alive(session):
            continue
        for tag in fixture_tags(image):
            try:
                api.remove_image(tag, force=True)
                removed.append("image " + tag)
            except docker.errors.NotFound:
                pass

    def alive(labels: dict) -> bool:
        session = labels.get(SESSION_LABEL)
        return session is None or is_alive(session)

    removed += _remove_volumes_and_networks(api, [FIXTURE_LABEL, mine], keep=alive)
    return removed
