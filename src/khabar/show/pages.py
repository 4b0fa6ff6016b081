"""`khabar show`: one page per record and an index, written into a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from khabar.record_io import write_new_file
from khabar.show.page import index_row, render_index, render_record
from khabar.show.records import LoadedRecord, load

INDEX = "index.html"


@dataclass
class ShowResult:
    pages: list[str]  # file names written, index.html last
    records: int  # records read
    undrawn: int  # records that could not be drawn (levels 1-2 failed)
    with_errors: int  # records (drawn or not) with validation errors


def page_names(loaded: list[LoadedRecord]) -> list[str | None]:
    """A file name per drawable record: `<id>.html`, or `<id>-<n>.html` when an id repeats."""
    names: list[str | None] = []
    taken = {INDEX}
    for entry in loaded:
        if entry.record is None:
            names.append(None)
            continue
        base = entry.record["id"]
        name, number = f"{base}.html", 2
        while name in taken:
            name, number = f"{base}-{number}.html", number + 1
        taken.add(name)
        names.append(name)
    return names


def show(paths: list[Path], out_dir: Path) -> ShowResult:
    """Render every record under paths into out_dir (created if missing).

    Nothing is written if any target file exists already (FileExistsError names the first);
    each page is written atomically. Raises InputError / ReleaseError for unreadable input.
    """
    loaded = load(paths)
    names = page_names(loaded)
    contents = {name: render_record(entry) for entry, name in zip(loaded, names) if name}
    contents[INDEX] = render_index([index_row(entry, name) for entry, name in zip(loaded, names)])
    for name in contents:
        if (out_dir / name).exists():
            raise FileExistsError(str(out_dir / name))
    for name, content in contents.items():
        write_new_file(out_dir / name, content)
    with_errors = sum(any(i.severity == "error" for i in entry.incidents) for entry in loaded)
    return ShowResult(list(contents), len(loaded), names.count(None), with_errors)
