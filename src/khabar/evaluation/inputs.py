"""Reading what `khabar evaluate` scores: the gold data and a predictions file, checked line by line.

Gold is one of
- a release folder and split, ``releases/v0.1.0:test`` (the `documents` config, and the `ner`
  config for tag predictions);
- an article file (.json), a shard (.jsonl) or a folder of them (validated first, as by
  `khabar validate`);
- a CoNLL-style column file (.txt, .conll, .bio, .iob, .tsv), read by the CoNLL importer's
  parser with its tags as written (`khabar.interchange.conll.read_tag_columns`), which only
  tag predictions can be scored against.

Predictions are JSON Lines, one object per document: either records (``id`` plus any of
``entities``, ``events``, ``event_labels``, in the record format of README "The record") or
rows of the `ner` config (``id`` and ``ner_tags``: tag names or ClassLabel indices; for a
column file with several tag columns, a list of tags per token, outermost first).

Every problem is reported as ``FILE:LINE: message``; nothing is scored while there is one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from khabar import labels
from khabar.interchange.conll import TaggedSentence, is_column_file, read_tag_columns
from khabar.interchange.problems import BadInput
from khabar.ner import bio_sentences, bio_tag_names
from khabar.release.features import SPLITS
from khabar.release.reader import release_rows as _release_rows
from khabar.wording import count

RECORD_TASKS = ("entities", "events", "event_labels")
MAX_PROBLEMS = 20  # problems listed before the rest are only counted


class UsageError(Exception):
    """A path or option that cannot be used at all (exit code 2)."""


class DataError(Exception):
    """Invalid gold or predictions (exit code 1): one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# gold ------------------------------------------------------------------------------------------

@dataclass
class Gold:
    """The gold side: records (articles) or tagged sentences, in a fixed order."""

    label: str
    records: list[dict] | None = None  # None for a column file
    release: Path | None = None
    split: str | None = None
    columns_file: Path | None = None
    tagged: list[TaggedSentence] | None = None  # filled on first use, except for a column file

    def sentences(self) -> list[TaggedSentence]:
        """The gold as tagged sentences: the release's `ner` config, the records' BIO tags, or the file."""
        if self.tagged is None:
            if self.release is not None:
                self.tagged = _release_sentences(self.release, self.split)
            else:
                self.tagged = []
                for record in self.records:
                    sentences, _ = bio_sentences(record)
                    self.tagged += [TaggedSentence(s.id, [t.text for t in s.tokens], [s.tags], record["id"])
                                    for s in sentences]
        return self.tagged

    @property
    def tag_names(self) -> list[str] | None:
        """The closed set of tags a prediction may use (khabar's ClassLabel names), or None for a column file."""
        return None if self.records is None else bio_tag_names(labels.entity_types().names)


def _manifest_count(release: Path, config: str, split: str) -> int:
    """The rows of config/split that the release's manifest.json promises. Raises UsageError."""
    manifest_path = release / "manifest.json"
    try:
        promised = json.loads(manifest_path.read_text(encoding="utf-8"))["counts"][config][split]
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise UsageError(f"{manifest_path}: unreadable manifest ({type(error).__name__}: {error})") from None
    if type(promised) is not int:
        raise UsageError(f"{manifest_path}: unreadable manifest (counts.{config}.{split} is not a number)")
    return promised


def _checked_release_rows(release: Path, split: str, config: str) -> list[dict]:
    """The rows of config/split (khabar.release.reader). Raises DataError when a file is not
    readable as Parquet of the config's columns, or the files hold another number of rows than
    the manifest says (a file deleted or added): a damaged release is never scored against."""
    expected = _manifest_count(release, config, split)
    try:
        rows = _release_rows(release, split, config)
    except OSError as error:
        raise DataError([f"{error.filename}: {error.strerror or error}; run `khabar verify {release}`"]) from None
    except (KeyError, TypeError, IndexError, AttributeError):
        raise DataError([f"{release}: data/{config}/{split}-*.parquet: columns differ from the {config} schema; "
                         f"run `khabar verify {release}`"]) from None
    if len(rows) != expected:
        files = len(list(release.glob(f"data/{config}/{split}-*.parquet")))
        raise DataError([f"{release}: data/{config}/{split}-*.parquet hold {count(len(rows), 'row')} in "
                         f"{count(files, 'file')}, manifest.json says {expected}; the release is damaged: "
                         f"run `khabar verify {release}`"])
    return rows


def _release_sentences(release: Path, split: str) -> list[TaggedSentence]:
    return [TaggedSentence(row["id"], row["tokens"], [row["ner_tags"]], row["id"].rsplit("/", 1)[0])
            for row in _checked_release_rows(release, split, "ner")]


