"""An in-memory stand-in for ``docker.APIClient`` (the low-level client).

Payloads follow the shapes of the Docker Engine API (v1.41, dockerd 20.10) for code
that reads them: container summaries from ``GET /containers/json``,
``GET /containers/{id}/json``, ``GET /images/{name}/json``, ``GET /images/json``,
the tar stream and stat header of ``GET /containers/{id}/archive``, the exec
endpoints, ``POST /images/{name}/tag``, the events of a pull, and ``GET /events``.
Every call is recorded in ``calls``. tests/test_fake_engine_contract.py runs the
same scenarios here and on a real engine and compares what the checks read.

    engine = FakeEngine()
    engine.add_image("busybox:latest", cmd=["sh"], pulled=True)
    engine.add_container("web", image="busybox", ports={"80/tcp": "8080"},
                         files={"/tmp/hello.txt": "hi"},
                         mounts=[bind_mount("/srv/site", "/usr/share/nginx/html")])
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import time
from typing import Any

from fake_objects import (
    DEFAULT_PATH,
    GO_MODE_DIR,
    FakeContainer,
    FakeImage,
    _response,
    bad_reference,
    bind_mount,
    conflict,
    fake_id,
    familiar,
    image_not_found,
    normalize,
    not_found,
    repository_of,
    volume_mount,
)

__all__ = [
    "FakeContainer",
    "FakeEngine",
    "FakeImage",
    "_response",
    "bind_mount",
    "conflict",
    "fake_id",
    "normalize",
    "not_found",
    "volume_mount",
]

# Docker's engine keeps its last 256 events in memory, and answers "since" from them.
ENGINE_EVENT_LOG = 256


def _label_filter(labels: dict | None, selectors: Any) -> bool:
    """``filters={"label": "key"}`` or ``"key=value"`` (or a list of them, all must hold)."""
    for selector in [selectors] if isinstance(selectors, str) else list(selectors or []):
        key, eq, value = selector.partition("=")
        if key not in (labels or {}) or (eq and (labels or {})[key] != value):
            return False
    return True


def _container_env(given: dict[str, str], image_env: list[str] | None) -> list[str]:
    """What the engine does: the given variables, then the image's that were not given."""
    env = [f"{k}={v}" for k, v in given.items()]
    for entry in image_env if image_env is not None else ["PATH=/bin"]:
        if entry.partition("=")[0] not in given:
            env.append(entry)
    return env


