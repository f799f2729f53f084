"""What a flag's value means: ``-p 8080:80`` is host port 8080 to container port 80.

Each function takes the value as typed and returns one or two sentences for
/explain; nothing is checked against the engine.  ``VALUE_NOTES`` maps a
flag name to its function, for the commands whose flags mean the same thing
(docker run and create, exec, compose run...).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_VOLUME_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
_PORTS = re.compile(r"^\d+(?:-\d+)?$")
_DURATION_UNITS = {"ns": "nanoseconds", "us": "microseconds", "ms": "milliseconds",
                   "s": "seconds", "m": "minutes", "h": "hours"}
RELATIVE = "relative: resolved against the current folder, where docker runs"


def _is_host_path(source: str) -> bool:
    # docker's rule: a source starting with / or . is a path, anything else a volume name.
    return source.startswith(("/", "."))


def _host_path(source: str) -> str:
    return f"{source} ({RELATIVE})" if source.startswith(".") else source


def _proto(protocol: str) -> str:
    return protocol.upper() if protocol else "TCP"


def publish(value: str) -> str:
    """``[IP:][HOST:]CONTAINER[/PROTO]``, with ranges."""
    spec, _, protocol = value.partition("/")
    ip = ""
    if spec.startswith("["):  # [::1]:8080:80
        ip, _, spec = spec[1:].partition("]")
        spec = spec.removeprefix(":")
    parts = spec.split(":")
    if not ip and len(parts) == 3:
        ip, parts = parts[0], parts[1:]
    if len(parts) > 2 or not _PORTS.match(parts[-1]) or (
            len(parts) == 2 and parts[0] and not _PORTS.match(parts[0])):
        return (f"'{value}' is not a port mapping; write HOST:CONTAINER (8080:80), "
                "or just the container port (80) for a random host port")
    container = parts[-1]
    host = parts[0] if len(parts) == 2 else ""
    ranged = "-" in container
    what = f"container port{'s' if ranged else ''} {container} ({_proto(protocol)})"
    if ip == "0.0.0.0":
        where = "on all the host's IPv4 addresses"
    elif ip in ("127.0.0.1", "::1", "localhost"):
        where = f"on {ip} only: reachable from this machine, not from others"
    elif ip:
        where = f"on the host address {ip} only"
    else:
        where = "on all the host's addresses"
    if not host:
        return (f"{what} → a random free host port {where}; `docker port CONTAINER` shows "
                "which one docker picked")
    if "-" in host and not ranged:
        return f"{what} → the first free host port in {host}, {where}"
    text = f"host port{'s' if ranged else ''} {host} → {what}, {where}"
    if not ranged and _proto(protocol) == "TCP" and ip in ("", "0.0.0.0", "127.0.0.1", "localhost"):
        text += f": http://localhost:{host} reaches the container's port {container}"
    return text


def publish_all(_value: str) -> str:
    return ("every port the image EXPOSEs goes to a random free host port; "
            "`docker port CONTAINER` lists them")


_VOLUME_OPTIONS = {
    "ro": "read-only inside the container", "readonly": "read-only inside the container",
    "rw": "read-write (the default)", "z": "relabelled for SELinux, shared between containers",
    "Z": "relabelled for SELinux, private to this container",
    "nocopy": "the image's files at that path are not copied into a new volume",
}


def volume(value: str) -> str:
    """``-v`` forms: ``/data`` (anonymous), ``name:/data`` (named), ``./dir:/data`` (bind)."""
    parts = value.split(":")
    if len(parts) == 1:
        return (f"an anonymous volume at {value} in the container: docker creates a volume "
                "with a random name (removed with the container if it was run with --rm)")
    source, target, options = parts[0], parts[1], parts[2:]
    if len(parts) > 3:
        return f"'{value}' has too many ':' parts: write SOURCE:TARGET[:OPTIONS]"
    if not target.startswith("/"):
        return f"the container path {target!r} must be absolute (start with /)"
    if _is_host_path(source):
        text = (f"a bind mount: the host folder {_host_path(source)} → {target} in the "
                "container; both sides see the same files (docker creates the folder if it "
                "is missing)")
    elif _VOLUME_NAME.match(source):
        text = (f"the named volume {source} → {target} in the container; docker creates the "
                "volume if it doesn't exist, and it outlives the container")
    else:
        return (f"'{source}' is neither a path (those start with / or .) nor a valid volume "
                f"name; for a folder here write ./{source}")
    notes = [_VOLUME_OPTIONS.get(option, f"option {option}")
             for chunk in options for option in chunk.split(",") if option]
    return text + ("; " + ", ".join(notes) if notes else "")


def mount(value: str) -> str:
    """``--mount type=bind,source=...,target=...,readonly``."""
    fields: dict[str, str] = {}
    for item in _csv_fields(value):
        key, has_value, val = item.partition("=")
        fields[key.strip().lower()] = val if has_value else "true"
    kind = fields.get("type", "volume")
    source = fields.get("source", fields.get("src", ""))
    target = fields.get("target", fields.get("destination", fields.get("dst", "")))
    if not target:
        return "a --mount needs target=PATH: where it appears in the container"
    if kind == "bind":
        text = (f"a bind mount: the host path {_host_path(source) or '(missing source=)'} → "
                f"{target} in the container; unlike -v, the host path must exist already")
    elif kind == "volume":
        text = (f"the named volume {source} → {target} (created if missing)" if source else
                f"an anonymous volume at {target} in the container")
        if "type" not in fields:
            text += " (type=volume is the default)"
    elif kind == "tmpfs":
        text = f"a tmpfs at {target}: kept in memory, gone when the container stops"
    else:
        text = f"a {kind} mount at {target}"
    if fields.get("readonly", fields.get("ro", "false")) in ("true", "1"):
        text += "; read-only inside the container"
    return text


def _csv_fields(value: str) -> list[str]:
    import csv  # only /explain of a --mount needs it

    rows = list(csv.reader([value]))
    return [field for field in rows[0] if field] if rows else []


def env(value: str) -> str:
    name, has_value, val = value.partition("=")
    if not has_value:
        return (f"{name} is taken from your environment (where docker runs); if it isn't "
                "set there, the container doesn't get it")
    if not val:
        return f"sets {name} to an empty string in the container"
    return f"sets the environment variable {name} to {val!r} in the container"


def env_file(value: str) -> str:
    where = f"{value} ({RELATIVE})" if not value.startswith("/") else value
    return (f"reads KEY=VALUE lines from {where}: one variable per line, # starts a comment, "
            "a bare KEY is taken from your environment; quotes become part of the value")


def name(value: str) -> str:
    return (f"the container is called {value}: use the name instead of the ID "
            f"(docker logs {value}, docker stop {value}); names are unique, so another "
            f"--name {value} fails until this container is removed")


def network(value: str) -> str:
    if value == "host":
        return ("shares the host's network: no isolation, the container's ports are the "
                "host's (so -p is ignored)")
    if value == "none":
        return "no network at all: only the loopback interface"
    if value in ("bridge", "default"):
        return ("the default bridge network: containers on it reach each other only by IP "
                "address, not by name")
    if value.startswith("container:"):
        return f"shares the network of the container {value.split(':', 1)[1]} (same IP and ports)"
    return (f"joins the network {value}: containers on a user-defined network reach each "
            "other by name (create it first with docker network create)")


def restart(value: str) -> str:
    policy, _, count = value.partition(":")
    if policy == "no":
        return "never restart the container (the default)"
    if policy == "always":
        return ("restart whenever it stops, and when the Docker engine starts; `docker stop` "
                "stops it until the engine restarts")
    if policy == "unless-stopped":
        return ("restart whenever it stops, except after you stopped it yourself: then it "
                "stays stopped, even when the engine restarts")
    if policy == "on-failure":
        limit = f", at most {count} times" if count else ""
        return f"restart only when it exits with an error (a non-zero exit code){limit}"
    return f"'{value}' is not a restart policy: use no, always, unless-stopped or on-failure[:N]"


def workdir(value: str) -> str:
    if not value.startswith("/"):
        return f"'{value}' is refused: the working directory must be an absolute path (/app)"
    return f"the command runs in {value} inside the container (created if missing)"


def user(value: str) -> str:
    who, _, group = value.partition(":")
    kind = "user ID" if who.isdigit() else "user"
    text = f"runs as the {kind} {who}"
    if group:
        text += f", group {'ID ' if group.isdigit() else ''}{group}"
    if not who.isdigit():
        text += f" (the image must have a user named {who})"
    return text + " instead of the image's default user"


def entrypoint(value: str) -> str:
    if not value:
        return "clears the image's ENTRYPOINT: the command after the image runs on its own"
    return (f"runs {value} instead of the image's ENTRYPOINT; the words after the image "
            "become its arguments and the image's CMD is not used")


def duration(value: str) -> str:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)", value)
    if match:
        return f"{match.group(1)} {_DURATION_UNITS[match.group(2)]}"
    return f"{value} (a duration needs a unit: 30s, 1m, 500ms)"


def _is_relative(value: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?(ns|us|ms|s|m|h)", value))


def _relative_time(value: str) -> str:
    return f"{duration(value)} ago" if _is_relative(value) else value


def filter_value(value: str) -> str:
    key, _, rest = value.partition("=")
    if key == "until":
        if _is_relative(rest):
            return f"only those created more than {duration(rest)} ago"
        return f"only those created before {rest}"
    if key in ("label", "label!"):
        negated = key.endswith("!")
        return f"only those {'without' if negated else 'with'} the label {rest}"
    if key == "dangling":
        return ("only dangling ones: images without a name, volumes no container uses"
                if rest in ("true", "1") else "only the ones that are not dangling")
    return f"only those where {key} is {rest}"


def format_value(value: str) -> str:
    if value == "json":
        return "prints each item as JSON"
    if value == "table":
        return "prints the default table"
    fields = re.findall(r"\{\{\s*\.(\w+)", value)
    shape = "a table with the columns" if value.startswith("table") else "for each item:"
    if fields:
        return f"a Go template, {shape} {', '.join(fields)}"
    return "a Go template, filled in for each item"


def _note(text: str) -> Callable[[str], str]:
    return lambda _value: text


# Per flag name: the note for its value (or for the switch).
VALUE_NOTES: dict[str, Callable[[str], str]] = {
    "publish": publish,
    "publish-all": publish_all,
    "volume": volume,
    "mount": mount,
    "env": env,
    "env-file": env_file,
    "name": name,
    "network": network,
    "restart": restart,
    "workdir": workdir,
    "user": user,
    "entrypoint": entrypoint,
    "rm": _note("the container is removed when it exits, with its anonymous volumes "
                "(named volumes stay)"),
    "detach": _note("runs in the background: docker prints the container ID and returns; "
                    "see the output with docker logs"),
    "interactive": _note("keeps STDIN open, so what you type reaches the program"),
    "tty": _note("gives the program a terminal (prompt, colours, line editing)"),
    "read-only": _note("the container's own filesystem is read-only: the program can write "
                       "only to volumes, bind mounts and --tmpfs mounts"),
    "health-cmd": lambda v: (f"the engine runs `{v}` inside the container to check it: exit "
                             "code 0 means healthy, 1 unhealthy (docker ps shows the state)"),
    "health-interval": lambda v: f"runs the health check every {duration(v)}",
    "health-timeout": lambda v: f"a check that takes longer than {duration(v)} counts as failed",
    "health-retries": lambda v: f"{v} failed checks in a row mark the container unhealthy",
    "health-start-period": lambda v: (f"failed checks in the first {duration(v)} don't count: "
                                      "time for the program to start"),
    "health-start-interval": lambda v: f"during the start period, checks run every {duration(v)}",
    "no-healthcheck": _note("turns off the HEALTHCHECK the image defines"),
    "filter": filter_value,
    "tail": lambda v: ("shows the whole log" if v == "all" else
                       f"shows only the last {v} lines"),
    "since": lambda v: f"only what was logged since {_relative_time(v)}",
    "until": lambda v: f"only what was logged before {_relative_time(v)}",
    "follow": _note("keeps printing new lines as they come, until Ctrl-C"),
    "timestamps": _note("puts the time each line was logged in front of it"),
    "no-stream": _note("prints one snapshot and exits, instead of updating live until Ctrl-C"),
    "memory": lambda v: f"the container may use at most {v} of memory; beyond that it is killed",
    "cpus": lambda v: f"the container may use at most {v} CPUs' worth of time",
    "hostname": lambda v: f"the container sees itself as {v}",
    "init": _note("a tiny init process runs as PID 1: it forwards signals and reaps zombies"),
    "privileged": _note("gives the container almost all of the host's powers: avoid it"),
    "tmpfs": lambda v: (f"an in-memory folder at {v.split(':')[0]}: writable even with "
                        "--read-only, gone when the container stops"),
    "label": lambda v: (f"attaches the label {v}: `--filter label={v.split('=')[0]}` finds it "
                        "later; labels change nothing else"),
    "expose": lambda v: (f"documents that the program listens on {v}; it does not publish "
                         "the port (that is -p)"),
    "format": format_value,
    "volumes-from": lambda v: f"mounts the same volumes as the container {v.split(':')[0]}",
}


def _image_note(text: str) -> str:
    from .imageref import image_rows  # only /explain of docker build -t needs it

    return image_rows(text, "the image's name")[0][1]


# docker compose's own options (-f, -p ...), before its subcommand.
GROUP_NOTES: dict[str, Callable[[str], str]] = {
    "file": lambda v: (f"uses the Compose file {v} instead of compose.yaml (or "
                       "docker-compose.yml) in the current folder; several -f are merged in order"),
    "project-name": lambda v: (f"names the project {v}: its containers, networks and volumes "
                               f"are called {v}-... (by default the folder's name)"),
    "project-directory": lambda v: (f"works from {v}: relative paths in the Compose file start "
                                    "there (by default the first Compose file's folder)"),
    "env-file": lambda v: f"variables for the Compose file come from {v} instead of .env",
    "profile": lambda v: f"also uses the services of the profile {v}",
    "dry-run": lambda _v: "only shows what it would do; nothing changes",
}
# Notes that differ from VALUE_NOTES for one command.
PATH_NOTES: dict[tuple[str, ...], dict[str, Callable[[str], str]]] = {
    ("compose", "up"): {
        "detach": lambda _v: ("starts the services in the background and returns; "
                              "`docker compose logs` shows their output"),
        "build": lambda _v: "builds the images first, even if they exist",
    },
    ("compose", "down"): {
        "volumes": lambda _v: ("also removes the named volumes of the Compose file and the "
                               "anonymous ones: their data is gone"),
        "rmi": lambda v: ("also removes every image the services use" if v == "all" else
                          "also removes the images built for services without a custom tag"),
    },
    ("compose", "exec"): {"no-tty": lambda _v: "no terminal: for scripts and pipes"},
    ("compose", "rm"): {
        "stop": lambda _v: "stops running containers first, so they can be removed too",
        "force": lambda _v: "doesn't ask for confirmation",
    },
    ("image", "build"): {
        "tag": _image_note,
        "file": lambda v: f"builds from {v} instead of ./Dockerfile in the context",
        "no-cache": lambda _v: "runs every step again instead of reusing cached layers",
    },
    ("system", "prune"): {
        "volumes": lambda _v: "also removes unused anonymous volumes",
        "all": lambda _v: "removes every image no container uses, not just untagged ones",
    },
    ("volume", "prune"): {"all": lambda _v: "named volumes too, not just anonymous ones"},
    ("volume", "create"): {
        "driver": lambda v: ("the volume lives in a folder the engine manages (the default)"
                             if v == "local" else f"the volume plugin {v} stores the data"),
        "opt": lambda v: f"a driver option: {v} (for local: type=, device=, o= as in mount)",
    },
    ("network", "create"): {
        "driver": lambda v: {
            "bridge": "a private network on this host (the default)",
            "overlay": "a network spanning the machines of a swarm",
            "macvlan": "containers appear as machines on the host's physical network",
            "host": "no network of its own: containers use the host's",
            "none": "no networking",
        }.get(v, f"the network plugin {v}"),
        "subnet": lambda v: f"containers get addresses from {v}",
        "gateway": lambda v: f"the network's router address is {v}",
        "ip-range": lambda v: f"addresses are handed out from {v} only",
        "internal": lambda _v: "containers on it can't reach the outside world",
        "attachable": lambda _v: "plain containers may join this swarm network",
    },
    ("network", "connect"): {
        "alias": lambda v: f"other containers on the network can also reach it as {v}",
        "ip": lambda v: f"it gets the fixed address {v} on that network",
    },
    ("image", "prune"): {"all": lambda _v: ("every image no container uses, not just the "
                                            "untagged (dangling) ones")},
    ("container", "rm"): {
        "force": lambda _v: "removes it even while it runs (it is killed first)",
        "volumes": lambda _v: "also removes its anonymous volumes",
    },
    ("image", "rm"): {"force": lambda _v: "removes it even if it has several tags, or a "
                                          "stopped container uses it"},
    ("container", "stop"): {"timeout": lambda v: f"waits {v} seconds for it to exit, then kills it"},
    ("container", "restart"): {"timeout": lambda v: f"waits {v} seconds for it to stop, then kills it"},
}
for _path in (("container", "prune"), ("image", "prune"), ("volume", "prune"),
              ("network", "prune"), ("system", "prune"), ("builder", "prune")):
    PATH_NOTES.setdefault(_path, {})["force"] = lambda _v: "doesn't ask \"Are you sure?\" first"
# Where a flag name means something else than in VALUE_NOTES (build's --network,
# --memory...), only the command's own notes apply.
OWN_NOTES_ONLY = frozenset({("image", "build")})


def notes_for(path: tuple[str, ...]) -> dict[str, Callable[[str], str]]:
    """The value notes that apply to one command's flags, by flag name."""
    if path == ("compose",):
        return GROUP_NOTES
    own = PATH_NOTES.get(path, {})
    return dict(own) if path in OWN_NOTES_ONLY else {**VALUE_NOTES, **own}
