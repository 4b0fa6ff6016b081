"""A corpus folder is read once per build and per validation: one walk, one parse of the registry."""

import subprocess
import sys

import pytest

from conftest import REPO, write_published_corpus
from khabar import splits
from khabar.release.build import build_release
from khabar.release.version import project_version, release_date
from khabar.validate import corpus as corpus_module
from khabar.validate import runner
from khabar.validate.corpus import read_corpus
from khabar.validate.runner import validate_paths

VERSION = project_version(REPO)


@pytest.fixture
def counted(monkeypatch):
    """Counts the folder walks and the registry parses."""
    calls = {"walk": 0, "registry": 0}
    walk, parse = runner.folder_record_files, splits.read_registry_index

    def counting_walk(folder):
        calls["walk"] += 1
        return walk(folder)

    def counting_parse(path):
        calls["registry"] += 1
        return parse(path)

    monkeypatch.setattr(runner, "folder_record_files", counting_walk)
    monkeypatch.setattr(corpus_module, "read_registry_index", counting_parse)
    return calls


def test_read_corpus_lists_files_in_order_with_sizes_and_the_registry(tmp_path):
    corpus_dir = write_published_corpus(tmp_path / "corpus")
    corpus = read_corpus(corpus_dir)
    (path,) = sorted(corpus_dir.rglob("*.json"))
    assert [file.path for file in corpus.files] == [path]
    assert [file.size for file in corpus.files] == [path.stat().st_size]
    assert corpus.size == path.stat().st_size
    assert corpus.has_registry and corpus.registry_error is None
    assert [record_id for record_id, _ in corpus.registry] == [path.stem]
    assert corpus.registry.split_of(path.stem) == "train"


def test_an_invalid_registry_is_kept_as_its_error(tmp_path):
    corpus_dir = write_published_corpus(tmp_path / "corpus")
    (corpus_dir / splits.REGISTRY_NAME).write_text("a\ttrain\n", encoding="utf-8")
    corpus = read_corpus(corpus_dir)
    assert corpus.registry is None and corpus.has_registry
    assert corpus.registry_error.line == 1


def test_build_walks_the_corpus_once_and_parses_its_registry_once(tmp_path, counted):
    corpus_dir = write_published_corpus(tmp_path / "corpus")
    result = build_release(corpus_dir, tmp_path / "out" / f"v{VERSION}", REPO, VERSION,
                           release_date(VERSION, REPO / "CHANGELOG.md"))
    assert result.context.articles == 1
    assert counted == {"walk": 1, "registry": 1}


def test_validation_walks_the_corpus_once_and_parses_its_registry_once(tmp_path, counted):
    corpus_dir = write_published_corpus(tmp_path / "corpus")
    report = validate_paths([corpus_dir])
    assert (report.files, report.records, report.valid_records, report.errors) == (1, 1, 1, [])
    assert counted == {"walk": 1, "registry": 1}


def test_the_build_command_walks_the_corpus_once_even_choosing_its_workers(tmp_path, counted, run_cli):
    corpus_dir = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "5", str(corpus_dir)],
                   check=True, capture_output=True)
    code, _, err = run_cli("build", "--corpus", corpus_dir, "--out", tmp_path / "v0.0.0", "--include-status", "draft")
    assert code == 0, err
    assert counted == {"walk": 1, "registry": 1}
