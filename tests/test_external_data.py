"""The third-party test corpora: scripts/fetch_external.py and the guard that CI never skips them.

The table in the script is the one record of where each file comes from; these tests check that
the data the tests read is that table's, and that the script copies and refuses as documented.
"""

import hashlib
import os
import subprocess
import sys

import pytest

import fetch_external
from conftest import EXTERNAL, EXTERNAL_MISSING, EXTERNAL_SKIP_REASON, REPO

SCRIPT = REPO / "scripts" / "fetch_external.py"


def test_ci_runs_the_tests_that_need_third_party_corpora():
    # CI (CI=true) has the data beside the checkout: if it ever ran with them skipped, fail loudly
    if os.environ.get("CI") == "true":
        assert not EXTERNAL_MISSING, f"CI without the third-party corpora in {EXTERNAL}: {EXTERNAL_MISSING[:3]} ..."
    elif EXTERNAL_MISSING:
        pytest.skip(EXTERNAL_SKIP_REASON)


@pytest.mark.external
def test_every_file_the_tests_read_has_the_table_s_checksum():
    for item in fetch_external.TABLE:
        assert hashlib.sha256((EXTERNAL / item.target).read_bytes()).hexdigest() == item.sha256, item.target


def test_the_table_names_a_pinned_source_and_licence_for_every_file():
    targets = [item.target for item in fetch_external.TABLE]
    assert len(targets) == len(set(targets)) == 63
    assert {t.split("/")[0] for t in targets} == {"anercorp-camel-test", "newsfane-gold", "aqmar", "aqmar-liu2019",
                                                   "wojood-sample", "saudinewsnet"}
    for item in fetch_external.TABLE:
        assert item.url == f"https://github.com/{item.repository}/raw/{item.commit}/{item.source_path}"
        assert len(item.commit) >= 7 and int(item.commit, 16) >= 0
        assert len(item.sha256) == 64 and item.licence


def test_the_skip_reason_names_the_fetch_command():
    assert "`python scripts/fetch_external.py`" in EXTERNAL_SKIP_REASON


def _run(*args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          env=env)


@pytest.mark.external
def test_from_copies_every_file_checked_and_then_keeps_them(tmp_path):
    target = tmp_path / "external"
    first = _run("--from", EXTERNAL, "--to", target)
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[-1] == (f"{target}: 63 files written, 0 already present; "
                                              f"all 63 match the table's SHA-256")
    for item in fetch_external.TABLE:
        assert (target / item.target).read_bytes() == (EXTERNAL / item.target).read_bytes()
    again = _run("--from", EXTERNAL, "--to", target)
    assert again.returncode == 0
    assert again.stderr.splitlines() == [f"{target}: 0 files written, 63 already present; "
                                         f"all 63 match the table's SHA-256"]
    assert fetch_external.missing_files(target) == []


def _fake_source(tmp_path, changed: str | None = None):
    """A --from folder holding the table's files as they are (copied), one of them altered."""
    source = tmp_path / "source"
    for item in fetch_external.TABLE:
        path = source / item.target
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (EXTERNAL / item.target).read_bytes()
        path.write_bytes(data + b"x" if item.target == changed else data)
    return source


@pytest.mark.external
def test_a_source_file_with_another_checksum_is_not_written(tmp_path):
    bad = "aqmar-liu2019/test.txt"
    source = _fake_source(tmp_path, changed=bad)
    target = tmp_path / "external"
    result = _run("--from", source, "--to", target)
    assert result.returncode == 1
    digest = hashlib.sha256((source / bad).read_bytes()).hexdigest()
    expected = next(item.sha256 for item in fetch_external.TABLE if item.target == bad)
    assert result.stderr.splitlines()[-1] == (f"fetch_external: error: {source / bad}: SHA-256 {digest} differs "
                                              f"from the table's {expected}; not written")
    assert not (target / bad).exists()


@pytest.mark.external
def test_a_different_file_in_the_target_is_never_overwritten(tmp_path):
    target = tmp_path / "external"
    occupied = target / "wojood-sample" / "val.txt"
    occupied.parent.mkdir(parents=True)
    occupied.write_bytes(b"mine\n")
    result = _run("--from", EXTERNAL, "--to", target)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(f"fetch_external: error: {occupied}: exists with another SHA-256")
    assert occupied.read_bytes() == b"mine\n"


def test_a_missing_source_folder_is_a_usage_error(tmp_path):
    result = _run("--from", tmp_path / "nowhere", "--to", tmp_path / "out")
    assert (result.returncode, result.stderr) == (2, f"fetch_external: error: {tmp_path / 'nowhere'}: no such folder\n")
    assert not (tmp_path / "out").exists()


def test_no_tracked_file_names_a_path_of_a_machine():
    import re

    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    home = "|".join(("work", "root", "home", "Users"))  # spelled apart so that this file does not match
    pattern = re.compile(rf"(?<![\w.~-])/(?:{home})/[\w.-]+".encode())
    named = []
    for name in listed.stdout.decode().split("\0"):
        path = REPO / name
        if name and path.is_file():
            named += [f"{name}: {m.group().decode(errors='replace')}" for m in pattern.finditer(path.read_bytes())]
    assert named == []


@pytest.mark.external
def test_a_plain_run_downloads_each_table_url_and_checks_it(tmp_path, monkeypatch):
    # no network in tests: urlopen answers from the local copy, by the URL the table gives
    import io
    import urllib.request

    by_url = {item.url: EXTERNAL / item.target for item in fetch_external.TABLE}
    requested = []

    def urlopen(request, timeout):
        requested.append(request.full_url)
        return io.BytesIO(by_url[request.full_url].read_bytes())

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    said = []
    assert fetch_external.fetch(tmp_path / "external", say=said.append) == (63, 0)
    assert requested == [item.url for item in fetch_external.TABLE] and len(said) == 63
    assert said[0] == (f"wrote {tmp_path / 'external' / 'anercorp-camel-test' / 'ANERCorp_CamelLab_test.txt'} "
                       f"(310,924 bytes; CC BY-SA 4.0 (as stated by the CAMeL Lab ANERcorp page))")
    assert fetch_external.missing_files(tmp_path / "external") == []
