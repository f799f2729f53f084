"""Selftest and volumes and networks: what the played commands made goes between attempts
and at the end, what existed before stays, and other people's fixtures are not ours.

Real engine; the label keys are renamed per test as in tests/test_selftest.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from engine_helpers import TEST_LABEL, ensure_image, require_engine
from test_selftest import Run, lesson

from tutor.practice.inventory import snapshot
from tutor.practice.selftest import roll_back
from tutor.practice.untouched import EngineState, changes, mentioned_parts
from tutor.status import ExitStatus

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def api():
    client = require_engine()
    ensure_image(client, "busybox", "latest")
    return client


@pytest.fixture
def run(api, tmp_path, monkeypatch) -> Iterator[Run]:
    """As in tests/test_selftest.py: this test's own label keys, removed afterwards."""
    uid = uuid.uuid4().hex[:8]
    made = Run(api, tmp_path, fixture_key=f"org.docker-tutor.fixture-test-{uid}",
               selftest_key=f"org.docker-tutor.selftest-test-{uid}")
    monkeypatch.setattr("tutor.practice.fixtures.FIXTURE_LABEL", made.fixture_key)
    monkeypatch.setattr("tutor.practice.selftest.SELFTEST_LABEL", made.selftest_key)
    yield made
    made.cleanup()


def volume_step(uid: str) -> str:
    return f"""
  - id: keep-notes
    type: command
    task: Write hi into notes.txt of the volume `{{{{ vol }}}}`, on the network `{{{{ net }}}}`.
    vars:
      vol: {{ free_volume: tutor-test-vol-{uid} }}
      net: {{ free_network: tutor-test-net-{uid} }}
    setup:
      - volume: {{ as: spare, files: {{ a.txt: a }} }}
    check:
      all:
        - volume: {{ name: "{{{{ vol }}}}", path: notes.txt, contains: hi }}
        - network: {{ name: "{{{{ net }}}}" }}
    hints: [docker volume create.]
    explanation: Kept.
    solution:
      - "docker network create {{{{ net }}}}"
      - "docker run --rm --network {{{{ net }}}} -v {{{{ vol }}}}:/d busybox sh -c 'echo hi > /d/notes.txt'"
    alternatives:
      - - "docker network create {{{{ net }}}}"
        - "docker run --rm --network={{{{ net }}}} --mount type=volume,source={{{{ vol }}}},target=/d busybox sh -c 'echo hi > /d/notes.txt'"
    wrong:
      - commands: ["docker volume create {{{{ vol }}}}"]
        reason: "notes.txt is missing"
"""


def test_volumes_and_networks_the_commands_made_go_between_attempts_and_at_the_end(run, api):
    lesson_id = f"objects-{run.uid}"
    lessons = run.course({lesson_id: lesson(lesson_id, volume_step(run.uid))})
    code, out = run.selftest(lessons, lesson_id)
    assert code == ExitStatus.SUCCESS, out
    assert "left behind" not in out
    with pytest.raises(docker.errors.NotFound):
        api.inspect_volume(f"tutor-test-vol-{run.uid}")
    with pytest.raises(docker.errors.NotFound):
        api.inspect_network(f"tutor-test-net-{run.uid}")
    # The fixture volume went too.
    assert not (api.volumes(filters={"label": run.fixture_key}) or {}).get("Volumes")


def test_a_volume_that_existed_before_is_neither_used_nor_removed(run, api):
    mine = f"tutor-test-vol-{run.uid}"
    api.create_volume(mine, labels=TEST_LABEL)
    try:
        lesson_id = f"objects-{run.uid}"
        lessons = run.course({lesson_id: lesson(lesson_id, volume_step(run.uid))})
        code, out = run.selftest(lessons, lesson_id)
        assert code == ExitStatus.SUCCESS, out
        api.inspect_volume(mine)  # still there: the lesson chose another name
        with pytest.raises(docker.errors.NotFound):
            api.inspect_volume(f"{mine}-2")
    finally:
        api.remove_volume(mine, force=True)


