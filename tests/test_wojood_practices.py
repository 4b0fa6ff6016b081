"""scripts/wojood_practices.py: the counts that guidelines 2.0 and 2.1 quote from Wojood's sample."""

import importlib.util
import subprocess
import sys

import pytest

from conftest import EXTERNAL, EXTERNAL_SKIP_REASON, REPO

SAMPLE = EXTERNAL / "wojood-sample"
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


@pytest.mark.skipif(not (SAMPLE / "train.txt").is_file(), reason=EXTERNAL_SKIP_REASON)
def test_counts_quoted_in_the_guidelines():
    counts = _module().practices(SAMPLE)
    assert (counts["sentences"], counts["tokens"]) == (1629, 26974)
    assert counts["nisba_adjectives"] == {
        "after one person or a body: O": 9, "after other noun: NORP": 5, "after other noun: O": 70,
        "after people: NORP": 9, "inside another entity: no NORP of its own": 229,
        "inside another entity: own NORP": 1}
    assert counts["approximators"] == {"DATE: outside": 2, "number: inside": 1, "number: outside": 8}
    assert counts["head_nouns"] == {"العاصمة: inside": 1, "جامعة: inside": 33, "حركة: inside": 12, "قرية: inside": 101,
                                    "محافظة: inside": 18, "مدينة: inside": 140, "موقع: inside": 2,
                                    "موقع: outside": 1}
    assert counts["group_words"] == {"الحوثيين: NORP": 3, "اللاجئين: NORP": 11, "اللاجئين: not NORP": 4,
                                     "المدنيين: NORP": 3, "المدنيين: not NORP": 1,
                                     "المصابين: NORP": 3, "المصابين: not NORP": 1, "المعتقلين: NORP": 5,
                                     "سكان: NORP": 3, "سكان: not NORP": 18, "مواطن: not NORP": 6}


def test_categories_of_guidelines_2_1_on_a_synthetic_sample(tmp_path):
    """Synthetic lines (marked synthetic), one sentence per category that guidelines 2.1 add."""
    lines = ["وزير B-OCC", "الخارجية I-OCC B-ORG", "", "وزير B-OCC", "الزراعة I-OCC", "",
             "الملك B-PERS", "حسين I-PERS", "", "السيد O", "محمود B-PERS", "",
             "الدكتور B-OCC", "رامي B-PERS", "", "التحالف O", "يرفض O", "", "الحكومة B-ORG", "قررت O", "",
             "قبل B-DATE", "شهر I-DATE", "", "منذ O", "عامين B-DATE", "",
             "صباح B-TIME", "الأحد I-TIME B-DATE", "", "الآن B-TIME", "",
             "المسؤولين B-NORP", "الاتراك I-NORP", "", "محافظتي O", "الرقة B-GPE", "",
             "الأزمة B-EVENT", "السورية I-EVENT", "", "الشمال O", "", "الحدود B-LOC", "اللبنانية I-LOC", "",
             "القرار O", "2402 B-ORDINAL", ""]
    for name in ("train.txt", "val.txt", "test.txt"):
        (tmp_path / name).write_text("\n".join(lines) + "\n" if name == "train.txt" else "", encoding="utf-8")
    counts = _module().practices(tmp_path)
    assert counts["titles"] == {"royal title before PERS: inside the PERS": 1, "الدكتور before PERS: own OCC": 1,
                                "السيد before PERS: outside": 1, "وزير X: flat": 1, "وزير X: nested ORG": 1}
    assert counts["short_designations"] == {"التحالف: O": 1, "الحكومة: ORG": 1}
    assert counts["anchors"] == {"inside": 1, "outside": 1}
    assert counts["time_spans"] == {"TIME: DATE nested": 1, "TIME: no DATE nested": 1, "الآن: TIME": 1}
    assert counts["office_plurals"] == {"NORP": 1}
    assert counts["dual_heads"] == {"outside": 1}
    assert counts["episode_designations"] == {"EVENT": 1}
    assert counts["places_and_documents"] == {"compass word: O": 1, "الحدود + nisba: LOC": 1,
                                              "قرار + number: O, number ORDINAL": 1}


@pytest.mark.skipif(not (SAMPLE / "train.txt").is_file(), reason=EXTERNAL_SKIP_REASON)
def test_counts_quoted_in_guidelines_2_1():
    counts = _module().practices(SAMPLE)
    assert counts["titles"] == {"royal title before PERS: inside the PERS": 5, "الحاج before PERS: outside": 4,
                                "الدكتور before PERS: own OCC": 6, "السيد before PERS: outside": 27,
                                "السيدة before PERS: outside": 6, "الشيخ before PERS: outside": 3,
                                "وزير X: flat": 14, "وزير X: nested ORG": 2}
    assert counts["short_designations"] == {"الإحتلال: ORG": 1, "الاحتلال: EVENT": 1, "الاحتلال: O": 1,
                                            "الاحتلال: ORG": 2, "البرلمان: ORG": 1, "التحالف: O": 2,
                                            "الجيش: ORG": 1, "الحكومة: ORG": 1, "السلطات: O": 9,
                                            "الشرطة: ORG": 3, "الشرعية: O": 1, "المعارضة: O": 2, "النظام: O": 4}
    assert counts["anchors"] == {"inside": 19, "outside": 2}
    assert counts["time_spans"] == {"TIME: no DATE nested": 14, "الآن: O": 3, "الآن: TIME": 3}
    assert counts["office_plurals"] == {"NORP": 23, "O": 8, "ORG": 3, "inside OCC+ORG": 3, "inside ORG": 6}
    assert counts["dual_heads"] == {"outside": 1}
    assert counts["episode_designations"] == {"EVENT": 2, "inside ORG": 1}
    assert counts["places_and_documents"] == {
        "compass word: O": 3, "compass word: inside ORG": 12, "الأراضي + nisba: GPE": 1, "الأراضي + nisba: LOC": 1,
        "الاراضي + nisba: inside EVENT": 1, "الحدود + nisba: LOC": 1, "قرار + number: O, number ORDINAL": 2}
