"""docker compose (v2) and docker-compose (v1): parsed, normalised, classified."""

from __future__ import annotations

import pytest

from tutor.dockercli import (
    ParsedCommand,
    UnknownCommand,
    UnsupportedCommand,
    UsageError,
    destructive_targets,
    is_interactive,
    is_read_only,
    needs_terminal,
    parse,
    split_command,
)
from tutor.dockercli.complete import suggest


def p(line: str) -> ParsedCommand:
    return parse(split_command(line))


@pytest.mark.parametrize("sub", ["up", "down", "ps", "logs", "exec", "run", "build", "pull",
                                 "push", "config", "start", "stop", "restart", "rm", "images",
                                 "top", "ls", "version"])
def test_the_common_subcommands_are_modelled(sub: str) -> None:
    args = {"exec": " web sh", "run": " web"}.get(sub, "")
    cmd = p(f"docker compose {sub}{args}")
    assert cmd.path == ("compose", sub)
    assert p(f"docker-compose {sub}{args}") == cmd


@pytest.mark.parametrize("v2, v1", [
    ("docker compose up -d", "docker-compose up --detach"),
    ("docker compose -f app.yml -p demo up -d --build", "docker-compose -p demo --file app.yml up --build -d"),
    ("docker compose down -v", "docker-compose down --volumes"),
    ("docker compose logs -f --tail 10 web", "docker-compose logs --follow -n 10 web"),
    ("docker compose exec -T db psql -U app", "docker-compose exec --no-tty db psql -U app"),
    ("docker compose --project-directory ./site ps -a", "docker-compose --project-directory=./site ps --all"),
])
def test_v1_and_v2_spellings_parse_to_the_same_command(v2: str, v1: str) -> None:
    assert p(v1) == p(v2)
    assert p(v1).canonical() == p(v2).canonical()


def test_compose_options_stay_before_the_subcommand_in_the_canonical_form() -> None:
    cmd = p("docker-compose -f a.yml -f b.yml -p demo up -d web")
    assert cmd.group_options == {"file": ("a.yml", "b.yml"), "project-name": ("demo",)}
    assert cmd.options == {"detach": ("true",)}
    assert cmd.args == ("web",)
    canonical = cmd.canonical()
    assert canonical == "docker compose --file=a.yml --file=b.yml --project-name=demo up --detach web"
    assert p(canonical) == cmd  # re-parseable


def test_the_same_letter_means_different_things_before_and_after_the_subcommand() -> None:
    cmd = p("docker compose -f prod.yml logs -f")
    assert cmd.group_options == {"file": ("prod.yml",)}
    assert cmd.flag("follow")


def test_compose_options_after_the_subcommand_are_refused_like_compose_does() -> None:
    with pytest.raises(UsageError) as info:
        p("docker compose up -p demo")
    assert "docker compose up" in str(info.value)


def test_exec_and_run_keep_the_container_command_as_typed() -> None:
    cmd = p("docker compose exec web ls -l /app")
    assert cmd.args == ("web", "ls", "-l", "/app")
    assert p("docker compose run --rm web python -V").args == ("web", "python", "-V")


def test_hidden_flags_kept_for_old_habits_are_accepted() -> None:
    assert p("docker compose exec -it web sh").flag("interactive")
    assert p("docker-compose --no-ansi up").group_options == {"no-ansi": ("true",)}
    assert p("docker compose --workdir ./site ps").group_options == {"project-directory": ("./site",)}


def test_a_typo_gets_a_suggestion_and_a_real_but_unmodelled_subcommand_is_unsupported() -> None:
    with pytest.raises(UnknownCommand) as info:
        p("docker compose upp")
    assert not isinstance(info.value, UnsupportedCommand)
    assert "docker compose up" in info.value.suggestions
    with pytest.raises(UnsupportedCommand):
        p("docker compose watch")


@pytest.mark.parametrize("line", ["docker compose", "docker compose --help", "docker compose up --help",
                                  "docker compose -f x.yml --help"])
def test_help_forms(line: str) -> None:
    assert p(line).wants_help


