"""Step variables (``vars``): names and ports that never clash with what the learner has.

No engine: the engine side is tests/fake_engine.py; ports are real sockets on this machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fake_engine import FakeEngine

from tutor.course.practice_spec import VarSpec
from tutor.practice.variables import (
    PORT_SEARCH_LIMIT,
    choose_values,
    container_names,
    first_free_name,
    first_free_port,
    port_is_free,
    published_ports,
)


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something on this machine listens on (all addresses) for the test's duration."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.fixture
def loopback_listening() -> Iterator[int]:
    """A port listened on at 127.0.0.1 only (a dev server bound to localhost)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


class InfoEngine(FakeEngine):
    """FakeEngine plus GET /info (what engine_fact reads)."""

    def __init__(self, info: dict) -> None:
        super().__init__()
        self.info_ = info

    def info(self):
        self._record("info")
        return dict(self.info_)


# -- first_free_name ----------------------------------------------------------------------


@pytest.mark.parametrize("taken, expected", [
    (set(), "web"),
    ({"db", "web-2"}, "web"),              # web-2 alone does not make web taken
    ({"web"}, "web-2"),
    ({"web", "web-2", "web-3"}, "web-4"),
    ({"web", "web-3"}, "web-2"),           # the first gap
    ({"WEB"}, "web"),                      # docker names are case-sensitive
    ({"webserver"}, "web"),                # a longer name is not the same name
])
def test_first_free_name(taken, expected):
    assert first_free_name("web", taken) == expected


# -- first_free_port ------------------------------------------------------------------------


def test_a_port_nobody_uses_is_kept():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Released again: free (racy only if another process grabs it in these microseconds).
    assert port_is_free(port)
    assert first_free_port(port, set()) == port


def test_a_port_bound_in_the_test_is_skipped(listening):
    assert not port_is_free(listening)
    chosen = first_free_port(listening, set())
    assert chosen != listening
    assert listening < chosen < listening + PORT_SEARCH_LIMIT
    assert port_is_free(chosen)


def test_a_port_bound_on_loopback_only_is_skipped(loopback_listening):
    # `python -m http.server --bind 127.0.0.1` must count: -p PORT:80 would clash with it.
    assert not port_is_free(loopback_listening)
    assert first_free_port(loopback_listening, set()) != loopback_listening


def test_a_port_a_container_publishes_is_skipped_even_when_it_is_free_here():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chosen = first_free_port(port, {port, port + 1})
    assert chosen not in (port, port + 1)
    assert chosen > port + 1


def test_when_every_nearby_port_is_taken_the_wanted_one_is_returned(listening):
    taken = set(range(listening, listening + PORT_SEARCH_LIMIT + 5))
    assert first_free_port(listening, taken) == listening


def test_port_search_stops_at_65535():
    # Nothing above 65535 is ever offered, whatever is taken.
    assert first_free_port(65535, {65535}) == 65535


# -- reading the engine -------------------------------------------------------------------


def test_container_names_and_published_ports_come_from_all_containers():
    api = FakeEngine()
    api.add_container("web", ports={"80/tcp": "8080"})
    api.add_container("old", state="exited")
    api.add_container("db", ports={"5432/tcp": "127.0.0.1:15432"})
    assert container_names(api) == {"web", "old", "db"}
    assert published_ports(api) == {8080, 15432}
    assert all(call[1] is True for call in api.calls if call[0] == "containers")  # all=True


# -- choose_values ---------------------------------------------------------------------------


def test_free_name_avoids_existing_containers_even_stopped_ones():
    api = FakeEngine()
    api.add_container("web", state="exited")
    api.add_container("web-2")
    values = choose_values(api, [VarSpec("name", "free_name", "web")])
    assert values == {"name": "web-3"}


def test_two_free_names_with_the_same_base_get_different_names():
    api = FakeEngine()
    api.add_container("web")
    values = choose_values(api, [VarSpec("first", "free_name", "web"),
                                 VarSpec("second", "free_name", "web")])
    assert values == {"first": "web-2", "second": "web-3"}


