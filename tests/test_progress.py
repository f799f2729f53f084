"""The progress file: round trip, atomic writes, corrupt files kept aside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tutor.progress import PASSED, SKIPPED, Progress, ProgressStore


def sample() -> Progress:
    progress = Progress(current_lesson="second", current_step="pick")
    first = progress.lesson("first")
    first.completed_at = "2024-01-02T03:04:05+0000"
    first.step("intro").status = PASSED
    kernel = first.step("kernel")
    kernel.status = PASSED
    kernel.attempts = 2
    kernel.hints = 1
    kernel.revealed = True
    first.step("registry").status = SKIPPED
    progress.lesson("second").step("hello").status = PASSED
    return progress


def leftovers(directory: Path) -> list[str]:
    """Files beside progress.json, but for the lock file sessions share."""
    return sorted(p.name for p in directory.iterdir()
                  if p.name not in ("progress.json", "progress.json.lock"))


def test_round_trip(tmp_path):
    store = ProgressStore(tmp_path / "sub" / "progress.json")  # the directory is created
    store.save(sample())
    result = store.load()
    assert result.backup is None and result.problem is None
    assert result.progress == sample()
    assert result.progress.lessons["first"].completed
    assert not result.progress.lessons["second"].completed


def test_saving_again_replaces_the_content(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.save(sample())
    store.save(Progress())
    assert store.load().progress == Progress()


def test_missing_file_gives_fresh_progress(tmp_path):
    result = ProgressStore(tmp_path / "progress.json").load()
    assert result.progress == Progress()
    assert result.backup is None and result.problem is None
    assert list(tmp_path.iterdir()) == []


def test_save_leaves_no_temporary_files(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    for _ in range(3):
        store.save(sample())
    assert leftovers(tmp_path) == []
    json.loads((tmp_path / "progress.json").read_text())  # complete, valid JSON


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.save(sample())
    before = path.read_bytes()

    def broken_replace(src, dst, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(Progress(current_lesson="other", current_step="x"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert store.load().progress == sample()


def test_failed_write_of_the_payload_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.save(sample())
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save(Progress())
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "content",
    [
        b"{ this is not json",
        b"",
        b'{"version": 99, "current": null, "lessons": {}}',  # a future version
        b'{"current": null, "lessons": {}}',  # no version at all
        b"[1, 2, 3]",
        b'{"version": 1, "current": "first", "lessons": {}}',  # wrong shape
        b'{"version": 1, "current": null, "lessons": {"first": {"steps": {"a": '
        b'{"attempts": "many"}}}}}',
        b'{"version": 1, "current": null, "lessons": {"first": []}}',
    ],
)
def test_unreadable_file_is_moved_aside_byte_for_byte(tmp_path, content):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    result = ProgressStore(path).load()
    assert result.progress == Progress()
    assert result.problem
    assert result.backup is not None
    assert result.backup.parent == tmp_path
    assert result.backup.name.startswith("progress.json.corrupt-")
    assert result.backup.read_bytes() == content
    assert not path.exists()


def test_file_that_is_not_utf8_is_moved_aside(tmp_path):
    path = tmp_path / "progress.json"
    content = b"\xff\xfe\x00\x9cgarbage"
    path.write_bytes(content)
    result = ProgressStore(path).load()
    assert result.progress == Progress()
    assert result.backup is not None and result.backup.read_bytes() == content


def test_two_corrupt_files_get_two_backups(tmp_path):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    path.write_bytes(b"first garbage")
    first = store.load().backup
    path.write_bytes(b"second garbage")
    second = store.load().backup
    assert first != second
    assert first.read_bytes() == b"first garbage"
    assert second.read_bytes() == b"second garbage"


def test_after_a_backup_saving_works_again(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("nonsense")
    store = ProgressStore(path)
    store.load()
    store.save(sample())
    assert store.load().progress == sample()


def test_unknown_step_status_is_read_as_unfinished(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({
        "version": 1,
        "current": {"lesson": "first", "step": "kernel"},
        "lessons": {"first": {"completed_at": None,
                              "steps": {"kernel": {"status": "bogus", "attempts": 3}}}},
    }))
    result = ProgressStore(path).load()
    assert result.backup is None
    record = result.progress.lessons["first"].steps["kernel"]
    assert record.status is None and record.attempts == 3
    assert (result.progress.current_lesson, result.progress.current_step) == ("first", "kernel")


# -- two sessions on one data folder -------------------------------------------------------


def test_two_sessions_on_one_folder_lose_no_finished_step(tmp_path):
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    mine, theirs = first.load().progress, second.load().progress

    # Session one finishes lesson "a"; session two, opened earlier, works on lesson "b".
    mine.lesson("a").step("intro").status = PASSED
    mine.lesson("a").completed_at = "2026-01-01T10:00:00+0000"
    first.save(mine)
    theirs.lesson("b").step("kernel").status = PASSED
    theirs.current_lesson, theirs.current_step = "b", "kernel"
    second.save(theirs)

    on_disk = ProgressStore(path).load().progress
    assert on_disk.lessons["a"].completed
    assert on_disk.lessons["a"].steps["intro"].status == PASSED
    assert on_disk.lessons["b"].steps["kernel"].status == PASSED
    assert on_disk.current_lesson == "b"  # the position is the last saver's
    # The session that saved last now sees the other's work too, in the records it holds.
    assert theirs.lessons["a"].completed


def test_both_sessions_in_one_lesson_keep_the_best_of_each_step(tmp_path):
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    mine, theirs = first.load().progress, second.load().progress
    mine.lesson("a").step("one").status = PASSED
    mine.lesson("a").step("two").attempts = 3
    first.save(mine)
    theirs.lesson("a").step("two").status = SKIPPED
    theirs.lesson("a").step("one").hints = 2
    second.save(theirs)

    steps = ProgressStore(path).load().progress.lessons["a"].steps
    assert steps["one"].status == PASSED and steps["one"].hints == 2
    assert steps["two"].status == SKIPPED and steps["two"].attempts == 3


def test_a_reset_in_one_session_is_not_undone_by_the_others_old_state(tmp_path):
    path = tmp_path / "progress.json"
    setup = ProgressStore(path)
    progress = setup.load().progress
    progress.lesson("a").step("one").status = PASSED
    setup.save(progress)

    first, second = ProgressStore(path), ProgressStore(path)
    mine, theirs = first.load().progress, second.load().progress
    mine.lessons.pop("a")  # /reset a
    first.save(mine)
    theirs.current_lesson = None  # the other session changes nothing in lesson "a"
    second.save(theirs)
    assert "a" not in ProgressStore(path).load().progress.lessons


def test_temporary_files_left_by_a_killed_session_are_swept_at_start(tmp_path):
    path = tmp_path / "progress.json"
    ProgressStore(path).save(sample())
    for name in (".progress-abc123.tmp", ".progress-def456.tmp"):
        (tmp_path / name).write_text('{"half": ')
    assert ProgressStore(path).load().progress == sample()
    assert leftovers(tmp_path) == []


def test_the_learner_id_is_kept_and_old_files_still_load(tmp_path):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    progress = sample()
    store.save(progress)
    assert ProgressStore(path).load().progress.learner == progress.learner
    old = {"version": 1, "current": None,
           "lessons": {"first": {"completed_at": None, "steps": {"intro": {"status": "passed"}}}}}
    path.write_text(json.dumps(old))
    loaded = ProgressStore(path).load()
    assert loaded.backup is None
    assert loaded.progress.lessons["first"].steps["intro"].status == PASSED
    assert len(loaded.progress.learner) == 12


def test_merging_keeps_the_record_objects_a_session_holds(tmp_path):
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    mine, theirs = first.load().progress, second.load().progress
    held = theirs.lesson("b")  # the practice session holds the open lesson's record
    mine.lesson("a").step("one").status = PASSED
    first.save(mine)
    held.values["port"] = "5001"
    second.save(theirs)
    assert theirs.lessons["b"] is held
    held.values["name"] = "web"
    second.save(theirs)
    assert ProgressStore(path).load().progress.lessons["b"].values == {"port": "5001",
                                                                        "name": "web"}
