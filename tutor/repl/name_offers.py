"""Completions for the engine's names (containers, image tags), made once and offered again.

With hundreds of containers, ``docker rm `` would otherwise build hundreds of new
Completion objects on every keystroke. The name cache hands out the same tuple while
the names are unchanged, so what is built from it stays valid until that tuple changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from prompt_toolkit.completion import Completion

# Distinct prefixes remembered for one list of names; a learner types few, and an
# unbounded memory would only grow with typos.
PREFIXES_KEPT = 128


class NameOffers:
    """The completions for one kind of name ("container", "image"), by typed prefix."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._names: Sequence[str] = ()
        self._by_prefix: dict[str, tuple[Completion, ...]] = {}
        # One object per (name, start position), kept across a change of the names:
        # after the learner runs one more container only that one is new.
        self._made: dict[tuple[str, int], Completion] = {}

    def matching(self, names: Sequence[str], prefix: str) -> tuple[Completion, ...]:
        """The completions of the ``names`` starting with ``prefix``, in their order.

        Reused while ``names`` is the same object, which must therefore not change
        in place (the name cache gives tuples)."""
        if names is not self._names:
            self._renew(names)
        offered = self._by_prefix.get(prefix)
        if offered is None:
            if len(self._by_prefix) >= PREFIXES_KEPT:
                self._by_prefix.clear()
            start = -len(prefix)
            offered = self._by_prefix[prefix] = tuple(
                self._completion(name, start) for name in names if name.startswith(prefix))
        return offered

    def _renew(self, names: Sequence[str]) -> None:
        present = set(names)
        self._made = {key: made for key, made in self._made.items() if key[0] in present}
        self._by_prefix = {}
        self._names = names

    def _completion(self, name: str, start: int) -> Completion:
        made = self._made.get((name, start))
        if made is None:
            made = self._made[(name, start)] = Completion(name, start, display_meta=self.kind)
        return made
