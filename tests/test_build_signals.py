"""A build ended by a signal leaves nothing behind (issue 11, item 15): SIGTERM cleans up as
SIGINT does, workers die with the build even after SIGKILL, and the next build removes the
staging folder of a killed one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields[0].decode(), int(fields[1])


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _state_and_parent(int(entry.name))
            if found:
                parents[int(entry.name)] = found[1]
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if (_state_and_parent(pid) or ("Z", 0))[0] != "Z"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_synthetic.py"), "2000", str(folder),
                    "--layout", "jsonl"], check=True, capture_output=True)
    return folder


def _build_until_workers_run(corpus: Path, out: Path) -> tuple[subprocess.Popen, set[int]]:
    """A 2-worker build, once its staging folder and its worker processes exist."""
    build = subprocess.Popen([sys.executable, "-m", "khabar", "build", "--corpus", str(corpus), "--out", str(out),
                              "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        family = _descendants(build.pid)
        # resource tracker, fork server and two workers
        if len(family) >= 4 and list(out.parent.glob(f".{out.name}.building-*")):
            return build, family
        time.sleep(0.02)
    build.kill()
    pytest.fail("the build ended or never started its workers")


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while _running(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _running(pids)


def test_sigterm_removes_the_staging_folder_and_stops_every_process(corpus, tmp_path):
    out = tmp_path / "releases" / "v9"
    build, family = _build_until_workers_run(corpus, out)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=120)
    assert build.returncode == 143
    assert err.endswith("khabar: error: terminated\n") and "Traceback" not in err
    assert list((tmp_path / "releases").iterdir()) == []
    assert _gone_within(family, 10) == set()


def test_after_sigkill_workers_die_and_the_next_build_removes_the_staging_folder(corpus, tmp_path, run_cli):
    out = tmp_path / "releases" / "v9"
    build, family = _build_until_workers_run(corpus, out)
    build.kill()
    build.communicate(timeout=60)
    assert _gone_within(family, 10) == set()
    [stale] = [p.name for p in (tmp_path / "releases").iterdir()]
    assert stale.startswith(f".v9.building-") and stale.split("-")[2] == str(build.pid)
    code, out_text, err = run_cli("build", "--corpus", REPO / "corpus", "--out", tmp_path / "releases" / "v0.1.0")
    assert code == 0, err
    assert (f"khabar: removed {stale} in {tmp_path / 'releases'}: staging folder of a build that no longer runs\n"
            in err)
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == ["v0.1.0"]


def test_staging_folders_of_running_builds_and_unknown_folders_are_left_alone(tmp_path):
    from khabar.release import staging

    mine = Path(tmp_path / (staging.staging_prefix("v1") + "abc"))
    mine.mkdir()
    older = tmp_path / ".v1.building-k2j3h4"  # made before owners were recorded: not ours to judge
    older.mkdir()
    restarted = Path(str(mine).replace(f"-{os.getpid()}-", f"-{os.getpid()}-1", 1))  # same pid, other start
    restarted.mkdir()
    assert staging.remove_stale(tmp_path) == [restarted.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, older.name])
