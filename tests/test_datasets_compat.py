"""A release loads with Hugging Face `datasets`, old and new, and gives back exactly what it holds.

- With the installed datasets (5.x), in this process: every config and split by the YAML route
  (`load_dataset(<release>, <config>)`, the card's configs and dataset_info), also streaming.
- With datasets 3.6 (registry marker: an isolated virtual environment built from the package
  registry, cached by its requirements, without khabar in it): the YAML route, and the generated
  loading script `loading_script/khabar.py` with trust_remote_code=True, both also streaming.

The same probe (PROBE below) runs in both places and reports rows, features and info as JSON;
this process compares them to the Parquet files read with pyarrow and, for the documents config,
to the corpus records themselves.
"""

from __future__ import annotations

import ast
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO
from khabar.release import loading_script
from khabar.release.build import build_release
from khabar.release.card import LICENSE_SUMMARY
from khabar.release.citation import bibtex
from khabar.release.features import CONFIGS, DEFAULT_CONFIG, SPLITS, ClassLabel, ListOf, Struct, config_features, \
    yaml_features
from khabar.release.version import project_version, release_date

# The datasets 3.x environment: datasets 3.6.0 (the last 3.x) with the libraries of its time.
DATASETS_3_REQUIREMENTS = (
    "datasets==3.6.0",
    "pyarrow==20.0.0",
    "huggingface-hub==0.31.4",
    "fsspec==2025.3.0",
    "numpy==2.2.6",
    "pandas==2.2.3",
)

# Runs inside the datasets environment under test (a subprocess, or exec'd here): no khabar import.
PROBE = r'''
import json
import sys

import datasets
from datasets import load_dataset


def feature_spec(feature):
    """A datasets feature as plain data; lists are "list" whatever the version calls them."""
    for name in ("List", "LargeList"):  # datasets >= 4
        kind = getattr(datasets, name, None)
        if kind is not None and isinstance(feature, kind):
            return {"list": feature_spec(feature.feature)}
    if isinstance(feature, datasets.Sequence):  # datasets < 4: a Sequence is not a list of rows
        return {"sequence": feature_spec(feature.feature)}
    if isinstance(feature, list):  # datasets < 4: [feature]
        assert len(feature) == 1, feature
        return {"list": feature_spec(feature[0])}
    if isinstance(feature, dict):
        return {"struct": {key: feature_spec(value) for key, value in feature.items()}}
    if isinstance(feature, datasets.ClassLabel):
        return {"class_label": list(feature.names)}
    if isinstance(feature, datasets.Value):
        return feature.dtype
    raise TypeError(repr(feature))


def first_label_names(feature):
    """`features["ner_tags"].feature.names[:3]` on datasets >= 4, `features["ner_tags"][0]...` before."""
    item = feature[0] if isinstance(feature, list) else feature.feature
    return item.names[:3]


def probe(release, cache_dir, script=False):
    """Every config of a release, loaded and streamed: {config: report}."""
    path = release + "/loading_script/khabar.py" if script else release
    options = {"cache_dir": cache_dir, **({"trust_remote_code": True} if script else {})}
    report = {}
    for config in ("documents", "ner", "events"):
        loaded = load_dataset(path, config, **options)
        streamed = load_dataset(path, config, streaming=True, **options)
        entry = {"splits": list(loaded), "streamed_splits": list(streamed), "rows": {}, "streamed_rows": {},
                 "features": {}, "streamed_features": {}, "info": {}}
        for split, dataset in loaded.items():
            entry["rows"][split] = [dict(row) for row in dataset]
            entry["features"][split] = feature_spec(dataset.features)
            entry["info"][split] = {"config_name": dataset.info.config_name, "version": str(dataset.info.version),
                                    "description": dataset.info.description, "citation": dataset.info.citation,
                                    "license": dataset.info.license}
            if config == "ner":
                entry["ner_tags_first_names"] = first_label_names(dataset.features["ner_tags"])
        for split, dataset in streamed.items():
            entry["streamed_rows"][split] = [dict(row) for row in dataset]
            entry["streamed_features"][split] = feature_spec(dataset.features) if dataset.features else None
        report[config] = entry
    default = load_dataset(path, **options)
    report["<default>"] = {split: dataset.info.config_name for split, dataset in default.items()}
    return report


if __name__ == "__main__":
    release, cache_dir, out = sys.argv[1:4]
    datasets.disable_progress_bars()
    try:
        import khabar  # noqa: F401
        isolated = False
    except ImportError:
        isolated = True
    import traceback

    import pyarrow
    result = {"versions": {"datasets": datasets.__version__, "pyarrow": pyarrow.__version__,
                           "python": sys.version.split()[0]}, "isolated": isolated}
    for route, script in (("yaml", False), ("script", True)):
        try:  # one route's failure is reported by its own test
            result[route] = probe(release, cache_dir + "/" + route, script)
        except Exception:
            result[route] = {"error": traceback.format_exc()}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
'''


