"""Corpus-wide state without a Python object per article: strings in one buffer, and an index
from 64-bit keys to record numbers in sorted numpy arrays.

Validating or building 200,000 articles must not hold 200,000 dict entries of strings (about
150 bytes each, several times over). A key only narrows the search: callers compare the full
value (an id, a digest) of every candidate, so a key collision never changes a result.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import Iterator

import numpy as np


def key_of(data: bytes) -> int:
    """A 64-bit key of data (a hash: equal data, equal keys)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def digest_key(digest: bytes) -> int:
    """A 64-bit key of a digest (already a hash: its first 8 bytes)."""
    return int.from_bytes(digest[:8], "little")


class StringStore:
    """Strings by number (0, 1, ...), stored as UTF-8 in one buffer."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("Q")

    def append(self, text: str) -> int:
        self._data += text.encode("utf-8")
        self._ends.append(len(self._data))
        return len(self._ends) - 1

    def extend(self, other: "StringStore") -> None:
        """Append every string of other, in order."""
        base = len(self._data)
        self._data += other._data
        self._ends.extend(end + base for end in other._ends)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, number: int) -> str:
        start = self._ends[number - 1] if number else 0
        return self._data[start:self._ends[number]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[number] for number in range(len(self)))


class KeyIndex:
    """Numbers by 64-bit key; numbers sharing a key come back in increasing order.

    New entries go to a small dict; every MERGE_EVERY entries they are merged into two sorted
    numpy arrays (12 bytes an entry), so memory stays a few bytes per entry and a lookup is a
    dict probe plus a binary search.
    """

    MERGE_EVERY = 1 << 14

    def __init__(self) -> None:
        self._keys = np.zeros(0, np.uint64)
        self._numbers = np.zeros(0, np.uint32)
        self._recent: dict[int, int] = {}  # key -> first recent number with it
        self._recent_more: dict[int, list[int]] = {}  # key -> later recent numbers (keys rarely repeat)
        self._recent_count = 0

    def add(self, key: int, number: int) -> None:
        if self._recent.setdefault(key, number) != number:
            self._recent_more.setdefault(key, []).append(number)
        self._recent_count += 1
        if self._recent_count >= self.MERGE_EVERY:
            self.merge()

    def numbers(self, key: int) -> list[int]:
        found: list[int] = []
        if len(self._keys):
            wanted = np.uint64(key)
            low = int(self._keys.searchsorted(wanted))
            if low < len(self._keys) and self._keys[low] == wanted:
                found = self._numbers[low:int(self._keys.searchsorted(wanted, "right"))].tolist()
        first = self._recent.get(key)
        if first is not None:
            found.append(first)
            found += self._recent_more.get(key, [])
        return found

    @classmethod
    def of_keys(cls, keys: np.ndarray) -> "KeyIndex":
        """The index of keys[n] -> n for every n, built at once."""
        index = cls()
        order = np.argsort(keys, kind="stable")
        index._keys, index._numbers = keys[order], order.astype(np.uint32)
        return index

    def candidates(self, keys: np.ndarray) -> list[list[int]]:
        """numbers(key) for each of keys, with one binary search for all of them."""
        self.merge()
        low, high = self._keys.searchsorted(keys, "left").tolist(), self._keys.searchsorted(keys, "right").tolist()
        return [self._numbers[a:b].tolist() if b > a else [] for a, b in zip(low, high)]

    def merge(self) -> None:
        """Move the recent entries into the sorted arrays (also before pickling: smaller)."""
        if not self._recent:
            return
        pairs = list(self._recent.items()) + [(key, number) for key, more in self._recent_more.items() for number in more]
        keys = np.fromiter((key for key, _ in pairs), np.uint64, len(pairs))
        numbers = np.fromiter((number for _, number in pairs), np.uint32, len(pairs))
        keys, numbers = np.concatenate((self._keys, keys)), np.concatenate((self._numbers, numbers))
        # by key, then number
        order = np.lexsort((numbers, keys))
        self._keys, self._numbers = keys[order], numbers[order]
        self._recent, self._recent_more, self._recent_count = {}, {}, 0

    def __getstate__(self) -> dict:
        self.merge()
        return self.__dict__


class StringIndex:
    """Distinct strings, numbered in the order they were added, found by value."""

    def __init__(self) -> None:
        self.strings = StringStore()
        self._index = KeyIndex()

    @classmethod
    def of_strings(cls, strings: StringStore) -> tuple["StringIndex", int | None]:
        """(the index of strings, the number of the first string equal to an earlier one or None).
        Built at once: for a store of 200,000 strings, adding one by one costs seconds."""
        keys = np.fromiter((key_of(text.encode("utf-8")) for text in strings), np.uint64, len(strings))
        index = cls()
        index.strings, index._index = strings, KeyIndex.of_keys(keys)
        repeated = None
        sorted_keys, numbers = index._index._keys, index._index._numbers
        # equal keys sit side by side, numbers increasing: compare each with those before it
        for position in (np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1).tolist():
            run_start = int(sorted_keys.searchsorted(sorted_keys[position]))
            number = int(numbers[position])
            if any(strings[int(n)] == strings[number] for n in numbers[run_start:position]):
                repeated = number if repeated is None else min(repeated, number)
        return index, repeated

    def find(self, text: str) -> int | None:
        return self._find(text, key_of(text.encode("utf-8")))

    def _find(self, text: str, key: int) -> int | None:
        for number in self._index.numbers(key):
            if self.strings[number] == text:
                return number
        return None

    def find_or_add(self, text: str) -> tuple[int, bool]:
        """(the string's number, whether it was added now), hashing it once."""
        key = key_of(text.encode("utf-8"))
        number = self._find(text, key)
        if number is not None:
            return number, False
        number = self.strings.append(text)
        self._index.add(key, number)
        return number, True

    def contains_each(self, texts: list[str]) -> list[bool]:
        """[text in self for text in texts], with one binary search for all of them."""
        keys = np.fromiter((key_of(text.encode("utf-8")) for text in texts), np.uint64, len(texts))
        return [any(self.strings[n] == text for n in numbers)
                for text, numbers in zip(texts, self._index.candidates(keys))]

    def __len__(self) -> int:
        return len(self.strings)

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings)


class DigestIndex:
    """Distinct 16-byte digests, numbered in the order they were added, found by value."""

    def __init__(self) -> None:
        self._digests = bytearray()  # 16 bytes each
        self._index = KeyIndex()

    def find_or_add(self, digest: bytes) -> tuple[int, bool]:
        """(the digest's number, whether it was added now)."""
        key = digest_key(digest)
        for number in self._index.numbers(key):
            if self._digests[16 * number:16 * number + 16] == digest:
                return number, False
        number = len(self._digests) // 16
        self._digests += digest
        self._index.add(key, number)
        return number, True
