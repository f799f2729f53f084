"""One scenario, built twice: on a real engine (docker.APIClient) and on the in-memory
fake (tests/fake_engine.py), for tests/test_fake_engine_contract.py.

Both sides get the same names, host ports, bind directory and volume, so what the
checks read can be compared as it is. Everything made on the real engine carries
the test label and a unique name, and ``RealWorld.remove`` takes it all away.
"""

from __future__ import annotations

import io
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine_helpers import TEST_LABEL, free_port, unique_name
from fake_engine import FakeEngine, bind_mount, volume_mount
from fake_objects import DEFAULT_PATH

SITE_FILE = "/tmp/site/index.html"
SITE_TEXT = "hello world\n"
DOCKERFILE = (
    "FROM busybox\n"
    "WORKDIR /app\n"
    'ENV A=1 B="two words"\n'
    "LABEL tier=web\n"
    "EXPOSE 8000 53/udp\n"
    'ENTRYPOINT ["sh"]\n'
    'CMD ["-c", "echo hi"]\n'
)


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    image: str = "busybox"
    command: tuple[str, ...] = ("sleep", "600")
    state: str = "running"          # running, exited (the command exits), created, paused
    exit_code: int = 0
    ports: dict[str, str] = field(default_factory=dict)   # "80/tcp": "8080" / "127.0.0.1:8080"
    exposed: tuple[str, ...] = ()   # exposed, not published
    env: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    binds: tuple[tuple[str, str], ...] = ()     # (host directory, destination)
    volumes: tuple[tuple[str, str], ...] = ()   # (volume name, destination)
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Names:
    """Everything the scenario names, shared by both worlds."""

    web: str
    app: str
    exited: str
    created: str
    paused: str
    repository: str   # the built image: REPOSITORY:v1, tagged REPOSITORY:v2 later
    volume: str
    dangling_label: str
    bind_dir: str
    web_port: int
    local_port: int
    exited_port: int

    @classmethod
    def make(cls, bind_dir: Path) -> Names:
        return cls(web=unique_name("contract-web"), app=unique_name("contract-app"),
                   exited=unique_name("contract-exited"),
                   created=unique_name("contract-created"),
                   paused=unique_name("contract-paused"),
                   repository=unique_name("contract-image"),
                   volume=unique_name("contract-volume"),
                   dangling_label=unique_name("dangling"), bind_dir=str(bind_dir),
                   web_port=free_port(), local_port=free_port(), exited_port=free_port())

    @property
    def v1(self) -> str:
        return f"{self.repository}:v1"

    @property
    def v2(self) -> str:
        return f"{self.repository}:v2"

    def containers(self) -> list[ContainerSpec]:
        return [
            ContainerSpec(self.web, ports={"80/tcp": str(self.web_port),
                                           "81/udp": f"127.0.0.1:{self.local_port}"},
                          exposed=("90/tcp",), env={"GREETING": "hi there"},
                          labels={"tier": "web"}, binds=((self.bind_dir, "/srv"),),
                          volumes=((self.volume, "/data"),), files={SITE_FILE: SITE_TEXT}),
            ContainerSpec(self.app, image=self.v1, command=("-c", "sleep 600")),
            ContainerSpec(self.exited, command=("sh", "-c", "exit 3"), state="exited",
                          exit_code=3, ports={"80/tcp": str(self.exited_port)},
                          files={"/data/out.txt": "done\n"}),
            ContainerSpec(self.created, state="created"),
            ContainerSpec(self.paused, state="paused"),
        ]


class World:
    """One side of the comparison: an APIClient (real or fake) holding the scenario."""

    def __init__(self, api: Any, names: Names) -> None:
        self.api = api
        self.names = names
        self.began = 0.0  # set after building, before the actions whose events count

    def act(self) -> None:
        """What a learner does during a step: tag an image, pull one."""
        self.began = time.time()
        self.api.tag(self.names.v1, self.names.repository, "v2")
        pulled = self.api.pull("busybox", tag="latest")
        if not isinstance(pulled, str):
            list(pulled)


# -- the real engine ---------------------------------------------------------------------------


