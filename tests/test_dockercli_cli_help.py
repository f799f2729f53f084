"""The command model against the installed client's own ``--help``.

The tables in tutor/dockercli are typed from ``docker <command> --help`` of
Docker CLI 28 and Compose v2; these tests read the same pages from the client
first on PATH and compare, command by command: long names, short letters,
whether a flag takes a value (and, where the help's value type says so,
whether it may be repeated), the usage line, the subcommands of each group
and the aliases the help lists.  A flag the model has but the help does not
show must be one the client still accepts (hidden or deprecated spellings
such as ``--net``): the client is asked, by parsing it before ``--help``.

The help pages are read once per module, in parallel threads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tutor.dockercli import catalog
from tutor.dockercli.flagsets import BUILDKIT_ONLY_BUILD_FLAGS
from tutor.dockercli.spec import CommandSpec, Flag

DOCKER = shutil.which("docker")

# pflag value types: those that accumulate when repeated, and those where the
# last value wins.  Other types (mount, ulimit, gpu-request...) say nothing.
REPEATABLE_TYPES = frozenset({"list", "stringArray", "strings", "stringSlice", "filter", "scale"})
SINGLE_TYPES = frozenset({"string", "int", "int64", "uint", "uint16", "uint64", "bytes",
                          "duration", "float", "float64", "decimal"})

# A flag line: "  -a, --all   Show all" or "      --format string   Format...".
_FLAG_LINE = re.compile(r"^  (?:-(?P<short>\S), |    )--(?P<long>[\w.-]+)(?: (?P<type>\S+))?(?: {2,}|$)")
_SECTION = re.compile(r"^(?P<name>[A-Z][\w ]*):\s*(?P<rest>.*)$")


@dataclass
class HelpPage:
    """What one ``--help`` page says about a command."""

    usage: str = ""  # the first Usage line, e.g. "docker container ls [OPTIONS]"
    flags: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # long -> (short, type)
    commands: list[str] = field(default_factory=list)  # in every "... Commands:" section
    aliases: set[str] = field(default_factory=set)  # "docker container ls", "docker ps"

    @classmethod
    def parse(cls, text: str) -> HelpPage:
        page = cls()
        section = ""
        for line in text.splitlines():
            header = _SECTION.match(line)
            if header:
                section = header["name"]
                if section == "Usage" and not page.usage:
                    page.usage = " ".join(header["rest"].split())
                continue
            if section.endswith("Options"):
                flag = _FLAG_LINE.match(line)
                if flag:
                    page.flags[flag["long"]] = (flag["short"] or "", flag["type"])
            elif section.endswith("Commands"):
                words = line.split()
                if line.startswith("  ") and words:
                    page.commands.append(words[0].rstrip("*"))  # "compose*" marks a plugin
            elif section == "Aliases":
                page.aliases.update(a.strip() for a in line.split(",") if a.strip())
        return page

    def usage_after(self, command: str) -> str:
        """The argument synopsis: what follows ``[OPTIONS]`` (or the command words)."""
        rest = self.usage.removeprefix(command).strip()
        return rest.removeprefix("[OPTIONS]").strip()


def _cli_env(tmp: Path) -> dict[str, str]:
    # The client hides commands and flags its engine does not support (swarm,
    # newer API versions); with no engine to ask it shows the full help.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY")}
    env["DOCKER_HOST"] = f"unix://{tmp}/no-engine.sock"
    return env


def _run(argv: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, env=env, timeout=60,
                          stdin=subprocess.DEVNULL)


def _major(version_text: str) -> int | None:
    match = re.search(r"version v?(\d+)\.", version_text)
    return int(match.group(1)) if match else None


@dataclass
class Client:
    """A CLI to compare with: how to call a command, and its help pages."""

    prefix: tuple[str, ...]  # ("/usr/local/bin/docker",) or ("/usr/bin/docker-compose",)
    drop: int  # model path words the prefix already stands for: ("compose",) -> 1
    env: dict[str, str]
    pages: dict[tuple[str, ...], HelpPage] = field(default_factory=dict)
    accepted: dict[tuple[tuple[str, ...], str], bool] = field(default_factory=dict)

    def argv(self, path: tuple[str, ...], *words: str) -> list[str]:
        return [*self.prefix, *path[self.drop:], *words]

    def read(self, specs: Sequence[CommandSpec]) -> Client:
        """Read every help page, then try every modelled spelling the pages don't show."""
        def page(spec: CommandSpec) -> HelpPage:
            return HelpPage.parse(_run(self.argv(spec.path, "--help"), self.env).stdout)

        def accepts(probe: tuple[tuple[str, ...], str, str]) -> bool:
            path, _spelling, word = probe
            return _run(self.argv(path, word, "--help"), self.env).returncode == 0

        with ThreadPoolExecutor(max_workers=8) as pool:
            self.pages = dict(zip([s.path for s in specs], pool.map(page, specs), strict=True))
            probes = [probe for spec in specs for probe in self._probes(spec)]
            for (path, spelling, _word), ok in zip(probes, pool.map(accepts, probes), strict=True):
                self.accepted[path, spelling] = ok
        return self

    def _probes(self, spec: CommandSpec) -> list[tuple[tuple[str, ...], str, str]]:
        # A hidden flag shows itself by being parsed: "docker run --net=1 --help"
        # prints the help, "docker run --nett=1 --help" fails on the flag.
        page = self.pages[spec.path]
        probes = []
        for flag in spec.all_flags:
            spellings = [f"--{alias}" for alias in flag.aliases]
            if flag.name not in page.flags:
                spellings += [f"--{flag.name}", *([f"-{flag.short}"] if flag.short else [])]
            value_type = page.flags.get(flag.name, ("", None))[1]
            for spelling in spellings:
                if flag.takes_value:
                    value = {"duration": "1s", "filter": "a=b"}.get(value_type or "", "1")
                    word = f"{spelling}={value}"
                else:
                    word = f"{spelling}=true" if spelling.startswith("--") else spelling
                probes.append((spec.path, spelling, word))
        return probes

    def accepts(self, path: tuple[str, ...], spelling: str) -> bool:
        """True if the client parses ``spelling`` (a hidden flag, say) for the command."""
        return self.accepted[path, spelling]


