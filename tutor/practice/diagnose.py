"""Explain common docker error messages in a learner's terms.

The docker CLI's own message is always shown first; these notes add the why and
the next step for the mistakes learners make most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    pattern: re.Pattern[str]
    advice: str


def _d(pattern: str, advice: str) -> Diagnosis:
    return Diagnosis(re.compile(pattern, re.IGNORECASE), advice)


DIAGNOSES: tuple[Diagnosis, ...] = (
    _d(r'container name "/?(?P<name>[^"]+)" is already in use',
       "A container named `{name}` already exists (maybe stopped). Pick another name, or "
       "remove the old one first with `docker rm -f {name}`."),
    _d(r"port is already allocated|address already in use",
       "Something already uses that host port. `docker ps` shows which container publishes "
       "it; choose another host port (the number before the colon in `-p HOST:CONTAINER`)."),
    _d(r"No such container: (?P<name>\S+)",
       "There is no container `{name}`. `docker ps -a` lists every container with its name."),
    _d(r"unable to remove repository reference .* container (?P<id>[0-9a-f]+) is using",
       "A container (even a stopped one) still uses this image. Remove the container first "
       "(`docker rm {id}`), or force with `docker rmi -f` to untag it anyway."),
    _d(r"conflict: unable to delete .* image is being used by (?:stopped|running) container "
       r"(?P<id>[0-9a-f]+)",
       "A container still uses this image. Remove the container first (`docker rm {id}`), "
       "then the image."),
    _d(r"container (?P<id>\S+) is not running",
       "`docker exec` runs a command inside a *running* container. Start it first with "
       "`docker start`, or look at its files with `docker cp`, which also works on stopped "
       "containers."),
    _d(r"(?:pull access denied|repository does not exist|manifest unknown|not found: "
       r"manifest unknown)",
       "The registry has no image by that name and tag. Check the spelling and the tag "
       "(`busybox:latest`, not `busybox:lastest`)."),
    _d(r"Could not find the file (?P<path>\S+) in container",
       "That path does not exist inside the container. `docker exec NAME ls DIR` shows "
       "what is there (on a running container)."),
    _d(r"no such directory|Error response from daemon: .*: no such file or directory",
       "The destination directory does not exist. `docker cp` does not create missing "
       "parent directories: copy to a directory that exists (e.g. `/tmp/`)."),
    _d(r"requires at least 1 argument|requires exactly \d+ arguments?",
       "The command is missing an argument; add `--help` to see its usage."),
    _d(r"invalid reference format",
       "An image name must be lowercase and look like `name:tag` or `host:port/name:tag`."),
    _d(r"failed to (?:solve|compute cache key).*not found|COPY failed",
       "A file the Dockerfile copies is not in the build context (the directory you pass "
       "to `docker build`, usually `.`)."),
    _d(r"you are not authorized|unauthorized: authentication required|denied: requested access",
       "The registry wants you to log in (`docker login HOST`), or you may not push to "
       "that repository name."),
    _d(r"http: server gave HTTP response to HTTPS client",
       "The registry speaks plain HTTP. Docker allows that only for loopback addresses "
       "(localhost, 127.0.0.1) or registries listed as insecure in the daemon's config."),
)


def diagnose(output: str) -> list[str]:
    notes: list[str] = []
    for diagnosis in DIAGNOSES:
        match = diagnosis.pattern.search(output)
        if match:
            fields = {key: (value or "") for key, value in match.groupdict().items()}
            note = diagnosis.advice.format(**fields)
            if note not in notes:
                notes.append(note)
    return notes
