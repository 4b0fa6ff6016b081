"""Split policy: deterministic, stable across versions, same story in one split."""

import hashlib

from khabar.record_io import dumps_record
from khabar.splits import Entry, assign, read_registry, split_by_hash
from make_test_cases import VISIT_BODY, protest, visit


def _corpus(tmp_path, records):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for record in records:
        (corpus / f"{record['id']}.json").write_text(dumps_record(record), encoding="utf-8")
    return corpus


def test_hash_rule_is_the_documented_80_10_10_rule():
    for number in range(300):
        story = f"synthetic-story-{number}"
        bucket = int(hashlib.sha256(story.encode()).hexdigest(), 16) % 10
        assert split_by_hash(story) == ("train" if bucket < 8 else "validation" if bucket == 8 else "test")
    shares = [split_by_hash(f"synthetic-story-{n}") for n in range(2000)]
    assert 0.77 < shares.count("train") / 2000 < 0.83 and 0.08 < shares.count("test") / 2000 < 0.12


def test_near_duplicate_joins_the_split_and_story_of_the_registered_article():
    original = visit("synthetic-split-original")
    rewrite = visit("synthetic-split-rewrite", body=VISIT_BODY[:2] + ["وأقام البلدان علاقات دبلوماسية عام 1990، والقاهرة ترحب اليوم بهذه الزيارة."])
    registered = {original["id"]: Entry(original["id"], "test", "synthetic-story-x")}
    [(entry, reason)] = assign([rewrite], registered, {original["id"]: original["text"]})
    assert entry == Entry("synthetic-split-rewrite", "test", "synthetic-story-x")
    assert reason.startswith("same story as synthetic-split-original")
    other = protest("synthetic-split-other")
    [(entry, reason)] = assign([other], registered, {original["id"]: original["text"]})
    assert entry == Entry(other["id"], split_by_hash(other["id"]), other["id"]) and reason == "hash of the id"


def test_splits_command_registers_new_articles_and_never_moves_registered_ones(tmp_path, run_cli):
    corpus = _corpus(tmp_path, [visit("synthetic-split-a"), protest("synthetic-split-b")])
    code, out, err = run_cli("splits", "--corpus", corpus)
    assert code == 0 and err == "2 articles assigned; 0 already registered\n"
    registry = read_registry(corpus / "splits.tsv")
    assert registry["synthetic-split-b"] == Entry("synthetic-split-b", split_by_hash("synthetic-split-b"), "synthetic-split-b")
    # a curator's (or an earlier rule's) placement stays, whatever the rule says now
    text = (corpus / "splits.tsv").read_text(encoding="utf-8")
    moved = text.replace(f"synthetic-split-b\t{registry['synthetic-split-b'].split}", "synthetic-split-b\tvalidation")
    (corpus / "splits.tsv").write_text(moved, encoding="utf-8")
    assert run_cli("splits", "--corpus", corpus)[:2] == (0, "")
    assert (corpus / "splits.tsv").read_text(encoding="utf-8") == moved
    assert run_cli("validate", corpus)[0] == 0


def test_unregistered_article_fails_validation_until_assigned(tmp_path, run_cli):
    corpus = _corpus(tmp_path, [visit("synthetic-split-a")])
    (corpus / "splits.tsv").write_text("id\tsplit\tstory\n", encoding="utf-8")
    code, out, _ = run_cli("validate", corpus)
    assert code == 1 and "[L4 split-unregistered] synthetic-split-a has no split" in out
    run_cli("splits", "--corpus", corpus)
    assert run_cli("validate", corpus)[0] == 0
