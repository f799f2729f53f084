"""The objects of the in-memory engine (tests/fake_engine.py): images, containers, the
payloads the Engine API returns for them, and the SDK's errors.

The shapes follow dockerd 20.10 (API 1.41); tests/test_fake_engine_contract.py holds
them against a real engine.
"""

from __future__ import annotations

import hashlib
import itertools
import shlex
from dataclasses import dataclass, field
from typing import Any

import docker.errors
import requests

_ids = itertools.count(1)
GO_MODE_DIR = 1 << 31
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def fake_id(seed: str) -> str:
    return hashlib.sha256(f"{seed}-{next(_ids)}".encode()).hexdigest()


def normalize(ref: str) -> str:
    from tutor.checks.refs import normalize as real

    return real(ref)


def familiar(ref: str) -> str:
    from tutor.checks.refs import familiar as real

    return real(normalize(ref))


def repository_of(ref: str) -> str:
    """``busybox:1.35`` -> ``busybox``; ``localhost:5000/app:1`` -> ``localhost:5000/app``."""
    from tutor.checks.refs import parse_ref

    return parse_ref(ref).familiar_repository


# -- the SDK's errors, as docker-py raises them ------------------------------------------------


def _response(status: int, reason: str,
              url: str = "http+docker://localhost/fake") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response.url = url
    return response


def not_found(message: str) -> docker.errors.NotFound:
    return docker.errors.NotFound(message, response=_response(404, "Not Found"),
                                  explanation=message)


def image_not_found(ref: str) -> docker.errors.ImageNotFound:
    message = f"no such image: {ref}: No such image: {ref}"
    return docker.errors.ImageNotFound(message, response=_response(404, "Not Found"),
                                       explanation=message)


def conflict(message: str) -> docker.errors.APIError:
    return docker.errors.APIError(message, response=_response(409, "Conflict"),
                                  explanation=message)


def bad_reference(ref: str) -> docker.errors.APIError | None:
    """The engine's 400 for a reference it cannot parse ("Busybox", "a b"), or None."""
    from tutor.checks.refs import is_image_id, reference_problem

    if is_image_id(ref) or reference_problem(ref) is None:
        return None
    message = f"no such image: {ref}: invalid reference format"
    if ref.lower() != ref and reference_problem(ref.lower()) is None:
        message += ": repository name must be lowercase"
    return docker.errors.APIError(message, response=_response(400, "Bad Request"),
                                  explanation=message)


# -- mounts as the engine reports them -----------------------------------------------------------


def bind_mount(source: str, destination: str, read_only: bool = False) -> dict:
    """A ``Mounts`` entry for ``-v /host/dir:/dest`` (``:ro`` with ``read_only``)."""
    return {"Type": "bind", "Source": source, "Destination": destination,
            "Mode": "ro" if read_only else "", "RW": not read_only,
            "Propagation": "rprivate"}


def volume_mount(name: str, destination: str, read_only: bool = False) -> dict:
    """A ``Mounts`` entry for ``-v NAME:/dest`` (a named local volume)."""
    return {"Type": "volume", "Name": name,
            "Source": f"/var/lib/docker/volumes/{name}/_data", "Destination": destination,
            "Driver": "local", "Mode": "z" if not read_only else "ro", "RW": not read_only,
            "Propagation": ""}


# -- images ---------------------------------------------------------------------------------------


