"""parse(): docker argv -> ParsedCommand, and the command model behind it."""

from __future__ import annotations

import dataclasses

import pytest

from tutor.dockercli import (
    COMMANDS,
    GLOBAL_FLAGS,
    ParsedCommand,
    UnknownCommand,
    UnsupportedCommand,
    UsageError,
    canonical_path,
    describe,
    flags_for,
    lookup,
    parse,
    split_command,
    subcommand_names,
)


def p(line: str) -> ParsedCommand:
    return parse(split_command(line))


# --------------------------------------------------------------------------
# Aliases and spellings normalise to the same command
# --------------------------------------------------------------------------

EQUIVALENT = [
    # aliases of a command
    ["docker ps", "docker container ls", "docker container ps", "docker container list"],
    ["docker images", "docker image ls", "docker image list"],
    ["docker rmi busybox", "docker image rm busybox", "docker image remove busybox"],
    ["docker rm web", "docker container rm web", "docker container remove web"],
    ["docker run nginx", "docker container run nginx"],
    ["docker build .", "docker image build .", "docker builder build .", "docker buildx build .", "docker buildx b ."],
    ["docker info", "docker system info"],
    ["docker events", "docker system events"],
    ["docker volume ls", "docker volume list"],
    # short / long / attached / = forms of a flag
    ["docker ps -a", "docker ps --all", "docker ps --all=true", "docker ps -a=true", "docker ps -a=1"],
    [
        "docker run -p 8080:80 nginx",
        "docker run -p8080:80 nginx",
        "docker run -p=8080:80 nginx",
        "docker run --publish 8080:80 nginx",
        "docker run --publish=8080:80 nginx",
    ],
    ["docker logs -n 5 web", "docker logs --tail 5 web", "docker logs --tail=5 web", "docker logs -n5 web"],
    # combined short flags
    ["docker run -it busybox", "docker run -i -t busybox", "docker run -ti busybox", "docker run --interactive --tty busybox"],
    ["docker run -dit busybox", "docker run -d -i -t busybox", "docker run -itd busybox"],
    ["docker run -dp 8080:80 nginx", "docker run -d -p 8080:80 nginx", "docker run -dp8080:80 nginx"],
    ["docker ps -aq", "docker ps -qa", "docker ps -a -q", "docker ps --quiet --all"],
    ["docker rm -fv web", "docker rm -f -v web", "docker rm --volumes --force web"],
    # flag order
    [
        "docker run -d -p 8080:80 --name web nginx",
        "docker container run --name=web --publish 8080:80 --detach nginx",
        "docker run --name web -dp 8080:80 nginx",
    ],
    ["docker build -t app --no-cache .", "docker build --no-cache -t app .", "docker build --tag=app --no-cache ."],
    # flags after positionals, where docker allows them
    ["docker rm -f web", "docker rm web -f", "docker container rm web --force"],
    ["docker logs -f web", "docker logs web -f"],
    # hidden/deprecated spellings docker still accepts
    ["docker run --network host busybox", "docker run --net host busybox", "docker run --net=host busybox"],
    ["docker stop -t 5 web", "docker stop --timeout 5 web", "docker stop --time 5 web"],
]


@pytest.mark.parametrize("group", EQUIVALENT, ids=lambda g: g[0])
def test_equivalent_spellings_parse_equal(group: list[str]) -> None:
    parsed = [p(line) for line in group]
    first = parsed[0]
    for line, cmd in zip(group[1:], parsed[1:], strict=False):
        assert cmd == first, line
        assert cmd.canonical() == first.canonical(), line
        assert hash(cmd) == hash(first), line


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("docker ps", "docker ps -a"),
        ("docker ps -a", "docker ps --all=false"),
        ("docker rm web", "docker rm -f web"),
        ("docker run -p 80:80 nginx", "docker run -p 81:80 nginx"),
        ("docker run nginx", "docker run nginx nginx -g daemon"),
        ("docker image ls", "docker image prune"),
        ("docker --context a ps", "docker ps"),
    ],
)
def test_different_commands_are_not_equal(left: str, right: str) -> None:
    assert p(left) != p(right)
    assert p(left).canonical() != p(right).canonical()


