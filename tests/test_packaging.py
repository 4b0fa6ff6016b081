"""The package as users install it: schema files inside the wheel, README commands, CI script."""

import re
import subprocess
import sys
import zipfile

from conftest import REPO, TEST_CASES


# the only step before the test command: the browser the show tests drive, when it is missing
BROWSER_SETUP = ("command -v chromium >/dev/null && fc-list :lang=ar | grep -q . || "
                 "{ apt-get update && apt-get install -y chromium fonts-noto-core; }")


def _readme_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```sh\n(.+?)\n```", readme, flags=re.M)[:2]


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    main_job, test_job = _readme_commands()
    assert main_job.startswith("pip install . && khabar ")
    assert test_job == "pip install -e '.[test]' && python -m pytest"
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line and not line.startswith(("#", "set ", "cd ", "export CI="))]
    assert ci_lines == [BROWSER_SETUP, test_job]


def test_wheel_carries_schema_and_works_without_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("khabar-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    schema_files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "schema").rglob("*") if p.is_file())
    assert {"khabar/" + name for name in schema_files} <= names
    assert {"khabar/suggest/tables/calendar.json", "khabar/suggest/tables/numbers.json"} <= names  # rule tables
    assert "khabar/show/templates/record.html.j2" in names  # khabar show works from the wheel
    # format-1 releases (v0.1.0) are rebuilt from the datasheet frozen in the package
    assert "khabar/release/format1/DATASHEET.md" in names
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import khabar.paths, khabar.cli;"
        "print(khabar.paths.schema_dir());"
        "sys.exit(khabar.cli.main(['validate', sys.argv[2]]))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "site"),
                             str(TEST_CASES / "valid" / "article")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "site" / "khabar" / "schema")
