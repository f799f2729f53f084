"""What checks do on the engine themselves, and how to tell it from the learner's work.

Short-lived helper containers: how a check reads inside a volume.

A volume's files are not reachable through the API on their own, but a container's
archive endpoint reads (and writes) through its mounts, even when the container was
never started. So the helper is *created* with the volume mounted at ``/volume`` and
never runs: no process, no network, nothing for the learner to see but a moment's
``create`` and ``destroy`` events. It carries the fixture label (so any cleanup would
find it) and is removed as soon as the reading is done.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tutor.checks.base import Missing
from tutor.checks.queries import call
from tutor.checks.refs import repo_tags

# The fixture label of tutor.practice.fixtures, with a value no step uses: checks sit
# below practice and cannot import it (tests/test_checks_volumes.py keeps them equal).
HELPER_LABEL_KEY = "org.docker-tutor.fixture"
HELPER_LABEL_VALUE = "check-helper"
HELPER_LABELS = {HELPER_LABEL_KEY: HELPER_LABEL_VALUE}
MOUNT_POINT = "/volume"
PREFERRED_IMAGES = ("busybox:latest",)


def helper_image(api: Any) -> str | None:
    """An image to create the helper from: busybox when present, else any tagged image
    (the helper never runs, so what is inside does not matter); None when there is none."""
    tags = [tag for image in call(api.images) or [] for tag in repo_tags(image)]
    for preferred in PREFERRED_IMAGES:
        if preferred in tags:
            return preferred
    return sorted(tags)[0] if tags else None


# Processes the checks themselves ran with exec (`exec`, `reach`): their exec events must
# not count as the learner's `docker exec`. Docker's events carry the exec's ID; Podman's
# do not, so the container and the time the check's exec ran are kept too. Bounded: a
# long session's oldest are forgotten.
_CHECK_EXECS: dict[str, tuple[str, float, float]] = {}  # exec id -> container id, from, to
MAX_REMEMBERED_EXECS = 10_000
# How long after the tutor saw the exec end its engine may still log it (exec_died). None
# before its start: the learner's own exec may end just before a check begins.
EXEC_TIME_SLACK = 0.5


def remember_exec(exec_id: str, container_id: str = "", began: float = 0.0,
                  ended: float = 0.0) -> None:
    _CHECK_EXECS[exec_id] = (container_id, began, ended)
    while len(_CHECK_EXECS) > MAX_REMEMBERED_EXECS:
        del _CHECK_EXECS[next(iter(_CHECK_EXECS))]


def run_check_exec(api: Any, container_id: str, argv: list[str]) -> tuple[str, dict]:
    """Run ``argv`` in the container as a check's own probe: (its output as text, the
    exec's inspect data)."""
    began = time.time()
    created = call(api.exec_create, container_id, argv, stdout=True, stderr=True)
    remember_exec(created["Id"], container_id, began, began + 3600)  # until it ends
    try:
        # Streamed and read here: read whole, the SDK closes the response itself, which
        # over an ssh:// engine fails with BrokenPipeError after the output came
        # (docker/docker-py#3218).
        chunks = call(api.exec_start, created["Id"], stream=True, demux=False)
        output = b"".join(call(list, chunks)).decode("utf-8", errors="replace")
        result = call(api.exec_inspect, created["Id"])
    finally:
        remember_exec(created["Id"], container_id, began, time.time())
    return output, result


def is_check_event(event: dict) -> bool:
    """Whether an engine event is the checks' own doing: about a helper container (events
    carry the container's labels) or an exec a check ran (by the exec's ID; without one,
    as on Podman, by its container and time)."""
    attributes = (event.get("Actor") or {}).get("Attributes") or {}
    if attributes.get(HELPER_LABEL_KEY) == HELPER_LABEL_VALUE:
        return True
    exec_id = attributes.get("execID")
    if exec_id:
        return exec_id in _CHECK_EXECS
    action = str(event.get("Action") or event.get("status") or "")
    when = event.get("timeNano")
    if not action.startswith("exec") or when is None:
        return False
    container = (event.get("Actor") or {}).get("ID") or event.get("id") or ""
    moment = when / 1e9
    return any(container == ran_in and began <= moment <= ended + EXEC_TIME_SLACK
               for ran_in, began, ended in _CHECK_EXECS.values() if ran_in)


@contextmanager
def volume_helper(api: Any, volume: str, read_only: bool = True) -> Iterator[str | None]:
    """The id of a created (never started) container with ``volume`` at /volume; None when
    the engine has no image to create it from. Removed on leaving the block.

    The caller makes sure the volume exists: a mount of a missing volume would create it.
    """
    image = helper_image(api)
    if image is None:
        yield None
        return
    mode = "ro" if read_only else "rw"
    host_config = api.create_host_config(binds=[f"{volume}:{MOUNT_POINT}:{mode}"],
                                         network_mode="none")
    created = call(api.create_container, image, command=["true"], labels=HELPER_LABELS,
                   host_config=host_config, network_disabled=True)
    try:
        yield created["Id"]
    finally:
        try:
            call(api.remove_container, created["Id"], force=True)
        except Missing:  # removed meanwhile (a cleanup of every fixture)
            pass