def _strip_optional(record: dict) -> dict:
    # Parquet fills absent optional fields with null; the record format leaves them out
    for entity in record["entities"]:
        if entity.get("normalized") is None:
            entity.pop("normalized", None)
    return record


def load_gold(spec: str) -> Gold:
    """The gold named by spec (see the module doc). Raises UsageError or DataError."""
    path_text, _, split = spec.rpartition(":")
    if path_text and split in SPLITS and Path(path_text).is_dir():
        release = Path(path_text)
        manifest_path = release / "manifest.json"
        if not manifest_path.is_file():
            raise UsageError(f"{release}: not a release folder (no manifest.json)")
        articles = _manifest_count(release, "documents", split)
        if articles == 0:
            raise UsageError(f"{spec}: the {split} split of {release} is empty (0 articles, as its card says); "
                             f"nothing to evaluate against")
        records = [_strip_optional(row) for row in _checked_release_rows(release, split, "documents")]
        return Gold(spec, records=records, release=release, split=split)
    if path_text and Path(path_text).is_dir() and (Path(path_text) / "manifest.json").is_file():
        raise UsageError(f"{spec}: unknown split {split!r} (a release has {', '.join(SPLITS)})")
    path = Path(spec)
    if path.is_dir() and (path / "manifest.json").is_file():
        raise UsageError(f"{spec}: a release folder: name the split to score against, e.g. {spec.rstrip('/')}:test")
    if is_column_file(path):
        try:
            sentences = read_tag_columns(path, spec)
        except BadInput as error:
            raise DataError([str(error)]) from None
        except OSError as error:
            raise UsageError(f"{spec}: {error.strerror or error}") from None
        return Gold(spec, columns_file=path, tagged=sentences)
    return Gold(spec, records=_load_gold_records(path, spec))


def _load_gold_records(path: Path, spec: str) -> list[dict]:
    from khabar.validate.runner import InputError, check_records

    records, errors = [], []
    try:
        for checked in check_records([path], keep_records=True):
            errors += [i for i in checked.incidents if i.severity == "error" and not i.check.startswith("split-")]
            if checked.record is not None:
                records.append(checked.record)
    except InputError as error:
        raise UsageError(str(error)) from None
    if errors:
        raise DataError([incident.as_text() for incident in errors[:MAX_PROBLEMS]]
                        + [f"{spec}: the gold data has {count(len(errors), 'validation error')}; "
                           f"run `khabar validate {spec}`"])
    if not records:
        raise UsageError(f"{spec}: no articles: nothing to evaluate against")
    return records


# predictions -----------------------------------------------------------------------------------

@dataclass
class Predictions:
    """Checked predictions by gold id, with the line each came from."""

    path: str
    kind: str  # "records" or "ner"
    by_id: dict[str, dict] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)
    tasks: tuple[str, ...] = ()  # record fields predicted (records) or ("ner_tags",)
    missing: list[str] = field(default_factory=list)  # gold ids without a prediction