def test_version_flag_of_compose_is_not_help() -> None:
    cmd = p("docker-compose --version")
    assert not cmd.wants_help and is_read_only(cmd)


# --------------------------------------------------------------------------
# Effects
# --------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["docker compose ps", "docker compose logs web", "docker compose ls",
                                  "docker compose images", "docker compose top", "docker compose version",
                                  "docker compose config", "docker compose --dry-run down -v"])
def test_read_only(line: str) -> None:
    assert is_read_only(p(line))
    assert destructive_targets(p(line)) is None


@pytest.mark.parametrize("line", ["docker compose up -d", "docker compose config -o out.yml",
                                  "docker compose stop", "docker compose pull"])
def test_not_read_only(line: str) -> None:
    assert not is_read_only(p(line))


def test_down_removes_containers_and_networks() -> None:
    d = destructive_targets(p("docker compose down"))
    assert d is not None and d.compose and d.kind == "containers"
    assert d.description == "remove the Compose project's containers and networks"


@pytest.mark.parametrize("line", ["docker compose down -v", "docker-compose down --volumes"])
def test_down_with_volumes_destroys_the_data(line: str) -> None:
    d = destructive_targets(p(line))
    assert d is not None and d.kind == "volumes"
    assert d.description == ("remove the Compose project's named and anonymous volumes, "
                             "containers and networks")


def test_down_with_rmi_removes_images_too() -> None:
    d = destructive_targets(p("docker compose down --rmi all web"))
    assert d is not None and "images used by its services" in d.description
    assert d.description.endswith("(services: web)")


def test_rm_removes_stopped_containers() -> None:
    d = destructive_targets(p("docker compose rm -f"))
    assert d is not None and d.kind == "containers" and d.force
    assert d.description == "remove the Compose project's stopped containers (forced)"
    d = destructive_targets(p("docker-compose rm -s -v db"))
    assert d is not None
    assert d.description == ("remove the Compose project's containers and anonymous volumes "
                             "attached to them (services: db)")


@pytest.mark.parametrize("line, interactive, terminal", [
    ("docker compose exec web sh", True, True),
    ("docker compose exec -T web sh", False, True),  # no keyboard, but in the foreground
    ("docker compose exec -d web touch /x", False, False),
    ("docker compose run web sh", True, True),
    ("docker compose run --rm -d web sleep 9", False, False),
    ("docker compose rm", True, True),  # it asks "Are you sure?"
    ("docker compose rm -f", False, False),
    ("docker compose up", False, True),  # streams the logs until Ctrl-C
    ("docker compose up -d", False, False),
    ("docker compose up --wait", False, False),
    ("docker compose logs -f", False, True),
    ("docker compose logs", False, False),
    ("docker compose --dry-run up", False, False),
])
def test_interactive_and_terminal(line: str, interactive: bool, terminal: bool) -> None:
    cmd = p(line)
    assert is_interactive(cmd) is interactive
    assert needs_terminal(cmd) is terminal


# --------------------------------------------------------------------------
# Completion
# --------------------------------------------------------------------------


def test_completion_offers_compose_subcommands_and_flags() -> None:
    subs = [text for text, _ in suggest(("compose",), "")]
    assert {"up", "down", "logs", "exec"} <= set(subs)
    assert [text for text, _ in suggest(("compose",), "--proj")] == ["--project-directory",
                                                                       "--project-name"]
    assert "--volumes" in [text for text, _ in suggest(("compose", "down"), "--vol")]
    assert [text for text, _ in suggest(("compose", "-f", "a.yml"), "u")] == ["up"]


def test_the_tutor_asks_before_a_compose_removal() -> None:
    # The project's resources are not named on the line, so the question is the general one.
    from tutor.practice.policy import confirmation_question

    destruction = destructive_targets(p("docker compose down -v"))
    assert destruction is not None
    question = confirmation_question(None, destruction, None, {})  # type: ignore[arg-type]
    assert question == ("This will remove the Compose project's named and anonymous volumes, "
                        "containers and networks, which can include your own resources outside "
                        "this lesson. Run it?")