def test_canonical_examples_from_the_brief() -> None:
    assert p("docker ps -a").canonical() == "docker container ls --all"
    assert p("docker run -d -p 8080:80 --name web nginx").canonical() == (
        "docker container run --detach --name=web --publish=8080:80 nginx"
    )


@pytest.mark.parametrize(
    ("line", "path", "typed"),
    [
        ("docker ps", ("container", "ls"), ("ps",)),
        ("docker container ps", ("container", "ls"), ("container", "ps")),
        ("docker images", ("image", "ls"), ("images",)),
        ("docker rmi x", ("image", "rm"), ("rmi",)),
        ("docker inspect x", ("inspect",), ("inspect",)),
        ("docker container inspect x", ("container", "inspect"), ("container", "inspect")),
        ("docker image inspect x", ("image", "inspect"), ("image", "inspect")),
        ("docker buildx build .", ("image", "build"), ("buildx", "build")),
        ("docker system prune", ("system", "prune"), ("system", "prune")),
        ("docker context use default", ("context", "use"), ("context", "use")),
    ],
)
def test_path_is_canonical_and_typed_path_is_what_was_typed(
    line: str, path: tuple[str, ...], typed: tuple[str, ...]
) -> None:
    cmd = p(line)
    assert cmd.path == path
    assert cmd.typed_path == typed
    assert cmd.name == "docker " + " ".join(typed)


def test_leading_docker_is_optional() -> None:
    assert parse(["ps", "-a"]) == parse(["docker", "ps", "-a"])


def test_argv_is_kept_verbatim() -> None:
    assert parse(["docker", "ps", "-aq"]).argv == ("docker", "ps", "-aq")


# --------------------------------------------------------------------------
# Options and arguments
# --------------------------------------------------------------------------


def test_options_map_canonical_long_names_to_value_tuples() -> None:
    cmd = p("docker run -d -p 80:80 -p 443:443 -e A=1 --name web -v data:/data nginx")
    assert dict(cmd.options) == {
        "detach": ("true",),
        "publish": ("80:80", "443:443"),
        "env": ("A=1",),
        "name": ("web",),
        "volume": ("data:/data",),
    }
    assert cmd.args == ("nginx",)


def test_non_repeatable_value_keeps_the_last_one_like_docker() -> None:
    cmd = p("docker run --name a --name b busybox")
    assert cmd.values("name") == ("b",)


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("docker ps --all=false", "false"),
        ("docker ps -a=0", "false"),
        ("docker ps --all=F", "false"),
        ("docker ps --all=TRUE", "true"),
        ("docker ps -a=t", "true"),
    ],
)
def test_boolean_values_are_normalised(line: str, value: str) -> None:
    cmd = p(line)
    assert cmd.values("all") == (value,)
    assert cmd.flag("all") is (value == "true")


def test_false_boolean_is_kept_not_dropped() -> None:
    cmd = p("docker run --sig-proxy=false busybox")
    assert cmd.option("sig-proxy") == "false"
    assert not cmd.flag("sig-proxy")
    assert "--sig-proxy=false" in cmd.canonical()


@pytest.mark.parametrize("name", ["publish", "--publish", "p", "-p"])
def test_accessors_accept_long_short_and_dashed_names(name: str) -> None:
    cmd = p("docker run -p 80:80 -p 81:81 nginx")
    assert cmd.values(name) == ("80:80", "81:81")
    assert cmd.option(name) == "81:81"


def test_accessors_resolve_hidden_aliases() -> None:
    cmd = p("docker run --net host busybox")
    assert cmd.option("net") == "host"
    assert cmd.option("network") == "host"


def test_accessors_on_absent_flags() -> None:
    cmd = p("docker ps")
    assert cmd.values("all") == ()
    assert cmd.option("all") is None
    assert cmd.option("format", "table") == "table"
    assert cmd.flag("all") is False


