"""An in-memory stand-in for ``docker.APIClient`` (the low-level client).

Payloads follow the shapes of the Docker Engine API (v1.41+) closely enough for
code that reads them: container summaries from ``GET /containers/json``,
``GET /containers/{id}/json``, ``GET /images/{name}/json``, ``GET /images/json``,
the tar stream and stat header of ``GET /containers/{id}/archive``, the exec
endpoints and ``GET /events``. Every call is recorded in ``calls``.

    engine = FakeEngine()
    engine.add_image("busybox:latest", cmd=["sh"])
    engine.add_container("web", image="busybox", ports={"80/tcp": "8080"},
                         files={"/tmp/hello.txt": "hi"})
"""

from __future__ import annotations

import hashlib
import io
import itertools
import posixpath
import tarfile
import time
from dataclasses import dataclass, field
from typing import Any

import docker.errors
import requests

_ids = itertools.count(1)
GO_MODE_DIR = 1 << 31


def fake_id(seed: str) -> str:
    return hashlib.sha256(f"{seed}-{next(_ids)}".encode()).hexdigest()


def normalize(ref: str) -> str:
    from tutor.checks.refs import normalize as real

    return real(ref)


def _response(status: int, reason: str, url: str = "http+docker://localhost/fake") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response.url = url
    return response


def not_found(message: str) -> docker.errors.NotFound:
    return docker.errors.NotFound(message, response=_response(404, "Not Found"),
                                  explanation=message)


def conflict(message: str) -> docker.errors.APIError:
    return docker.errors.APIError(message, response=_response(409, "Conflict"),
                                  explanation=message)


@dataclass
class FakeImage:
    id: str
    tags: list[str]
    config: dict
    repo_digests: list[str] = field(default_factory=list)
    created: int = 0

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
        return {
            "Id": self.id,
            "ParentId": "",
            "RepoTags": list(self.tags) or ["<none>:<none>"],
            "RepoDigests": list(self.repo_digests),
            "Created": self.created,
            "Size": 1_981_000,
            "SharedSize": -1,
            "VirtualSize": 1_981_000,
            "Labels": self.config.get("Labels"),
            "Containers": -1,
        }


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

    @property
    def running(self) -> bool:
        return self.state in ("running", "paused", "restarting")

    def live_ports(self) -> dict:
        """NetworkSettings.Ports: exposed ports map to None, published ones to bindings."""
        ports: dict[str, Any] = {}
        for key, bindings in self.port_bindings.items():
            live = []
            for binding in bindings or []:
                host_port = binding.get("HostPort") or "49153"
                if binding.get("HostIp"):
                    live.append({"HostIp": binding["HostIp"], "HostPort": host_port})
                else:
                    live.append({"HostIp": "0.0.0.0", "HostPort": host_port})
                    live.append({"HostIp": "::", "HostPort": host_port})
            ports[key] = live or None
        return ports

    def summary(self) -> dict:
        ports = []
        if self.running:
            for key, bindings in self.live_ports().items():
                number, _, kind = key.partition("/")
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
            "Command": " ".join(self.cmd),
            "Created": self.created,
            "Ports": ports,
            "Labels": dict(self.labels),
            "State": self.state,
            "Status": status,
            "HostConfig": {"NetworkMode": "default"},
            "NetworkSettings": {"Networks": {"bridge": {}}},
            "Mounts": [dict(m) for m in self.mounts],
        }

    def inspect(self) -> dict:
        return {
            "Id": self.id,
            "Created": "2024-01-01T00:00:00.000000000Z",
            "Path": self.cmd[0] if self.cmd else "",
            "Args": self.cmd[1:],
            "State": {
                "Status": self.state,
                "Running": self.state in ("running", "paused"),
                "Paused": self.state == "paused",
                "Restarting": self.state == "restarting",
                "OOMKilled": False,
                "Dead": self.state == "dead",
                "Pid": 4242 if self.running else 0,
                "ExitCode": self.exit_code,
                "Error": "",
                "StartedAt": "2024-01-01T00:00:01.000000000Z",
                "FinishedAt": "0001-01-01T00:00:00Z",
            },
            "Image": self.image_id,
            "Name": "/" + self.name,
            "RestartCount": 0,
            "HostConfig": {
                "Binds": None,
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
                "WorkingDir": "",
                "Entrypoint": None,
                "Labels": dict(self.labels),
                "ExposedPorts": {k: {} for k in self.port_bindings},
            },
            "NetworkSettings": {
                "Bridge": "",
                "Ports": self.live_ports() if self.running else {},
                "IPAddress": "172.17.0.2" if self.running else "",
            },
        }


