"""The `khabar` command line: parses arguments and hands over to the module that does the job.

Exit codes: 0 success, 1 invalid data, 2 usage or I/O error. No command prints a traceback
for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from khabar import __version__
from khabar.cliutil import EXIT_INVALID, EXIT_OK, date_argument, progress_bar, say, unicode_safe_output
from khabar.cliutil import fail as _fail
from khabar.cliutil import shown as _shown
from khabar.textrules import escaped
from khabar.wording import count


def cmd_validate(args: argparse.Namespace) -> int:
    from khabar.api import validate
    from khabar.validate.runner import InputError

    paths = args.paths or [Path("corpus")]
    bar = progress_bar("validate", "records")
    try:
        report = validate(paths, _workers(args.workers, paths), progress=bar.update)
    except InputError as error:
        return _fail(str(error))
    finally:
        bar.close()
    if args.format == "json":
        summary = {"files": report.files, "records": report.records, "valid_records": report.valid_records,
                   "errors": len(report.errors), "warnings": len(report.warnings)}
        print(json.dumps({"summary": summary, "incidents": [i.as_json() for i in report.incidents]},
                         ensure_ascii=False, indent=2))
    else:
        for incident in report.incidents:
            print(incident.as_text())
    verdict = "PASSED" if report.ok else "FAILED"
    print(f"*** {verdict} *** {count(report.records, 'record')} in {count(report.files, 'file')}: "
          f"{report.valid_records:,} valid, {count(len(report.errors), 'error')}, "
          f"{count(len(report.warnings), 'warning')}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_ingest(args: argparse.Namespace) -> int:
    from khabar import ingest
    from khabar.record_io import dumps_record, write_new_file
    from khabar.validate.level4 import text_digest
    from khabar.validate.runner import InputError, check_record_text, shown_path

    raw_file = escaped(str(args.raw_file))  # as given, printable on one line
    try:
        raw_text = args.raw_file.read_bytes().decode("utf-8")
    except OSError as error:
        return _fail(f"{raw_file}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        return _fail(f"{raw_file}: not UTF-8 (byte offset {error.start})", EXIT_INVALID)
    try:
        article = ingest.parse_raw(raw_text)
    except ingest.IngestError as error:
        where = f"{raw_file}:{error.line}" if error.line else raw_file
        return _fail(f"{where}: {error}", EXIT_INVALID)
    source_name = args.source_name or article.source_name
    if not source_name:
        return _fail(f"{raw_file}: no 'Source:' line; pass --source-name")
    if not args.published:
        return _fail(f"{raw_file}: the raw file carries no publication date; pass --published YYYY-MM-DD "
                     "and say how it was established with --published-basis")
    for number, line, why in article.removed:
        print(f"{raw_file}:{number}: removed ({why}): {line}")
    for number, line in article.unrecognised:
        print(f"{raw_file}:{number}: unrecognised trailing line: {line}")
    if article.unrecognised and not args.drop_unrecognised:
        return _fail(f"{raw_file}: {count(len(article.unrecognised), 'unrecognised line')} after the article; "
                     "check them, then rerun with --drop-unrecognised to leave them out", EXIT_INVALID)
    if article.nfc_changes:
        print(f"{raw_file}: NFC normalization changed {count(article.nfc_changes, 'line')}")
    try:
        known = ingest.corpus_texts(args.corpus)
    except InputError as error:
        return _fail(str(error))
    # the level 4 rule (duplicate-text), whatever id, date or source the new record would have
    earlier = known.where_text.get(text_digest(article.text))
    if earlier:
        return _fail(f"{raw_file}: already ingested as {earlier} (same text: [L4 duplicate-text])", EXIT_INVALID)
    record_id = ingest.derive_id(source_name, args.published, article.title, known.ids | {path.stem for path in ingest.record_files(args.corpus)})
    license_text = args.license or f"All rights reserved by the publisher ({source_name}); no licence stated"
    record = ingest.draft_record(article, record_id, source_name=source_name, url=args.url, published=args.published,
                                 published_basis=args.published_basis, license=license_text,
                                 retrieved=args.retrieved, raw_file=args.raw_file.name)
    target = ingest.record_path(args.corpus, record)
    content = dumps_record(record)
    problems = [i for i in check_record_text(target, content) if i.severity == "error"]
    if problems:
        for incident in problems:
            print(incident.as_text())
        return _fail(f"{raw_file}: the draft record would not validate; nothing written", EXIT_INVALID)
    try:
        write_new_file(target, content)
    except FileExistsError:
        return _fail(f"{shown_path(target)} exists; ingest never overwrites a record")
    except OSError as error:
        return _fail(f"{shown_path(target)}: {error.strerror or error}")
    print(f"wrote {shown_path(target)} ({count(len(article.paragraphs), 'paragraph')}, {count(len(record['text']), 'character')})")
    return EXIT_OK


def _workers(requested: str, paths: list[Path]) -> int:
    """--workers: a number, or "auto" = one per core for corpora above 20 MB, else 1 (a process
    pool costs more than it saves on a few files)."""
    from khabar.pipeline import workers_for
    from khabar.validate.runner import InputError, record_files

    if requested != "auto":
        return int(requested)
    try:
        size = sum(path.stat().st_size for path in record_files(paths))
    except (InputError, OSError):
        return 1  # the command reports the problem itself
    return workers_for(size)


def _positive_or_auto(value: str) -> str:
    if value != "auto" and not (value.isdigit() and int(value) >= 1):
        raise argparse.ArgumentTypeError("expected a number of processes >= 1 or 'auto'")
    return value


def _records(value: str) -> int:
    if not (value.isdigit() and int(value) >= 1):
        raise argparse.ArgumentTypeError("expected a number of records >= 1")
    return int(value)


def cmd_build(args: argparse.Namespace) -> int:
    from khabar.release.build import BuildRefused, build_release
    from khabar.release.metadata import MetadataError, corpus_metadata
    from khabar.validate.runner import InputError

    if not args.corpus.is_dir():
        return _fail(f"{escaped(str(args.corpus))}: no such corpus folder")
    try:
        metadata = corpus_metadata(args.corpus)
    except (MetadataError, FileNotFoundError, ValueError, KeyError) as error:
        return _fail(str(error))
    version = metadata.version
    bar = progress_bar("build", "records")
    try:
        # auto: the build chooses from the corpus it reads once (khabar.validate.corpus)
        workers = None if args.workers == "auto" else int(args.workers)
        result = build_release(args.corpus, args.out, say=say, workers=workers,
                               metadata=metadata, statuses=args.include_status, progress=bar.update,
                               unit_size=args.unit_size)
    except BuildRefused as refusal:
        for incident in refusal.incidents:
            print(incident.as_text())
        for name in refusal.differing:
            print(f"differs: {name}")
        return _fail(str(refusal), refusal.exit_code)
    except InputError as error:  # what the corpus folder holds cannot be read (README, Validate)
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{getattr(error, 'filename', None) or ''}: {error.strerror or error}".lstrip(": "))
    finally:
        bar.close()
    shown = _shown(result.release_dir)
    if result.identical:
        print(f"identical: {shown} already holds this release (version {version}); nothing written")
    else:
        empty = result.context.empty_splits
        print(f"wrote {shown}: version {version}, {count(result.context.articles, 'article')}"
              + (f"; empty splits: {', '.join(empty)}" if empty else ""))
    return EXIT_OK


def _statuses(value: str) -> list[str]:
    return [status.strip() for status in value.split(",") if status.strip()]


def cmd_splits(args: argparse.Namespace) -> int:
    from khabar.splits import REGISTRY_NAME, RegistryError, assign, read_registry, write_registry
    from khabar.validate.runner import InputError, check_records

    registry_path = args.corpus / REGISTRY_NAME
    try:
        registered = read_registry(registry_path) if registry_path.is_file() else {}
    except RegistryError as error:
        return _fail(f"{_shown(registry_path)}:{error.line}: {error}", EXIT_INVALID)
    records, errors = [], 0
    try:
        for checked in check_records([args.corpus], keep_records=True):
            errors += sum(i.severity == "error" and not i.check.startswith("split-") for i in checked.incidents)
            if checked.record is not None:  # the id and text are all the rule needs of a record
                records.append({"id": checked.record["id"], "text": checked.record["text"]})
    except InputError as error:
        return _fail(str(error))
    if errors:
        return _fail(f"{count(errors, 'validation error')} in {args.corpus}; run `khabar validate` first", EXIT_INVALID)
    texts = {r["id"]: r["text"] for r in records}
    new = [r for r in records if r["id"] not in registered]
    assigned = assign(new, registered, texts)
    for entry, reason in assigned:
        print(f"{entry.id}\t{entry.split}\t({reason})")
    if assigned:
        write_registry(registry_path, list(registered.values()) + [entry for entry, _ in assigned])
    print(f"{count(len(assigned), 'article')} assigned; {len(registered):,} already registered", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from khabar.release.verify import verify_release

    release = escaped(str(args.release_dir))  # as given, printable on one line
    if not args.release_dir.is_dir():
        return _fail(f"{release}: no such release folder")
    try:
        problems = verify_release(args.release_dir)
    except OSError as error:
        return _fail(f"{escaped(str(error.filename or args.release_dir))}: {error.strerror or error}")
    for problem in problems:
        print(f"{escaped(str(args.release_dir / problem))}")
    if problems:
        return _fail(f"{count(len(problems), 'problem')} in {release}", EXIT_INVALID)
    print(f"verified {release}: checksums, card, Croissant and manifest agree with the data")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="khabar", description="Validate, ingest and release the khabar corpus.")
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser("validate", help="check article records level by level (schema/CHECKS.md)")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="article .json, .jsonl shard or folder (default: corpus/)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="text: one line per incident (default); json: a summary and the incidents")
    validate.add_argument("--workers", type=_positive_or_auto, default="auto",
                          help="processes for levels 1-3 (default auto: one per core for large corpora)")
    validate.set_defaults(run=cmd_validate)

    ingest = commands.add_parser("ingest", help="turn a raw scraped article into a draft record under corpus/")
    ingest.add_argument("raw_file", type=Path, metavar="RAW_FILE",
                        help="UTF-8 text: the headline, the paragraphs, then a 'Source:' line (README, Adding an article)")
    ingest.add_argument("--url", help="where the article was published (default: unknown, null)")
    ingest.add_argument("--published", type=date_argument, help="publication date YYYY-MM-DD (needed: a raw file carries none; "
                             "say how it was established with --published-basis)")
    ingest.add_argument("--published-basis", help="how the publication date was established")
    ingest.add_argument("--source-name", help="publisher (default: the file's 'Source:' line)")
    ingest.add_argument("--license", help="rights in the article text (default: all rights reserved by the publisher)")
    ingest.add_argument("--retrieved", type=date_argument, help="date the raw file was obtained, YYYY-MM-DD")
    ingest.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus/)")
    ingest.add_argument("--drop-unrecognised", action="store_true",
                        help="leave out unrecognised lines after the article (they are still reported)")
    ingest.set_defaults(run=cmd_ingest)

    splits = commands.add_parser("splits", help="assign unregistered articles to train/validation/test in splits.tsv")
    splits.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus/)")
    splits.set_defaults(run=cmd_splits)

    build = commands.add_parser("build", help="validate the corpus and write the release of its version (dataset.toml or pyproject.toml)")
    build.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus/)")
    build.add_argument("--out", type=Path, help="release folder (default: releases/v<version>/ beside the corpus)")
    build.add_argument("--include-status", type=_statuses, default=[], metavar="STATUS[,STATUS]",
                       help="release these annotation statuses too (reviewed, draft); gold only by default")
    build.add_argument("--workers", type=_positive_or_auto, default="auto",
                       help="processes that check and convert records (default auto: one per core for large corpora)")
    build.add_argument("--unit-size", type=_records, metavar="N",
                       help="records per release unit, each written as its own Parquet files (default: the size the "
                            "published release of this version records, else 50000; docs/release-units.md)")
    build.set_defaults(run=cmd_build)

    verify = commands.add_parser("verify", help="check a release folder against its checksums, card and manifest")
    verify.add_argument("release_dir", type=Path, metavar="RELEASE_DIR",
                        help="a release folder, e.g. releases/v0.1.0 (holding SHA256SUMS)")
    verify.set_defaults(run=cmd_verify)

    # subcommands owned by their own modules (each sets `run` on its parsers)
    from khabar.agreement.commands import add_parser as add_agreement
    from khabar.evaluation.commands import add_parsers as add_evaluation
    from khabar.interchange.commands import add_parsers as add_interchange
    from khabar.show.commands import add_parsers as add_show
    from khabar.suggest.commands import add_parser as add_suggest

    add_interchange(commands)
    add_evaluation(commands)
    add_agreement(commands)
    add_suggest(commands)
    add_show(commands)
    return parser


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like KeyboardInterrupt, so that every `finally` cleans up."""


def _terminated(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    unicode_safe_output()
    args = build_parser().parse_args(argv)
    # SIGTERM as SIGINT: a build removes its staging folder and stops its workers either way
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Terminated:
        return _fail("terminated", 143)
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
