"""The `dockerfile` check: the Dockerfile parser, the analysis, and what the learner reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dedent, line_of

from tutor.checks import CheckContext, evaluate, parse_check
from tutor.checks.dockerfile import (
    DockerfileCheck,
    PipInstall,
    analyse,
    expand_word,
    parse_dockerfile_text,
    pip_install_of,
    shell_commands,
    start_command,
)
from tutor.schema.location import Where
from tutor.schema.yamldoc import parse_yaml

WHERE = Where(Path("lessons/capstone.yaml"), lesson="capstone", step="dockerfile", step_number=3)

APP_PY = dedent("""
    import os
    from flask import Flask

    app = Flask(__name__)

    @app.route("/")
    def hello():
        return "Hello from Flask"

    if __name__ == "__main__":
        app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))
""")

GOOD = dedent("""
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    EXPOSE 5000
    CMD ["python", "app.py"]
""")

ALL_RULES = """
check:
  dockerfile:
    path: "{{ app_dir }}/Dockerfile"
    base: python
    workdir: true
    requirements_first: requirements.txt
    pip_install: true
    expose: 5000
    cmd_exec_form: true
    runs: app.py
"""


def parse(text: str, declared: tuple[str, ...] = ("app_dir",)):
    document = parse_yaml(dedent(text))
    problems: list = []
    check = parse_check(document["check"], WHERE.at_field("check"), problems,
                        document.line_of("check"), set(declared))
    return check, problems


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    app = tmp_path / "flask-app"
    app.mkdir()
    (app / "app.py").write_text(APP_PY)
    (app / "requirements.txt").write_text("flask\n")
    return tmp_path


def judge(workspace: Path, dockerfile: str | None, check_yaml: str = ALL_RULES):
    if dockerfile is not None:
        (workspace / "flask-app" / "Dockerfile").write_text(dedent(dockerfile))
    check, problems = parse(check_yaml)
    assert problems == [], [str(p) for p in problems]
    return evaluate(check, CheckContext(api=None, workspace=workspace,
                                        values={"app_dir": "flask-app"}))


def failure(workspace: Path, dockerfile: str | None, check_yaml: str = ALL_RULES) -> str:
    result = judge(workspace, dockerfile, check_yaml)
    assert not result.passed
    assert len(result.messages) == 1, result.messages
    return result.messages[0]


# =============================================================================================
# The parser
# =============================================================================================


def test_continuations_join_lines_and_drop_comments_inside():
    df = parse_dockerfile_text(dedent("""
        FROM python:3.12-slim
        RUN apt-get update && \\
            # a comment inside the continuation is dropped
            apt-get install -y curl \\

            && rm -rf /var/lib/apt/lists/*
        CMD ["python", "app.py"]
    """))
    assert df.problems == []
    run = df.instructions[1]
    assert run.keyword == "RUN"
    assert (run.line, run.end_line) == (2, 6)
    assert " ".join(run.args.split()) == (
        "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*")
    assert df.instructions[2].line == 7


def test_trailing_spaces_after_the_backslash_still_continue():
    df = parse_dockerfile_text("FROM python\nRUN pip install \\   \n    -r requirements.txt\n")
    assert df.problems == []
    assert pip_install_of(shell_commands(df.instructions[1].rest)[0]) == PipInstall(
        ("requirements.txt",), ())


def test_comments_and_parser_directives():
    df = parse_dockerfile_text(dedent("""
        # syntax=docker/dockerfile:1
        # check=skip=JSONArgsRecommended
        # A comment ends the directives
        # escape=`
        FROM python:3.12
        RUN echo hi # a shell comment stays part of RUN
    """))
    assert df.directives == {"syntax": "docker/dockerfile:1", "check": "skip=JSONArgsRecommended"}
    assert df.escape == "\\"
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert df.instructions[0].rest == "python:3.12"
    assert df.instructions[1].rest == "echo hi # a shell comment stays part of RUN"


def test_escape_directive_switches_the_continuation_character():
    df = parse_dockerfile_text(dedent("""
        # escape=`
        FROM python:3.12
        WORKDIR C:\\app
        RUN pip install `
            -r requirements.txt
    """))
    assert df.problems == []
    assert df.escape == "`"
    workdir, run = df.instructions[1:]
    assert workdir.rest == "C:\\app"  # a backslash is just a character now
    assert (run.line, run.end_line) == (4, 5)
    assert " ".join(run.rest.split()) == "pip install -r requirements.txt"


def test_bad_escape_directive_is_reported():
    df = parse_dockerfile_text("# escape=x\nFROM python\n")
    assert [(p.line, p.message) for p in df.problems] == [
        (1, "escape=x is not a valid escape character; use \\ or `")]


def test_instructions_are_case_insensitive():
    df = parse_dockerfile_text(dedent("""
        from python:3.12-slim As Builder
        workdir /app
        Copy requirements.txt .
        run pip install -r requirements.txt
        cmd ["python", "app.py"]
    """))
    assert df.problems == []
    assert [i.keyword for i in df.instructions] == ["FROM", "WORKDIR", "COPY", "RUN", "CMD"]
    assert df.instructions[2].word == "Copy"
    assert df.stages[0].name == "builder"
    assert df.instructions[4].json == ("python", "app.py")


def test_exec_form_versus_shell_form():
    df = parse_dockerfile_text(dedent("""
        FROM python
        CMD ["python", "app.py"]
        CMD python app.py
        CMD ['python', 'app.py']
        ENTRYPOINT [ "python" ,"app.py" ]
        RUN ["pip", "install", "-r", "requirements.txt"]
    """))
    exec_cmd, shell_cmd, single_quoted, entrypoint, run = df.instructions[1:]
    assert exec_cmd.exec_form and exec_cmd.json == ("python", "app.py")
    assert not shell_cmd.exec_form and shell_cmd.rest == "python app.py"
    assert not single_quoted.exec_form and single_quoted.json_error
    assert entrypoint.json == ("python", "app.py")
    assert run.json == ("pip", "install", "-r", "requirements.txt")


def test_multi_stage_and_arg_before_from():
    df = parse_dockerfile_text(dedent("""
        ARG PYTHON_VERSION=3.12
        FROM python:${PYTHON_VERSION} AS builder
        RUN pip wheel -r requirements.txt
        FROM python:${PYTHON_VERSION}-slim
        COPY --from=builder /wheels /wheels
    """))
    assert df.problems == []
    assert [a.rest for a in df.global_args] == ["PYTHON_VERSION=3.12"]
    assert [(s.name, s.image, len(s.instructions)) for s in df.stages] == [
        ("builder", "python:${PYTHON_VERSION}", 1), (None, "python:${PYTHON_VERSION}-slim", 1)]
    analysis = analyse(df, ["app.py"], ["app.py"])
    assert [s.root_image for s in analysis.states] == ["python:3.12", "python:3.12-slim"]


def test_only_arg_may_come_before_from():
    df = parse_dockerfile_text("WORKDIR /app\nFROM python\n")
    assert [(p.line, p.message) for p in df.problems] == [
        (1, "WORKDIR comes before the first FROM; only ARG may come before FROM")]


def test_flags_are_split_from_the_arguments():
    df = parse_dockerfile_text("FROM --platform=linux/amd64 python\n"
                               "COPY --chown=app:app --link requirements.txt ./\n")
    source, copy = df.instructions
    assert source.flags == (("platform", "linux/amd64"),) and source.rest == "python"
    assert copy.flags == (("chown", "app:app"), ("link", ""))
    assert copy.rest == "requirements.txt ./"
    assert copy.flag("chown") == "app:app" and copy.flag("from") is None


def test_heredocs_are_read_to_their_terminator():
    df = parse_dockerfile_text(dedent("""
        FROM python
        RUN <<EOF
        pip install -r requirements.txt
        python -c "print('done')"
        EOF
        CMD ["python", "app.py"]
    """))
    assert df.problems == []
    run, cmd = df.instructions[1:]
    assert (run.line, run.end_line) == (2, 5)
    assert run.heredocs[0].name == "EOF"
    assert run.heredocs[0].body.startswith("pip install -r requirements.txt\n")
    assert cmd.line == 6


def test_unclosed_heredoc_is_reported():
    df = parse_dockerfile_text("FROM python\nRUN <<EOF\npip install flask\n")
    assert [(p.line, p.message) for p in df.problems] == [
        (2, "the heredoc <<EOF of RUN is never closed (no line saying just EOF)")]


def test_unknown_instructions_are_reported_with_their_line():
    df = parse_dockerfile_text(dedent("""
        FROM python
        RNU pip install flask
        RUN apt-get update &&
            apt-get install -y curl
    """))
    assert [(p.line, p.message) for p in df.problems] == [
        (2, "`RNU pip install flask` is not a Dockerfile instruction (did you mean RUN?)"),
        (4, "`apt-get install -y curl` is not a Dockerfile instruction; if it continues the "
            "RUN above, end line 3 with \\"),
    ]


def test_instruction_without_arguments_is_reported():
    df = parse_dockerfile_text("FROM python\nWORKDIR\n")
    assert [(p.line, p.message) for p in df.problems] == [(2, "WORKDIR has no arguments")]


def test_expand_word():
    env = {"APP": "/app", "EMPTY": ""}
    assert expand_word("$APP/src", env) == "/app/src"
    assert expand_word("${APP}", env) == "/app"
    assert expand_word("${MISSING:-/srv}", env) == "/srv"
    assert expand_word("${EMPTY:-x}", env) == "x"
    assert expand_word("${EMPTY-x}", env) == ""
    assert expand_word("${APP:+set}", env) == "set"
    assert expand_word("'$APP'", env) == "$APP"
    assert expand_word('"$APP dir"', env) == "/app dir"
    assert expand_word("\\$APP", env) == "$APP"


@pytest.mark.parametrize("command, requirements, packages", [
    ("pip install -r requirements.txt", ("requirements.txt",), ()),
    ("pip3 install --no-cache-dir -r requirements.txt", ("requirements.txt",), ()),
    ("python -m pip install -r requirements.txt", ("requirements.txt",), ()),
    ("python3.12 -m pip install --requirement=req.txt", ("req.txt",), ()),
    ("/usr/local/bin/pip install -rrequirements.txt", ("requirements.txt",), ()),
    ("PIP_NO_CACHE_DIR=1 pip install --upgrade pip", (), ("pip",)),
    ("pip install -i https://pypi.org/simple flask", (), ("flask",)),
    ("uv pip install --system -r requirements.txt", ("requirements.txt",), ()),
])
def test_pip_install_is_recognised(command, requirements, packages):
    assert pip_install_of(command.split()) == PipInstall(requirements, packages)


@pytest.mark.parametrize("command", ["pip download flask", "python app.py", "pip --version",
                                     "echo pip install flask"])
def test_other_commands_are_not_pip_install(command):
    assert pip_install_of(command.split()) is None


def test_shell_commands_split_on_operators():
    assert shell_commands("apt-get update && pip install -r r.txt; echo 'a && b' | cat") == [
        ["apt-get", "update"], ["pip", "install", "-r", "r.txt"], ["echo", "a && b"], ["cat"]]


def test_start_command_combines_entrypoint_and_cmd():
    df = parse_dockerfile_text('FROM python\nENTRYPOINT ["python"]\nCMD ["app.py"]\n')
    command = start_command(analyse(df, [], []).final)
    assert command.argv == ("python", "app.py") and command.problem is None


def test_entrypoint_resets_an_inherited_cmd():
    df = parse_dockerfile_text(dedent("""
        FROM python AS base
        CMD ["python", "other.py"]
        FROM base
        ENTRYPOINT ["python", "app.py"]
    """))
    assert start_command(analyse(df, [], []).final).argv == ("python", "app.py")


def test_workdir_and_copy_destinations_decide_where_files_land():
    df = parse_dockerfile_text(dedent("""
        FROM python
        WORKDIR /srv
        WORKDIR app
        COPY requirements.txt ./deps/
        COPY app.py /opt/main.py
        COPY src/ lib
        COPY *.cfg /etc/
    """))
    analysis = analyse(df, ["requirements.txt", "app.py", "src/util.py", "setup.cfg"],
                       ["app.py", "src/util.py"])
    assert analysis.final.workdir == "/srv/app"
    assert analysis.final.files == {
        "/srv/app/deps/requirements.txt": "requirements.txt",
        "/opt/main.py": "app.py",
        "/srv/app/lib/util.py": "src/util.py",
        "/etc/setup.cfg": "setup.cfg",
    }


def test_copy_from_a_stage_follows_the_files():
    df = parse_dockerfile_text(dedent("""
        FROM python AS build
        WORKDIR /src
        COPY . .
        FROM python
        COPY --from=build /src /app
        COPY --from=0 /src/app.py /copy/
    """))
    analysis = analyse(df, ["app.py"], ["app.py"])
    assert analysis.final.files == {"/app/app.py": "app.py", "/copy/app.py": "app.py"}


# =============================================================================================
# The check: correct Dockerfiles pass
# =============================================================================================


def test_the_canonical_dockerfile_passes(workspace):
    assert judge(workspace, GOOD).passed


CORRECT_VARIANTS = {
    "python 3.11 slim": GOOD.replace("python:3.12-slim", "python:3.11-slim"),
    "python 3.12": GOOD.replace("python:3.12-slim", "python:3.12"),
    "fully qualified base": GOOD.replace("python:3.12-slim", "docker.io/library/python:3.11"),
    "untagged base": GOOD.replace("python:3.12-slim", "python"),
    "WORKDIR /srv/app": GOOD.replace("/app", "/srv/app"),
    "requirements to ./": GOOD.replace("COPY requirements.txt .", "COPY requirements.txt ./"),
    "requirements to absolute path": GOOD.replace(
        "COPY requirements.txt .", "COPY requirements.txt /app/requirements.txt"),
    "requirements with other non-code files": GOOD.replace(
        "COPY requirements.txt .", "COPY requirements.txt README.md ./"),
    "requirements by glob": GOOD.replace("COPY requirements.txt .", "COPY requirements*.txt ./"),
    "requirements in JSON form": GOOD.replace(
        "COPY requirements.txt .", 'COPY ["requirements.txt", "./"]'),
    "pip3 no cache": GOOD.replace("pip install --no-cache-dir", "pip3 install --no-cache-dir"),
    "python -m pip": GOOD.replace("pip install --no-cache-dir", "python -m pip install"),
    "pip upgraded first": GOOD.replace(
        "RUN pip install", "RUN pip install --upgrade pip && pip install"),
    "pip with a cache mount": GOOD.replace(
        "RUN pip", "RUN --mount=type=cache,target=/root/.cache/pip pip"),
    "RUN exec form": GOOD.replace(
        "RUN pip install --no-cache-dir -r requirements.txt",
        'RUN ["pip", "install", "-r", "requirements.txt"]'),
    "python3": GOOD.replace('"python"', '"python3"'),
    "absolute app path": GOOD.replace('"app.py"', '"/app/app.py"'),
    "unbuffered": GOOD.replace('["python", "app.py"]', '["python", "-u", "app.py"]'),
    "ENTRYPOINT exec form": GOOD.replace("CMD", "ENTRYPOINT"),
    "ENTRYPOINT python plus CMD file": GOOD.replace(
        'CMD ["python", "app.py"]', 'ENTRYPOINT ["python"]\nCMD ["app.py"]'),
    "tini as init": GOOD.replace(
        'CMD ["python", "app.py"]', 'ENTRYPOINT ["tini", "--"]\nCMD ["python", "app.py"]'),
    "exec in shell form": GOOD.replace('CMD ["python", "app.py"]', "CMD exec python app.py"),
    "cd then exec in shell form": GOOD.replace('CMD ["python", "app.py"]',
                                               "CMD cd /app && exec python3 -u app.py"),
    "python -m module": GOOD.replace('["python", "app.py"]', '["python", "-m", "app"]'),
    "ADD instead of COPY": GOOD.replace("COPY . .", "ADD . /app"),
    "Windows line endings": GOOD.replace("\n", "\r\n"),
    "EXPOSE 5000/tcp": GOOD.replace("EXPOSE 5000", "EXPOSE 5000/tcp"),
    "EXPOSE several": GOOD.replace("EXPOSE 5000", "EXPOSE 8000 5000"),
    "EXPOSE from ENV": GOOD.replace("EXPOSE 5000", "ENV PORT=5000\nEXPOSE $PORT"),
    "flask --app": GOOD.replace('CMD ["python", "app.py"]',
                                'CMD ["flask", "--app", "app", "run", "--host", "0.0.0.0"]'),
    "flask auto-discovery": GOOD.replace('CMD ["python", "app.py"]',
                                         'CMD ["flask", "run", "--host=0.0.0.0"]'),
    "lower case": GOOD.lower(),
    "chown": GOOD.replace("COPY . .", "COPY --chown=1000:1000 . .") + "USER 1000\n",
    "comments and blank lines": "# syntax=docker/dockerfile:1\n\n# The app\n" + GOOD.replace(
        "WORKDIR /app", "# where the app lives\nWORKDIR /app\n"),
    "code copied file by file": GOOD.replace("COPY . .", "COPY app.py ."),
    "code copied to an absolute path": GOOD.replace("COPY . .", "COPY . /app/"),
    "COPY . /app before WORKDIR /app": dedent("""
        FROM python:3.12-slim
        COPY requirements.txt /app/
        RUN pip install -r /app/requirements.txt
        COPY . /app
        WORKDIR /app
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "ARG and ENV in paths": dedent("""
        ARG PYTHON_VERSION=3.12
        FROM python:${PYTHON_VERSION}-slim
        ENV APP_HOME=/app \\
            PYTHONUNBUFFERED=1
        WORKDIR $APP_HOME
        COPY requirements.txt ${APP_HOME}/
        RUN pip install --no-cache-dir \\
                -r requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "base from an ARG": dedent("""
        ARG BASE=python:3.12-slim
        FROM ${BASE}
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "heredoc RUN": dedent("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN <<EOF
        set -e
        pip install --no-cache-dir -r requirements.txt
        EOF
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "escape directive": dedent("""
        # escape=`
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install `
            -r requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "multi-stage builder": dedent("""
        FROM python:3.12 AS builder
        WORKDIR /build
        COPY requirements.txt .
        RUN pip install --prefix=/install -r requirements.txt

        FROM python:3.12-slim
        COPY --from=builder /install /usr/local
        WORKDIR /app
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "multi-stage from a base stage": dedent("""
        FROM python:3.12-slim AS base
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt

        FROM base AS final
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "bind-mounted requirements": dedent("""
        FROM python:3.12-slim
        WORKDIR /app
        RUN --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \\
            pip install -r /tmp/requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
    "mkdir then copy into it": dedent("""
        FROM python:3.12-slim
        RUN mkdir -p /srv/app
        COPY requirements.txt /srv/app
        WORKDIR /srv/app
        RUN pip install -r requirements.txt
        COPY app.py /srv/app
        EXPOSE 5000
        CMD ["python", "app.py"]
    """),
}


@pytest.mark.parametrize("name", sorted(CORRECT_VARIANTS))
def test_correct_variants_pass(workspace, name):
    result = judge(workspace, CORRECT_VARIANTS[name])
    assert result.passed, result.messages


def test_only_the_path_means_a_valid_dockerfile_exists(workspace):
    only_path = 'check:\n  dockerfile: { path: "{{ app_dir }}/Dockerfile" }\n'
    assert judge(workspace, "FROM busybox\n", only_path).passed
    assert not judge(workspace, "FORM busybox\n", only_path).passed


def test_rules_are_off_unless_given(workspace):
    only_expose = 'check:\n  dockerfile: { path: "{{ app_dir }}/Dockerfile", expose: 5000 }\n'
    assert judge(workspace, "FROM ubuntu\nEXPOSE 5000\nCMD python app.py\n", only_expose).passed


# =============================================================================================
# The check: each mistake fails with its own message
# =============================================================================================


def test_missing_dockerfile(workspace):
    assert failure(workspace, None) == (
        f"Dockerfile not found at flask-app/Dockerfile (the workspace is {workspace}); "
        f"{workspace / 'flask-app'} holds: app.py, requirements.txt")


def test_missing_dockerfile_with_wrong_case(workspace):
    (workspace / "flask-app" / "dockerfile").write_text(GOOD)
    assert failure(workspace, None).endswith(
        f"there is {workspace / 'flask-app' / 'dockerfile'}: the name is Dockerfile, exactly")


def test_missing_folder(workspace):
    message = failure(workspace, None, ALL_RULES.replace("{{ app_dir }}", "app"))
    assert message == (f"Dockerfile not found at app/Dockerfile (the workspace is {workspace}); "
                       f"there is no folder {workspace / 'app'}")


def test_empty_dockerfile(workspace):
    assert failure(workspace, "") == (
        "Dockerfile at flask-app/Dockerfile is empty; it starts with FROM and a base image, "
        "such as FROM python:3.12-slim")
    assert "holds only comments" in failure(workspace, "# TODO\n")


def test_no_from(workspace):
    result = judge(workspace, "RUN pip install -r requirements.txt\n")
    assert result.messages == (
        "Dockerfile line 1: RUN comes before the first FROM; only ARG may come before FROM",
        "Dockerfile: no FROM instruction; a Dockerfile starts with FROM and a base image, "
        "such as FROM python:3.12-slim",
    )


def test_unparseable_line_is_reported_with_its_number(workspace):
    result = judge(workspace, GOOD.replace("COPY . .", "COPY . .\nCOPPY app.py ."))
    assert result.messages == (
        "Dockerfile line 6: `COPPY app.py .` is not a Dockerfile instruction (did you mean COPY?)",
    )


def test_shell_form_cmd(workspace):
    assert failure(workspace, GOOD.replace('["python", "app.py"]', "python app.py")) == (
        'Dockerfile: CMD is in shell form (CMD python app.py); use the exec form '
        'CMD ["python", "app.py"] so the app runs as PID 1 and receives SIGTERM from docker '
        'stop (in shell form it runs under /bin/sh -c, which does not pass the signal on, so '
        'docker stop waits 10 seconds and then kills it)')


def test_shell_form_entrypoint(workspace):
    message = failure(workspace, GOOD.replace('CMD ["python", "app.py"]',
                                              "ENTRYPOINT python3 app.py"))
    assert message.startswith("Dockerfile: ENTRYPOINT is in shell form (ENTRYPOINT python3 "
                              'app.py); use the exec form ENTRYPOINT ["python3", "app.py"]')


def test_single_quoted_json_cmd(workspace):
    assert failure(workspace, GOOD.replace('["python", "app.py"]', "['python', 'app.py']")) == (
        "Dockerfile: CMD ['python', 'app.py'] (line 7) looks like the exec form but is not valid "
        "JSON (JSON needs double quotes), so Docker runs the text with /bin/sh -c, which fails; "
        'write CMD ["python", "app.py"]')


def test_shell_form_cmd_with_a_variable(workspace):
    message = failure(workspace, GOOD.replace('["python", "app.py"]', "python app.py $PORT"))
    assert message.endswith(". The exec form runs no shell, so a $VARIABLE there stays as "
                            "written: let the app read it from the environment (app.py reads "
                            "PORT itself)")


def test_shell_form_cmd_after_an_exec_form_entrypoint(workspace):
    dockerfile = GOOD.replace('CMD ["python", "app.py"]', 'ENTRYPOINT ["python"]\nCMD app.py')
    assert failure(workspace, dockerfile) == (
        'Dockerfile: CMD app.py (line 8) is in shell form, so the ENTRYPOINT gets '
        '["/bin/sh", "-c", "app.py"] as its arguments; write CMD as a JSON list such as '
        'CMD ["app.py"]')


def test_json_cmd_with_a_trailing_comment(workspace):
    message = failure(workspace, GOOD.replace('app.py"]', 'app.py"] # start'))
    assert "is not valid JSON (a comment cannot follow it on the same line)" in message


def test_shell_inside_the_exec_form(workspace):
    message = failure(workspace, GOOD.replace('["python", "app.py"]',
                                              '["sh", "-c", "python app.py"]'))
    assert "starts a shell (sh -c), so the shell is PID 1" in message
    assert message.endswith('run the app directly: CMD ["python", "app.py"]')


def test_code_copied_before_pip_install(workspace):
    dockerfile = dedent("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        EXPOSE 5000
        RUN pip install -r requirements.txt
        CMD ["python", "app.py"]
    """)
    assert failure(workspace, dockerfile) == (
        "Dockerfile: the code is copied (COPY . . on line 3) before pip install runs (line 5): "
        "every code change invalidates Docker's build cache from line 3 on, so pip install "
        "re-runs and downloads everything again. Copy requirements.txt and install first, then "
        "copy the rest.")


def test_code_copied_with_the_requirements_is_the_same_mistake(workspace):
    message = failure(workspace, GOOD.replace("COPY requirements.txt .",
                                              "COPY requirements.txt app.py ./"))
    assert message.startswith("Dockerfile: the code is copied (COPY requirements.txt app.py ./ "
                              "on line 3) before pip install runs (line 4)")


def test_requirements_copied_somewhere_else(workspace):
    message = failure(workspace, GOOD.replace("COPY requirements.txt .",
                                              "COPY requirements.txt /tmp/"))
    assert message == (
        "Dockerfile: pip install -r requirements.txt (line 4) reads /app/requirements.txt, but "
        "requirements.txt was copied to /tmp/requirements.txt (COPY requirements.txt /tmp/, "
        "line 3); the build would stop there")


def test_requirements_never_copied_before_pip(workspace):
    message = failure(workspace, GOOD.replace("COPY requirements.txt .\n", ""))
    assert message == (
        "Dockerfile: requirements.txt is not copied into the image before pip install -r "
        "requirements.txt runs (line 3), so the build would stop there; add "
        "COPY requirements.txt . before that RUN")


def test_missing_expose(workspace):
    assert failure(workspace, GOOD.replace("EXPOSE 5000\n", "")) == (
        "Dockerfile: no EXPOSE 5000; the app listens on port 5000, and EXPOSE 5000 records that "
        "(docker run -P publishes it)")


def test_wrong_expose(workspace):
    assert failure(workspace, GOOD.replace("EXPOSE 5000", "EXPOSE 8000")) == (
        "Dockerfile: no EXPOSE 5000 (found EXPOSE 8000 on line 6); the app listens on port "
        "5000, and EXPOSE 5000 records that (docker run -P publishes it)")
    assert "found EXPOSE 5000/udp" in failure(
        workspace, GOOD.replace("EXPOSE 5000", "EXPOSE 5000/udp"))


def test_expose_with_a_trailing_comment(workspace):
    result = judge(workspace, GOOD.replace("EXPOSE 5000", "EXPOSE 5000 # web"))
    assert result.messages[0] == (
        "Dockerfile line 6: `EXPOSE 5000 # web`: the # does not start a comment here (a comment "
        "must be on a line of its own), so the builder reads it as part of EXPOSE")


def test_expose_only_in_an_earlier_stage(workspace):
    dockerfile = CORRECT_VARIANTS["multi-stage builder"].replace(
        "EXPOSE 5000\n", "").replace("WORKDIR /build", "WORKDIR /build\nEXPOSE 5000")
    assert failure(workspace, dockerfile) == (
        "Dockerfile: no EXPOSE 5000 (line 3 is in an earlier stage, which does not carry into "
        "the final image); the app listens on port 5000, and EXPOSE 5000 records that "
        "(docker run -P publishes it)")


def test_wrong_base(workspace):
    assert failure(workspace, GOOD.replace("python:3.12-slim", "ubuntu:22.04")) == (
        "Dockerfile: FROM ubuntu:22.04 (line 1); expected a python image (such as "
        "python:3.12-slim), which comes with Python and pip installed")


def test_wrong_base_of_the_final_stage(workspace):
    dockerfile = CORRECT_VARIANTS["multi-stage builder"].replace(
        "FROM python:3.12-slim", "FROM debian:bookworm-slim")
    assert failure(workspace, dockerfile) == (
        "Dockerfile: the final image is built FROM debian:bookworm-slim (line 6); expected a "
        "python image (such as python:3.12-slim), which comes with Python and pip installed")


def test_no_workdir(workspace):
    dockerfile = dedent("""
        FROM python:3.12-slim
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """)
    assert failure(workspace, dockerfile) == (
        "Dockerfile: no WORKDIR, so COPY . . (line 4) puts the app's files in / among the "
        "system's folders (/etc, /usr, ...); add WORKDIR /app before copying the code, so the "
        "app has its own folder and commands run there")


def test_workdir_after_the_code_is_copied(workspace):
    dockerfile = dedent("""
        FROM python:3.12-slim
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        WORKDIR /app
        EXPOSE 5000
        CMD ["python", "/app.py"]
    """)
    assert failure(workspace, dockerfile) == (
        "Dockerfile: COPY . . (line 4) runs before any WORKDIR, so the app's files land in / "
        "among the system's folders; WORKDIR comes only after it (line 5); set WORKDIR before "
        "copying the code")


def test_code_copied_into_the_root_despite_a_workdir(workspace):
    assert failure(workspace, GOOD.replace("COPY . .", "COPY . /").replace(
        '"app.py"]', '"/app.py"]')) == (
        "Dockerfile: COPY . / (line 5) puts the app's files in / among the system's folders; "
        "copy them into the WORKDIR instead (COPY . .)")


def test_relative_workdir(workspace):
    assert failure(workspace, GOOD.replace("WORKDIR /app", "WORKDIR app")) == (
        "Dockerfile: WORKDIR app (line 2) is a relative path: it depends on the base image's "
        "working directory; write an absolute path such as WORKDIR /app")


def test_workdir_must_be_the_given_path(workspace):
    check = ALL_RULES.replace("workdir: true", "workdir: /app")
    assert judge(workspace, GOOD, check).passed
    assert failure(workspace, GOOD.replace("/app", "/srv/app"), check) == (
        "Dockerfile: the working directory is /srv/app (WORKDIR /srv/app, line 2); expected "
        "WORKDIR /app")


def test_no_pip_install(workspace):
    dockerfile = GOOD.replace("RUN pip install --no-cache-dir -r requirements.txt\n", "")
    assert failure(workspace, dockerfile) == (
        "Dockerfile: no RUN installs the app's packages (pip install -r requirements.txt), so "
        "they are missing when the app starts")


def test_pip_install_by_name(workspace):
    dockerfile = GOOD.replace("pip install --no-cache-dir -r requirements.txt",
                              "pip install flask")
    assert failure(workspace, dockerfile) == (
        "Dockerfile: RUN pip install flask (line 4) installs flask by name; install what the "
        "app lists with pip install -r requirements.txt, so the image gets exactly the packages "
        "in requirements.txt")


def test_pip_install_without_anything(workspace):
    result = judge(workspace, GOOD.replace("pip install --no-cache-dir -r requirements.txt",
                                           "pip install \n    -r requirements.txt"))
    assert result.messages == (
        "Dockerfile line 5: `-r requirements.txt` is not a Dockerfile instruction; if it "
        "continues the RUN above, end line 4 with \\",
        "Dockerfile: RUN pip install (line 4) runs pip install without -r requirements.txt; "
        "install what the app lists with pip install -r requirements.txt, so the image gets "
        "exactly the packages in requirements.txt",
    )


def test_pip_install_in_a_stage_the_final_image_does_not_use(workspace):
    dockerfile = dedent("""
        FROM python:3.12 AS deps
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        EXPOSE 5000
        CMD ["python", "app.py"]
    """)
    assert failure(workspace, dockerfile) == (
        "Dockerfile: no RUN installs the app's packages (pip install -r requirements.txt) "
        '(line 3 installs in stage "deps", but the final image neither builds on that stage '
        "nor copies from it), so they are missing when the app starts")


def test_no_cmd(workspace):
    assert failure(workspace, GOOD.replace('CMD ["python", "app.py"]\n', "")) == (
        "Dockerfile: no CMD, so the container would run the base image's default command (for "
        "the python image, a Python prompt) instead of the app; add CMD "
        '["python", "app.py"]')


def test_cmd_runs_another_file(workspace):
    assert failure(workspace, GOOD.replace('"app.py"', '"main.py"')) == (
        'Dockerfile: CMD ["python", "main.py"] (line 7) runs main.py; expected it to run app.py')


def test_cmd_runs_something_else(workspace):
    message = failure(workspace, GOOD.replace('["python", "app.py"]',
                                              '["gunicorn", "-b", "0.0.0.0:5000", "app:app"]'))
    assert message == (
        'Dockerfile: CMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"] (line 7) does not run '
        'app.py; expected it to start the app with CMD ["python", "app.py"]')


def test_app_copied_somewhere_the_cmd_does_not_look(workspace):
    dockerfile = GOOD.replace("COPY . .", "COPY . /code")
    assert failure(workspace, dockerfile) == (
        'Dockerfile: CMD ["python", "app.py"] (line 7) runs /app/app.py, but app.py was copied '
        'to /code/app.py (COPY . /code, line 5); the container would stop with "No such file '
        'or directory"')


def test_app_never_copied(workspace):
    assert failure(workspace, GOOD.replace("COPY . .\n", "")) == (
        'Dockerfile: app.py is never copied into the image, so CMD ["python", "app.py"] '
        "(line 6) has nothing to run; copy the code with COPY . . (after WORKDIR)")


def test_flask_run_without_host(workspace):
    message = failure(workspace, GOOD.replace('["python", "app.py"]',
                                              '["flask", "--app", "app", "run"]'))
    assert message == (
        'Dockerfile: CMD ["flask", "--app", "app", "run"] (line 7): flask run listens only on '
        "127.0.0.1 inside the container, so a published port reaches nothing; add --host "
        "0.0.0.0, or run python app.py")


def test_several_mistakes_give_one_message_each(workspace):
    dockerfile = dedent("""
        FROM ubuntu:22.04
        COPY . .
        RUN pip install -r requirements.txt
        EXPOSE 8000
        CMD python app.py
    """)
    messages = judge(workspace, dockerfile).messages
    assert [m.split(" ", 2)[1] for m in messages] == ["FROM", "no", "the", "no", "CMD"]


def test_the_hint_is_shown_with_a_failure(workspace):
    check = ALL_RULES + "  hint: Start from the Dockerfile of the previous step.\n"
    result = judge(workspace, GOOD.replace("EXPOSE 5000\n", ""), check)
    assert result.hints == ("Start from the Dockerfile of the previous step.",)


def test_placeholders_in_fields_are_rendered(workspace):
    check, problems = parse("""
        check:
          dockerfile:
            path: "{{ app_dir }}/Dockerfile"
            expose: "{{ port }}"
            workdir: "{{ dir }}"
            runs: "{{ script }}"
    """, declared=("app_dir", "port", "dir", "script"))
    assert problems == []
    (workspace / "flask-app" / "Dockerfile").write_text(GOOD)
    values = {"app_dir": "flask-app", "port": "5000", "dir": "/app", "script": "app.py"}
    assert evaluate(check, CheckContext(api=None, workspace=workspace, values=values)).passed
    values["port"] = "8080"
    result = evaluate(check, CheckContext(api=None, workspace=workspace, values=values))
    assert result.messages[0].startswith("Dockerfile: no EXPOSE 8080 (found EXPOSE 5000")


# =============================================================================================
# Loading the check from lesson YAML
# =============================================================================================


def test_all_fields_parse():
    check, problems = parse(ALL_RULES)
    assert problems == []
    assert check == DockerfileCheck(path="{{ app_dir }}/Dockerfile", base="python", workdir=True,
                                    requirements_first="requirements.txt", pip_install=True,
                                    expose=5000, cmd_exec_form=True, runs="app.py")


def test_requirements_first_true_means_requirements_txt():
    check, problems = parse("check:\n  dockerfile: {path: Dockerfile, requirements_first: true,"
                            " expose: 5000/TCP}\n")
    assert problems == []
    assert check.requirements_first == "requirements.txt" and check.expose == "5000/tcp"


@pytest.mark.parametrize("snippet, field, message", [
    ("{base: python}", "check.dockerfile.path", "is required"),
    ("{path: Dockerfile, requirement_first: requirements.txt}",
     "check.dockerfile.requirement_first",
     "unknown field 'requirement_first' (did you mean 'requirements_first'?)"),
    ("{path: Dockerfile, exposes: 5000}", "check.dockerfile.exposes", "did you mean 'expose'?"),
    ("{path: Dockerfile, expose: 70000}", "check.dockerfile.expose",
     "must be between 1 and 65535, found 70000"),
    ("{path: Dockerfile, expose: web}", "check.dockerfile.expose",
     "'web' is not a port such as 5000 or 5000/tcp"),
    ("{path: Dockerfile, expose: [5000]}", "check.dockerfile.expose",
     "must be a port such as 5000 or 5000/tcp, found a list"),
    ("{path: Dockerfile, workdir: app}", "check.dockerfile.workdir",
     "'app' must be an absolute path such as /app (or true)"),
    ("{path: Dockerfile, workdir: 1}", "check.dockerfile.workdir",
     "must be true or an absolute path such as /app, found a number"),
    ("{path: Dockerfile, base: 'python:3.12'}", "check.dockerfile.base",
     "'python:3.12' names a tag or digest; give just the image repository"),
    ("{path: Dockerfile, base: Python}", "check.dockerfile.base", "repository names are lowercase"),
    ("{path: Dockerfile, requirements_first: /app/requirements.txt}",
     "check.dockerfile.requirements_first", "relative to the Dockerfile's folder"),
    ("{path: Dockerfile, runs: /app/app.py}", "check.dockerfile.runs",
     "must be a file of the build context"),
    ("{path: Dockerfile, cmd_exec_form: yes please}", "check.dockerfile.cmd_exec_form",
     "must be true or false"),
    ("{path: Dockerfile, pip_install: 1}", "check.dockerfile.pip_install",
     "must be true or false"),
    ("{path: 5}", "check.dockerfile.path", "must be text"),
    ("Dockerfile", "check.dockerfile", "expected a mapping of fields"),
])
def test_field_problems(snippet, field, message):
    check, problems = parse(f"check:\n  dockerfile: {snippet}\n", declared=())
    assert check is None
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].where.field == field, str(problems[0])
    assert message in problems[0].message, str(problems[0])
    assert problems[0].line == 2


def test_field_problem_lines_in_block_style():
    text = """
        check:
          dockerfile:
            path: Dockerfile
            expose: http
            workdir: "{{ folder }}"
    """
    check, problems = parse(text, declared=("folder_name",))
    assert check is None
    found = {(p.where.field, p.line) for p in problems}
    assert found == {("check.dockerfile.expose", line_of(dedent(text), "expose")),
                     ("check.dockerfile.workdir", line_of(dedent(text), "workdir"))}
    assert any("did you mean 'folder_name'?" in p.message for p in problems)
