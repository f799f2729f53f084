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
    return sorted(p.name for p in directory.iterdir() if p.name != "progress.json")


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