class RealWorld(World):
    def __init__(self, api: Any, names: Names) -> None:
        super().__init__(api, names)
        self.container_ids: list[str] = []
        self.images: list[str] = []

    def build(self) -> None:
        self.images.append(self._build_image(self.names.v1, {}))
        self.images.append(self._build_image(None, {"dangle": self.names.dangling_label}))
        self.images.append(self.names.v2)  # made by act(); removed with the rest
        self.api.create_volume(self.names.volume, labels=TEST_LABEL)
        for spec in self.names.containers():
            self._container(spec)

    def _build_image(self, tag: str | None, labels: dict[str, str]) -> str:
        dockerfile = DOCKERFILE if tag else f"FROM busybox\nLABEL note={unique_name()}\n"
        image_id = None
        for chunk in self.api.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag,
                                    labels={**TEST_LABEL, **labels}, rm=True, decode=True):
            if "error" in chunk:
                raise AssertionError(f"building the contract image failed: {chunk['error']}")
            image_id = (chunk.get("aux") or {}).get("ID") or image_id
        assert image_id is not None
        return tag or image_id

    def _container(self, spec: ContainerSpec) -> None:
        api = self.api
        port_keys = [*spec.ports, *spec.exposed]
        bindings: dict[str, Any] = {}
        for key, host in spec.ports.items():
            ip, _, port = host.rpartition(":")
            bindings[key] = (ip, int(port)) if ip else int(port)
        binds = [f"{source}:{destination}" for source, destination in spec.binds + spec.volumes]
        host_config = api.create_host_config(port_bindings=bindings, binds=binds or None)
        created = api.create_container(
            spec.image, command=list(spec.command), name=spec.name,
            labels={**TEST_LABEL, **spec.labels}, environment=spec.env or None,
            ports=[_sdk_port(key) for key in port_keys], host_config=host_config)
        self.container_ids.append(created["Id"])
        if spec.files:
            api.put_archive(created["Id"], "/", _tar_of(spec.files))
        if spec.state == "created":
            return
        api.start(created["Id"])
        if spec.state == "exited":
            api.wait(created["Id"], timeout=30)
        elif spec.state == "paused":
            api.pause(created["Id"])

    def remove(self) -> None:
        import docker.errors

        for container_id in reversed(self.container_ids):
            try:
                self.api.remove_container(container_id, force=True, v=True)
            except docker.errors.NotFound:
                pass
        for ref in reversed(self.images):
            try:
                self.api.remove_image(ref, force=True)
            except docker.errors.NotFound:
                pass
        try:
            self.api.remove_volume(self.names.volume, force=True)
        except docker.errors.NotFound:
            pass

    def wait_for_events(self, ready: Callable[[list[dict]], bool], event_type: str) -> None:
        """The engine logs an exec's end a moment after the exec returns."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if ready(self.events(event_type)):
                return
            time.sleep(0.1)

    def events(self, event_type: str) -> list[dict]:
        return list(self.api.events(since=int(self.began), until=f"{time.time():.9f}",
                                    filters={"type": event_type}, decode=True))


def _sdk_port(key: str) -> Any:
    number, _, protocol = key.partition("/")
    return int(number) if protocol in ("", "tcp") else (int(number), protocol)


def _tar_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        directories: set[str] = set()
        for path, text in files.items():
            parts = path.strip("/").split("/")
            for depth in range(1, len(parts)):
                directory = "/".join(parts[:depth])
                if directory not in directories:
                    directories.add(directory)
                    info = tarfile.TarInfo(directory)
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    archive.addfile(info)
            data = text.encode()
            info = tarfile.TarInfo("/".join(parts))
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# -- the fake -----------------------------------------------------------------------------------


class FakeWorld(World):
    def __init__(self, names: Names) -> None:
        super().__init__(FakeEngine(), names)

    def build(self) -> None:
        fake: FakeEngine = self.api
        fake.add_image("busybox:latest", cmd=["sh"], pulled=True)
        fake.add_image(self.names.v1, cmd=["-c", "echo hi"], entrypoint=["sh"],
                       env=[DEFAULT_PATH, "A=1", "B=two words"],
                       labels={**TEST_LABEL, "tier": "web"}, exposed=("53/udp", "8000/tcp"),
                       workdir="/app")
        fake.add_image(labels={**TEST_LABEL, "dangle": self.names.dangling_label,
                               "note": "x"})
        for spec in self.names.containers():
            fake.add_container(
                spec.name, image=spec.image, state=spec.state, exit_code=spec.exit_code,
                cmd=list(spec.command), ports=dict(spec.ports), exposed=spec.exposed,
                env=dict(spec.env), labels={**TEST_LABEL, **spec.labels},
                mounts=[bind_mount(s, d) for s, d in spec.binds]
                + [volume_mount(v, d) for v, d in spec.volumes],
                files=dict(spec.files))

    def wait_for_events(self, ready: Callable[[list[dict]], bool], event_type: str) -> None:
        pass

    def events(self, event_type: str) -> list[dict]:
        return list(self.api.events(since=int(self.began), until=f"{time.time():.9f}",
                                    filters={"type": event_type}, decode=True))
