"""How text becomes search terms, the same way for the lessons and for a question.

Lowercase; a possessive 's dropped, other apostrophes too ("don't" is "dont"); the phrases of
wordlists.py folded ("docker file" is "dockerfile"); words and docker flags (``-p``,
``--rm``) cut out; stop words dropped; the rest stemmed with the Snowball English
stemmer (PyStemmer), so "containers" and "container" are one term. A question's
words also bring their synonyms from wordlists.py ("img" is searched as "image").
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

# A docker flag (-p, --rm, -it) where a word may start; otherwise runs of letters/digits.
TOKEN = re.compile(r"(?<![\w-])--?[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[a-z0-9]+")
POSSESSIVE = re.compile(r"['’]s\b")
APOSTROPHE = re.compile(r"(?<=[a-z])['’](?=[a-z])")


@dataclass(frozen=True)
class WordLists:
    """Stop words, synonyms and phrases (``tutor.knowledge.wordlists``)."""

    stop_words: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    phrases: dict[str, str]

    @classmethod
    def load(cls) -> WordLists:
        from tutor.knowledge.wordlists import PHRASES, STOP_WORDS, SYNONYMS

        return cls(STOP_WORDS, dict(SYNONYMS), dict(PHRASES))


class Words:
    """Turns text into terms. Safe to share between threads."""

    def __init__(self, lists: WordLists) -> None:
        # PyStemmer is C code and cheap to import, but only the index needs it.
        import Stemmer

        self.lists = lists
        # No cache of its own (10,000 words by default, held for good): ``_stems`` is one.
        self._stemmer = Stemmer.Stemmer("english", 0)
        self._stems: dict[str, str] = {}
        self._lock = threading.Lock()  # a Stemmer object must not be used by two threads
        # Synonyms are found by stem too: "stopped" and "stops" mean what "stop" does.
        self._synonyms = dict(lists.synonyms)
        for word, synonyms in lists.synonyms.items():
            self._synonyms.setdefault(self.stem(word), synonyms)
        phrases = sorted(lists.phrases, key=len, reverse=True)
        self._phrase = re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b") \
            if phrases else None

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as typed (lowercase, phrases folded), stop words included."""
        text = APOSTROPHE.sub("", POSSESSIVE.sub("", text.lower()))
        if self._phrase is not None:
            text = self._phrase.sub(lambda m: self.lists.phrases[m.group(1)], text)
        return TOKEN.findall(text)

    def is_stop(self, word: str) -> bool:
        return word in self.lists.stop_words

    def stem(self, word: str) -> str:
        """A word's search term: flags and words with digits are kept as they are."""
        stem = self._stems.get(word)
        if stem is None:
            if word.startswith("-") or any(ch.isdigit() for ch in word):
                stem = word
            else:
                with self._lock:
                    stem = self._stemmer.stemWord(word)
            self._stems[word] = stem
        return stem

    def forget_stems(self) -> None:
        """Let go of the stems remembered while a course was indexed (thousands of words):
        a question stems a few words, and the C stemmer is quick."""
        self._stems = {}

    def terms(self, text: str) -> list[str]:
        """The search terms of a lesson text: its words, less stop words, stemmed."""
        return self.terms_of(self.words(text))

    def terms_of(self, words: list[str]) -> list[str]:
        stop = self.lists.stop_words
        return [self.stem(word) for word in words if word not in stop]

    def synonyms(self, word: str) -> tuple[str, ...]:
        """The synonyms wordlists.py gives for ``word`` (or for another form of it)."""
        found = self._synonyms.get(word)
        return found if found is not None else self._synonyms.get(self.stem(word), ())

    def alternatives(self, word: str) -> list[list[str]]:
        """What a question's word is searched as: itself and each synonym, as terms."""
        found = [[self.stem(word)]]
        for synonym in self.synonyms(word):
            terms = self.terms(synonym)
            if terms and terms not in found:
                found.append(terms)
        return found