@pytest.mark.parametrize(
    ("line", "args"),
    [
        ("docker run busybox ls -l", ("busybox", "ls", "-l")),
        ("docker run -it --rm busybox sh -c 'echo hi; ls -la'", ("busybox", "sh", "-c", "echo hi; ls -la")),
        ("docker run busybox --rm -d", ("busybox", "--rm", "-d")),
        ("docker run nginx -p 8080:80", ("nginx", "-p", "8080:80")),
        ("docker run busybox -- ls", ("busybox", "--", "ls")),
        ("docker run -- busybox ls", ("busybox", "ls")),
        ("docker create --name c busybox echo -n hi", ("busybox", "echo", "-n", "hi")),
        ("docker exec -it web ls -la /", ("web", "ls", "-la", "/")),
        ("docker exec web sh -c 'ps -ef'", ("web", "sh", "-c", "ps -ef")),
        ("docker top web -ef", ("web", "-ef")),
    ],
)
def test_container_command_is_not_parsed_as_docker_flags(line: str, args: tuple[str, ...]) -> None:
    cmd = p(line)
    assert cmd.args == args


def test_flags_after_image_belong_to_the_container() -> None:
    # The classic mistake: -p after the image is passed to nginx, not docker.
    cmd = p("docker run nginx -p 8080:80")
    assert cmd.values("publish") == ()


def test_commit_stops_at_first_positional_like_docker() -> None:
    with pytest.raises(UsageError):
        p("docker commit web img --author me")  # docker: 3 arguments
    assert p("docker commit --author me web img").option("author") == "me"


@pytest.mark.parametrize(
    ("line", "args"),
    [
        ("docker rm -- -f", ("-f",)),
        ("docker rm web -- -weird-name", ("web", "-weird-name")),
        ("docker rm -", ("-",)),
    ],
)
def test_double_dash_and_single_dash(line: str, args: tuple[str, ...]) -> None:
    cmd = p(line)
    assert cmd.args == args
    assert not cmd.flag("force")


def test_value_is_taken_even_if_it_looks_like_a_flag() -> None:
    # pflag semantics: a flag that needs a value consumes the next word.
    cmd = p("docker ps --format -q")
    assert cmd.option("format") == "-q"
    assert not cmd.flag("quiet")


def test_dash_e_equals_quirk() -> None:
    assert p("docker run -e=A busybox").values("env") == ("A",)


def test_value_letter_in_the_middle_of_a_group_takes_the_rest() -> None:
    # -pd: p takes "d" as its value (docker later rejects "d" as a port).
    cmd = p("docker run -pd 8080:80 nginx")
    assert cmd.values("publish") == ("d",)
    assert cmd.args == ("8080:80", "nginx")


@pytest.mark.parametrize(
    ("line", "key", "values"),
    [
        ("docker --context remote ps", "context", ("remote",)),
        ("docker -c remote ps", "context", ("remote",)),
        ("docker -H unix:///a.sock -H tcp://b:2375 ps", "host", ("unix:///a.sock", "tcp://b:2375")),
        ("docker -D ps", "debug", ("true",)),
        ("docker -l debug ps", "log-level", ("debug",)),
        ("docker --tlsverify --tlscacert ca.pem ps", "tlscacert", ("ca.pem",)),
        ("docker --config /tmp/cfg ps", "config", ("/tmp/cfg",)),
    ],
)
def test_global_options(line: str, key: str, values: tuple[str, ...]) -> None:
    cmd = p(line)
    assert cmd.path == ("container", "ls")
    assert cmd.global_options[key] == values
    assert not cmd.options


def test_global_l_is_log_level_but_ps_l_is_latest() -> None:
    assert p("docker -l info ps").global_options["log-level"] == ("info",)
    assert p("docker ps -l").flag("latest")


def test_global_options_only_before_the_command() -> None:
    with pytest.raises(UsageError) as info:
        p("docker ps -H unix:///x.sock")
    assert info.value.flag == "-H"