# ---------------------------------------------------------------- the release and what it holds

@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A release built from the repository's corpus into a temporary folder, and its context."""
    version = project_version(REPO)
    target = tmp_path_factory.mktemp("release") / f"v{version}"
    result = build_release(REPO / "corpus", target, REPO, version, release_date(version, REPO / "CHANGELOG.md"))
    return result.release_dir, result.context


def _declared_splits(context, config):
    return [split for split in SPLITS if context.counts[config][split]]


def _parquet_rows(release_dir: Path, context) -> dict:
    """{config: {split: rows}} read with pyarrow from the files the manifest lists."""
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    rows = {}
    for config in CONFIGS:
        rows[config] = {}
        for split in _declared_splits(context, config):
            files = manifest["data_files"][config][split]
            # the card's pattern data/<config>/<split>-* matches exactly these files
            assert sorted(p.relative_to(release_dir).as_posix()
                          for p in release_dir.glob(f"data/{config}/{split}-*")) == files
            rows[config][split] = [row for path in files for row in pq.read_table(release_dir / path).to_pylist()]
            assert len(rows[config][split]) == context.counts[config][split] > 0
    return rows


def _feature_spec(feature) -> object:
    """khabar's feature description in the probe's plain form."""
    if isinstance(feature, Struct):
        return {"struct": {name: _feature_spec(item) for name, item in feature.fields}}
    if isinstance(feature, ListOf):
        return {"list": _feature_spec(feature.item)}
    if isinstance(feature, ClassLabel):
        return {"class_label": list(feature.names)}
    return feature


def _decode(spec, value):
    """A stored row with ClassLabel indices turned back into names, by the features as datasets loaded them."""
    if value is None:
        return None
    if isinstance(spec, dict) and "struct" in spec:
        assert set(value) == set(spec["struct"])
        return {name: _decode(item, value[name]) for name, item in spec["struct"].items()}
    if isinstance(spec, dict) and "list" in spec:
        return [_decode(spec["list"], item) for item in value]
    if isinstance(spec, dict) and "class_label" in spec:
        return spec["class_label"][value]
    return value


def _as_row(spec, value):
    """A corpus record in the shape of a row: absent optional fields as None, nothing left out."""
    if value is None:
        return None
    if isinstance(spec, dict) and "struct" in spec:
        assert set(value) <= set(spec["struct"]), f"fields missing from the release: {set(value) - set(spec['struct'])}"
        return {name: _as_row(item, value.get(name)) for name, item in spec["struct"].items()}
    if isinstance(spec, dict) and "list" in spec:
        return [_as_row(spec["list"], item) for item in value]
    return value


