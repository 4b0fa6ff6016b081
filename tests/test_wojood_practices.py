"""scripts/wojood_practices.py: the counts that guidelines 2.0 quote from Wojood's sample."""

import importlib.util
import subprocess
import sys

import pytest

from conftest import REPO, SHARED

SAMPLE = SHARED / "external" / "wojood-sample"
SCRIPT = REPO / "scripts" / "wojood_practices.py"


def _module():
    spec = importlib.util.spec_from_file_location("wojood_practices", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_categories_on_a_synthetic_sample(tmp_path):
    """Synthetic lines, one per category the guidelines cite."""
    lines = ["الجيش B-ORG", "الإسرائيلي I-ORG", "", "السجون O", "الإسرائيلية O", "",
             "الشعب B-NORP", "الفلسطيني I-NORP", "", "بعد O", "حوالي O", "ثلاث B-DATE", "سنوات I-DATE", "",
             "في O", "مدينة B-GPE", "جنين I-GPE", "", "المعتقلين B-NORP", ""]
    for name in ("train.txt", "val.txt", "test.txt"):
        (tmp_path / name).write_text("\n".join(lines) + "\n" if name == "train.txt" else "", encoding="utf-8")
    counts = _module().practices(tmp_path)
    assert counts["nisba_adjectives"] == {"after other noun: O": 1, "after people: NORP": 1,
                                          "inside another entity: no NORP of its own": 1}
    assert counts["approximators"] == {"DATE: outside": 1}
    assert counts["head_nouns"] == {"مدينة: inside": 1}
    assert counts["group_words"] == {"المعتقلين: NORP": 1}


def test_missing_files_are_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "missing train.txt, val.txt, test.txt" in result.stderr


@pytest.mark.skipif(not (SAMPLE / "train.txt").is_file(), reason="Wojood sample not available")
def test_counts_quoted_in_the_guidelines():
    counts = _module().practices(SAMPLE)
    assert (counts["sentences"], counts["tokens"]) == (1629, 26974)
    assert counts["nisba_adjectives"] == {
        "after one person or a body: O": 9, "after other noun: NORP": 5, "after other noun: O": 70,
        "after people: NORP": 9, "inside another entity: no NORP of its own": 229,
        "inside another entity: own NORP": 1}
    assert counts["approximators"] == {"DATE: outside": 2, "number: inside": 1, "number: outside": 8}
    assert counts["head_nouns"] == {"العاصمة: inside": 1, "حركة: inside": 12, "قرية: inside": 101,
                                    "محافظة: inside": 18, "مدينة: inside": 140, "موقع: inside": 2,
                                    "موقع: outside": 1}
    assert counts["group_words"] == {"الحوثيين: NORP": 3, "اللاجئين: NORP": 11, "اللاجئين: not NORP": 4,
                                     "المصابين: NORP": 3, "المصابين: not NORP": 1, "المعتقلين: NORP": 5,
                                     "سكان: NORP": 3, "سكان: not NORP": 18, "مواطن: not NORP": 6}
