"""Line numbers for JSON pointers, found by re-reading a record's text.

Only called when a record has a problem, so it can afford to be plain Python: the accept
path never pays for it.
"""

from __future__ import annotations

import json


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its reference tokens."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _string_end(text: str, start: int) -> int:
    """Index just after the closing quote of the JSON string opening at text[start]."""
    i = start + 1
    while True:
        i = text.index('"', i)
        backslashes = 0
        j = i - 1
        while text[j] == "\\":
            backslashes += 1
            j -= 1
        if backslashes % 2 == 0:
            return i + 1
        i += 1


def scan(text: str) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
    """For a syntactically valid JSON text: (pointer -> 1-based line where its value starts,
    [(object pointer, repeated key, line of the repeat)])."""
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, str, int]] = []
    # frame: [is_object, pointer, keys seen (object) or next index (array), expecting a key]
    stack: list[list] = []
    pending = ""
    line = 1
    i, n = 0, len(text)

    def after_value() -> str:
        if not stack:
            return ""
        frame = stack[-1]
        if frame[0]:
            frame[3] = True
            return frame[1]
        frame[2] += 1
        return f"{frame[1]}/{frame[2]}"

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r,:":
            i += 1
        elif c == '"':
            end = _string_end(text, i)
            if stack and stack[-1][0] and stack[-1][3]:
                frame = stack[-1]
                key = json.loads(text[i:end])
                if key in frame[2]:
                    duplicates.append((frame[1], key, line))
                frame[2].add(key)
                frame[3] = False
                pending = frame[1] + pointer(key)
            else:
                lines.setdefault(pending, line)
                pending = after_value()
            i = end
        elif c == "{":
            lines.setdefault(pending, line)
            stack.append([True, pending, set(), True])
            i += 1
        elif c == "[":
            lines.setdefault(pending, line)
            stack.append([False, pending, 0, False])
            pending = pending + "/0"
            i += 1
        elif c in "}]":
            stack.pop()
            pending = after_value()
            i += 1
        else:
            j = i
            while j < n and text[j] not in " \t\r\n,]}":
                j += 1
            lines.setdefault(pending, line)
            pending = after_value()
            i = j
    return lines, duplicates


class LineFinder:
    """Maps JSON pointers of one record to file lines, scanning the record lazily."""

    def __init__(self, text: str, first_line: int, single_line: bool):
        self._text = text
        self._first_line = first_line
        self._single_line = single_line
        self._lines: dict[str, int] | None = None

    def line_of(self, ptr: str) -> int:
        """The line of the value at ptr, or of its nearest ancestor that exists."""
        if self._single_line:
            return self._first_line
        if self._lines is None:
            self._lines = scan(self._text)[0]
        while ptr not in self._lines and ptr:
            ptr = ptr.rsplit("/", 1)[0]
        return self._first_line - 1 + self._lines.get(ptr, 1)
