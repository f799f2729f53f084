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
