"""The guidelines' examples from annotation batch 01 quote the batch articles exactly.

The batch list (annotation-batch-01.tsv) and the SaudiNewsNet archives live beside the checkout
in the shared folder; without them the test is skipped.
"""

import csv
import json
import re
import zipfile

import pytest

from conftest import EXTERNAL, EXTERNAL_SKIP_REASON, REPO

BATCH = REPO / "agreement" / "batch-01" / "batch-01.tsv"  # the batch list, as ../shared gave it
ARCHIVES = EXTERNAL / "saudinewsnet"
GUIDELINES = REPO / "schema" / "GUIDELINES.md"
MIN_WORDS = 4  # shorter code spans are single words or entity spans named in passing


def _collapsed(text):
    return re.sub(r"\s+", " ", text).strip()


def _batch_texts():
    texts, archives = {}, {}
    with open(BATCH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["zip"] not in archives:
                with zipfile.ZipFile(ARCHIVES / row["zip"]) as archive:
                    archives[row["zip"]] = json.loads(archive.read(archive.namelist()[0]))
            article = archives[row["zip"]][int(row["index"])]
            texts[int(row["n"])] = _collapsed(article["title"] + "\n" + article["content"])
    return texts


def _cited_quotes(guidelines):
    """(rows cited, quote) for every multi-word Arabic code span of a list item or paragraph that
    cites batch rows; quotes with an ellipsis are excerpts and left out."""
    for block in re.split(r"\n(?=\s*(?:- |\d+\. |#))", guidelines):
        rows = {int(n) for group in re.findall(r"(?i)batch rows? ([\d, ]+)", block) for n in re.findall(r"\d+", group)}
        if not rows:
            continue
        for quote in re.findall(r"`([^`]+)`", block):
            quote = _collapsed(quote)
            if re.search("[\u0600-\u06ff]", quote) and len(quote.split()) >= MIN_WORDS and "..." not in quote:
                yield rows, quote


@pytest.mark.skipif(not (BATCH.is_file() and ARCHIVES.is_dir()), reason=EXTERNAL_SKIP_REASON)
def test_every_batch_quotation_is_exact():
    texts = _batch_texts()
    quotes = list(_cited_quotes(GUIDELINES.read_text(encoding="utf-8")))
    assert len(quotes) >= 13  # at least one example per everyday-news topic
    missing = [(sorted(rows), quote) for rows, quote in quotes if not any(quote in texts[n] for n in rows)]
    assert missing == []
