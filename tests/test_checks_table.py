"""schema/CHECKS.md is generated from the check registry and lists every id once."""

import re

from conftest import REPO
from khabar.paths import schema_dir
from khabar.validate.checks import CHECKS, checks_table_markdown


def test_checks_table_is_current():
    assert (schema_dir() / "CHECKS.md").read_text(encoding="utf-8") == checks_table_markdown(), \
        "run scripts/write_checks_table.py"


def test_every_check_appears_once_in_the_table():
    ids = re.findall(r"^\| `([a-z0-9-]+)` \|", checks_table_markdown(), flags=re.M)
    assert sorted(ids) == sorted(CHECKS)


def test_check_ids_named_in_docs_exist():
    for doc in ("README.md", "docs/validation.md", "docs/evaluation.md", "docs/interchange.md"):
        named = re.findall(r"\[L\d ([a-z0-9-]+)\]", (REPO / doc).read_text(encoding="utf-8"))
        assert set(named) <= set(CHECKS), doc
        if doc in ("README.md", "docs/validation.md"):
            assert named, doc
