"""Completion candidates for docker command lines (model only, no engine)."""

import pytest

from tutor.dockercli.complete import suggest


def names(pairs):
    return [text for text, _meta in pairs]


def test_top_level_commands_complete_from_prefix():
    got = names(suggest((), "im"))
    assert "images" in got and "image" in got
    assert all(name.startswith("im") for name in got)


def test_subcommands_of_a_group():
    got = names(suggest(("container",), "l"))
    assert {"ls", "logs"} <= set(got)
    assert "run" not in got


@pytest.mark.parametrize("before", [("run",), ("container", "run"), ("run", "-d")])
def test_long_flags_of_the_command(before):
    got = names(suggest(before, "--pub"))
    assert "--publish" in got
    assert "--detach" not in got


def test_flags_carry_descriptions():
    (meta,) = [meta for text, meta in suggest(("run",), "--rm") if text == "--rm"]
    assert "remove" in meta.lower()


def test_nothing_offered_for_a_flag_value():
    assert suggest(("run", "-p"), "") == []


def test_nothing_offered_after_the_image_of_run():
    # Words after the image are the container's command, not docker's.
    assert suggest(("run", "busybox"), "") == []


def test_no_subcommands_offered_for_a_leaf_command():
    assert suggest(("ps",), "") == []


def test_unknown_group_offers_nothing():
    assert suggest(("imgaes",), "") == []


@pytest.mark.parametrize("before, kind", [
    (("exec",), "container"), (("exec", "-it"), "container"), (("exec", "web"), None),
    (("rm", "-f", "old"), "container"), (("logs", "--tail", "5"), "container"),
    (("run", "-d", "-p", "80:80"), "image"), (("run", "busybox"), None),
    (("rmi",), "image"), (("image", "rm"), "image"), (("tag",), "image"), (("tag", "a"), None),
    (("ps",), None), (("pull",), None),
])
def test_argument_kind_says_what_the_word_names(before, kind):
    from tutor.dockercli.complete import argument_kind

    assert argument_kind(before) == kind
