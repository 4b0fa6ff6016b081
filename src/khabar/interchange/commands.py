"""Command-line subcommands of the interchange formats (`khabar import`, `khabar export`, `khabar stats`).

Thin: parse the options, call the format module, print its report, return the exit code
(0 ok, 1 invalid data, 2 usage or I/O error). Problems are one line, `file:line: message`;
repairs go to stdout one per line, the summary and errors to stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from khabar.cliutil import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from khabar.cliutil import date_argument as _date
from khabar.cliutil import fail as _fail
from khabar.cliutil import progress_bar as _progress_bar
from khabar.cliutil import say as _say
from khabar.cliutil import shown as _shown
from khabar.interchange.problems import BadInput
from khabar.wording import count


def _workers_option(value: str) -> str:
    if value != "auto" and not (value.isdigit() and int(value) >= 1):
        raise argparse.ArgumentTypeError("expected a number of processes >= 1 or 'auto'")
    return value


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 0")
    return int(value)


def _source_info(args: argparse.Namespace, required: bool):
    """SourceInfo from the metadata options; None when not given and not required.

    Raises UsageProblem when required and incomplete.
    """
    from khabar.interchange.problems import UsageProblem
    from khabar.interchange.records import SourceInfo

    missing = [option for option, value in (("--source-name", args.source_name), ("--license", args.license),
                                            ("--published", args.published)) if not value]
    if missing and (required or len(missing) < 3):
        raise UsageProblem(f"{', '.join(missing)} required: the input carries no khabar metadata "
                           "(see README, \"Import and export\")")
    if missing:
        return None
    return SourceInfo(args.source_name, args.license, args.published, args.url, args.published_basis)


def _finish_import(records: list[dict], log, out_dir: Path, what: str) -> int:
    from khabar.interchange.records import record_files_content, write_all

    for line in log.lines():
        print(line)
    bar = _progress_bar("import: check", "records", total=len(records))
    try:
        files, errors = record_files_content(records, out_dir, progress=bar.update)
    finally:
        bar.close()
    if errors:
        origins = {f"{out_dir / record['id']}.json": _origin(record) for record in records}
        for line in errors:
            origin = next((o for target, o in origins.items() if line.startswith(_shown(Path(target)))), None)
            print(f"{line} (imported from {origin})" if origin else line)
        return _fail(f"{count(len(errors), 'validation error')} in the imported records; nothing written", EXIT_INVALID)
    write_all(files)
    counts = log.counts()
    repairs = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())) or "none"
    _say(f"imported {count(len(records), 'record')} from {what} into {_shown(out_dir)}; repairs: {repairs}")
    return EXIT_OK


def _origin(record: dict) -> str | None:
    """'file, lines a-b' for a record imported from CoNLL (from its interchange note)."""
    from khabar.interchange.provenance import read_note

    note = read_note(record) or {}
    lines = note.get("lines")
    return f"{note['file']}, lines {lines[0]}-{lines[1]}" if note.get("file") and lines else None


def _guarded(run):
    """Turn the interchange exceptions into one-line errors and exit codes."""
    def guarded(args: argparse.Namespace) -> int:
        from khabar.interchange.problems import BadInput, UsageProblem
        from khabar.validate.runner import InputError

        try:
            return run(args)
        except BadInput as problem:
            return _fail(f"{problem}; nothing written", EXIT_INVALID)
        except (UsageProblem, InputError) as problem:
            return _fail(str(problem), EXIT_USAGE)
        except OSError as error:
            where = _shown(Path(error.filename)) if isinstance(error.filename, str) else ""
            return _fail(f"{where}: {error.strerror or error}".lstrip(": "), EXIT_USAGE)
    return guarded


# ---------------------------------------------------------------- import

def cmd_import_conll(args: argparse.Namespace) -> int:
    from khabar.interchange.conll import ImportOptions, import_conll
    from khabar.interchange.problems import RepairLog
    from khabar.interchange.typemap import load_types_map

    source = _source_info(args, required=True)
    options = ImportOptions(source, args.id_prefix or source.name, args.scheme, load_types_map(args.types_map),
                            args.sentences_per_record)
    log = RepairLog(strict=args.strict)
    records: list[dict] = []
    for path in args.files:
        if not path.is_file():
            return _fail(f"{_shown(path)}: no such file", EXIT_USAGE)
        records += import_conll(path, _shown(path), options, log)
    return _finish_import(records, log, args.out, count(len(args.files), "CoNLL file"))


def cmd_import_brat(args: argparse.Namespace) -> int:
    from khabar.interchange.brat import import_brat
    from khabar.interchange.problems import RepairLog
    from khabar.interchange.typemap import load_types_map

    log = RepairLog(strict=args.strict)
    records = import_brat(args.paths, _source_info(args, required=False), args.id_prefix,
                          load_types_map(args.types_map), log)
    return _finish_import(records, log, args.out, f"brat documents under {count(len(args.paths), 'path')}")


def cmd_import_labelstudio(args: argparse.Namespace) -> int:
    from khabar.interchange.labelstudio import import_labelstudio
    from khabar.interchange.problems import RepairLog
    from khabar.interchange.typemap import load_types_map

    log = RepairLog(strict=args.strict)
    records: list[dict] = []
    for path in args.files:
        if not path.is_file():
            return _fail(f"{_shown(path)}: no such file", EXIT_USAGE)
        records += import_labelstudio(path, _shown(path), _source_info(args, required=False), args.id_prefix,
                                      load_types_map(args.types_map), args.offsets, log)
    return _finish_import(records, log, args.out, count(len(args.files), "Label Studio export"))


def cmd_import_news(args: argparse.Namespace) -> int:
    from khabar.interchange.news import StrictStop, import_news
    from khabar.interchange.newsmap import load_news_map
    from khabar.interchange.newssummary import summary_lines

    news_map = load_news_map(args.map)
    try:
        select = read_selection(args.select) if args.select else None
    except BadInput as problem:
        return _fail(str(problem), EXIT_INVALID)
    except OSError as error:
        return _fail(f"{_shown(args.select)}: {error.strerror or error}", EXIT_USAGE)
    try:
        summary = import_news(args.paths, args.out, news_map, corpus=args.corpus, strict=args.strict,
                              progress=_news_progress, workers=_news_workers(args.workers, args.paths),
                              select=select, layout=args.layout)
    except StrictStop as stop:
        return _fail(str(stop), EXIT_INVALID)
    except FileExistsError as error:
        return _fail(f"{error.filename}: exists; import never overwrites a file", EXIT_INVALID)
    for line in summary_lines(summary, _shown(args.out), len(args.paths)):
        _say(line)
    if summary.not_found:
        return _fail(f"{count(len(summary.not_found), 'selected article')} found in no input", EXIT_INVALID)
    return EXIT_OK


def read_selection(path: Path) -> set[str]:
    """The origins (`file:index`) a --select file names: a TSV whose header has `index` and `zip`
    (or `file`), as an annotation batch lists its articles, or one `file:index` per line.
    Raises BadInput for a row it cannot read, OSError when the file cannot be read."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t") if lines else []
    if "index" in header and ("zip" in header or "file" in header):
        file_column, index_column = header.index("zip" if "zip" in header else "file"), header.index("index")
        selected = set()
        for number, line in enumerate(lines[1:], start=2):
            cells = line.split("\t")
            if not line.strip():
                continue
            if len(cells) <= max(file_column, index_column) or not cells[index_column].isdigit():
                raise BadInput(_shown(path), number, "a row without a file name and a numeric index")
            selected.add(f"{cells[file_column]}:{int(cells[index_column])}")
        return selected
    selected = set()
    for number, line in enumerate(lines, start=1):
        name, _, index = line.strip().rpartition(":")
        if not line.strip():
            continue
        if not name or not index.isdigit():
            raise BadInput(_shown(path), number, "expected file:index")
        selected.add(f"{name}:{int(index)}")
    return selected


