"""effects: read-only / destructive / interactive / needs-terminal classification."""

from __future__ import annotations

import pytest

from tutor.dockercli import (
    Destruction,
    ParsedCommand,
    destructive_targets,
    is_interactive,
    is_read_only,
    needs_terminal,
    parse,
    split_command,
)


def p(line: str) -> ParsedCommand:
    return parse(split_command(line))


# --------------------------------------------------------------------------
# Read-only
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "docker ps -a",
        "docker container ls",
        "docker images",
        "docker image ls -q",
        "docker inspect web",
        "docker container inspect web",
        "docker image inspect busybox",
        "docker logs web",
        "docker logs -f web",
        "docker version",
        "docker info",
        "docker system info",
        "docker history busybox",
        "docker port web",
        "docker top web",
        "docker diff web",
        "docker search nginx",
        "docker stats --no-stream",
        "docker volume ls",
        "docker volume inspect data",
        "docker network ls",
        "docker network inspect bridge",
        "docker context ls",
        "docker context show",
        "docker system df",
        "docker events",
        # help never changes anything, whatever the command
        "docker rm --help",
        "docker system prune --help",
        "docker image",
        "docker",
        "docker --version",
    ],
)
def test_read_only_commands(line: str) -> None:
    assert is_read_only(p(line))


@pytest.mark.parametrize(
    "line",
    [
        "docker run busybox",
        "docker create busybox",
        "docker start web",
        "docker stop web",
        "docker kill web",
        "docker rm web",
        "docker rmi busybox",
        "docker pull busybox",
        "docker push me/app",
        "docker tag busybox mine",
        "docker build .",
        "docker exec web ls",
        "docker cp web:/a b",
        "docker save -o x.tar busybox",
        "docker load -i x.tar",
        "docker export -o x.tar web",
        "docker import x.tar",
        "docker commit web img",
        "docker rename a b",
        "docker login",
        "docker logout",
        "docker volume create data",
        "docker network create net",
        "docker context use default",
        "docker system prune",
    ],
)
def test_commands_that_change_something_are_not_read_only(line: str) -> None:
    assert not is_read_only(p(line))


# --------------------------------------------------------------------------
# Destructive
# --------------------------------------------------------------------------


def test_rm_force_names_every_container() -> None:
    d = destructive_targets(p("docker rm -f web db"))
    assert d == Destruction("containers", ("web", "db"), force=True)
    assert "web, db" in d.description and "forced" in d.description


def test_rm_volumes_also_removes_anonymous_volumes() -> None:
    d = destructive_targets(p("docker rm -v web"))
    assert d is not None
    assert d.also == ("anonymous volumes",)
    assert not d.force


@pytest.mark.parametrize(
    ("line", "kind", "targets", "force"),
    [
        ("docker rm web", "containers", ("web",), False),
        ("docker container rm web db -f", "containers", ("web", "db"), True),
        ("docker container remove web", "containers", ("web",), False),
        ("docker rmi busybox:latest", "images", ("busybox:latest",), False),
        ("docker image rm -f nginx alpine", "images", ("nginx", "alpine"), True),
        ("docker volume rm data", "volumes", ("data",), False),
        ("docker volume remove -f a b", "volumes", ("a", "b"), True),
        ("docker network rm backend", "networks", ("backend",), False),
        ("docker context rm old", "contexts", ("old",), False),
    ],
)
def test_named_removals(line: str, kind: str, targets: tuple[str, ...], force: bool) -> None:
    d = destructive_targets(p(line))
    assert d is not None
    assert (d.kind, d.targets, d.force, d.prune) == (kind, targets, force, False)


@pytest.mark.parametrize(
    ("line", "kind", "scope"),
    [
        ("docker container prune", "containers", "stopped"),
        ("docker image prune", "images", "dangling"),
        ("docker image prune -a", "images", "unused"),
        ("docker volume prune", "volumes", "unused anonymous"),
        ("docker volume prune --all", "volumes", "unused"),
        ("docker network prune", "networks", "unused"),
        ("docker builder prune -a", "build cache", "unused"),
    ],
)
def test_prunes(line: str, kind: str, scope: str) -> None:
    d = destructive_targets(p(line))
    assert d is not None
    assert (d.kind, d.scope, d.prune, d.targets) == (kind, scope, True, ())


def test_prune_keeps_filters_and_force() -> None:
    d = destructive_targets(p("docker image prune -af --filter until=24h"))
    assert d is not None
    assert d.force and d.filters == ("until=24h",)
    assert "until=24h" in d.description


def test_system_prune_all_volumes_removes_everything_unused() -> None:
    d = destructive_targets(p("docker system prune -a --volumes"))
    assert d is not None
    assert d.kind == "everything unused" and d.prune
    assert "unused images" in d.also
    assert "unused anonymous volumes" in d.also
    assert "stopped containers" in d.also


def test_plain_system_prune_spares_volumes_and_tagged_images() -> None:
    d = destructive_targets(p("docker system prune"))
    assert d is not None
    assert "dangling images" in d.also
    assert not any("volume" in item for item in d.also)


@pytest.mark.parametrize(
    "line",
    [
        "docker stop web",
        "docker kill web",
        "docker run --rm busybox",
        "docker ps -a",
        "docker rm --help",
        "docker system prune --help",
        "docker image",
        "docker volume create data",
        "docker tag busybox mine",
    ],
)
def test_not_destructive(line: str) -> None:
    assert destructive_targets(p(line)) is None


# --------------------------------------------------------------------------
# Interactive / needs the terminal
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "docker run -it busybox sh",
        "docker run -i busybox cat",
        "docker run -t busybox top",
        "docker container run --interactive --tty ubuntu bash",
        "docker exec -it web sh",
        "docker exec -i web cat",
        "docker start -ai web",
        "docker start -i web",
        "docker attach web",
        "docker attach --no-stdin web",
        "docker login",
        "docker login -u me",
        "docker login -p secret",
    ],
)
def test_interactive(line: str) -> None:
    cmd = p(line)
    assert is_interactive(cmd)
    assert needs_terminal(cmd)  # interactive always implies the real terminal


@pytest.mark.parametrize(
    "line",
    [
        "docker run -dit busybox",
        "docker run -d -i -t busybox",
        "docker run busybox echo hi",
        "docker create -it busybox",
        "docker exec web ls",
        "docker exec -d web touch /x",
        "docker start web",
        "docker start -a web",
        "docker login --password-stdin -u me",
        "docker login -u me -p secret",
        "docker ps",
        "docker run -it --help",
    ],
)
def test_not_interactive(line: str) -> None:
    assert not is_interactive(p(line))


@pytest.mark.parametrize(
    "line",
    [
        "docker logs -f web",
        "docker logs --follow --tail 10 web",
        "docker stats",
        "docker stats web",
        "docker events",
        "docker system events --filter type=container",
        "docker start -a web",
        "docker wait web",
        "docker run nginx",  # foreground: runs until Ctrl-C
        "docker run busybox echo hi",
        "docker exec web tail -f /var/log/x",
    ],
)
def test_needs_terminal(line: str) -> None:
    assert needs_terminal(p(line))


@pytest.mark.parametrize(
    "line",
    [
        "docker logs web",
        "docker stats --no-stream",
        "docker run -d nginx",
        "docker exec -d web touch /x",
        "docker start web",
        "docker ps",
        "docker pull busybox",
        "docker logs -f --help",
        "docker login --password-stdin",
    ],
)
def test_does_not_need_terminal(line: str) -> None:
    assert not needs_terminal(p(line))