@dataclass
class FakeImage:
    id: str
    tags: list[str]
    config: dict
    repo_digests: list[str] = field(default_factory=list)
    created: int = 0

    @property
    def labels(self) -> dict:
        return dict(self.config.get("Labels") or {})

    def inspect(self) -> dict:
        return {
            "Id": self.id,
            "RepoTags": list(self.tags),
            "RepoDigests": list(self.repo_digests),
            "Parent": "",
            "Comment": "",
            "Created": "2024-01-01T00:00:00.000000000Z",
            "DockerVersion": "20.10.24",
            "Author": "",
            "Config": self.config,
            "Architecture": "amd64",
            "Os": "linux",
            "Size": 1_981_000,
            "GraphDriver": {"Name": "overlay2", "Data": {}},
            "RootFS": {"Type": "layers", "Layers": ["sha256:" + "0" * 64]},
            "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"},
        }

    def summary(self) -> dict:
        # GET /images/json: an untagged image lists "<none>" placeholders; a tagged one
        # that was never pushed or pulled has no digests at all (null).
        if self.tags:
            digests: list[str] | None = list(self.repo_digests) or None
        else:
            digests = list(self.repo_digests) or ["<none>@<none>"]
        return {
            "Id": self.id,
            "ParentId": "",
            "RepoTags": list(self.tags) or ["<none>:<none>"],
            "RepoDigests": digests,
            "Created": self.created,
            "Size": 1_981_000,
            "SharedSize": -1,
            "VirtualSize": 1_981_000,
            "Labels": self.config.get("Labels"),
            "Containers": -1,
        }


# -- containers -------------------------------------------------------------------------------------


