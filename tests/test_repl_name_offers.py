"""Container and image names at the prompt: the completions are made once per list of
names and offered again, and still say exactly what a fresh build would."""

from __future__ import annotations

from conftest import FakePractice
from prompt_toolkit.completion import CompleteEvent, Completion
from prompt_toolkit.document import Document

from tutor.course.lesson import Course
from tutor.repl import name_offers
from tutor.repl.completer import TutorCompleter
from tutor.repl.name_offers import NameOffers

NAMES = ("app", "db", "web", "web-1", "web-2")


def fresh(names, prefix: str, kind: str = "container") -> list[Completion]:
    """What the completer offered before it kept its completions."""
    return [Completion(name, -len(prefix), display_meta=kind)
            for name in names if name.startswith(prefix)]


def described(completions) -> list[tuple[str, int, str, str]]:
    return [(c.text, c.start_position, c.display_text, c.display_meta_text)
            for c in completions]


def test_a_prefix_offers_the_names_it_starts_in_their_order():
    offers = NameOffers("container")
    assert [c.text for c in offers.matching(NAMES, "web")] == ["web", "web-1", "web-2"]
    assert [c.text for c in offers.matching(NAMES, "web-")] == ["web-1", "web-2"]
    assert [c.text for c in offers.matching(NAMES, "")] == list(NAMES)
    assert offers.matching(NAMES, "x") == ()
    assert offers.matching(NAMES, "WEB") == ()  # names are case-sensitive


def test_the_order_is_the_names_own_not_sorted_again():
    names = ("web", "app", "db")
    assert [c.text for c in NameOffers("container").matching(names, "")] == list(names)


def test_the_completions_equal_a_fresh_build():
    offers = NameOffers("image")
    for prefix in ("", "w", "web", "web-", "web-2", "nothing"):
        offered = offers.matching(NAMES, prefix)
        assert list(offered) == fresh(NAMES, prefix, "image")
        assert described(offered) == described(fresh(NAMES, prefix, "image"))


def test_the_same_names_and_prefix_offer_the_same_objects_again():
    offers = NameOffers("container")
    first = offers.matching(NAMES, "")
    again = offers.matching(NAMES, "")
    assert all(a is b for a, b in zip(first, again, strict=True))
    # A longer prefix starts elsewhere: its completions are other objects.
    assert offers.matching(NAMES, "w")[0] is not first[2]


def test_new_names_are_offered_and_gone_ones_are_not():
    offers = NameOffers("container")
    before = offers.matching(NAMES, "")
    changed = ("app", "cache", "web")
    after = offers.matching(changed, "")
    assert [c.text for c in after] == ["app", "cache", "web"]
    assert after[0] is before[0] and after[2] is before[2]  # kept names keep their object
    assert described(after) == described(fresh(changed, ""))
    assert [c.text for c in offers.matching(changed, "d")] == []  # "db" is gone


def test_a_different_list_with_other_names_is_never_answered_from_the_old_one():
    offers = NameOffers("container")
    names = ["web"]
    assert [c.text for c in offers.matching(names, "")] == ["web"]
    assert [c.text for c in offers.matching(["web", "db"], "")] == ["web", "db"]


def test_many_prefixes_are_forgotten_without_losing_any_answer(monkeypatch):
    monkeypatch.setattr(name_offers, "PREFIXES_KEPT", 3)
    offers = NameOffers("container")
    for _ in range(2):
        for prefix in ("", "a", "d", "w", "web", "web-"):
            assert list(offers.matching(NAMES, prefix)) == fresh(NAMES, prefix)
    assert len(offers._by_prefix) <= 3


# -- through the completer ------------------------------------------------------------------


def completer_with(practice: FakePractice) -> TutorCompleter:
    class Conversation:
        course = Course(title="t", lessons=())

    Conversation.practice = practice
    return TutorCompleter(Conversation())


class SteadyPractice(FakePractice):
    """Hands out the very tuples it holds, as the name cache does."""

    def known_names(self, kind):
        return self.names.get(kind, ())


def complete(completer: TutorCompleter, line: str) -> list[Completion]:
    return list(completer.get_completions(Document(line), CompleteEvent()))


def test_docker_rm_offers_every_cached_name_and_reuses_them():
    practice = SteadyPractice()
    practice.names = {"container": tuple(f"tb-{n:03d}" for n in range(500))}
    completer = completer_with(practice)
    first = complete(completer, "docker rm ")
    assert [c.text for c in first] == list(practice.names["container"])
    assert all(c.display_meta_text == "container" and c.start_position == 0 for c in first)
    again = complete(completer, "docker rm ")
    assert all(a is b for a, b in zip(first, again, strict=True))
    assert [c.text for c in complete(completer, "docker container stop tb-49")] == [
        f"tb-49{n}" for n in range(10)]


def test_names_that_change_between_keystrokes_are_offered_at_once():
    practice = SteadyPractice()
    practice.names = {"container": ("db", "web"), "image": ("busybox:latest",)}
    completer = completer_with(practice)
    assert [c.text for c in complete(completer, "docker rm ")] == ["db", "web"]
    practice.names = {"container": ("web", "web-2"), "image": ("busybox:latest",)}
    assert [c.text for c in complete(completer, "docker rm ")] == ["web", "web-2"]
    assert [c.text for c in complete(completer, "docker rm w")] == ["web", "web-2"]
    assert [c.text for c in complete(completer, "docker rmi bu")] == ["busybox:latest"]
    assert complete(completer, "docker rmi bu")[0].display_meta_text == "image"