DOCKER_SPECS = [s for s in catalog.BY_PATH.values() if s.path[:1] != ("compose",)]
COMPOSE_SPECS = [s for s in catalog.BY_PATH.values() if s.path[:1] == ("compose",)]


def _ids(spec: CommandSpec) -> str:
    return " ".join(spec.path) or "docker"


@pytest.fixture(scope="module")
def docker_client(tmp_path_factory: pytest.TempPathFactory) -> Client:
    if DOCKER is None:
        pytest.skip("no docker client on PATH: nothing to compare the command model with")
    env = _cli_env(tmp_path_factory.mktemp("cli"))
    version = _run([DOCKER, "--version"], env).stdout.strip()
    if _major(version) != catalog.CLI_MAJOR_VERSION:
        pytest.skip(f"{DOCKER} is {version!r}; the model mirrors Docker CLI "
                    f"{catalog.CLI_MAJOR_VERSION}, so their help pages differ anyway")
    return Client((DOCKER,), 0, env).read(DOCKER_SPECS)


@cache
def _compose_prefix(env_path: str) -> tuple[tuple[str, ...], str] | tuple[None, str]:
    """The compose CLI and its version: the docker plugin, else a docker-compose on PATH."""
    candidates = []
    if DOCKER is not None:
        candidates.append((DOCKER, "compose"))
    standalone = shutil.which("docker-compose", path=env_path)
    if standalone is not None:
        candidates.append((standalone,))
    reasons = []
    for prefix in candidates:
        done = subprocess.run([*prefix, "version"], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        if done.returncode == 0:
            return prefix, done.stdout.strip()
        said = (done.stderr or done.stdout).strip().splitlines() or ["no answer"]
        reasons.append(f"{' '.join(prefix)} version: {said[0]}")
    return None, "; ".join(reasons) or "no docker client and no docker-compose on PATH"


@pytest.fixture(scope="module")
def compose_client(tmp_path_factory: pytest.TempPathFactory) -> Client:
    prefix, version = _compose_prefix(os.environ.get("PATH", os.defpath))
    if prefix is None:
        pytest.skip(f"Docker Compose is not installed ({version}): nothing to compare with")
    if _major(version) != catalog.COMPOSE_MAJOR_VERSION:
        pytest.skip(f"{' '.join(prefix)} is {version!r}; the model mirrors Compose "
                    f"v{catalog.COMPOSE_MAJOR_VERSION}")
    env = _cli_env(tmp_path_factory.mktemp("compose"))
    return Client(prefix, 1, env).read(COMPOSE_SPECS)


def _page(client: Client, spec: CommandSpec) -> HelpPage:
    page = client.pages[spec.path]
    command = " ".join(("docker", *spec.path))
    if not page.usage.startswith(command):
        # A plugin group (buildx) the client lacks: docker printed its own help.
        assert spec.path[:1] and spec.path[0] in catalog.PLUGIN_GROUPS, (
            f"`{command} --help` printed the help of `{page.usage}`")
        pytest.skip(f"the {spec.path[0]} plugin is not installed")
    return page


# --------------------------------------------------------------------------
# The comparisons, shared by docker and compose
# --------------------------------------------------------------------------


def _flag_problems(client: Client, spec: CommandSpec, page: HelpPage) -> list[str]:
    problems: list[str] = []
    modelled = {flag.name: flag for flag in spec.all_flags}
    for name, (short, value_type) in page.flags.items():
        flag = modelled.get(name)
        if flag is None:
            problems.append(f"--{name} is missing from the model")
            continue
        if flag.short != short:
            problems.append(f"--{name}: short letter {flag.short or 'none'!r} in the model, "
                            f"{short or 'none'!r} in the help")
        if flag.takes_value != (value_type is not None):
            problems.append(f"--{name}: the model says it {'takes' if flag.takes_value else 'takes no'}"
                            f" value; the help shows type {value_type}")
        elif value_type in REPEATABLE_TYPES and not flag.repeatable:
            problems.append(f"--{name} ({value_type}) accumulates values; the model uses the last")
        elif value_type in SINGLE_TYPES and flag.repeatable and not _buildkit_platform(spec, name):
            problems.append(f"--{name} ({value_type}) keeps the last value; the model accumulates")
    for flag in spec.all_flags:
        spellings = [f"--{alias}" for alias in flag.aliases]
        if flag.name not in page.flags and not _buildkit_only(spec, flag, page):
            spellings += [f"--{flag.name}", *([f"-{flag.short}"] if flag.short else [])]
        problems += [f"{spelling} is in the model but the client rejects it"
                     for spelling in spellings if not client.accepts(spec.path, spelling)]
    return problems


def _buildkit_only(spec: CommandSpec, flag: Flag, page: HelpPage) -> bool:
    # docker build is modelled as the union of the classic builder and BuildKit
    # (buildx); without buildx the client shows only the classic flags.
    return spec.path == ("image", "build") and flag.name in BUILDKIT_ONLY_BUILD_FLAGS and (
        "builder" not in page.flags)


def _buildkit_platform(spec: CommandSpec, name: str) -> bool:
    # --platform is one value for the classic builder, a list for BuildKit.
    return spec.path == ("image", "build") and name == "platform"


def _typed_forms(spec: CommandSpec) -> set[str]:
    return {" ".join(("docker", *form)) for form in (spec.path, *spec.aliases)}


def _alias_problems(spec: CommandSpec, page: HelpPage) -> list[str]:
    modelled = _typed_forms(spec)
    listed = page.aliases or {" ".join(("docker", *spec.path))}
    problems = [f"{form} is listed by the help but not in the model" for form in listed - modelled]
    for form in sorted(modelled - listed):
        if form.split()[1] not in catalog.PLUGIN_GROUPS:  # "docker buildx build" needs buildx
            problems.append(f"{form} is in the model but not listed by the help")
    return problems


def _subcommand_problems(spec: CommandSpec, page: HelpPage) -> list[str]:
    modelled = {s.path[-1] for s in catalog.BY_PATH.values()
                if len(s.path) == len(spec.path) + 1 and s.path[:-1] == spec.path}
    listed = set(page.commands)
    problems = []
    partial = spec.path and spec.path[0] in catalog.PARTIAL_GROUPS
    if not partial:
        problems += [f"{word} is a subcommand in the help but not in the model"
                     for word in sorted(listed - modelled)]
    problems += [f"{word} is in the model but not a subcommand in the help"
                 for word in sorted(modelled - listed)]
    return problems


def _top_level_problems(page: HelpPage) -> list[str]:
    modelled = set(catalog.subcommand_names(()))
    listed = set(page.commands)
    problems = [f"docker {word} is listed by the help but neither modelled nor in UNCOVERED"
                for word in sorted(listed - modelled - catalog.UNCOVERED)]
    # `docker help` is cobra's own and never listed; plugins are listed when installed.
    unlisted = modelled - listed - {"help"} - catalog.PLUGIN_GROUPS
    problems += [f"docker {word} is in the model but the help doesn't list it"
                 for word in sorted(unlisted)]
    problems += [f"docker {word} is modelled and also in UNCOVERED"
                 for word in sorted(modelled & catalog.UNCOVERED)]
    return problems


def _check(client: Client, spec: CommandSpec) -> None:
    page = _page(client, spec)
    command = " ".join(("docker", *spec.path))
    problems = _flag_problems(client, spec, page)
    if page.usage_after(command) != spec.usage:
        problems.append(f"usage {spec.usage!r} in the model, {page.usage_after(command)!r} "
                        "in the help")
    if not spec.path:
        problems += _top_level_problems(page)
    elif spec.is_group:
        problems += _subcommand_problems(spec, page)
    else:
        problems += _alias_problems(spec, page)
    assert not problems, f"{command} differs from its --help:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("spec", DOCKER_SPECS, ids=_ids)
def test_docker_command_matches_its_help(docker_client: Client, spec: CommandSpec) -> None:
    _check(docker_client, spec)


@pytest.mark.parametrize("spec", COMPOSE_SPECS, ids=_ids)
def test_compose_command_matches_its_help(compose_client: Client, spec: CommandSpec) -> None:
    _check(compose_client, spec)


def test_the_help_reader_understands_a_help_page() -> None:
    # The comparison is only as good as the reading of the help; pin it on a real page.
    text = """Usage:  docker container ls [OPTIONS]

List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
      --no-trunc        Don't truncate output
"""
    page = HelpPage.parse(text)
    assert page.usage == "docker container ls [OPTIONS]"
    assert page.usage_after("docker container ls") == ""
    assert page.aliases == {"docker container ls", "docker container list",
                            "docker container ps", "docker ps"}
    assert page.flags == {"all": ("a", None), "filter": ("f", "filter"),
                          "format": ("", "string"), "last": ("n", "int"),
                          "no-trunc": ("", None)}
    group = HelpPage.parse("Usage:  docker [OPTIONS] COMMAND\n\nCommon Commands:\n"
                           "  run         Create and run\n\nManagement Commands:\n"
                           "  compose*    Docker Compose\n  image       Manage images\n")
    assert group.commands == ["run", "compose", "image"]
    assert group.usage_after("docker") == "COMMAND"