def _news_workers(requested: str, paths: list[Path]) -> int:
    """--workers: a number, or "auto" = one per core for inputs above 5 MB (a process pool costs
    more than it saves on a few articles)."""
    from khabar.pipeline import default_workers

    if requested != "auto":
        return int(requested)
    size = sum(path.stat().st_size for path in paths if path.is_file())
    return default_workers() if size > 5_000_000 else 1


def _news_progress(items):
    """The articles as they stream in, counted on the shared progress bar (khabar.cliutil)."""
    bar = _progress_bar("import news", "articles")
    try:
        for item in items:
            bar.update(1)
            yield item
    finally:
        bar.close()


# ---------------------------------------------------------------- export

def _valid_records(paths: list[Path]) -> tuple[list[dict] | None, int]:
    from khabar.interchange.records import read_valid_records

    records, errors = read_valid_records(paths)
    if errors:
        for line in errors:
            print(line)
        return None, _fail(f"{count(len(errors), 'validation error')} in the input records; run `khabar validate`; "
                           "nothing written", EXIT_INVALID)
    return records, EXIT_OK


def cmd_export_conll(args: argparse.Namespace) -> int:
    from khabar.interchange.conll import export_conll
    from khabar.interchange.records import files_inside, write_all
    from khabar.interchange.typemap import load_types_map

    types = load_types_map(args.types_map)
    records, code = _valid_records(args.paths)
    if records is None:
        return code
    files, counts = export_conll(records, args.scheme, types)
    write_all(files_inside(args.out, files))
    notes = [f"{count(counts.sentences, 'sentence')}, {count(counts.tokens, 'token')}, tags {args.scheme}"]
    if counts.widened:
        notes.append(f"{count(counts.widened, 'span')} widened to whole tokens")
    if counts.dropped:
        notes.append(f"{count(counts.dropped, 'span')} across a sentence boundary left out")
    if counts.default_types:
        notes.append(f"{count(counts.default_types, 'entity')} exported under the map's first source type")
    _say(f"exported {count(len(records), 'record')} to {count(counts.files, 'CoNLL file')} in {_shown(args.out)}: " + "; ".join(notes))
    return EXIT_OK


