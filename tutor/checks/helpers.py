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


# Processes the checks themselves ran with exec (`exec`, `reach`): their exec_start
# events must not count as the learner's `docker exec`. Bounded: a long session's
# oldest ids are forgotten.
_CHECK_EXECS: dict[str, None] = {}
MAX_REMEMBERED_EXECS = 10_000


def remember_exec(exec_id: str) -> None:
    _CHECK_EXECS[exec_id] = None
    while len(_CHECK_EXECS) > MAX_REMEMBERED_EXECS:
        del _CHECK_EXECS[next(iter(_CHECK_EXECS))]


def is_check_event(event: dict) -> bool:
    """Whether an engine event is the checks' own doing: about a helper container (events
    carry the container's labels) or an exec a check ran (they carry the exec's ID)."""
    attributes = (event.get("Actor") or {}).get("Attributes") or {}
    if attributes.get(HELPER_LABEL_KEY) == HELPER_LABEL_VALUE:
        return True
    return attributes.get("execID") in _CHECK_EXECS


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
