"""/explain docker ...: a command taken apart from the model, never run."""

import pytest

from tutor.dockercli import parse, split_command
from tutor.dockercli.explain import explain


def rows(line):
    return explain(parse(split_command(line)))


def test_run_is_explained_flag_by_flag_with_image_and_command():
    got = dict(rows("docker run -d -p 8080:80 --name web busybox httpd -f -p 80"))
    assert "(the same as `docker container run`)" in got["docker run"]
    assert got["--publish 8080:80"].startswith("Publish a container's port")
    assert "(short: -p)" in got["--publish 8080:80"]
    assert "--detach" in got and "--name web" in got
    assert got["busybox"].startswith("the image to start from")
    # The container's own -p stays part of its command, not a docker flag.
    assert got["httpd -f -p 80"].startswith("the command to run in the container")
    assert "-p 80" not in got  # after a program name, -p is not mistaken for docker's


@pytest.mark.parametrize("line", ["docker ps -a", "docker container ls --all",
                                  "docker container list -a"])
def test_spellings_of_one_command_explain_the_same_flags(line):
    assert rows(line)[1:] == rows("docker ps -a")[1:]


def test_repeated_values_each_get_a_row():
    got = [words for words, _ in rows("docker run -e A=1 -e B=2 busybox")]
    assert "--env A=1" in got and "--env B=2" in got


def test_cp_names_source_and_destination():
    got = rows("docker cp notes.txt web:/tmp/")
    assert got[1] == ("notes.txt", "copy from (CONTAINER:PATH or a local path)")
    assert got[2] == ("web:/tmp/", "copy to (a local path or CONTAINER:PATH)")


def test_global_options_show_their_value():
    got = dict(rows("docker --context colima ps"))
    assert "--context colima" in got


def test_slash_explain_with_a_command_explains_without_running(make_talk, course):
    from conftest import FakePractice

    practice = FakePractice()
    talk = make_talk(course, practice=practice)
    out = talk.say("/explain docker rmi -f busybox")
    assert "--force" in out and "busybox" in out and "(Explained, not run.)" in out
    assert practice.calls == []
    assert "shell syntax (pipe)" in talk.say("/explain docker ps | grep web")
    assert "Did you mean 'docker images'" in talk.say("/explain docker imgaes")


def test_slash_explain_shows_typed_brackets_as_text(make_talk, course):
    # The rows quote the learner's words; rich must not take [bold] or [::1] as markup.
    talk = make_talk(course)
    out = talk.say("/explain docker run -e 'MSG=[bold]hi' -p '[::1]:8080:80' busybox")
    assert "MSG=[bold]hi" in out and "[::1]:8080:80" in out
    assert "Host port 8080 → container port 80" in out