def cmd_export_brat(args: argparse.Namespace) -> int:
    from khabar.interchange.brat import export_brat
    from khabar.interchange.records import files_inside, write_all

    records, code = _valid_records(args.paths)
    if records is None:
        return code
    files = export_brat(records)
    write_all(files_inside(args.out, files))
    _say(f"exported {count(len(records), 'record')} as brat documents to {_shown(args.out)} (with annotation.conf)")
    return EXIT_OK


def cmd_export_labelstudio(args: argparse.Namespace) -> int:
    from khabar.interchange.labelstudio import export_labelstudio
    from khabar.interchange.records import files_inside, write_all

    records, code = _valid_records(args.paths)
    if records is None:
        return code
    files = export_labelstudio(records, args.offsets)
    write_all(files_inside(args.out, files))
    _say(f"exported {count(len(records), 'record')} as Label Studio tasks with predictions to {_shown(args.out)} "
         f"(tasks.json, label-config.xml; offsets in {args.offsets})")
    return EXIT_OK


# ---------------------------------------------------------------- stats

def cmd_stats(args: argparse.Namespace) -> int:
    from khabar import stats
    from khabar.interchange.records import read_valid_records

    from khabar.release.reader import is_release, release_records

    paths = args.paths or [Path("corpus")]
    # a release folder is read as its Parquet data (its articles and their splits), not as files
    releases = [path for path in paths if is_release(path)]
    paths = [path for path in paths if path not in releases]
    records, errors = [], []
    if paths:
        bar = _progress_bar("stats", "records")
        try:
            records, errors = read_valid_records(paths, progress=bar.update)
        finally:
            bar.close()
    if errors:
        for line in errors:
            print(line)
        return _fail(f"{count(len(errors), 'validation error')}; stats count valid records only: run `khabar validate`",
                     EXIT_INVALID)
    splits = stats.split_registry(paths)
    for release in releases:
        for split, record in release_records(release):
            records.append(record)
            splits[record["id"]] = split
    collected = stats.collect(records, splits)
    print(stats.render_json(collected) if args.format == "json" else stats.render_markdown(collected), end="")
    if args.charts:
        from khabar.stats_charts import charts_from_stats

        from khabar.atomic import replace_file

        # the charts are regenerated in place (docs/stats), so these files are replaced
        for name, png in charts_from_stats(collected).items():
            replace_file(args.charts / name, png)
            _say(f"wrote {_shown(args.charts / name)}")
    return EXIT_OK


