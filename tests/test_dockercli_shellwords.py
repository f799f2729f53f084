"""split_command: shell-like word splitting that refuses shell syntax."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.dockercli import ShellSyntaxError, split_command
from tutor.dockercli.shellwords import _scan

# --------------------------------------------------------------------------
# Plain splitting
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("docker ps", ["docker", "ps"]),
        ("  docker   ps\t-a  ", ["docker", "ps", "-a"]),
        ("docker run -d -p 8080:80 --name web nginx", ["docker", "run", "-d", "-p", "8080:80", "--name", "web", "nginx"]),
        ("docker run -e 'GREETING=hello world' busybox env", ["docker", "run", "-e", "GREETING=hello world", "busybox", "env"]),
        ('docker run -e "A=b c" busybox', ["docker", "run", "-e", "A=b c", "busybox"]),
        ("docker run busybox echo it\\'s", ["docker", "run", "busybox", "echo", "it's"]),
        ('docker run busybox echo ""', ["docker", "run", "busybox", "echo", ""]),
        ("docker pull nginx@sha256:abc123", ["docker", "pull", "nginx@sha256:abc123"]),
        ("docker build -t app:1.0 .", ["docker", "build", "-t", "app:1.0", "."]),
        ("docker cp web:/etc/hosts ./hosts", ["docker", "cp", "web:/etc/hosts", "./hosts"]),
        ("docker build https://github.com/x/y.git#main", ["docker", "build", "https://github.com/x/y.git#main"]),
        ("docker run busybox echo $", ["docker", "run", "busybox", "echo", "$"]),
        ("", []),
        ("   ", []),
    ],
)
def test_splits_like_a_shell(line: str, expected: list[str]) -> None:
    assert split_command(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Operators inside quotes are data, not shell syntax.
        ('docker run busybox sh -c "echo a | wc -c"', ["docker", "run", "busybox", "sh", "-c", "echo a | wc -c"]),
        ("docker run busybox sh -c 'echo a && echo b; echo c &'", ["docker", "run", "busybox", "sh", "-c", "echo a && echo b; echo c &"]),
        ("docker ps --format '{{.Names}}'", ["docker", "ps", "--format", "{{.Names}}"]),
        ('docker ps --format "table {{.ID}}\\t{{.Names}}"', ["docker", "ps", "--format", "table {{.ID}}\\t{{.Names}}"]),
        ('docker run busybox echo "what?"', ["docker", "run", "busybox", "echo", "what?"]),
        ("docker images 'busy*'", ["docker", "images", "busy*"]),
        ("docker run busybox echo '$HOME' '`date`' '$(id)'", ["docker", "run", "busybox", "echo", "$HOME", "`date`", "$(id)"]),
        ("docker run busybox echo 'x > y' \"a < b\"", ["docker", "run", "busybox", "echo", "x > y", "a < b"]),
        # Escaped operators are literal too.
        ("docker run busybox echo a\\|b \\* \\;", ["docker", "run", "busybox", "echo", "a|b", "*", ";"]),
        # Go templates are not brace expansion, even unquoted.
        ("docker ps --format {{.Names}}", ["docker", "ps", "--format", "{{.Names}}"]),
        ("docker inspect -f {{.State.Status}},{{.Name}} web", ["docker", "inspect", "-f", "{{.State.Status}},{{.Name}}", "web"]),
        # find's {} placeholder is not brace expansion either.
        ("docker run busybox find / -name x -exec echo {} \\;", ["docker", "run", "busybox", "find", "/", "-name", "x", "-exec", "echo", "{}", ";"]),
    ],
)
def test_quoted_and_escaped_operators_are_accepted(line: str, expected: list[str]) -> None:
    assert split_command(line) == expected


def test_quoted_content_is_preserved_exactly() -> None:
    line = "docker run busybox echo '  two  spaces  ' \"tab\there\" 'back\\slash'"
    assert split_command(line)[-3:] == ["  two  spaces  ", "tab\there", "back\\slash"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A shell would hand $HOME to `sh -c` only after expanding it on the
        # host; the tutor leaves it for the container's shell, which is what
        # learners mean by it.
        ('docker run busybox sh -c "echo $HOME"', ["docker", "run", "busybox", "sh", "-c", "echo $HOME"]),
        ('docker exec web bash -c "ls $(pwd)"', ["docker", "exec", "web", "bash", "-c", "ls $(pwd)"]),
        # \$ inside double quotes is unescaped, as in a shell.
        ('docker run busybox echo "a\\$b"', ["docker", "run", "busybox", "echo", "a$b"]),
        ('docker run busybox echo "cost: $"', ["docker", "run", "busybox", "echo", "cost: $"]),
    ],
)
def test_dollar_in_double_quotes_for_sh_c(line: str, expected: list[str]) -> None:
    assert split_command(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("docker ps # list running containers", ["docker", "ps"]),
        ("# just a comment", []),
        ("docker run busybox echo a#b", ["docker", "run", "busybox", "echo", "a#b"]),
        ("docker run busybox echo '# not a comment'", ["docker", "run", "busybox", "echo", "# not a comment"]),
    ],
)
def test_comments_are_dropped_like_a_shell(line: str, expected: list[str]) -> None:
    assert split_command(line) == expected


def test_backslash_newline_continues_the_line() -> None:
    assert split_command("docker run \\\n  -d \\\n  nginx") == ["docker", "run", "-d", "nginx"]


@pytest.mark.parametrize(
    "argv",
    [
        ["docker", "run", "busybox", "sh", "-c", "a | b && c; d > e < f & g"],
        ["docker", "run", "-e", "X=$HOME", "busybox", "echo", "`id`", "$(id)", "${X}"],
        ["docker", "images", "busy*", "ba?", "[ab]", "{a,b}", "~", "~/x", "#hash"],
        ["docker", "run", "busybox", "echo", "it's", 'say "hi"', "back\\slash", "", " "],
    ],
)
def test_shlex_join_output_round_trips(argv: list[str]) -> None:
    # Anything properly quoted is data; this also guarantees that a
    # ParsedCommand.canonical() string can be split back into its argv.
    assert split_command(shlex.join(argv)) == argv


# The plain characters split_command splits on spaces without scanning, mixed with
# characters a shell gives meaning to, and with spaces that are not ASCII.
_LINE_CHARACTERS = st.sampled_from(list("aZ09 _-./:=,@%+") + list("'\"\\$#~*{[|\t\n\u00a0"))


@given(st.text(_LINE_CHARACTERS, max_size=24))
def test_lines_split_on_spaces_split_as_the_full_scanner_does(line: str) -> None:
    try:
        expected: list[str] | str = shlex.split(_scan(line), comments=False, posix=True)
    except (ShellSyntaxError, ValueError) as error:
        expected = type(error).__name__
    try:
        found: list[str] | str = split_command(line)
    except ShellSyntaxError as error:
        found = type(error).__name__
    if expected == "ValueError":
        expected = "ShellSyntaxError"  # split_command says so as ShellSyntaxError
    assert found == expected


# --------------------------------------------------------------------------
# Refused shell syntax
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "construct", "text"),
    [
        ("docker ps | grep web", "pipe", "|"),
        ("docker ps|grep web", "pipe", "|"),
        ("docker logs web |& less", "pipe", "|&"),
        ("docker stop web && docker rm web", "and-list", "&&"),
        ("docker rm web || true", "or-list", "||"),
        ("docker ps; docker images", "sequence", ";"),
        ("docker ps\ndocker images", "sequence", "\n"),
        ("docker run nginx &", "background", "&"),
        ("docker save busybox > busybox.tar", "redirection", ">"),
        ("docker logs web >> log.txt", "redirection", ">"),
        ("docker load < busybox.tar", "redirection", "<"),
        ("docker logs web 2>&1", "redirection", ">"),
        ("docker ps &> out.txt", "redirection", "&>"),
        ("docker rm $(docker ps -aq)", "command substitution", "$("),
        ("docker rm `docker ps -aq`", "command substitution", "`"),
        ("docker run busybox sleep $((60*5))", "arithmetic expansion", "$(("),
        ("docker diff <(echo x)", "process substitution", "<("),
        ("docker run -e NAME=$USER busybox", "variable", "$USER"),
        ("docker run -e NAME=${USER} busybox", "variable", "${USER}"),
        ("docker run busybox echo $?", "variable", "$?"),
        ("docker run busybox echo $'a\\tb'", "dollar quoting", "$'"),
        ("docker rm web*", "glob", "web*"),
        ("docker run busybox echo ?", "glob", "?"),
        ("docker exec web ls /tmp/[ab].log", "glob", "/tmp/[ab].log"),
        ("docker rm {web,db}", "brace expansion", "{web,db}"),
        ("docker rm web{1..3}", "brace expansion", "web{1..3}"),
        ("docker run -v ~/data:/data busybox", "tilde", "~/data:/data"),
        ("docker run busybox (echo hi)", "subshell", "("),
        ("FOO=bar docker run busybox env", "environment assignment", "FOO=bar"),
        ('docker run busybox echo "hi', "unbalanced quotes", '"'),
        ("docker run busybox echo 'hi", "unbalanced quotes", "'"),
        ("docker ps \\", "line continuation", "\\"),
        ("docker run -e \u201cA=b\u201d busybox", "typographic quotes", "\u201c"),
        # A shell expands $ and backticks inside double quotes too, so they are
        # refused there unless the string is an `sh -c` script.
        ('docker run -v "$(pwd)":/app busybox', "command substitution", "$("),
        ('docker run -e "PATH=$PATH:/x" busybox', "variable", "$PATH"),
        ('docker run busybox echo "`date`"', "command substitution", "`"),
    ],
)
def test_shell_syntax_is_refused(line: str, construct: str, text: str) -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command(line)
    err = info.value
    assert err.construct == construct
    assert err.text == text
    assert err.line == line
    assert line[err.position : err.position + len(text)] == text
    assert err.advice and str(err) == err.advice


@pytest.mark.parametrize(
    "line",
    [
        "docker ps | grep web",
        "docker stop web && docker rm web",
        "docker ps; docker images",
        "docker run nginx &",
        "docker save busybox > x.tar",
        "docker rm $(docker ps -aq)",
        "docker run -e A=$HOME busybox",
        "docker rm web*",
    ],
)
def test_operator_advice_explains_there_is_no_shell(line: str) -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command(line)
    assert "without a shell" in info.value.advice


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("docker ps | grep web", "docker ps --filter name=web"),
        ("docker ps -a | grep web", "docker ps -a --filter name=web"),
        ("docker volume ls | grep data", "docker volume ls --filter name=data"),
        ("docker images | grep nginx", "docker images --filter 'reference=*nginx*'"),
        ("docker logs web | tail -n 5", "docker logs --tail 5 web"),
        ("docker save busybox > busybox.tar", "docker save -o busybox.tar busybox"),
        ("docker export web > web.tar", "docker export -o web.tar web"),
        ("docker load < busybox.tar", "docker load -i busybox.tar"),
        ("docker logs web 2>&1", "docker logs web"),
        ("docker run nginx &", "docker run -d nginx"),
        ("docker stop web && docker rm web", "docker stop web"),
        ("docker rm $(docker ps -aq)", "docker ps -aq"),
        ("docker rm {web,db}", "docker rm web db"),
        ("docker rm web*", "docker rm 'web*'"),
        ("docker exec web ls /tmp/*", "docker exec web sh -c 'ls /tmp/*'"),
        ("FOO=bar docker run busybox env", "docker run -e FOO=bar busybox env"),
        ("docker run -e \u201cA=b\u201d busybox", 'docker run -e "A=b" busybox'),
    ],
)
def test_suggestion_is_a_command_to_type_instead(line: str, suggestion: str) -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command(line)
    assert info.value.suggestion == suggestion
    assert suggestion in info.value.advice
    # The suggestion itself must be acceptable.
    split_command(suggestion)


def test_command_substitution_advice_names_inner_command_and_prune() -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command("docker rm $(docker ps -aq)")
    advice = info.value.advice
    assert "`docker ps -aq`" in advice
    assert "docker container prune" in advice


def test_image_substitution_advice_suggests_image_prune() -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command("docker rmi $(docker images -q)")
    assert "docker image prune -a" in info.value.advice


def test_and_list_advice_lists_both_commands_in_order() -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command("docker build -t app . && docker run app")
    advice = info.value.advice
    assert advice.index("docker build -t app .") < advice.index("docker run app")


def test_pwd_substitution_suggests_the_actual_folder() -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command("docker run -v $(pwd):/app busybox")
    assert info.value.suggestion == f"docker run -v {os.getcwd()}:/app busybox"


def test_tilde_suggests_the_home_folder() -> None:
    with pytest.raises(ShellSyntaxError) as info:
        split_command("docker run -v ~/data:/data busybox")
    home = os.path.expanduser("~")
    assert info.value.suggestion == f"docker run -v {home}/data:/data busybox"


def test_unbalanced_quote_position_points_at_the_open_quote() -> None:
    line = "docker run busybox echo 'hi there"
    with pytest.raises(ShellSyntaxError) as info:
        split_command(line)
    assert info.value.position == line.index("'")
    assert "single quote" in info.value.advice


# --------------------------------------------------------------------------
# What is loaded when
# --------------------------------------------------------------------------


def test_advice_and_explanations_load_when_first_needed():
    """Splitting lines and the slash commands do not load the shell advice or /explain's
    meanings of every flag: a learner whose lines are plain docker commands never needs
    them, and each session would hold them for nothing."""
    code = "\n".join([
        "import sys",
        "import tutor.repl.commands",
        "from tutor.dockercli import ShellSyntaxError, split_command",
        "later = ('tutor.dockercli.shelladvice', 'tutor.dockercli.explain')",
        "split_command('docker run -d -p 8080:80 busybox')",
        "print(sorted(m for m in later if m in sys.modules))",
        "try:",
        "    split_command('docker ps | grep web')",
        "except ShellSyntaxError as error:",
        "    print(error.construct, 'tutor.dockercli.shelladvice' in sys.modules)",
    ])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == ["[]", "pipe True"]
