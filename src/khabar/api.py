"""khabar's Python API: validate records, read them, load a release, score predictions.

The `khabar` command calls these functions; they are importable from the package itself
(`khabar.validate`, `khabar.read_records`, `khabar.load`, `khabar.evaluate`). Heavy imports
(pyarrow, datasets) happen inside the functions, so `import khabar` stays light.

The examples run in a folder where `corpus` holds one article, the first article as published in
releases/v0.1.0, and `releases/v0.1.0` is that release (tests/test_api.py builds it); in the
repository `corpus` holds every article, so the counts there are larger.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Union

if TYPE_CHECKING:
    from khabar.validate.runner import ValidationReport

PathLike = Union[str, "os.PathLike[str]"]


class InvalidRecord(ValueError):
    """A record that fails validation, met by `read_records`; str() is the validator's line
    (`file:line: [L3 check-id] message`) and `incidents` holds every error of the record."""

    def __init__(self, incidents: list):
        super().__init__(incidents[0].as_text())
        self.incidents = incidents


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(path) for path in paths]


def validate(paths: PathLike | Iterable[PathLike] = "corpus", workers: int = 1,
             progress: Callable[[int], None] | None = None) -> "ValidationReport":
    """Validate article records (a .json file, a .jsonl shard, a folder of them, or a list of
    these) with every check of schema/CHECKS.md, as `khabar validate` does.

    Returns the report: `.ok` (no error), `.records`, `.valid_records`, `.files`, and
    `.incidents` (each with `.check`, `.level`, `.severity`, `.file`, `.line`, `.message` and
    `.as_text()`). `workers` > 1 runs levels 1-3 in that many processes (same result);
    `progress(1)` is called for every record checked (e.g. a tqdm bar's `update`). Never modifies a file.
    Raises khabar.validate.runner.InputError for a path that does not exist or is not a record file.

    >>> import khabar
    >>> report = khabar.validate("corpus")
    >>> report.ok, report.records
    (True, 1)
    >>> [incident.as_text() for incident in report.errors]
    []
    """
    from khabar.validate import validate_paths

    return validate_paths(_paths(paths), workers, progress=progress)


def read_records(path: PathLike, validate: bool = True) -> Iterator[dict]:
    """The records under path (an article .json, a .jsonl shard or a folder of them), one dict
    each, in the validator's order: files sorted, then lines.

    With validate (the default) each record is checked as by `khabar validate` (the split
    registry's checks aside) and the first record with an error raises InvalidRecord, after the
    valid records before it were yielded. With validate=False the records are only parsed:
    a file that is not UTF-8 JSON, or holds no object, still raises InvalidRecord.
    Raises khabar.validate.runner.InputError for a path that cannot be read.

    >>> import khabar
    >>> for record in khabar.read_records("corpus"):
    ...     print(record["id"], record["text"][:6])
    quds-press-international-2021-11-24-aed626f9 المغرب
    """
    paths = _paths(path)
    if validate:
        from khabar.validate.runner import check_records

        for checked in check_records(paths, keep_records=True):
            errors = [i for i in checked.incidents if i.severity == "error" and not i.check.startswith("split-")]
            if errors:
                raise InvalidRecord(errors)
            if checked.record is not None:
                yield checked.record
        return
    from khabar.validate import level1
    from khabar.validate.incident import Incident
    from khabar.validate.runner import raw_records

    for item in raw_records(paths):
        if isinstance(item, Incident):
            if item.severity == "error":
                raise InvalidRecord([item])
            continue
        record, incidents = level1.parse(item)
        errors = [i for i in incidents if i.severity == "error"]
        if errors or record is None:
            raise InvalidRecord(errors or incidents)
        yield record


def load(release: PathLike, config: str = "documents", **kwargs):
    """A khabar release loaded with Hugging Face `datasets`: `datasets.load_dataset(release, config, **kwargs)`.

    release: a release folder (releases/v0.1.0) or a Hub repository name; config: "documents"
    (every field), "ner" (sentences, tokens, IOB2 tags) or "events" (text, document labels).
    Extra keyword arguments (split, streaming, revision, ...) go to load_dataset unchanged.
    Needs the `datasets` package (imported here, not by `import khabar`).

    >>> import khabar
    >>> ner = khabar.load("releases/v0.1.0", "ner")
    >>> ner["train"].num_rows
    14
    """
    try:
        import datasets
    except ImportError as error:
        raise ImportError("khabar.load needs the datasets package: pip install datasets") from error
    return datasets.load_dataset(os.fspath(release), config, **kwargs)


def evaluate(gold: PathLike, predictions: PathLike | Iterable[dict], allow_missing: bool = False,
             resamples: int | None = None, seed: int | None = None) -> dict:
    """Score predictions against gold, as `khabar evaluate` does; returns its JSON report as a dict.

    gold: "RELEASE:SPLIT" (e.g. "releases/v0.1.0:test"), an article file, shard or folder (validated
    first), or a CoNLL-style column file. predictions: a JSON Lines file, or the prediction objects
    themselves (records: `id` plus `entities`/`events`/`event_labels`; or `ner` rows: `id` plus
    `ner_tags`); they are not modified. allow_missing scores gold documents without a prediction as
    empty. resamples/seed: the bootstrap of the confidence intervals (defaults 1000 and 20240521;
    0 resamples: no intervals).

    The report holds "entities" (nervaluate's four schemes, outermost layer and all levels),
    "bio" (seqeval's modes), "events" (triggers, arguments, document labels) for what was
    predicted, and "counts". Raises khabar.evaluation.inputs.UsageError (an unusable path or
    split), DataError (invalid gold or predictions: `.problems` lists `file:line: message`
    lines) or khabar.evaluation.bio.TagError (unreadable gold tags).

    >>> import khabar
    >>> gold = "corpus/2021/quds-press-international-2021-11-24-aed626f9.json"
    >>> record = next(khabar.read_records(gold))
    >>> report = khabar.evaluate(gold, [record], resamples=0)   # the gold itself as predictions
    >>> report["entities"]["outermost"]["strict"]["micro"]["f1"]
    1.0
    """
    from khabar.evaluation.inputs import check_predictions, load_gold, load_predictions
    from khabar.evaluation.scoring import evaluate as score
    from khabar.evaluation.tally import RESAMPLES, SEED

    loaded = load_gold(os.fspath(gold))
    if isinstance(predictions, (str, os.PathLike)):
        checked = load_predictions(Path(predictions), loaded, allow_missing)
    else:
        values = [(number, copy.deepcopy(value)) for number, value in enumerate(predictions, start=1)]
        checked = check_predictions(values, "<predictions>", loaded, allow_missing)
    return score(loaded, checked, resamples=RESAMPLES if resamples is None else resamples,
                 seed=SEED if seed is None else seed)
