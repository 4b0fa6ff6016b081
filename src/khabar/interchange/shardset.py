"""A set of JSONL shards written together: all of them or none, never over an existing file.

Lines go to temporary files in the output folder as they come; finish() applies late changes
to a few lines (a record that learns of a syndicated copy after it was written), then links
every shard into place. Files are fsynced and get the permissions the umask allows.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Callable

from khabar.record_io import dumps_record, dumps_record_line, write_new_file


class ShardSet:
    """Temporary shard files in the output folder, linked into place by finish()."""

    def __init__(self, out_dir: Path, stems: list[str]):
        self.out_dir = out_dir
        self.targets = {stem: out_dir / f"{stem}.jsonl" for stem in stems}
        self.temporary: dict[str, Path] = {}
        self.handles: dict[str, object] = {}
        self.lines: dict[str, int] = Counter()

    def write(self, stem: str, line: bytes) -> int:
        """Append a record line (UTF-8) to the shard; returns its line number."""
        if stem not in self.handles:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.out_dir, prefix=f".{stem}.", suffix=".jsonl.tmp")
            self.temporary[stem] = Path(name)
            self.handles[stem] = os.fdopen(handle, "wb")
        self.handles[stem].write(line)
        self.lines[stem] += 1
        return self.lines[stem]

    def finish(self, patches: dict[str, dict[int, Callable[[dict], dict]]]) -> list[Path]:
        """Apply patches (stem -> line number -> record update), then link every shard into
        place; refuses (FileExistsError) if a target appeared meanwhile, linking none."""
        for stem, handle in self.handles.items():
            handle.close()
        for stem, changes in patches.items():
            source = self.temporary[stem]
            handle, name = tempfile.mkstemp(dir=self.out_dir, prefix=f".{stem}.", suffix=".jsonl.tmp")
            # bytes in, bytes out: the lines left alone are copied without decoding them
            with open(source, "rb") as old, os.fdopen(handle, "wb") as new:
                for number, line in enumerate(old, start=1):
                    new.write(dumps_record_line(changes[number](json.loads(line))).encode("utf-8")
                              if number in changes else line)
            source.unlink()
            self.temporary[stem] = Path(name)
        for stem, path in self.temporary.items():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
            os.chmod(path, 0o666 & ~_umask())
        linked: list[Path] = []
        try:
            for stem, path in self.temporary.items():
                os.link(path, self.targets[stem])
                linked.append(self.targets[stem])
        except BaseException:
            for target in linked:
                target.unlink(missing_ok=True)
            raise
        finally:
            self.discard()
        return linked

    def discard(self) -> None:
        for handle in self.handles.values():
            handle.close()
        for path in self.temporary.values():
            path.unlink(missing_ok=True)


class RecordFileSet(ShardSet):
    """The same records as one pretty-printed file each, `<out>/<year published>/<id>.json` (the
    layout of corpus/, where annotation changes review well as diffs), written all or none."""

    def __init__(self, out_dir: Path, stems: list[str]):
        super().__init__(out_dir, stems)
        self.targets = {}  # known only when the records are: finish() checks them

    def finish(self, patches: dict[str, dict[int, Callable[[dict], dict]]]) -> list[Path]:
        """Apply patches, then write every record as a new file; refuses (FileExistsError) when a
        record file exists, writing none, and removes the ones written if a write fails."""
        for handle in self.handles.values():
            handle.close()
        records: list[dict] = []
        try:
            for stem, path in self.temporary.items():
                changes = patches.get(stem, {})
                with open(path, encoding="utf-8") as lines:
                    for number, line in enumerate(lines, start=1):
                        record = json.loads(line)
                        records.append(changes[number](record) if number in changes else record)
            targets = [self.out_dir / record["source"]["published"][:4] / f"{record['id']}.json" for record in records]
            existing = [target for target in targets if target.exists()]
            if existing:
                raise FileExistsError(errno.EEXIST, "exists; import never overwrites a file", str(existing[0]))
            written: list[Path] = []
            try:
                for record, target in zip(records, targets):
                    write_new_file(target, dumps_record(record))
                    written.append(target)
            except BaseException:
                for target in written:
                    target.unlink(missing_ok=True)
                raise
            return written
        finally:
            self.discard()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
