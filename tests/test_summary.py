"""The size on the README's first screen and in DATASHEET.md is computed from the latest release."""

import re

import pyarrow.parquet as pq

from conftest import REPO
from khabar.release.summary import (MARKER_END, MARKER_START, latest_release, release_summary, replace_block,
                                    summary_markdown)

LATEST = latest_release(REPO / "releases")


def _block(path):
    text = path.read_text(encoding="utf-8")
    return text[text.index(MARKER_START) + len(MARKER_START):text.index(MARKER_END)].strip()


def test_readme_and_datasheet_show_the_computed_size_of_the_latest_release():
    expected = summary_markdown(release_summary(LATEST))
    for name in ("README.md", "DATASHEET.md"):
        assert _block(REPO / name) == expected, f"{name}: run python scripts/write_summary.py"


def test_summary_of_v0_1_0_counts_its_parquet_rows():
    summary = release_summary(REPO / "releases" / "v0.1.0")
    documents = pq.read_table(REPO / "releases" / "v0.1.0" / "data" / "documents").to_pylist()
    assert (summary.articles, summary.sources, summary.sentences, summary.entities, summary.events) == (
        len(documents), 1, pq.read_metadata(REPO / "releases/v0.1.0/data/ner/train-00000-of-00001.parquet").num_rows,
        sum(len(d["entities"]) for d in documents), sum(len(d["events"]) for d in documents))
    assert (summary.articles, summary.sentences, summary.entities, summary.events) == (1, 14, 78, 28)
    assert summary.statuses == {"gold": 1}
    assert summary_markdown(summary) == ("**Size today** (release v0.1.0): 1 article from 1 source, 14 sentences, "
                                         "78 entity mentions and 28 events; annotation status: gold 1.")


def test_latest_release_compares_versions_as_numbers(tmp_path):
    for name in ("v0.9.0", "v0.10.0", "v0.2.1", "vx", "notes"):
        (tmp_path / name).mkdir()
    assert latest_release(tmp_path).name == "v0.10.0"


def test_replace_block_needs_its_markers():
    assert replace_block(f"a\n{MARKER_START}\nold\n{MARKER_END}\nb", "new") == f"a\n{MARKER_START}\nnew\n{MARKER_END}\nb"
    try:
        replace_block("no markers", "new")
    except ValueError as error:
        assert "summary:start" in str(error)
    else:
        raise AssertionError("no ValueError")


def test_readme_first_screen_loads_the_latest_release_in_three_lines(monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_screen = readme[:readme.index("## Contents")]
    # what the corpus is, its size, how it was annotated, how to load it, all before the contents
    assert first_screen.index(MARKER_START) < first_screen.index("No native Arabic speaker has reviewed")
    snippet = re.search(r"```python\n(.+?)```", first_screen, flags=re.S).group(1)
    assert len(snippet.strip().splitlines()) == 3 and f'"releases/{LATEST.name}"' in snippet
    assert "docs/stats/entity_types.png" in first_screen and (REPO / "docs/stats/entity_types.png").is_file()
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    exec(compile(snippet.replace("print(", "shown = ("), "README.md", "exec"), namespace)
    import pyarrow.parquet as pq

    (train,) = sorted((LATEST / "data" / "ner").glob("train-*.parquet"))
    assert namespace["shown"] == pq.read_table(train).column("tokens")[0].as_py()  # the first train sentence


def test_readme_stays_short_and_links_its_reference_docs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (REPO / link).is_file(), link