class FakeEngine:
    """The subset of ``docker.APIClient`` the checks use."""

    def __init__(self) -> None:
        self.images_: list[FakeImage] = []
        self.containers_: list[FakeContainer] = []
        self.events_: list[dict] = []
        self.execs: dict[str, dict] = {}
        self.calls: list[tuple] = []
        self.unavailable: BaseException | None = None
        self.clock = 1_700_000_000
        # GET /version's Components: Podman's Docker-compatible API lists "Podman Engine".
        self.components: list[dict] = [{"Name": "Engine", "Version": "20.10.24"}]

    # -- building the world ------------------------------------------------------------

    def add_image(self, *tags: str, cmd: list[str] | None = None,
                  entrypoint: list[str] | None = None, env: list[str] | None = None,
                  labels: dict | None = None, exposed: tuple[str, ...] = (), workdir: str = "",
                  repo_digests: tuple[str, ...] = ()) -> str:
        image_id = "sha256:" + fake_id("image")
        familiar = []
        for tag in tags:
            from tutor.checks.refs import familiar as shorten

            familiar.append(shorten(normalize(tag)))
            for other in self.images_:  # a tag moves to the newest image
                other.tags = [t for t in other.tags if normalize(t) != normalize(tag)]
        config = {
            "Hostname": "", "User": "", "Env": env or ["PATH=/usr/local/sbin:/usr/local/bin:"
                                                        "/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": cmd, "Image": "", "WorkingDir": workdir, "Entrypoint": entrypoint,
            "OnBuild": None, "Labels": labels,
            **({"ExposedPorts": {p: {} for p in exposed}} if exposed else {}),
        }
        self.images_.append(FakeImage(image_id, familiar, config, list(repo_digests),
                                      created=self.clock))
        return image_id

    def add_container(self, name: str, image: str = "busybox", state: str = "running",
                      exit_code: int = 0, cmd: list[str] | None = None,
                      ports: dict[str, str | list[str]] | None = None,
                      env: dict[str, str] | None = None, labels: dict[str, str] | None = None,
                      mounts: list[dict] | None = None, files: dict[str, str] | None = None,
                      exec_results: dict | None = None, created: int | None = None) -> str:
        """``ports``: {"80/tcp": "8080"} or {"80/tcp": "127.0.0.1:8080"} or a list of those."""
        found = self._find_image(image)
        image_id = found.id if found else "sha256:" + fake_id("unknown-image")
        bindings: dict[str, list[dict]] = {}
        for key, hosts in (ports or {}).items():
            for host in [hosts] if isinstance(hosts, str) else hosts:
                ip, _, port = host.rpartition(":")
                bindings.setdefault(key, []).append({"HostIp": ip, "HostPort": port})
        container = FakeContainer(
            id=fake_id("container"), name=name, image=image, image_id=image_id, state=state,
            exit_code=exit_code, cmd=cmd or ["sh"], port_bindings=bindings,
            env=[f"{k}={v}" for k, v in (env or {}).items()] + ["PATH=/bin"],
            labels=labels or {}, mounts=mounts or [],
            files={"/etc/hostname": "abc123\n", **(files or {})},
            exec_results=exec_results or {}, created=created if created is not None else self.clock,
        )
        self.clock += 1
        self.containers_.append(container)
        return container.id

    def container(self, name: str) -> FakeContainer:
        return next(c for c in self.containers_ if c.name == name)

    def add_event(self, action: str, name: str | None = None, type: str = "container",
                  at: float | None = None, **attributes: str) -> None:
        when = at if at is not None else time.time()
        container = next((c for c in self.containers_ if c.name == name), None)
        actor_id = container.id if container else fake_id("actor")
        self.events_.append({
            "status": action, "id": actor_id, "from": container.image if container else "",
            "Type": type, "Action": action,
            "Actor": {"ID": actor_id, "Attributes": {**({"name": name} if name else {}),
                                                     **attributes}},
            "scope": "local", "time": int(when), "timeNano": int(when * 1e9),
        })

    # -- helpers -----------------------------------------------------------------------------

    def _record(self, *call: Any) -> None:
        self.calls.append(call)
        if self.unavailable is not None:
            raise self.unavailable

    def _find_image(self, ref: str) -> FakeImage | None:
        bare = ref.removeprefix("sha256:")
        for image in self.images_:
            if len(bare) >= 4 and image.id.removeprefix("sha256:").startswith(bare):
                return image
        if "@" in ref:
            for image in self.images_:
                if any(normalize(d) == normalize(ref) for d in image.repo_digests):
                    return image
            return None
        wanted = normalize(ref)
        for image in self.images_:
            if any(normalize(tag) == wanted for tag in image.tags):
                return image
        return None

    def _find_container(self, ident: str) -> FakeContainer:
        for container in self.containers_:
            if container.id.startswith(ident) or container.name == ident.lstrip("/"):
                return container
        raise not_found(f"No such container: {ident}")

    def call_names(self) -> list[str]:
        return [call[0] for call in self.calls]

    # -- the API ---------------------------------------------------------------------------

    def version(self, api_version=True):
        self._record("version")
        return {"Version": self.components[0]["Version"], "ApiVersion": "1.41",
                "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64",
                "Components": [dict(c) for c in self.components]}

    def containers(self, quiet=False, all=False, trunc=False, latest=False, since=None,
                   before=None, limit=-1, size=False, filters=None):
        self._record("containers", all, filters)
        listed = [c for c in self.containers_ if all or c.state == "running"]
        return [c.summary() for c in sorted(listed, key=lambda c: -c.created)]

    def inspect_container(self, container):
        self._record("inspect_container", container)
        return self._find_container(container).inspect()

    def inspect_image(self, image):
        self._record("inspect_image", image)
        found = self._find_image(image)
        if found is None:
            raise not_found(f"No such image: {image}")
        return found.inspect()

    def images(self, name=None, quiet=False, all=False, filters=None):
        self._record("images", name)
        return [image.summary() for image in self.images_]

    def get_archive(self, container, path, chunk_size=2 * 1024 * 1024, encode_stream=False):
        self._record("get_archive", container, path)
        found = self._find_container(container)
        path = posixpath.normpath(path)
        files = found.files
        directories = {"/"}
        for file_path, content in files.items():
            parent = posixpath.dirname(file_path)
            while parent not in directories:
                directories.add(parent)
                parent = posixpath.dirname(parent)
            if content is None:
                directories.add(file_path)
        if path not in files and path not in directories:
            raise not_found(f"Could not find the file {path} in container {found.name}")
        buffer = io.BytesIO()
        base = posixpath.basename(path) or "/"
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            if path in directories:
                info = tarfile.TarInfo(base)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                archive.addfile(info)
                for file_path, content in sorted(files.items()):
                    if file_path.startswith(path.rstrip("/") + "/") and content is not None:
                        data = content.encode()
                        info = tarfile.TarInfo(base + file_path[len(path):])
                        info.size = len(data)
                        archive.addfile(info, io.BytesIO(data))
                stat = {"name": base, "size": 4096, "mode": GO_MODE_DIR | 0o755,
                        "mtime": "2024-01-01T00:00:00Z", "linkTarget": ""}
            else:
                data = files[path].encode()
                info = tarfile.TarInfo(base)
                info.size = len(data)
                info.mode = 0o644
                archive.addfile(info, io.BytesIO(data))
                stat = {"name": base, "size": len(data), "mode": 0o644,
                        "mtime": "2024-01-01T00:00:00Z", "linkTarget": ""}
        payload = buffer.getvalue()

        def chunks():
            for start in range(0, len(payload), 512):
                yield payload[start:start + 512]

        return chunks(), stat

    def exec_create(self, container, cmd, stdout=True, stderr=True, stdin=False, tty=False,
                    privileged=False, user="", environment=None, workdir=None, detach_keys=None):
        self._record("exec_create", container, cmd)
        found = self._find_container(container)
        if found.state != "running":
            raise conflict(f"Container {found.id} is not running")
        exec_id = fake_id("exec")
        self.execs[exec_id] = {"container": found, "cmd": list(cmd), "result": None}
        return {"Id": exec_id}

    def exec_start(self, exec_id, detach=False, tty=False, stream=False, socket=False,
                   demux=False):
        self._record("exec_start", exec_id)
        record = self.execs[exec_id]
        container: FakeContainer = record["container"]
        cmd = tuple(record["cmd"])
        result = container.exec_results.get(cmd)
        if callable(result):
            result = result(cmd)
        if result is None:
            result = self._builtin_exec(container, cmd)
        record["result"] = result
        return result[1].encode() if isinstance(result[1], str) else result[1]

    def _builtin_exec(self, container: FakeContainer, cmd: tuple[str, ...]) -> tuple[int, str]:
        if cmd and cmd[0] == "cat" and len(cmd) == 2:
            content = container.files.get(cmd[1])
            if content is None:
                return 1, f"cat: can't open '{cmd[1]}': No such file or directory\n"
            return 0, content
        if cmd and cmd[0] in ("true",):
            return 0, ""
        if cmd and cmd[0] == "echo":
            return 0, " ".join(cmd[1:]) + "\n"
        return 126, (f'OCI runtime exec failed: exec failed: unable to start container process: '
                     f'exec: "{cmd[0] if cmd else ""}": executable file not found in $PATH: '
                     f'unknown\r\n')

    def exec_inspect(self, exec_id):
        self._record("exec_inspect", exec_id)
        record = self.execs[exec_id]
        code = record["result"][0] if record["result"] else None
        return {"ID": exec_id, "Running": False, "ExitCode": code, "ProcessConfig": {
            "entrypoint": record["cmd"][0], "arguments": record["cmd"][1:]},
            "ContainerID": record["container"].id, "Pid": 4343}

    def events(self, since=None, until=None, filters=None, decode=None):
        self._record("events", since, until, filters)

        def stamp(value: Any, default: float) -> float:
            return default if value is None else float(value)

        low = stamp(since, 0)
        high = stamp(until, float("inf"))
        wanted_type = (filters or {}).get("type")

        def stream():
            for event in self.events_:
                when = event["timeNano"] / 1e9
                if int(when) < low or when > high:
                    continue
                if wanted_type and event["Type"] != wanted_type:
                    continue
                yield dict(event)

        return stream()