@pytest.mark.parametrize(
    "line",
    ["docker", "docker --help", "docker -h", "docker container", "docker image --help", "docker ps --help",
     "docker rm --help", "docker run --help", "docker ps -h", "docker help", "docker help ps"],
)
def test_help_forms_parse_and_skip_argument_checks(line: str) -> None:
    cmd = p(line)
    assert cmd.wants_help


def test_version_flag_without_command() -> None:
    cmd = p("docker --version")
    assert cmd.path == ()
    assert cmd.global_options["version"] == ("true",)
    assert not cmd.wants_help


def test_run_dash_h_is_hostname_not_help() -> None:
    cmd = p("docker run -h box busybox")
    assert cmd.option("hostname") == "box"
    assert not cmd.wants_help


# --------------------------------------------------------------------------
# Canonical form
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "docker ps -aq --filter status=exited --format '{{.Names}}'",
        "docker run -dit --rm -p 80:80 -e 'A=b c' --name web nginx nginx -g 'daemon off;'",
        "docker rm -- -f",
        "docker run -- -weird-image",
        "docker exec -it web sh -c 'echo $HOME'",
        "docker --context remote -H unix:///x.sock images -a",
        "docker build -t app:1 --build-arg V=2 --no-cache=false -f Dockerfile.dev .",
        "docker inspect -f '{{json .State}}' web",
        "docker system prune -af --volumes",
        "docker run --sig-proxy=false -e '' busybox",
        "docker ps --help",
        "docker --version",
    ],
)
def test_canonical_form_round_trips(line: str) -> None:
    cmd = p(line)
    again = parse(split_command(cmd.canonical()))
    assert again == cmd
    assert again.canonical() == cmd.canonical()


def test_canonical_sorts_options_by_long_name() -> None:
    assert p("docker run --rm -it -d busybox").canonical() == (
        "docker container run --detach --interactive --rm --tty busybox"
    )


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("docker imgaes", "docker images"),
        ("docker iamges", "docker images"),
        ("docker contianer ls", "docker container"),
        ("docker psa", "docker ps"),
        ("docker pul nginx", "docker pull"),
        ("docker exce web sh", "docker exec"),
        ("docker ls", "docker container ls"),
        ("docker prune", "docker container prune"),
        ("docker container lst", "docker container ls"),
        ("docker image rmi busybox", "docker image rm"),
        ("docker volume crate data", "docker volume create"),
        ("docker network lss", "docker network ls"),
    ],
)
def test_typos_get_did_you_mean(line: str, suggestion: str) -> None:
    with pytest.raises(UnknownCommand) as info:
        p(line)
    assert suggestion in info.value.suggestions
    assert f"'{suggestion}'" in str(info.value)


def test_unknown_command_without_close_match_has_no_suggestion() -> None:
    with pytest.raises(UnknownCommand) as info:
        p("docker xyzzyplugh")
    assert info.value.suggestions == ()
    assert "docker xyzzyplugh" in str(info.value)


@pytest.mark.parametrize(
    ("line", "flag", "command"),
    [
        ("docker ps --bogus", "--bogus", "docker ps"),
        ("docker container ls --bogus", "--bogus", "docker container ls"),
        ("docker images --force", "--force", "docker images"),
        ("docker start -p 80:80 web", "-p", "docker start"),
        ("docker ps -ax", "-x", "docker ps"),
        ("docker run --detatch nginx", "--detatch", "docker run"),
        ("docker --bogus ps", "--bogus", "docker"),
    ],
)
def test_unknown_flag_error_names_flag_and_command(line: str, flag: str, command: str) -> None:
    with pytest.raises(UsageError) as info:
        p(line)
    err = info.value
    assert err.flag == flag
    assert err.command == command
    assert flag in str(err) and f"'{command}'" in str(err)


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("docker run --detatch nginx", "--detach"),
        ("docker ps --al", "--all"),
        ("docker run --publsh 80:80 nginx", "--publish"),
        ("docker build --tagg app .", "--tag"),
        ("docker rm --forc web", "--force"),
    ],
)
def test_misspelt_long_flag_gets_did_you_mean(line: str, suggestion: str) -> None:
    with pytest.raises(UsageError) as info:
        p(line)
    assert info.value.suggestion == suggestion


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ("docker ps --format", "--format"),
        ("docker ps -f", "-f"),
        ("docker logs web -n", "-n"),
        ("docker run --name", "--name"),
        ("docker run -dp", "-p"),
        ("docker --context", "--context"),
    ],
)
def test_missing_flag_value(line: str, flag: str) -> None:
    with pytest.raises(UsageError) as info:
        p(line)
    assert info.value.flag == flag
    assert "needs a value" in str(info.value)


