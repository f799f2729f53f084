"""/explain says what values mean: ports, mounts, variables, policies, image names."""

from __future__ import annotations

import pytest

from tutor.dockercli import parse, split_command
from tutor.dockercli.explain import explain
from tutor.dockercli.imageref import BadReference, image_rows, parse_image


def rows(line: str) -> list[tuple[str, str]]:
    return explain(parse(split_command(line)))


def meaning(line: str, word: str) -> str:
    got = dict(rows(line))
    assert word in got, f"no row {word!r} in {list(got)}"
    return got[word]


def detail(line: str, word: str) -> str:
    """The value's note: the line under the flag's own description."""
    text = meaning(line, word)
    assert "\n" in text, f"{word}: no note on the value in {text!r}"
    return text.split("\n", 1)[1]


# --------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("8080:80", ["host port 8080 → container port 80 (TCP)", "all the host's addresses",
                 "http://localhost:8080"]),
    ("127.0.0.1:8080:80", ["host port 8080 → container port 80", "127.0.0.1 only",
                           "not from others"]),
    ("80", ["container port 80 (TCP) → a random free host port", "docker port"]),
    ("8080:80/udp", ["container port 80 (UDP)"]),
    ("8080-8082:80-82", ["host ports 8080-8082 → container ports 80-82"]),
    ("9000-9010:80", ["the first free host port in 9000-9010"]),
    ("127.0.0.1::80", ["a random free host port on 127.0.0.1 only"]),
    ("'[::1]:8443:443'", ["host port 8443 → container port 443", "::1 only"]),
])
def test_publish_says_which_host_port_goes_to_which_container_port(value, expected) -> None:
    line = f"docker run -p {value} busybox"
    word = "--publish " + value.strip("'")
    text = detail(line, word).lower()
    for fragment in expected:
        assert fragment.lower() in text


def test_udp_mapping_offers_no_http_link() -> None:
    assert "http://" not in detail("docker run -p 5353:53/udp busybox", "--publish 5353:53/udp")


def test_publish_all_and_a_bad_mapping() -> None:
    assert "random free host port" in detail("docker run -P nginx", "--publish-all")
    assert "not a port mapping" in detail("docker run -p web:80 nginx", "--publish web:80")


# --------------------------------------------------------------------------
# Volumes and mounts
# --------------------------------------------------------------------------


def test_relative_bind_mount_names_both_paths_and_says_it_is_relative() -> None:
    text = detail("docker run -v ./data:/data busybox", "--volume ./data:/data")
    assert text.startswith("A bind mount: the host folder ./data")
    assert "resolved against the current folder" in text
    assert "→ /data in the container" in text


def test_named_anonymous_and_read_only_volumes() -> None:
    named = detail("docker run -v data:/data busybox", "--volume data:/data")
    assert named.startswith("The named volume data → /data")
    anonymous = detail("docker run -v /data busybox", "--volume /data")
    assert anonymous.startswith("An anonymous volume at /data")
    ro = detail("docker run -v /srv/site:/site:ro busybox", "--volume /srv/site:/site:ro")
    assert "the host folder /srv/site" in ro and "current folder" not in ro
    assert ro.endswith("read-only inside the container")


def test_volume_mistakes_are_named() -> None:
    assert "must be absolute" in detail("docker run -v data:data busybox", "--volume data:data")
    bad = detail("docker run -v my/data:/data busybox", "--volume my/data:/data")
    assert "neither a path" in bad and "./my/data" in bad


def test_mount_bind_readonly() -> None:
    value = "type=bind,source=./site,target=/usr/share/nginx/html,readonly"
    text = detail(f"docker run --mount {value} nginx", f"--mount {value}")
    assert "bind mount: the host path ./site" in text and "current folder" in text
    assert "→ /usr/share/nginx/html" in text
    assert "must exist already" in text and "read-only" in text


@pytest.mark.parametrize("value, fragment", [
    ("type=volume,src=data,dst=/data", "the named volume data → /data"),
    ("target=/cache", "an anonymous volume at /cache"),
    ("type=tmpfs,target=/run", "kept in memory"),
    ("type=bind,source=/etc/hosts", "needs target="),
])
def test_mount_kinds(value: str, fragment: str) -> None:
    assert fragment.lower() in detail(f"docker run --mount {value} nginx",
                                      f"--mount {value}").lower()


