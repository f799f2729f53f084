"""The command model's tables: each flag row is written once and shared."""

from __future__ import annotations

from tutor.dockercli import catalog


def _all_flag_objects():
    for spec in catalog.BY_PATH.values():
        yield from spec.flags


def test_a_flag_repeated_across_commands_is_one_shared_definition() -> None:
    # Two equal rows in two tables drift apart when one is edited; equal flags
    # must therefore be the same object, defined once in flagsets.
    first_seen: dict[tuple, object] = {}
    copies = []
    for flag in _all_flag_objects():
        seen = first_seen.setdefault(tuple(flag), flag)
        if seen is not flag:
            copies.append(flag)
    assert not copies, f"{len(copies)} flag rows repeated verbatim, e.g. {copies[0]}"


def test_shared_flags_keep_their_place_in_each_command() -> None:
    # docker lists flags alphabetically; shared tuples are spliced in order.
    for path in (("container", "run"), ("container", "create"), ("container", "update"),
                 ("container", "stop"), ("image", "build"), ("context", "create")):
        names = [flag.name for flag in catalog.BY_PATH[path].flags]
        if path == ("container", "run"):  # run's own flags follow the shared ones
            names = names[:-3]
        assert names == sorted(names), path