def test_other_sessions_fixture_volumes_and_networks_do_not_fail_selftest(run, api):
    theirs = f"tutor-test-theirs-{run.uid}"
    labels = {**TEST_LABEL, run.fixture_key: "some-other-lesson/step"}
    api.create_volume(theirs, labels=labels)
    api.create_network(theirs, labels=labels)
    try:
        lesson_id = f"objects-{run.uid}"
        lessons = run.course({lesson_id: lesson(lesson_id, volume_step(run.uid))})
        code, out = run.selftest(lessons, lesson_id)
        assert "left behind" not in out
        assert code == ExitStatus.SUCCESS, out
        api.inspect_volume(theirs)
        api.inspect_network(theirs)
    finally:
        api.remove_volume(theirs, force=True)
        api.remove_network(theirs)


def test_roll_back_removes_new_volumes_and_networks_the_commands_named_only(run, api):
    before = snapshot(api, volumes_and_networks=True)
    named, unnamed = f"tutor-test-named-{run.uid}", f"tutor-test-unnamed-{run.uid}"
    for name in (named, unnamed):
        api.create_volume(name, labels=TEST_LABEL)
        api.create_network(name, labels=TEST_LABEL)
    try:
        roll_back(api, before, [f"docker run -v {named}:/data --network={named} busybox"],
                  run.selftest_key)
        with pytest.raises(docker.errors.NotFound):
            api.inspect_volume(named)
        with pytest.raises(docker.errors.NotFound):
            api.inspect_network(named)
        api.inspect_volume(unnamed)  # someone else's, made meanwhile: left alone
        api.inspect_network(unnamed)
    finally:
        for name in (named, unnamed):
            for remove in (api.remove_volume, api.remove_network):
                try:
                    remove(name)
                except docker.errors.NotFound:
                    pass


# -- the words that name volumes and networks -----------------------------------------------------


def test_names_inside_mount_and_network_options_are_found():
    parts = mentioned_parts([
        "docker run -v notes:/data busybox",
        "docker run --mount type=volume,source=cache,target=/c --network=backend busybox",
        "docker volume rm 'quoted name'",
        "docker run 'unbalanced",
    ])
    assert {"notes", "/data", "cache", "backend", "quoted name"} <= parts
    assert "type=volume,source=cache,target=/c" in parts
    assert "unbalanced" not in parts  # a line that cannot be split names nothing


def test_the_guard_reports_volumes_and_networks_the_commands_removed():
    before = EngineState({}, {}, frozenset({"notes", "other"}), frozenset({"backend", "front"}))
    after = EngineState({}, {}, frozenset({"other"}), frozenset({"front"}))
    found = changes(before, after, ["docker volume rm notes", "docker network rm backend"])
    assert found == ["volume notes was removed", "network backend was removed"]
    # Removed by someone else, named by no command: not selftest's doing.
    assert changes(before, after, ["docker ps"]) == []


def test_a_tag_given_as_an_option_with_equals_is_a_name_the_commands_made():
    from tutor.practice.selftest import named_references

    names = named_references(["docker build --tag=hello-2:1 .", "docker tag a b:2",
                              "docker run -e MODE=production busybox"])
    assert {"hello-2:1", "b:2", "busybox:latest"} <= names
    assert "MODE=production:latest" not in names


def test_two_names_of_one_image_are_both_remembered():
    from tutor.practice.created import CreatedTracker
    from tutor.practice.place import LessonPlace

    tracker = CreatedTracker(LessonPlace(Path("/nonexistent")))
    same = "sha256:" + "a" * 64
    tracker.remember([{"kind": "image", "ref": "hello:latest", "id": same}])
    tracker.remember([{"kind": "image", "ref": "hello:1", "id": same},
                      {"kind": "image", "ref": "hello:1", "id": same}])
    assert [item["ref"] for item in tracker.items] == ["hello:latest", "hello:1"]
    assert tracker.made_image("hello:1")