# --------------------------------------------------------------------------
# Environment, names, networks, policies, users
# --------------------------------------------------------------------------


def test_env_with_value_without_value_and_file() -> None:
    assert "K to 'V'" in detail("docker run -e K=V busybox", "--env K=V")
    assert "taken from your environment" in detail("docker run -e HOME busybox", "--env HOME")
    env_file = detail("docker run --env-file app.env busybox", "--env-file app.env")
    assert "KEY=VALUE lines from app.env" in env_file and "current folder" in env_file


@pytest.mark.parametrize("value, fragment", [
    ("no", "never restart"),
    ("always", "when the Docker engine starts"),
    ("unless-stopped", "except after you stopped it"),
    ("on-failure", "non-zero exit code"),
    ("on-failure:5", "at most 5 times"),
    ("sometimes", "not a restart policy"),
])
def test_restart_policies(value: str, fragment: str) -> None:
    assert fragment.lower() in detail(f"docker run --restart {value} nginx",
                                      f"--restart {value}").lower()


@pytest.mark.parametrize("value, fragment", [
    ("appnet", "reach each other by name"),
    ("host", "shares the host's network"),
    ("none", "no network at all"),
    ("bridge", "only by IP address"),
])
def test_networks(value: str, fragment: str) -> None:
    assert fragment.lower() in detail(f"docker run --network {value} nginx",
                                      f"--network {value}").lower()


def test_name_workdir_user_and_switches() -> None:
    assert "docker logs web" in detail("docker run --name web nginx", "--name web")
    assert "runs in /app" in detail("docker run -w /app busybox", "--workdir /app")
    assert "absolute path" in detail("docker run -w app busybox", "--workdir app")
    assert "user ID 1000, group ID 1000" in detail("docker run -u 1000:1000 busybox",
                                                   "--user 1000:1000")
    assert "must have a user named app" in detail("docker run -u app busybox", "--user app")
    assert "removed when it exits" in detail("docker run --rm busybox", "--rm")
    assert "in the background" in detail("docker run -d nginx", "--detach")
    got = dict(rows("docker run -it busybox sh"))
    assert "interactive terminal" in got["-it"]
    assert detail("docker run --rm=false busybox", "--rm=false") == "Switched off"


def test_rm_with_restart_is_flagged() -> None:
    assert "refuses" in meaning("docker run --rm --restart always nginx", "--rm with --restart")


def test_health_read_only_entrypoint_and_tmpfs() -> None:
    line = ("docker run --health-cmd 'curl -f http://localhost/' --health-interval 30s "
            "--health-timeout 5s --health-retries 3 --health-start-period 1m --read-only "
            "--tmpfs /tmp --entrypoint sh nginx")
    assert "exit code 0 means healthy" in detail(line, "--health-cmd curl -f http://localhost/")
    assert "every 30 seconds" in detail(line, "--health-interval 30s")
    assert "longer than 5 seconds" in detail(line, "--health-timeout 5s")
    assert "3 failed checks in a row" in detail(line, "--health-retries 3")
    assert "first 1 minutes" in detail(line, "--health-start-period 1m")
    assert "read-only" in detail(line, "--read-only")
    assert "writable even with --read-only" in detail(line, "--tmpfs /tmp")
    assert "instead of the image's ENTRYPOINT" in detail(line, "--entrypoint sh")


# --------------------------------------------------------------------------
# Image references
# --------------------------------------------------------------------------


def test_a_bare_name_shows_every_implied_part() -> None:
    got = rows("docker run nginx")
    assert got[1] == ("nginx", "the image to start from: docker.io/library/nginx:latest")
    parts = dict(got[2:])
    assert parts["  registry"].startswith("docker.io (Docker Hub, implied")
    assert parts["  namespace"] == "library (Docker's official images, implied)"
    assert parts["  repository"] == "nginx"
    assert parts["  tag"].startswith("latest (implied")


def test_a_local_registry_with_port_and_tag() -> None:
    parts = dict(rows("docker pull localhost:5000/app:1")[1:])
    assert parts["  registry"] == "localhost:5000 (a registry on this machine)"
    assert "  namespace" not in parts
    assert parts["  repository"] == "app" and parts["  tag"] == "1"