def _corpus_records() -> dict:
    records = {}
    for path in sorted((REPO / "corpus").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data if isinstance(data, list) else [data]:
            records[record["id"]] = record
    for path in sorted((REPO / "corpus").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["id"]] = record
    return records


def _check_route(report: dict, release_dir: Path, context, *, script: bool) -> None:
    """One route's report against the Parquet files, khabar's features and the corpus."""
    assert "error" not in report, report.get("error")
    expected_rows = _parquet_rows(release_dir, context)
    records = _corpus_records()
    for config in CONFIGS:
        entry = report[config]
        splits = _declared_splits(context, config)
        spec = _feature_spec(config_features(config, context.format))
        assert entry["splits"] == splits
        assert entry["streamed_splits"] == splits
        for split in splits:
            assert entry["features"][split] == spec
            assert entry["streamed_features"][split] == spec
            assert entry["rows"][split] == expected_rows[config][split]
            assert entry["streamed_rows"][split] == expected_rows[config][split]
            assert entry["info"][split]["config_name"] == config
            if script:
                assert entry["info"][split] == {
                    "config_name": config, "version": context.version,
                    "description": loading_script.description(context) + "\n\n"
                    + loading_script.CONFIG_DESCRIPTIONS[config],
                    "citation": bibtex(context) + "\n", "license": LICENSE_SUMMARY}
        if config == "documents":
            for split in splits:
                assert [row["id"] for row in entry["rows"][split]] == context.ids[split]
                assert [_decode(spec, row) for row in entry["rows"][split]] == \
                       [_as_row(spec, records[id_]) for id_ in context.ids[split]]
    assert report["ner"]["ner_tags_first_names"] == ["O", "B-PERS", "I-PERS"]
    assert report["<default>"] == {split: DEFAULT_CONFIG for split in _declared_splits(context, DEFAULT_CONFIG)}


def test_the_checks_see_the_corpus(release):
    """The comparisons below are not vacuous: the release has rows, labels and absent optional fields."""
    release_dir, context = release
    rows = _parquet_rows(release_dir, context)
    assert context.counts["documents"]["train"] >= 1 and context.counts["ner"]["train"] > 1
    # an optional field absent from a record (the first article names no country) is None in its row
    records = _corpus_records()
    countries = {row["id"]: row["source"]["country"] for row in rows["documents"]["train"]}
    assert countries == {row_id: records[row_id]["source"].get("country") for row_id in countries}
    assert None in countries.values()
    document = rows["documents"]["train"][0]
    assert document["entities"] and isinstance(document["entities"][0]["type"], int)
    assert any(tag > 0 for row in rows["ner"]["train"] for tag in row["ner_tags"])


# ---------------------------------------------------------------- the installed datasets (5.x)

def test_installed_datasets_loads_every_config_by_the_card(release, tmp_path):
    import datasets

    assert int(datasets.__version__.split(".")[0]) >= 4
    namespace = {"__name__": "probe"}
    exec(compile(PROBE, "probe", "exec"), namespace)
    release_dir, context = release
    report = namespace["probe"](str(release_dir), str(tmp_path / "cache"))
    _check_route(report, release_dir, context, script=False)


# ---------------------------------------------------------------- the generated loading script

def test_loading_script_is_generated_deterministically(release):
    release_dir, context = release
    written = (release_dir / loading_script.SCRIPT).read_bytes()
    assert written == loading_script.script_text(context).encode("utf-8")
    assert loading_script.script_text(dataclasses.replace(context)) == loading_script.script_text(context)
    text = written.decode("utf-8")
    assert text.startswith(f"# khabar {context.version}: loading script for Hugging Face `datasets` < 4 ONLY.\n"
                           "# Generated by khabar when it built this release; do not edit (rebuild instead).\n")
    assert (f'load_dataset("releases/v{context.version}/loading_script/khabar.py", "ner", '
            "trust_remote_code=True)") in text
    tree = ast.parse(text)
    imported = sorted(alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                      for alias in node.names)
    assert imported == ["datasets", "json", "pyarrow.parquet"]
    embedded = {node.targets[0].id: node.value for node in tree.body if isinstance(node, ast.Assign)}
    configs = json.loads(embedded["_CONFIGS"].args[0].value)
    assert list(configs) == list(CONFIGS)
    for config in CONFIGS:
        assert configs[config]["features"] == yaml_features(config, context.format)
        assert configs[config]["data_files"] == {split: context.data_files[config][split]
                                                 for split in _declared_splits(context, config)}
    assert ast.literal_eval(embedded["_VERSION"]) == context.version
    assert ast.literal_eval(embedded["_CITATION"]) == bibtex(context) + "\n"


def test_loading_script_declares_only_the_splits_with_files(release):
    _, context = release
    files = {"train": ["data/ner/train-00000-of-00002.parquet", "data/ner/train-00001-of-00002.parquet"],
             "test": ["data/ner/test-00000-of-00001.parquet"]}
    other = dataclasses.replace(context, data_files={"ner": files})
    configs = loading_script.script_configs(other)
    assert configs["ner"]["data_files"] == files
    assert configs["documents"]["data_files"] == {} and configs["events"]["data_files"] == {}
    assert list(configs["ner"]["data_files"]) == ["train", "test"]


# ---------------------------------------------------------------- datasets 3.6, isolated

def _compat_python(requirements: tuple[str, ...]) -> Path:
    """The Python of a virtual environment holding `requirements` (and not khabar), built once and
    cached under the temporary folder, keyed by the requirements and this interpreter."""
    key = hashlib.sha256("\n".join([sys.version, *requirements]).encode()).hexdigest()[:12]
    root = Path(os.environ.get("KHABAR_COMPAT_VENVS", tempfile.gettempdir()))
    root.mkdir(parents=True, exist_ok=True)
    venv = root / f"khabar-datasets-3.6-venv-{key}"
    ready = venv / "khabar-requirements.txt"
    with open(root / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent runs wait for one builder
        if not ready.is_file():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                        "--disable-pip-version-check", *requirements],
                                       capture_output=True, text=True, timeout=1200)
            if installed.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                pytest.fail(f"pip install {' '.join(requirements)} failed:\n{installed.stdout}\n{installed.stderr}")
            ready.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    return venv / "bin" / "python"