class _Problems:
    """Problems of one file, reported in line order (at most MAX_PROBLEMS, then a count)."""

    def __init__(self, path: str):
        self.path = path
        self.found: list[tuple[int, str]] = []

    def add(self, line: int | None, message: str) -> None:
        self.found.append((line or 0, f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}"))

    def raise_if_any(self) -> None:
        if self.found:
            ordered = [text for _, text in sorted(self.found, key=lambda item: item[0])]
            lines = ordered[:MAX_PROBLEMS]
            if len(ordered) > MAX_PROBLEMS:
                lines.append(f"{self.path}: ... and {count(len(ordered) - MAX_PROBLEMS, 'more problem')}")
            raise DataError(lines)


def _known(value, names) -> bool:
    """value is one of names (a string: a list or object in a label's place is never known)."""
    return isinstance(value, str) and value in names


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_span(where: str, span, text: str, report) -> bool:
    if not isinstance(span, dict):
        report(f"{where}: not an object")
        return False
    start, end = span.get("start"), span.get("end")
    if not _is_int(start) or not _is_int(end):
        report(f"{where}: start and end must be integers (got {start!r}, {end!r})")
        return False
    if start >= end:
        report(f"{where}: empty span {start}..{end} (end must be greater than start)")
        return False
    if start < 0 or end > len(text):
        report(f"{where}: offsets {start}..{end} are outside the text (length {len(text)})")
        return False
    if "text" in span and span["text"] != text[start:end]:
        report(f"{where}: text {span['text']!r} != text[{start}:{end}] {text[start:end]!r}")
        return False
    return True


def _check_record_prediction(prediction: dict, gold: dict, report) -> None:
    text = gold["text"]
    if "text" in prediction and prediction["text"] != text:
        report("text differs from the gold article's text")
    entity_ids: set[str] = set()
    seen_spans: dict[tuple, int] = {}
    known_types = set(labels.entity_types().names)
    entities = prediction.get("entities")
    if "entities" in prediction:
        if not isinstance(entities, list):
            report("entities: not a list")
        else:
            for index, entity in enumerate(entities):
                shown = f"entities[{index}]" + (f" ({entity['id']})" if isinstance(entity, dict)
                                                 and isinstance(entity.get("id"), str) else "")
                if not _check_span(shown, entity, text, report):
                    continue
                if not _known(entity.get("type"), known_types):
                    report(f"{shown}: unknown entity type {entity.get('type')!r}")
                key = (entity["start"], entity["end"], str(entity.get("type")))
                if key in seen_spans:  # scored once, it would escape the precision penalty
                    report(f"{shown}: same span and type as entities[{seen_spans[key]}]")
                seen_spans.setdefault(key, index)
                if "id" in entity:
                    if not isinstance(entity["id"], str):
                        report(f"{shown}: id must be a string")
                    elif entity["id"] in entity_ids:
                        report(f"{shown}: entity id {entity['id']!r} used twice")
                    else:
                        entity_ids.add(entity["id"])
    if "events" in prediction:
        events = prediction["events"]
        if not isinstance(events, list):
            report("events: not a list")
            events = []
        known_events = set(labels.event_type_names())
        known_roles = set(labels.argument_roles().names)
        known_modes = set(labels.all_mode_names())
        known_contexts = set(labels.contexts().names)
        for index, event in enumerate(events):
            shown = f"events[{index}]" + (f" ({event['id']})" if isinstance(event, dict)
                                          and isinstance(event.get("id"), str) else "")
            if not isinstance(event, dict):
                report(f"{shown}: not an object")
                continue
            if not _known(event.get("type"), known_events):
                report(f"{shown}: unknown event type {event.get('type')!r}")
            _check_span(f"{shown}.trigger", event.get("trigger"), text, report)
            arguments = event.get("arguments", [])
            if not isinstance(arguments, list):
                report(f"{shown}.arguments: not a list")
                arguments = []
            for position, argument in enumerate(arguments):
                where = f"{shown}.arguments[{position}]"
                if not isinstance(argument, dict):
                    report(f"{where}: not an object")
                    continue
                if not _known(argument.get("role"), known_roles):
                    report(f"{where}: unknown argument role {argument.get('role')!r}")
                if not _known(argument.get("entity"), entity_ids):
                    report(f"{where}: entity {argument.get('entity')!r} is not the id of a predicted entity")
            for name, known, what in (("mode", known_modes, "mode"), ("context", known_contexts, "context")):
                values = event.get(name, [])
                if not isinstance(values, list):
                    report(f"{shown}.{name}: not a list")
                    continue
                for value in values:
                    if not _known(value, known):
                        report(f"{shown}.{name}: unknown {what} {value!r}")
                if len(set(map(str, values))) != len(values):
                    report(f"{shown}.{name}: a value is listed twice")
    if "event_labels" in prediction:
        values = prediction["event_labels"]
        if not isinstance(values, list):
            report("event_labels: not a list")
        else:
            known_events = set(labels.event_type_names())
            for value in values:
                if not _known(value, known_events):
                    report(f"event_labels: unknown event type {value!r}")
            if len(set(map(str, values))) != len(values):
                report("event_labels: a label is listed twice")


def _tag_list(value):
    """The prediction's tags as layers (list of columns), or None when the shape is wrong."""
    if not isinstance(value, list):
        return None
    if value and all(isinstance(item, list) for item in value):
        depth = max(len(item) for item in value)
        return [[item[k] if k < len(item) else "O" for item in value] for k in range(max(depth, 1))]
    if any(isinstance(item, list) for item in value):
        return None
    return [list(value)]


def _allowed_column_tags(gold: Gold) -> set[str]:
    """Tags a prediction may use against a column file: the file's own, and B-/I- of its types."""
    seen = {tag for s in gold.sentences() for layer in s.layers for tag in layer}
    types = {tag[2:] for tag in seen if tag.startswith(("B-", "I-"))}
    return seen | {"O"} | {f"{prefix}-{t}" for t in types for prefix in "BI"}


def _check_ner_prediction(prediction: dict, gold: TaggedSentence, tag_names: list[str] | None,
                          allowed: set[str], report) -> None:
    layers = _tag_list(prediction.get("ner_tags"))
    if layers is None:
        report("ner_tags: not a list of tags (or of lists of tags, one per token)")
        return
    if len(layers[0]) != len(gold.tokens):
        report(f"ner_tags: {len(layers[0])} tags for the {len(gold.tokens)} tokens of the gold sentence")
        return
    if "tokens" in prediction and prediction["tokens"] != gold.tokens:
        report("tokens differ from the gold sentence's tokens")
    for layer in layers:
        for position, tag in enumerate(layer):
            if _is_int(tag) and tag_names is not None:
                if not 0 <= tag < len(tag_names):
                    report(f"ner_tags[{position}]: {tag} is not a ner_tags ClassLabel index (0..{len(tag_names) - 1})")
                    return
                layer[position] = tag_names[tag]
            elif not isinstance(tag, str):
                report(f"ner_tags[{position}]: {tag!r} is not a tag")
                return
            elif tag not in (tag_names if tag_names is not None else allowed):
                if tag != "O" and not tag.startswith(("B-", "I-")):
                    report(f"ner_tags[{position}]: {tag!r} is not a BIO tag")
                elif tag_names is None:
                    report(f"ner_tags[{position}]: unknown tag {tag!r} (no entity of that type in the gold file)")
                else:
                    report(f"ner_tags[{position}]: unknown tag {tag!r}")
                return
    prediction["ner_tags"] = layers


def load_predictions(path: Path, gold: Gold, allow_missing: bool) -> Predictions:
    """Read and check a predictions file against the gold. Raises UsageError or DataError."""
    shown = str(path)
    if path.is_dir():
        raise UsageError(f"{shown}: a folder; predictions are one JSON Lines file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{shown}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError([f"{shown}: not UTF-8 (byte offset {error.start})"]) from None
    problems = _Problems(shown)
    values = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            values.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            problems.add(number, f"not JSON ({error.msg}, column {error.colno})")
        except ValueError:  # the only other ValueError: an integer beyond Python's digit limit
            problems.add(number, f"not JSON khabar reads (an integer of more than {sys.get_int_max_str_digits()} "
                                 "digits)")
        except RecursionError:
            problems.add(number, "not JSON khabar reads (arrays or objects nested too deeply)")
    return check_predictions(values, shown, gold, allow_missing, problems)


def check_predictions(values: list[tuple[int, object]], shown: str, gold: Gold, allow_missing: bool,
                      problems: "_Problems | None" = None) -> Predictions:
    """Check parsed predictions, (line number, value) pairs, against the gold (problems name
    `shown` and the line). Raises DataError."""
    problems = problems or _Problems(shown)
    lines = []
    for number, value in values:
        if not isinstance(value, dict):
            problems.add(number, "not a JSON object")
            continue
        if not isinstance(value.get("id"), str):
            problems.add(number, "no string id")
            continue
        lines.append((number, value))
    if not lines:
        problems.raise_if_any()
        raise DataError([f"{shown}: no predictions"])

    kind = "ner" if any("ner_tags" in value for _, value in lines) else "records"
    if kind == "records" and gold.records is None:
        raise DataError([f"{shown}: record predictions need records as gold; "
                         f"{gold.label} is a column file: predict ner_tags"])
    out = Predictions(shown, kind)
    if kind == "ner":
        gold_items = {s.id: s for s in gold.sentences()}
        tasks = ("ner_tags",)
    else:
        gold_items = {r["id"]: r for r in gold.records}
        tasks = tuple(t for t in RECORD_TASKS if any(t in value for _, value in lines))
        if not tasks:
            problems.add(None, "the predictions carry none of entities, events, event_labels, ner_tags")
            problems.raise_if_any()
    tag_names = gold.tag_names
    allowed = _allowed_column_tags(gold) if kind == "ner" and tag_names is None else set()
    for number, value in lines:
        record_id = value["id"]

        def report(message, number=number, record_id=record_id):
            problems.add(number, f"{record_id}: {message}")

        if record_id in out.line_of:
            problems.add(number, f"id {record_id!r} already predicted on line {out.line_of[record_id]}")
            continue
        if record_id not in gold_items:
            what = "sentence" if kind == "ner" else "article"
            problems.add(number, f"id {record_id!r} is not a gold {what} of {gold.label}")
            continue
        out.line_of[record_id] = number
        if kind == "ner":
            if "ner_tags" not in value:
                report("no ner_tags (other lines carry them)")
                continue
            _check_ner_prediction(value, gold_items[record_id], tag_names, allowed, report)
        else:
            for task in tasks:
                if task not in value:
                    report(f"no {task} (other lines carry them): predict [] for none")
            _check_record_prediction(value, gold_items[record_id], report)
        out.by_id[record_id] = value
    problems.raise_if_any()
    out.tasks = tasks
    out.missing = [item_id for item_id in gold_items if item_id not in out.by_id]
    if out.missing and not allow_missing:
        what = "sentence" if kind == "ner" else "article"
        raise DataError([f"{shown}: {count(len(out.missing), 'gold ' + what)} of {gold.label} {'has' if len(out.missing) == 1 else 'have'} no prediction "
                         f"(first: {out.missing[0]}); pass --allow-missing to score them as empty predictions"])
    return out