def test_a_digest_pins_the_content() -> None:
    digest = "sha256:" + "ab" * 32
    got = rows(f"docker run quay.io/acme/app@{digest}")
    parts = dict(got[2:])
    assert parts["  registry"].startswith("quay.io")
    assert parts["  namespace"].startswith("acme")
    assert parts["  digest"].startswith(digest) and "a digest can't" in parts["  digest"]
    assert "  tag" not in parts


@pytest.mark.parametrize("text, full", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.25-alpine", "docker.io/library/nginx:1.25-alpine"),
    ("me/app", "docker.io/me/app:latest"),
    ("ghcr.io/org/team/app:2", "ghcr.io/org/team/app:2"),
    ("localhost/app", "localhost/app:latest"),
    ("registry:5000/app", "registry:5000/app:latest"),
    ("127.0.0.1:5555/library/busybox:1", "127.0.0.1:5555/library/busybox:1"),
])
def test_full_reference(text: str, full: str) -> None:
    assert parse_image(text).full == full


@pytest.mark.parametrize("text, reason", [
    ("Nginx", "lowercase"), ("nginx:", "not a valid tag"), ("app@sha256:12", "not a digest"),
])
def test_references_docker_refuses(text: str, reason: str) -> None:
    with pytest.raises(BadReference, match=reason):
        parse_image(text)
    assert "won't accept" in image_rows(text, "the image")[0][1]


def test_tag_and_image_arguments_of_other_commands() -> None:
    got = dict(rows("docker tag busybox 127.0.0.1:5555/me/busybox:1"))
    assert got["busybox"].endswith("docker.io/library/busybox:latest")
    assert got["127.0.0.1:5555/me/busybox:1"].startswith("the new name for it")
    assert "docker.io/me/app:1" in detail("docker build -t me/app:1 .", "--tag me/app:1")
    assert dict(rows("docker rmi 3f57d9401f8d"))["3f57d9401f8d"].endswith("an image ID "
                                                                          "(the start of the image's sha256 digest)")


# --------------------------------------------------------------------------
# The container's command, and docker flags put after the image
# --------------------------------------------------------------------------


def test_everything_after_the_image_is_the_containers_command() -> None:
    got = dict(rows("docker run busybox sh -c 'echo hi'"))
    assert "goes to the container's command, not to docker" in got["sh -c 'echo hi'"]
    assert not any("look like docker flags" in m for m in got.values())


@pytest.mark.parametrize("line, moved, corrected", [
    ("docker run nginx --name web -p 8080:80", "--name web -p 8080:80",
     "docker run --name web -p 8080:80 nginx"),
    ("docker run -d nginx:alpine -p8080:80", "-p8080:80", "docker run -d -p8080:80 nginx:alpine"),
    ("docker run -it ubuntu -it bash", "-it", "docker run -it ubuntu bash"),
    ("docker exec web -it sh", "-it", "docker exec -it web sh"),
    ("docker compose run web --rm python x.py", "--rm", "docker compose run --rm web python x.py"),
])
def test_docker_flags_after_the_image_are_pointed_out(line: str, moved: str, corrected: str) -> None:
    text = meaning(line, "⚠ " + moved)
    assert "passed to the program in the container, not to docker" in text
    assert text.endswith("\n" + corrected)
    assert parse(split_command(corrected))  # the corrected order parses


@pytest.mark.parametrize("line", [
    "docker run --entrypoint sh busybox -c 'echo hi'",  # the entrypoint's own options
    "docker run busybox -c 5",  # -c is not a flag learners misplace
    "docker run busybox ls -l",
])
def test_program_options_are_not_taken_for_misplaced_docker_flags(line: str) -> None:
    assert not any("look like docker flags" in m for _w, m in rows(line))


def test_flags_are_explained_in_the_order_typed() -> None:
    words = [w for w, _m in rows("docker run -p 80:80 --name web -d nginx")]
    assert words[1:4] == ["--publish 80:80", "--name web", "--detach"]


# --------------------------------------------------------------------------
# Compose
# --------------------------------------------------------------------------


def test_compose_options_and_docker_compose_v1() -> None:
    got = rows("docker-compose -f app.yml -p demo up -d web")
    assert got[0][0] == "docker-compose up" and "docker compose up" in got[0][1]
    words = dict(got)
    assert "Compose file app.yml" in words["--file app.yml"]
    assert "demo-" in words["--project-name demo"]
    assert "in the background" in words["--detach"]
    assert words["web"].startswith("a service of the Compose project")
    assert "their data is gone" in detail("docker compose down -v", "--volumes")
