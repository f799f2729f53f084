"""The completion name cache hands out one tuple per set of names: the completer keeps
what it built from that tuple until the names change."""

from __future__ import annotations

import pytest
from fake_engine import FakeEngine

from tutor.engine.connection import EngineStatus
from tutor.practice.names import NameCache


class AnsweringEngine:
    """Just what the name cache reads: an engine that answers, and its API."""

    def __init__(self, api: FakeEngine) -> None:
        self.api = api
        self.last_status = EngineStatus(ok=True, server_version="20.10.24", api_version="1.41",
                                        negotiated_api_version="1.41")


@pytest.fixture
def api() -> FakeEngine:
    api = FakeEngine()
    api.add_image("busybox:latest")
    api.add_container("web")
    api.add_container("db")
    return api


def refreshed(cache: NameCache, kind: str) -> tuple[str, ...]:
    """The names after a refresh that has finished (the cache is made stale first)."""
    cache._at = float("-inf")
    cache.known(kind)
    assert cache._thread is not None
    cache._thread.join(timeout=5)
    return cache.known(kind)


def test_names_are_sorted_tuples(api):
    cache = NameCache(lambda: AnsweringEngine(api))
    assert refreshed(cache, "container") == ("db", "web")
    assert cache.known("image") == ("busybox:latest",)


def test_unchanged_names_come_back_as_the_same_tuple_after_a_refresh(api):
    cache = NameCache(lambda: AnsweringEngine(api))
    first = refreshed(cache, "container")
    images = cache.known("image")
    assert refreshed(cache, "container") is first
    assert cache.known("image") is images


def test_changed_names_come_back_as_a_new_tuple(api):
    cache = NameCache(lambda: AnsweringEngine(api))
    first = refreshed(cache, "container")
    images = cache.known("image")
    api.add_container("app")
    assert refreshed(cache, "container") == ("app", "db", "web")
    assert cache.known("image") is images  # only the kind that changed is new
    assert first == ("db", "web")  # handed-out tuples never change
