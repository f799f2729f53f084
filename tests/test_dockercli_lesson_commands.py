"""The commands of the coming lessons: modelled, completed and explained.

Volumes, networks, logs, top, stats, disk usage, prunes with filters, restart
policies, health checks, read-only containers, mounts, users, entrypoints,
env files and image history: each parses, completes from its prefix, and
/explain says more about its values than the bare flag description.
"""

from __future__ import annotations

import pytest

from tutor.dockercli import parse, split_command
from tutor.dockercli.complete import argument_kind, suggest
from tutor.dockercli.explain import explain

# (line, rows that must carry a note on the value)
LESSON_LINES: list[tuple[str, tuple[str, ...]]] = [
    ("docker volume create data", ()),
    ("docker volume ls --filter dangling=true", ("--filter dangling=true",)),
    ("docker volume inspect data", ()),
    ("docker volume rm data", ()),
    ("docker volume prune -a -f", ("--all", "--force")),
    ("docker network create --driver bridge appnet", ("--driver bridge",)),
    ("docker network ls", ()),
    ("docker network inspect appnet", ()),
    ("docker network connect --alias db appnet pg", ("--alias db",)),
    ("docker network disconnect appnet pg", ()),
    ("docker network rm appnet", ()),
    ("docker logs --tail 20 -f --since 10m --timestamps web",
     ("--tail 20", "--follow", "--since 10m", "--timestamps")),
    ("docker top web", ()),
    ("docker stats --no-stream", ("--no-stream",)),
    ("docker system df", ()),
    ("docker system prune -a --volumes -f", ("--all", "--volumes", "--force")),
    ("docker container prune --filter until=24h", ("--filter until=24h",)),
    ("docker image prune -a --filter label=stage=build", ("--all", "--filter label=stage=build")),
    ("docker restart -t 3 web", ("--timeout 3",)),
    ("docker run -d --restart unless-stopped nginx", ("--restart unless-stopped",)),
    ("docker run -d --health-cmd 'wget -qO- localhost' --health-interval 10s "
     "--health-retries 3 --health-timeout 2s --health-start-period 5s nginx",
     ("--health-cmd wget -qO- localhost", "--health-interval 10s", "--health-retries 3",
      "--health-timeout 2s", "--health-start-period 5s")),
    ("docker run --read-only --tmpfs /tmp busybox", ("--read-only", "--tmpfs /tmp")),
    ("docker run --mount type=volume,source=data,target=/data busybox",
     ("--mount type=volume,source=data,target=/data",)),
    ("docker run -u 1000:1000 busybox id", ("--user 1000:1000",)),
    ("docker run --user nobody busybox id", ("--user nobody",)),
    ("docker run --entrypoint env busybox", ("--entrypoint env",)),
    ("docker run --env-file app.env busybox env", ("--env-file app.env",)),
    ("docker image history --no-trunc busybox", ()),
    ("docker history busybox", ()),
]


@pytest.mark.parametrize("line, noted", LESSON_LINES, ids=[line for line, _ in LESSON_LINES])
def test_lesson_command_is_explained(line: str, noted: tuple[str, ...]) -> None:
    cmd = parse(split_command(line))
    rows = explain(cmd)
    got = dict(rows)
    assert len(got) == len(rows), "two rows with the same words"
    assert not any(meaning in ("an option", "arguments") for meaning in got.values())
    for word in noted:
        assert "\n" in got[word], f"{word}: only the flag's description, nothing on its value"
    for arg in cmd.args:  # every positional has a role
        assert any(w == arg or w.startswith(arg) or arg in w.split() for w in got), arg


@pytest.mark.parametrize("before, prefix, expected", [
    (("volume",), "", {"create", "ls", "inspect", "rm", "prune"}),
    (("network",), "", {"create", "ls", "inspect", "connect", "disconnect", "rm"}),
    (("system",), "", {"df", "prune"}),
    (("image",), "h", {"history"}),
    ((), "st", {"stats"}),
    ((), "to", {"top"}),
    ((), "res", {"restart"}),
    (("logs",), "--t", {"--tail", "--timestamps"}),
    (("logs",), "--s", {"--since"}),
    (("stats",), "--no", {"--no-stream", "--no-trunc"}),
    (("container", "prune"), "--f", {"--filter", "--force"}),
    (("image", "prune"), "--f", {"--filter", "--force"}),
    (("run",), "--health-", {"--health-cmd", "--health-interval", "--health-retries",
                             "--health-timeout", "--health-start-period",
                             "--health-start-interval"}),
    (("run",), "--read", {"--read-only"}),
    (("run",), "--mou", {"--mount"}),
    (("run",), "--us", {"--user", "--userns"}),
    (("run",), "--entry", {"--entrypoint"}),
    (("run",), "--env-", {"--env-file"}),
    (("run",), "--rest", {"--restart"}),
    (("run", "--restart"), "", {"no", "always", "unless-stopped", "on-failure"}),
    (("run", "-d", "--restart"), "un", {"unless-stopped"}),
    (("run", "--network"), "h", {"host"}),
])
def test_lesson_commands_complete(before: tuple[str, ...], prefix: str, expected: set[str]) -> None:
    got = {text for text, _meta in suggest(before, prefix)}
    assert expected <= got


def test_no_choices_for_free_values() -> None:
    assert suggest(("run", "--name"), "") == []
    assert suggest(("logs", "--tail"), "") == []


@pytest.mark.parametrize("before, kind", [
    (("volume", "rm"), "volume"), (("volume", "inspect", "a"), "volume"),
    (("network", "rm"), "network"), (("network", "inspect"), "network"),
    (("network", "connect"), "network"), (("network", "connect", "appnet"), "container"),
    (("network", "disconnect", "appnet", "web"), None),
    (("restart",), "container"), (("top",), "container"), (("stats",), "container"),
    (("image", "history"), "image"), (("history",), "image"),
    (("run", "--network"), "network"), (("run", "--volumes-from"), "container"),
    (("run", "--name"), None), (("network", "create", "--driver"), None),
    (("volume", "create"), None),
])
def test_what_the_next_word_names(before: tuple[str, ...], kind: str | None) -> None:
    assert argument_kind(before) == kind
