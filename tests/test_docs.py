"""The reference docs moved out of the README stay runnable and linked."""

import re
import shlex

from conftest import REPO


def test_every_runnable_v0_1_0_command_in_the_evaluation_doc_runs(run_cli, tmp_path, monkeypatch):
    doc = (REPO / "docs" / "evaluation.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```sh\n(.+?)```", doc, flags=re.S) for line in block.splitlines()
                if line.startswith("khabar ") and "releases/v0.1.0" in line]
    assert commands, "the doc shows a command that runs on v0.1.0"
    monkeypatch.chdir(REPO)
    for command in commands:
        argv = shlex.split(command)[1:]
        argv[argv.index("--predictions") + 1] = str(tmp_path / "predictions.jsonl")
        code, _, err = run_cli(*argv)
        assert code == 0, (command, err)


def test_docs_link_only_to_files_that_exist():
    for doc in sorted((REPO / "docs").glob("*.md")):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name}: {target}"