@pytest.fixture(scope="module")
def datasets3_report(release, tmp_path_factory):
    """The probe's report from datasets 3.6 in its own environment."""
    python = _compat_python(DATASETS_3_REQUIREMENTS)
    release_dir, _ = release
    work = tmp_path_factory.mktemp("datasets3")
    (work / "probe.py").write_text(PROBE, encoding="utf-8")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
                   and not name.startswith(("HF_", "HUGGINGFACE_"))}
    environment.update(HF_HOME=str(work / "hf"), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1",
                       PYTHONNOUSERSITE="1")
    ran = subprocess.run([str(python), str(work / "probe.py"), str(release_dir), str(work / "cache"),
                          str(work / "report.json")], cwd=work, env=environment, capture_output=True, text=True,
                         timeout=900)
    assert ran.returncode == 0, ran.stderr[-6000:]
    return json.loads((work / "report.json").read_text(encoding="utf-8"))


@pytest.mark.registry
def test_datasets_3_environment_is_isolated_and_pinned(datasets3_report):
    assert datasets3_report["isolated"] is True  # khabar is not importable there
    assert datasets3_report["versions"]["datasets"] == "3.6.0"
    assert datasets3_report["versions"]["pyarrow"] == "20.0.0"
    assert datasets3_report["versions"]["python"] == sys.version.split()[0]


@pytest.mark.registry
def test_datasets_3_loads_every_config_by_the_card(release, datasets3_report):
    release_dir, context = release
    _check_route(datasets3_report["yaml"], release_dir, context, script=False)


@pytest.mark.registry
def test_datasets_3_loads_every_config_by_the_loading_script(release, datasets3_report):
    release_dir, context = release
    _check_route(datasets3_report["script"], release_dir, context, script=True)
