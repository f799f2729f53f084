"""Explain common docker error messages in a learner's terms.

The docker CLI's own message is always shown first; these notes add the why and
the next step for the mistakes learners make most, naming the port, container,
path or image the message was about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    pattern: re.Pattern[str]
    advice: Callable[[re.Match[str]], str]


def _d(pattern: str, advice: Callable[[re.Match[str]], str]) -> Diagnosis:
    return Diagnosis(re.compile(pattern, re.IGNORECASE), advice)


def _or(match: re.Match[str], group: str, fallback: str) -> str:
    value = match.groupdict().get(group)
    return value if value else fallback


DIAGNOSES: tuple[Diagnosis, ...] = (
    _d(r'container name "/?(?P<name>[^"]+)" is already in use',
       lambda m: f"A container named `{m['name']}` already exists (maybe stopped). Pick another "
                 f"name, or remove the old one first with `docker rm -f {m['name']}`."),
    # A rootless engine (rootlesskit's port driver) says "listen tcp4 0.0.0.0:PORT: bind: ...".
    _d(r"cannot expose privileged port (?P<port>\d+)",
       lambda m: f"A rootless engine runs as your user, and ports below 1024 (here "
                 f"{m['port']}) need privileges: publish on a port of 1024 or more "
                 f"(`-p 8080:{m['port']}`), or let users open low ports: "
                 f"`sudo sysctl net.ipv4.ip_unprivileged_port_start={m['port']}`."),
    _d(r"(?:Bind for \S*?:(?P<port>\d+) failed: )?port is already allocated"
       r"|(?:listen tcp[46]? \S*?:(?P<listen>\d+): bind: )?address already in use",
       lambda m: f"Something already uses host port "
                 f"{_or(m, 'port', _or(m, 'listen', 'that'))}. `docker ps` shows "
                 "which container publishes it; choose another host port (the number before "
                 "the colon in `-p HOST:CONTAINER`)."),
    _d(r"No such container: (?P<name>\S+)",
       lambda m: f"There is no container `{m['name']}`. `docker ps -a` lists every container "
                 "with its name."),
    _d(r"unable to remove repository reference .* container (?P<id>[0-9a-f]+) is using",
       lambda m: "A container (even a stopped one) still uses this image. Remove the container "
                 f"first (`docker rm {m['id']}`), or force with `docker rmi -f` to untag it "
                 "anyway."),
    _d(r"conflict: unable to delete .* image is being used by (?:stopped|running) container "
       r"(?P<id>[0-9a-f]+)",
       lambda m: f"A container still uses this image. Remove the container first "
                 f"(`docker rm {m['id']}`), then the image."),
    _d(r"container (?P<container>\S+) is not running",
       lambda m: "`docker exec` runs a command inside a *running* container. Start it first "
                 f"with `docker start {m['container'][:12]}`, or look at its files with "
                 "`docker cp`, which also works on stopped containers."),
    _d(r"manifest for (?P<image>\S+) not found|pull access denied for (?P<repo>[^,\s]+)"
       r"|repository does not exist|manifest unknown",
       lambda m: "The registry has no image "
                 f"{_or(m, 'image', _or(m, 'repo', 'by that name and tag'))}. Check the "
                 "spelling and the tag (`busybox:latest`, not `busybox:lastest`)."),
    _d(r"Could not find the file (?P<path>\S+) in container",
       lambda m: f"`{m['path']}` does not exist inside the container, and `docker cp` does not "
                 "create missing directories: copy into a directory that exists (e.g. "
                 "`/tmp/`). `docker exec NAME ls DIR` shows what is there."),
    _d(r"no such directory|Error response from daemon: .*: no such file or directory",
       lambda m: "The destination directory does not exist. `docker cp` does not create "
                 "missing parent directories: copy to a directory that exists (e.g. `/tmp/`)."),
    _d(r"requires at least 1 argument|requires exactly \d+ arguments?",
       lambda m: "The command is missing an argument; add `--help` to see its usage."),
    _d(r"invalid reference format(?:: repository name \((?P<name>[^)]+)\))?",
       lambda m: "An image name must be lowercase and look like `name:tag` or "
                 "`host:port/name:tag`"
                 + (f" (`{m['name']}` is not)." if m["name"] else ".")),
    _d(r"failed to (?:solve|compute cache key).*not found|COPY failed",
       lambda m: "A file the Dockerfile copies is not in the build context (the directory you "
                 "pass to `docker build`, usually `.`)."),
    _d(r"you are not authorized|unauthorized: authentication required|denied: requested access",
       lambda m: "The registry wants you to log in (`docker login HOST`), or you may not push "
                 "to that repository name."),
    # Podman (containers/image) says "pinging container registry HOST: ..." first.
    _d(r"(?:pinging container registry (?P<registry>[^\s:]+(?::\d+)?): .*?)?"
       r"http: server gave HTTP response to HTTPS client",
       lambda m: _plain_http(m["registry"])),
    _d(r"error while creating mount source path '(?P<path>[^']+)': .*permission denied"
       r"|invalid mount config for type \"bind\": (?:stat (?P<stat>\S+): permission denied"
       r"|bind source path does not exist: (?P<missing>\S+))",
       lambda m: _mount_source(m["path"] or m["stat"] or m["missing"], bool(m["missing"]))),
    _d(r"failed to find image (?P<image>\S+?): .*image not known",
       lambda m: _podman_image_not_known(m["image"])),
    # Podman 4 adds a "dangling" filter of its own to `image prune --all`.
    _d(r'specifying "dangling" filter more than once',
       lambda m: "The engine (Podman) refuses `docker image prune --all` together with "
                 "`--filter`. Remove those images by name instead: `docker images --filter "
                 "label=...` lists them, `docker rmi NAME:TAG ...` removes them."),
)


def _plain_http(podman_registry: str | None) -> str:
    if not podman_registry:
        return ("The registry speaks plain HTTP. Docker allows that only for loopback "
                "addresses (localhost, 127.0.0.1) or registries listed as insecure in the "
                "daemon's config.")
    return (f"The registry {podman_registry} speaks plain HTTP, and Podman wants HTTPS. "
            "Unlike Docker, Podman makes no exception for localhost: list the registry as "
            f'insecure in registries.conf (`[[registry]]` `location = "{podman_registry}"` '
            "`insecure = true`, in /etc/containers/registries.conf, or "
            "~/.config/containers/registries.conf for rootless Podman), then restart the "
            "Podman service.")


def _mount_source(path: str, missing: bool) -> str:
    first = (f"`{path}` does not exist where the engine runs: check the path."
             if missing else f"The engine could not open `{path}` for the mount.")
    return (f"{first} The engine makes the mount on its own machine, as its own user: a "
            "rootless engine runs as the user who started it, who must be able to open "
            "that folder, and a remote engine (ssh:// or tcp://) sees the files of its "
            "machine, not of this one.")


def _podman_image_not_known(image: str) -> str:
    last = image.rsplit("/", 1)[-1]
    note = f"The engine (Podman) has no image named `{image}`; `docker images` lists the names."
    if ":" not in last and "@" not in last:
        note += (" Without a tag it looks for exactly that name, and Podman's Docker-compatible "
                 "API cannot push all tags at once (`--all-tags`): push each `NAME:TAG`.")
    return note


def diagnose(output: str) -> list[str]:
    notes: list[str] = []
    for diagnosis in DIAGNOSES:
        match = diagnosis.pattern.search(output)
        if match:
            note = diagnosis.advice(match)
            if note not in notes:
                notes.append(note)
    return notes