def test_free_port_avoids_ports_running_containers_publish():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = FakeEngine()
    api.add_container("web", ports={"80/tcp": str(port)})
    values = choose_values(api, [VarSpec("port", "free_port", str(port))])
    assert values["port"] != str(port)
    assert int(values["port"]) > port


def test_free_port_skips_a_port_listened_on_here(listening):
    values = choose_values(FakeEngine(), [VarSpec("port", "free_port", str(listening))])
    assert int(values["port"]) != listening


def test_two_free_ports_with_the_same_default_differ():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    values = choose_values(FakeEngine(), [VarSpec("a", "free_port", str(port)),
                                          VarSpec("b", "free_port", str(port))])
    assert values["a"] == str(port)
    assert values["b"] != values["a"]


def test_value_is_taken_as_is_and_asks_the_engine_nothing():
    api = FakeEngine()
    values = choose_values(api, [VarSpec("greeting", "value", "hello {{ x }}")])
    assert values == {"greeting": "hello {{ x }}"}
    assert api.calls == []


@pytest.mark.parametrize("fact, key, value", [
    ("kernel", "KernelVersion", "6.1.0-18-amd64"),
    ("os", "OperatingSystem", "Debian GNU/Linux 12 (bookworm)"),
    ("architecture", "Architecture", "x86_64"),
    ("version", "ServerVersion", "20.10.24+dfsg1"),
])
def test_engine_fact_reads_docker_info(fact, key, value):
    info = {"KernelVersion": "k", "OperatingSystem": "o", "Architecture": "a",
            "ServerVersion": "v", key: value}
    api = InfoEngine(info)
    assert choose_values(api, [VarSpec("fact", "engine_fact", fact)]) == {"fact": value}
    assert "info" in api.call_names()


def test_engine_fact_missing_from_info_reads_unknown():
    api = InfoEngine({"ServerVersion": "20.10.24"})
    assert choose_values(api, [VarSpec("kernel", "engine_fact", "kernel")]) == {
        "kernel": "unknown"}


def test_only_the_engine_calls_the_forms_need_are_made():
    api = FakeEngine()
    api.add_container("web")
    choose_values(api, [VarSpec("name", "free_name", "web")])
    assert set(api.call_names()) == {"containers"}


# -- personal names on a shared engine ------------------------------------------------------


@pytest.mark.parametrize("form, default, expected", [
    ("free_name", "web", "web-3f2a"),
    ("free_volume", "notes", "notes-3f2a"),
    ("free_network", "backend", "backend-3f2a"),
    ("free_image", "hello:1", "hello-3f2a:1"),
    ("free_image", "localhost:5000/hello:1", "localhost:5000/hello-3f2a:1"),
    ("free_port", "8080", str(8080 + (0x3f2a % 100) * 10)),
    ("value", "8080", "8080"),             # a fixed value is never personal
])
def test_personal_defaults(form, default, expected):
    from tutor.practice.variables import personal_default

    assert personal_default(form, default, "3f2a") == expected


def test_a_personal_port_stays_a_port():
    from tutor.practice.variables import personal_default

    assert personal_default("free_port", "65530", "ffff") == "65535"


def test_personal_names_still_avoid_what_exists():
    engine = FakeEngine()
    engine.add_container("web-3f2a")
    values = choose_values(engine, [VarSpec("name", "free_name", "web")], personal="3f2a")
    assert values == {"name": "web-3f2a-2"}


def test_without_a_suffix_names_start_from_the_default():
    engine = FakeEngine()
    assert choose_values(engine, [VarSpec("name", "free_name", "web")]) == {"name": "web"}


@pytest.mark.parametrize("learner", ["3f2a9c0d1e2b", "bench-learner-7", "Ana", "x"])
def test_a_personal_suffix_is_four_hex_digits_whatever_the_learner_id(learner):
    from tutor.practice.values import personal_suffix

    suffix = personal_suffix(learner)
    assert len(suffix) == 4 and int(suffix, 16) >= 0
    assert suffix == personal_suffix(learner)  # the same learner, the same names
    if learner == "3f2a9c0d1e2b":
        assert suffix == "3f2a"
