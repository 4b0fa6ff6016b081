"""The agreement table of an annotation batch, as DATASHEET.md and the release card show it,
computed from the batch's two independent annotations (agreement/<batch>/annotation-{a,b}.jsonl)
beside the figures that Wojood and ACE 2005 report."""

from __future__ import annotations

from pathlib import Path

from khabar.agreement.pairs import match, read_side
from khabar.agreement.report import agreement_report, measure

MARKER_START, MARKER_END = "<!-- agreement:start -->", "<!-- agreement:end -->"

# Published figures of the anchors, with their sources (docs/agreement.md explains each).
WOJOOD = {"entity_f1": "0.976", "entity_kappa": "0.979",
          "source": "Jarrar et al., LREC 2022: two annotators, nested entities, Cohen's kappa and F1"}
QUOTED = "quoted-in-guidelines-2.0.tsv"  # articles the guidelines quoted as examples when they were annotated
ACE_EVENTS = {"trigger_f1": "0.57", "document_f1": "0.79",
              "source": "English training data, first-pass annotators (Walker et al., 2006), as "
                        "measured by Nothman (2013, PhD thesis, University of Sydney, §3.2.2): event type F1 "
                        "0.57 at the trigger, 0.65 per sentence, 0.79 per document"}


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_table(batch: Path) -> str:
    """The Markdown block for the batch folder holding annotation-a.jsonl and annotation-b.jsonl."""
    report = agreement_report([batch / "annotation-a.jsonl"], [batch / "annotation-b.jsonl"])
    entities, events, labels = report["entities"], report["events"], report["document_labels"]
    exact, relaxed = entities["spans"]["exact"], entities["spans"]["relaxed"]
    tokens = entities["tokens"]
    level1 = next(level for level in tokens["levels"] if level["level"] == 1)
    rows = [
        ("entities, exact span and type (F1)", _f(exact["f1"]), WOJOOD["entity_f1"], ""),
        ("entities, overlapping span, same type (F1)", _f(relaxed["f1"]), "", ""),
        ("entities, Cohen's kappa over tokens, outermost level", _f(level1["kappa"]), WOJOOD["entity_kappa"], ""),
        ("entities, Cohen's kappa over tokens, all nesting levels", _f(tokens["all_levels"]["kappa"]), "", ""),
        ("events, trigger and type (F1)", _f(events["type_trigger"]["f1"]), "", ACE_EVENTS["trigger_f1"]),
        ("events, arguments with role (F1)", _f(events["argument"]["f1"]), "", ""),
        ("events, modes (F1)", _f(events["mode"]["f1"]), "", ""),
        ("events, contexts (F1)", _f(events["context"]["f1"]), "", ""),
        ("document event labels (F1)", _f(labels["f1"]), "", ACE_EVENTS["document_f1"]),
        ("document event labels, Cohen's kappa", _f(labels["kappa"]), "", ""),
    ]
    lines = [f"Agreement of the two independent annotations of {report['inputs']['articles']} articles "
             f"(`khabar agree {batch.as_posix()}/annotation-a.jsonl {batch.as_posix()}/annotation-b.jsonl`; "
             f"{exact['a']:,} and {exact['b']:,} entity mentions, {events['type_trigger']['a']:,} and "
             f"{events['type_trigger']['b']:,} events; {len(report['disagreements']):,} disagreements, each "
             "adjudicated):",
             "",
             "| measure | khabar batch | Wojood | ACE 2005 events |",
             "|---|---:|---:|---:|"]
    lines += [f"| {name} | {ours} | {wojood} | {ace} |" for name, ours, wojood, ace in rows]
    quoted = _quoted_ids(batch)
    if quoted:
        found = match(read_side([batch / "annotation-a.jsonl"], "A"), read_side([batch / "annotation-b.jsonl"], "B"))
        pairs = [(a, b) for a, b in found.pairs if a["id"] not in quoted]
        unquoted = measure(pairs)
        lines += ["", f"On the {len(pairs)} articles that guidelines 2.0 did not quote as examples: entities "
                      f"exact F1 {_f(unquoted['entities']['spans']['exact']['f1'])}, events trigger and type F1 "
                      f"{_f(unquoted['events']['type_trigger']['f1'])}, arguments F1 "
                      f"{_f(unquoted['events']['argument']['f1'])} ({batch.as_posix()}/{QUOTED} lists the "
                      f"{len(quoted)} quoted ones)."]
    lines += ["", f"Wojood: {WOJOOD['source']}. ACE 2005: {ACE_EVENTS['source']}."]
    return "\n".join(lines)


def _quoted_ids(batch: Path) -> set[str]:
    path = batch / QUOTED
    if not path.is_file():
        return set()
    return {line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()}


def replace_block(text: str, block: str) -> str:
    """text with the part between the agreement markers replaced (ValueError without markers)."""
    start, end = text.find(MARKER_START), text.find(MARKER_END)
    if start < 0 or end < start:
        raise ValueError(f"no {MARKER_START} ... {MARKER_END} block")
    return text[:start + len(MARKER_START)] + "\n" + block + "\n" + text[end:]