class FakeEngine:
    """The subset of ``docker.APIClient`` the checks use."""

    def __init__(self) -> None:
        self.images_: list[FakeImage] = []
        self.containers_: list[FakeContainer] = []
        self.events_: list[dict] = []
        self.execs: dict[str, dict] = {}
        self.volumes_: list[dict] = []  # {"Name", "Driver", "Labels", "Mountpoint"}
        self.networks_: list[dict] = []  # {"Id", "Name", "Driver", "Labels", "Containers"}
        self.calls: list[tuple] = []
        self.unavailable: BaseException | None = None
        self.clock = 1_700_000_000
        # GET /version's Components: Podman's Docker-compatible API lists "Podman Engine".
        self.components: list[dict] = [{"Name": "Engine", "Version": "20.10.24"}]

    # -- building the world ------------------------------------------------------------

    def add_image(self, *tags: str, cmd: list[str] | None = None,
                  entrypoint: list[str] | None = None, env: list[str] | None = None,
                  labels: dict | None = None, exposed: tuple[str, ...] = (), workdir: str = "",
                  repo_digests: tuple[str, ...] = (), pulled: bool = False) -> str:
        """``pulled``: the image came from a registry, so it has a digest per repository."""
        image_id = "sha256:" + fake_id("image")
        familiar_tags = [familiar(tag) for tag in tags]
        self._take_tags(familiar_tags)
        digests = list(repo_digests)
        if pulled:
            digest = "sha256:" + fake_id("manifest")
            digests += [f"{repository}@{digest}" for repository
                        in dict.fromkeys(repository_of(tag) for tag in familiar_tags)]
        config = {
            "Hostname": "", "User": "", "Env": env or [DEFAULT_PATH],
            "Cmd": cmd, "Image": "", "WorkingDir": workdir, "Entrypoint": entrypoint,
            "OnBuild": None, "Labels": labels,
            **({"ExposedPorts": {p: {} for p in exposed}} if exposed else {}),
        }
        self.images_.append(FakeImage(image_id, familiar_tags, config, digests,
                                      created=self.clock))
        return image_id

    def _take_tags(self, tags: list[str]) -> None:
        """A tag moves to the newest image."""
        wanted = {normalize(tag) for tag in tags}
        for other in self.images_:
            other.tags = [t for t in other.tags if normalize(t) not in wanted]

    def add_container(self, name: str, image: str = "busybox", state: str = "running",
                      exit_code: int = 0, cmd: list[str] | None = None,
                      ports: dict[str, str | list[str]] | None = None,
                      exposed: tuple[str, ...] = (),
                      env: dict[str, str] | None = None, labels: dict[str, str] | None = None,
                      mounts: list[dict] | None = None, files: dict[str, str] | None = None,
                      exec_results: dict | None = None, created: int | None = None,
                      networks: tuple[str, ...] = ("bridge",)) -> str:
        """``ports``: {"80/tcp": "8080"} or {"80/tcp": "127.0.0.1:8080"} or a list of those;
        ``exposed``: ports exposed but not published; ``mounts``: bind_mount(...),
        volume_mount(...). Like the engine, the container takes the image's command,
        entrypoint, working directory, exposed ports and labels unless given."""
        found = self._find_image(image)
        image_id = found.id if found else "sha256:" + fake_id("unknown-image")
        config = found.config if found else {}
        bindings: dict[str, list[dict]] = {}
        for key, hosts in (ports or {}).items():
            for host in [hosts] if isinstance(hosts, str) else hosts:
                ip, _, port = host.rpartition(":")
                bindings.setdefault(key, []).append({"HostIp": ip, "HostPort": port})
        container = FakeContainer(
            id=fake_id("container"), name=name, image=image, image_id=image_id, state=state,
            exit_code=exit_code, cmd=cmd or list(config.get("Cmd") or ["sh"]),
            port_bindings=bindings,
            env=_container_env(env or {}, config.get("Env") if found else None),
            labels={**(config.get("Labels") or {}), **(labels or {})}, mounts=mounts or [],
            files={"/etc/hostname": "abc123\n", **(files or {})},
            exec_results=exec_results or {},
            created=created if created is not None else self.clock,
            entrypoint=config.get("Entrypoint"),
            workdir=config.get("WorkingDir") or "",
            exposed=(*(config.get("ExposedPorts") or {}), *exposed),
            networks=networks,
        )
        self.clock += 1
        self.containers_.append(container)
        return container.id

    def container(self, name: str) -> FakeContainer:
        return next(c for c in self.containers_ if c.name == name)

    def add_event(self, action: str, name: str | None = None, type: str = "container",
                  at: float | None = None, **attributes: str) -> None:
        """A container event the way dockerd logs it (the container's image and labels
        among its attributes), or another type's with just ``name``."""
        container = next((c for c in self.containers_ if c.name == name), None)
        actor_id = container.id if container else fake_id("actor")
        base: dict[str, str] = {}
        if type == "container" and container is not None:
            base = {"image": container.image, **container.labels}
        self._log(type, action, actor_id, {**base, **({"name": name} if name else {}),
                                           **attributes},
                  source=container.image if container and type == "container" else None, at=at)

    def add_image_event(self, action: str, ref: str, at: float | None = None) -> None:
        """``pull``: the actor is the reference as pulled, ``name`` its repository;
        ``tag``/``untag``/``delete``: the actor is the image ID, ``name`` the reference."""
        if action == "pull":
            self._log("image", action, ref, {"name": repository_of(ref)}, at=at)
            return
        image = self._find_image(ref)
        image_id = image.id if image else "sha256:" + fake_id("image")
        self._log("image", action, image_id,
                  {"name": familiar(ref), **(image.labels if image else {})}, at=at)

    def _log(self, event_type: str, action: str, actor_id: str, attributes: dict,
             source: str | None = None, at: float | None = None) -> None:
        when = at if at is not None else time.time()
        event = {"status": action, "id": actor_id, **({"from": source} if source else {}),
                 "Type": event_type, "Action": action,
                 "Actor": {"ID": actor_id, "Attributes": attributes},
                 "scope": "local", "time": int(when), "timeNano": int(when * 1e9)}
        self.events_.append(event)

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
        if bad_reference(ref) is not None:
            return None
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
        # As dockerd resolves one: the full ID, then the name, then an ID prefix.
        for matches in (lambda c: c.id == ident, lambda c: c.name == ident.lstrip("/"),
                        lambda c: c.id.startswith(ident)):
            for container in self.containers_:
                if matches(container):
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
        selector = (filters or {}).get("label")
        listed = [c for c in self.containers_ if (all or c.running)
                  and _label_filter(c.labels, selector)]
        return [c.summary() for c in sorted(listed, key=lambda c: -c.created)]

    def inspect_container(self, container):
        self._record("inspect_container", container)
        return self._find_container(container).inspect()

    def inspect_image(self, image):
        self._record("inspect_image", image)
        invalid = bad_reference(image)
        found = self._find_image(image)
        if found is None:
            raise invalid or image_not_found(image)
        return found.inspect()

    def images(self, name=None, quiet=False, all=False, filters=None):
        self._record("images", name)
        selector = (filters or {}).get("label")
        return [image.summary() for image in self.images_
                if _label_filter(image.labels, selector)]

    def tag(self, image, repository, tag=None, force=False):
        """``docker tag``: the reference moves to this image, and the engine logs it."""
        self._record("tag", image, repository, tag)
        found = self._find_image(image)
        if found is None:
            raise image_not_found(image)
        ref = familiar(f"{repository}:{tag or 'latest'}")
        self._take_tags([ref])
        found.tags.append(ref)
        self.add_image_event("tag", ref)
        return True

    def pull(self, repository, tag=None, stream=False, decode=False, **kwargs):
        """Pulls what the fake registry holds: the images added to the fake."""
        self._record("pull", repository, tag)
        ref = f"{repository}:{tag or 'latest'}"
        if self._find_image(ref) is None:
            raise not_found(f"manifest for {ref} not found: manifest unknown: manifest unknown")
        self.add_image_event("pull", ref)
        done = [{"status": f"Pulling from {repository}", "id": tag or "latest"},
                {"status": f"Status: Image is up to date for {ref}"}]
        return iter(done) if stream else "\r\n".join(str(line) for line in done)

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
            raise not_found(f"Could not find the file {path} in container {container}")
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
                data = (files[path] or "").encode()
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
        self._exec_event("exec_create", exec_id)
        return {"Id": exec_id}

    def exec_start(self, exec_id, detach=False, tty=False, stream=False, socket=False,
                   demux=False):
        self._record("exec_start", exec_id)
        record = self.execs[exec_id]
        container: FakeContainer = record["container"]
        self._exec_event("exec_start", exec_id)
        result = container.run(tuple(record["cmd"]))
        record["result"] = result
        self._exec_event("exec_die", exec_id, exitCode=str(result[0]))
        output = result[1].encode() if isinstance(result[1], str) else result[1]
        # Like the SDK: streamed, the output comes as a generator of chunks.
        return (chunk for chunk in [output] if chunk) if stream else output

    def _exec_event(self, action: str, exec_id: str, **attributes: str) -> None:
        record = self.execs[exec_id]
        container: FakeContainer = record["container"]
        if action != "exec_die":  # "exec_start: cat /etc/hostname", "exec_create: true "
            program, *args = record["cmd"]
            action = f"{action}: {program} {' '.join(args)}"
        self.add_event(action, name=container.name, execID=exec_id, **attributes)

    def exec_inspect(self, exec_id):
        self._record("exec_inspect", exec_id)
        record = self.execs[exec_id]
        code = record["result"][0] if record["result"] else None
        return {"ID": exec_id, "Running": False, "ExitCode": code, "ProcessConfig": {
            "tty": False, "entrypoint": record["cmd"][0], "arguments": record["cmd"][1:],
            "privileged": False}, "ContainerID": record["container"].id, "Pid": 4343}

    # -- volumes and networks (label filters as dockerd: every selector must match) --------

    def add_volume(self, name: str, labels: dict | None = None) -> None:
        self.volumes_.append({"Name": name, "Driver": "local", "Labels": labels,
                              "Mountpoint": f"/var/lib/docker/volumes/{name}/_data",
                              "Scope": "local", "Options": None})

    def add_network(self, name: str, labels: dict | None = None, driver: str = "bridge") -> str:
        network_id = fake_id("network")
        self.networks_.append({"Id": network_id, "Name": name, "Driver": driver,
                               "Labels": labels or {}, "Containers": {}, "Scope": "local"})
        return network_id

    def volumes(self, filters=None):
        self._record("volumes", filters)
        listed = [dict(v) for v in self.volumes_
                  if _label_filter(v["Labels"], (filters or {}).get("label"))]
        return {"Volumes": listed or None, "Warnings": None}

    def networks(self, names=None, ids=None, filters=None, greedy=False):
        self._record("networks", filters)
        # Like the engine, a name matches any network whose name contains it.
        return [dict(n) for n in self.networks_
                if _label_filter(n["Labels"], (filters or {}).get("label"))
                and (not names or any(name in n["Name"] for name in names))]

    def create_volume(self, name=None, driver=None, driver_opts=None, labels=None):
        self._record("create_volume", name, labels)
        self.add_volume(name, dict(labels or {}))
        return {"Name": name}

    def create_network(self, name, driver=None, labels=None, **kwargs):
        self._record("create_network", name, driver, labels)
        return {"Id": self.add_network(name, dict(labels or {}), driver or "bridge")}

    def inspect_volume(self, name):
        self._record("inspect_volume", name)
        for volume in self.volumes_:
            if volume["Name"] == name:
                return dict(volume)
        raise not_found(f"get {name}: no such volume")

    def inspect_network(self, net_id, verbose=None, scope=None):
        self._record("inspect_network", net_id)
        for network in self.networks_:
            if network["Name"] == net_id or network["Id"].startswith(net_id):
                return dict(network)
        raise not_found(f"network {net_id} not found")

    def remove_volume(self, name, force=False):
        self._record("remove_volume", name, force)
        found = [v for v in self.volumes_ if v["Name"] == name]
        if not found:
            raise not_found(f"get {name}: no such volume")
        self.volumes_.remove(found[0])

    def remove_network(self, net_id):
        self._record("remove_network", net_id)
        found = [n for n in self.networks_ if n["Id"] == net_id or n["Name"] == net_id]
        if not found:
            raise not_found(f"network {net_id} not found")
        self.networks_.remove(found[0])

    def events(self, since=None, until=None, filters=None, decode=None):
        self._record("events", since, until, filters)

        def stamp(value: Any, default: float) -> float:
            return default if value is None else float(value)

        low = stamp(since, 0)
        high = stamp(until, float("inf"))
        wanted_type = (filters or {}).get("type")

        def stream():
            # Like Docker's engine: "since" is answered from its last 256 events only.
            for event in self.events_[-ENGINE_EVENT_LOG:]:
                when = event["timeNano"] / 1e9
                if int(when) < low or when > high:
                    continue
                if wanted_type and event["Type"] != wanted_type:
                    continue
                yield dict(event)

        return stream()