@dataclass
class FakeContainer:
    id: str
    name: str
    image: str  # as typed: Config.Image
    image_id: str
    state: str
    exit_code: int
    cmd: list[str]
    port_bindings: dict  # HostConfig.PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}
    env: list[str]
    labels: dict
    mounts: list[dict]
    files: dict[str, str | None]  # path -> content; None for a directory
    exec_results: dict
    created: int
    entrypoint: list[str] | None = None
    workdir: str = ""
    exposed: tuple[str, ...] = ()  # exposed but not published (the image's EXPOSE, --expose)
    networks: tuple[str, ...] = ("bridge",)  # the networks it is connected to, by name

    @property
    def running(self) -> bool:
        return self.state in ("running", "paused", "restarting")

    def exposed_ports(self) -> list[str]:
        return list(dict.fromkeys([*self.port_bindings, *self.exposed]))

    def live_ports(self) -> dict:
        """NetworkSettings.Ports: exposed ports map to None, published ones to bindings."""
        ports: dict[str, Any] = {}
        for key in self.exposed_ports():
            live = []
            for binding in self.port_bindings.get(key) or []:
                host_port = binding.get("HostPort") or "49153"
                if binding.get("HostIp"):
                    live.append({"HostIp": binding["HostIp"], "HostPort": host_port})
                else:
                    live.append({"HostIp": "0.0.0.0", "HostPort": host_port})
                    live.append({"HostIp": "::", "HostPort": host_port})
            ports[key] = live or None
        return ports

    def summary(self) -> dict:
        ports: list[dict] = []
        if self.running:
            for key, bindings in self.live_ports().items():
                number, _, kind = key.partition("/")
                if not bindings:
                    ports.append({"PrivatePort": int(number), "Type": kind})
                for binding in bindings or []:
                    ports.append({"IP": binding["HostIp"], "PrivatePort": int(number),
                                  "PublicPort": int(binding["HostPort"]), "Type": kind})
        status = {"running": "Up 2 minutes", "exited": f"Exited ({self.exit_code}) 1 minute ago",
                  "created": "Created", "paused": "Up 2 minutes (Paused)",
                  "restarting": f"Restarting ({self.exit_code}) 1 second ago"}.get(self.state, "")
        return {
            "Id": self.id,
            "Names": ["/" + self.name],
            "Image": self.image,
            "ImageID": self.image_id,
            "Command": shlex.join([*(self.entrypoint or []), *self.cmd]),
            "Created": self.created,
            "Ports": ports,
            "Labels": dict(self.labels),
            "State": self.state,
            "Status": status,
            "HostConfig": {"NetworkMode": "default"},
            "NetworkSettings": {"Networks": {name: {} for name in self.networks}},
            "Mounts": [dict(m) for m in self.mounts],
        }

    def inspect(self) -> dict:
        argv = [*(self.entrypoint or []), *self.cmd]
        started = self.state != "created"
        return {
            "Id": self.id,
            "Created": "2024-01-01T00:00:00.000000000Z",
            "Path": argv[0] if argv else "",
            "Args": argv[1:],
            "State": {
                "Status": self.state,
                "Running": self.running,
                "Paused": self.state == "paused",
                "Restarting": self.state == "restarting",
                "OOMKilled": False,
                "Dead": self.state == "dead",
                "Pid": 4242 if self.running else 0,
                "ExitCode": self.exit_code,
                "Error": "",
                "StartedAt": ("2024-01-01T00:00:01.000000000Z" if started
                              else "0001-01-01T00:00:00Z"),
                "FinishedAt": "0001-01-01T00:00:00Z",
            },
            "Image": self.image_id,
            "Name": "/" + self.name,
            "RestartCount": 0,
            "HostConfig": {
                "Binds": [_bind_of(m) for m in self.mounts if m.get("Type") in ("bind", "volume")]
                or None,
                "NetworkMode": "default",
                "PortBindings": {k: [dict(b) for b in v] if v else v
                                 for k, v in self.port_bindings.items()},
                "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                "AutoRemove": False,
            },
            "Mounts": [dict(m) for m in self.mounts],
            "Config": {
                "Hostname": self.id[:12],
                "Env": list(self.env),
                "Cmd": list(self.cmd),
                "Image": self.image,
                "WorkingDir": self.workdir,
                "Entrypoint": list(self.entrypoint) if self.entrypoint else None,
                "Labels": dict(self.labels),
                # Left out when nothing is exposed, as the engine does.
                **({"ExposedPorts": {k: {} for k in self.exposed_ports()}}
                   if self.exposed_ports() else {}),
            },
            "NetworkSettings": {
                "Bridge": "",
                "Ports": self.live_ports() if self.running else {},
                "IPAddress": "172.17.0.2" if self.running else "",
                "Networks": {name: {} for name in self.networks},
            },
        }

    # -- what `exec` runs ----------------------------------------------------------------------

    def run(self, cmd: tuple[str, ...]) -> tuple[int, str]:
        """(exit code, output) of a command the fake can play; exec_results come first."""
        given = self.exec_results.get(cmd)
        if callable(given):
            given = given(cmd)
        if given is not None:
            return given
        program, args = (cmd[0], list(cmd[1:])) if cmd else ("", [])
        if program == "cat" and len(args) == 1:
            path = args[0]
            if (path in self.files and self.files[path] is None) or self._is_directory(path):
                return 1, "cat: read error: Is a directory\n"
            content = self.files.get(path)
            if content is None:
                return 1, f"cat: can't open '{path}': No such file or directory\n"
            return 0, content
        if program in ("true", "false"):
            return (0 if program == "true" else 1), ""
        if program == "echo":
            return 0, " ".join(args) + "\n"
        if program == "sh" and len(args) == 2 and args[0] == "-c":
            words = args[1].split()
            if len(words) == 2 and words[0] == "exit" and words[1].isdigit():
                return int(words[1]), ""
        if program in ("sh", "ls", "wget", "test", "env", "printenv", "grep", "ps"):
            # In every image the lessons use, but not something the fake can play.
            raise NotImplementedError(f"the fake engine cannot run {list(cmd)!r}; give the "
                                      f"container exec_results for it")
        return 126, (f'OCI runtime exec failed: exec failed: unable to start container process: '
                     f'exec: "{program}": executable file not found in $PATH: unknown\r\n')

    def _is_directory(self, path: str) -> bool:
        prefix = path.rstrip("/") + "/"
        return path == "/" or any(p.startswith(prefix) for p in self.files)


def _bind_of(mount: dict) -> str:
    source = mount.get("Name") if mount.get("Type") == "volume" else mount.get("Source")
    return f"{source}:{mount.get('Destination')}" + (":ro" if not mount.get("RW", True) else "")