def test_bad_boolean_value() -> None:
    with pytest.raises(UsageError) as info:
        p("docker ps --all=maybe")
    assert "'maybe'" in str(info.value)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("docker run", "at least 1 argument"),
        ("docker exec web", "at least 2 arguments"),
        ("docker rm", "at least 1 argument"),
        ("docker logs", "needs 1 argument"),
        ("docker logs a b", "at most 1 argument"),
        ("docker tag busybox", "needs 2 arguments"),
        ("docker ps web", "takes no arguments"),
        ("docker images a b", "at most 1 argument"),
        ("docker build", "needs 1 argument"),
        ("docker port", "needs 1 to 2 arguments"),
        ("docker context use", "needs 1 argument"),
    ],
)
def test_argument_counts_are_checked(line: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        p(line)
    assert fragment in str(info.value)
    assert "Usage: " in str(info.value)


def test_ps_with_a_name_hints_at_filter() -> None:
    with pytest.raises(UsageError) as info:
        p("docker ps web")
    assert "docker ps -a --filter name=web" in str(info.value)


@pytest.mark.parametrize(
    "line", ["docker compose watch", "docker swarm init", "docker buildx ls", "docker-compose events",
             "docker compose -f app.yml stats"]
)
def test_real_but_uncovered_commands_are_unsupported(line: str) -> None:
    with pytest.raises(UnsupportedCommand):
        p(line)


def test_sudo_is_explained() -> None:
    with pytest.raises(UnknownCommand) as info:
        p("sudo docker ps")
    assert "sudo" in str(info.value)
    assert info.value.suggestion == "docker ps"


# --------------------------------------------------------------------------
# The value object
# --------------------------------------------------------------------------


def test_parsed_command_is_frozen_and_hashable() -> None:
    cmd = p("docker ps -a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cmd.path = ("image", "ls")  # type: ignore[misc]
    with pytest.raises(TypeError):
        cmd.options["all"] = ("false",)  # type: ignore[index]
    assert {cmd, p("docker container ls --all")} == {cmd}


def test_hand_built_command_equals_parsed_one() -> None:
    built = ParsedCommand(
        path=["container", "ls"], typed_path=("ps",), options={"all": ["true"]}, args=()
    )
    assert built == p("docker ps -a")
    assert hash(built) == hash(p("docker container ls --all"))
    assert built.canonical() == "docker container ls --all"


# --------------------------------------------------------------------------
# The model used by the completer
# --------------------------------------------------------------------------


def test_top_level_names_include_shortcuts_and_groups() -> None:
    names = subcommand_names(())
    for word in ["ps", "images", "rmi", "run", "exec", "container", "image", "volume", "network", "system", "context"]:
        assert word in names
    assert list(names) == sorted(names)


def test_subcommand_names_of_a_group_include_aliases() -> None:
    names = subcommand_names(("container",))
    assert {"ls", "list", "ps", "rm", "remove", "run", "prune"} <= set(names)
    assert "images" not in names
    assert subcommand_names(("nope",)) == ()


@pytest.mark.parametrize(
    ("path", "spellings"),
    [
        (("run",), ["-d", "-i", "-t", "-p", "--publish", "-P", "--name", "-e", "--env-file", "-v", "--mount", "--rm",
                    "-w", "--entrypoint", "-u", "--network", "-l", "--restart", "-h", "--platform", "--pull", "-a",
                    "--detach-keys", "--init", "--read-only", "--cap-add", "--cap-drop", "--privileged", "-m",
                    "--cpus", "--add-host", "--expose"]),
        (("create",), ["-i", "-t", "-p", "--name", "--rm"]),
        (("ps",), ["-a", "-q", "-s", "-n", "-l", "-f", "--filter", "--format", "--no-trunc"]),
        (("images",), ["-a", "-q", "--digests", "-f", "--format", "--no-trunc"]),
        (("build",), ["-t", "--tag", "-f", "--file", "--build-arg", "--no-cache", "--pull", "-q", "--target",
                      "--label", "--platform", "--progress"]),
        (("exec",), ["-d", "-i", "-t", "-e", "-w", "-u", "--privileged", "--detach-keys", "--env-file"]),
        (("cp",), ["-a", "--archive", "-L", "--follow-link", "-q"]),
        (("save",), ["-o", "--output"]),
        (("rmi",), ["-f", "--no-prune"]),
        (("rm",), ["-f", "-v", "-l"]),
        (("attach",), ["--no-stdin", "--sig-proxy", "--detach-keys"]),
        (("inspect",), ["-f", "--format", "-s", "--type"]),
        (("logs",), ["-f", "--tail", "-n", "-t", "--since", "--until", "--details"]),
        (("push",), ["-a", "--all-tags", "-q"]),
        (("pull",), ["-a", "-q", "--platform"]),
        (("system", "prune"), ["-a", "-f", "--volumes", "--filter"]),
        (("volume", "create"), ["-d", "--driver", "--label", "-o"]),
        ((), ["-H", "--host", "--context", "-c", "-D", "--debug", "--config", "-l", "--log-level", "--tls",
              "--tlsverify", "--tlscacert", "--tlscert", "--tlskey", "-v"]),
    ],
)
def test_flags_for_covers_the_flags_learners_use(path: tuple[str, ...], spellings: list[str]) -> None:
    available = {s for flag in flags_for(path) for s in flag.spellings}
    missing = [s for s in spellings if s not in available]
    assert not missing


def test_flags_for_describes_value_and_repeat() -> None:
    flags = {f.name: f for f in flags_for(("run",))}
    assert flags["publish"].short == "p" and flags["publish"].takes_value and flags["publish"].repeatable
    assert flags["name"].takes_value and not flags["name"].repeatable
    assert not flags["detach"].takes_value
    assert flags["detach"].description
    assert "help" in flags  # every command accepts --help
    assert flags_for(("no", "such")) == ()


def test_global_flags_are_the_root_flags() -> None:
    assert set(GLOBAL_FLAGS) <= set(flags_for(()))


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [(("ps",), ("container", "ls")), (("images",), ("image", "ls")), (("rmi",), ("image", "rm")),
     (("container", "list"), ("container", "ls")), (("buildx", "build"), ("image", "build"))],
)
def test_describe_and_lookup_work_for_aliases(typed: tuple[str, ...], canonical: tuple[str, ...]) -> None:
    assert canonical_path(typed) == canonical
    assert describe(typed) == describe(canonical)
    assert describe(typed)
    spec = lookup(typed)
    assert spec is not None and spec.path == canonical


def test_describe_unknown_path() -> None:
    assert describe(("nope",)) is None


@pytest.mark.parametrize("spec", COMMANDS, ids=lambda s: " ".join(s.path))
def test_model_tables_are_consistent(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.description and "\n" not in spec.description
    longs = [f.name for f in spec.all_flags] + [a for f in spec.all_flags for a in f.aliases]
    shorts = [f.short for f in spec.all_flags if f.short]
    assert len(longs) == len(set(longs)), "duplicate long flag"
    assert len(shorts) == len(set(shorts)), "duplicate short flag"
    assert all(len(s) == 1 for s in shorts)
    assert all(f.description and not f.name.startswith("-") for f in spec.all_flags)
    for alias in spec.aliases:
        assert canonical_path(alias) == spec.path
    assert spec.max_args is None or spec.max_args >= spec.min_args