# ---------------------------------------------------------------- parsers

def _metadata_options(parser: argparse.ArgumentParser, required: bool) -> None:
    # required: argparse enforces it, so the usage line and the help say the same
    need = "" if required else " (for inputs without khabar metadata)"
    parser.add_argument("--source-name", required=required, metavar="NAME", help=f"the source corpus, as source.name{need}")
    parser.add_argument("--license", required=required, metavar="TEXT", help=f"licence of the source texts, as source.license{need}")
    parser.add_argument("--published", type=_date, required=required, metavar="YYYY-MM-DD",
                        help=f"source.published, YYYY-MM-DD: by convention the source corpus's publication date, "
                             f"1 January when only the year is known{need}")
    parser.add_argument("--published-basis", metavar="TEXT", help="source.published_basis (default: states the convention)")
    parser.add_argument("--url", metavar="URL", help="source.url: the source corpus's repository (default: null)")
    parser.add_argument("--id-prefix", metavar="P", help="first part of the record ids (default: the source name)")


def add_parsers(commands) -> None:
    """Register the subcommands on the `khabar` argparse subparsers object."""
    from khabar.interchange.tags import SCHEMES

    maps_help = "a JSON types map, or a bundled one: anercorp, aqmar, newsfane (README, Import and export)"

    importer = commands.add_parser("import", help="import CoNLL/BIO, brat, Label Studio or crawled news files as draft records")
    import_formats = importer.add_subparsers(dest="format", metavar="FORMAT", required=True)

    conll = import_formats.add_parser("conll", help="CoNLL/BIO token-per-line files (nested tag columns too)")
    conll.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help="token-per-line file: the token, then one tag column per nesting level")
    conll.add_argument("--out", type=Path, required=True, help="folder for the records (<id>.json)")
    conll.add_argument("--scheme", choices=SCHEMES, default="BIO", help="tag scheme of the files (default BIO)")
    conll.add_argument("--types-map", metavar="FILE", help=maps_help)
    conll.add_argument("--strict", action="store_true", help="reject any repair instead of making it")
    conll.add_argument("--sentences-per-record", type=_count, default=100, metavar="N",
                       help="cut documents into records of at most N sentences (default 100; 0: no cut)")
    _metadata_options(conll, required=True)
    conll.set_defaults(run=_guarded(cmd_import_conll))

    brat = import_formats.add_parser("brat", help="brat standoff documents (.txt + .ann)")
    brat.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".ann or .txt file, or a folder of them")
    brat.add_argument("--out", type=Path, required=True, help="folder for the records (<id>.json)")
    brat.add_argument("--types-map", metavar="FILE", help=maps_help)
    brat.add_argument("--strict", action="store_true", help="reject any repair or skipped annotation")
    _metadata_options(brat, required=False)
    brat.set_defaults(run=_guarded(cmd_import_brat))

    studio = import_formats.add_parser("labelstudio", help="a Label Studio JSON export")
    studio.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a Label Studio JSON export (a list of tasks)")
    studio.add_argument("--out", type=Path, required=True, help="folder for the records (<id>.json)")
    studio.add_argument("--types-map", metavar="FILE", help=maps_help)
    studio.add_argument("--strict", action="store_true", help="reject any repair or skipped task")
    studio.add_argument("--offsets", choices=("codepoints", "utf16"), default="codepoints",
                        help="offset unit to assume where the region text cannot tell (default codepoints)")
    _metadata_options(studio, required=False)
    studio.set_defaults(run=_guarded(cmd_import_labelstudio))

    news = import_formats.add_parser("news", help="crawled news articles (.json, .jsonl, .zip) as draft record shards")
    news.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".json (array or object), .jsonl or .zip of them")
    news.add_argument("--out", type=Path, required=True, help="folder for the record shards (<input stem>.jsonl)")
    news.add_argument("--map", required=True, metavar="NAME_OR_FILE",
                      help="a JSON news map, or a bundled one: saudinewsnet (docs/import-news.md)")
    news.add_argument("--strict", action="store_true", help="stop at the first article that would be skipped")
    news.add_argument("--select", type=Path, metavar="FILE",
                      help="import only these articles: a TSV with `zip` (or `file`) and `index` columns, "
                           "as an annotation batch lists them, or one file:index per line")
    news.add_argument("--layout", choices=("shards", "files"), default="shards",
                      help="shards: one .jsonl per input (default); files: <year>/<id>.json per record, "
                           "as corpus/ keeps them")
    news.add_argument("--corpus", type=Path, metavar="DIR",
                      help="skip articles whose URL or text is already in the records under DIR")
    news.add_argument("--workers", type=_workers_option, default="auto",
                      help="processes that prepare articles (default auto: one per core for inputs above 5 MB); "
                           "the output is the same for any number")
    news.set_defaults(run=_guarded(cmd_import_news))

    exporter = commands.add_parser("export", help="export records as CoNLL/BIO, brat or Label Studio files")
    export_formats = exporter.add_subparsers(dest="format", metavar="FORMAT", required=True)

    def export_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = export_formats.add_parser(name, help=help_text)
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article .json, .jsonl shard or folder")
        parser.add_argument("--out", type=Path, required=True, help="folder for the exported files")
        return parser

    conll_out = export_parser("conll", "CoNLL/BIO, nested entities as extra tag columns")
    conll_out.add_argument("--scheme", choices=SCHEMES, default="BIO", help="tag scheme to write (default BIO)")
    conll_out.add_argument("--types-map", metavar="FILE", help=maps_help + "; exported through its inverse")
    conll_out.set_defaults(run=_guarded(cmd_export_conll))

    brat_out = export_parser("brat", "brat standoff: <id>.txt, <id>.ann, <id>.khabar and annotation.conf")
    brat_out.set_defaults(run=_guarded(cmd_export_brat))

    studio_out = export_parser("labelstudio", "Label Studio tasks with predictions, and a labeling config")
    studio_out.add_argument("--offsets", choices=("codepoints", "utf16"), default="codepoints",
                            help="offset unit of the Label Studio version in use (default codepoints; "
                                 "utf16 for versions that count JavaScript string units)")
    studio_out.set_defaults(run=_guarded(cmd_export_labelstudio))

    stats = commands.add_parser("stats", help="corpus statistics: articles, sentences, tokens, entities, events")
    stats.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="article .json, .jsonl shard or folder "
                                                                          "(default: corpus/)")
    stats.add_argument("--format", choices=("markdown", "json"), default="markdown",
                       help="markdown tables (default) or JSON")
    stats.add_argument("--charts", type=Path, metavar="DIR",
                       help="also write PNG bar charts (entity_types.png, event_types.png) to DIR")
    stats.set_defaults(run=_guarded(cmd_stats))
