"""Event and document-label agreement, on the tuples khabar evaluate scores (khabar.evaluation.events).

- type + trigger: F1 over (trigger start, end, type); trigger alone: over (start, end);
- arguments: F1 over (trigger span, type, argument entity span, role) -- an argument agrees only
  when its event agrees too -- and over (trigger span, argument entity span) ignoring role and type;
- mode and context: F1 over (trigger span, type, mode) and (trigger span, type, context), and
  the share of the events both sides annotate (same trigger span and type) whose mode set
  (context set) is the same;
- document labels: F1 over (article, label), the share of articles with the same label set, and
  Cohen's kappa over the article x event type decisions (label set or not).
"""

from __future__ import annotations

from collections import Counter

from khabar import labels
from khabar.agreement.figures import cohen_kappa, f1_figures
from khabar.evaluation.events import match_counts, mention_tuples

TASKS = {"trigger": "trigger_identification", "type_trigger": "trigger_classification",
         "argument": "argument_classification", "argument_unlabelled": "argument_identification",
         "mode": "mode", "context": "context"}


def matched_events(record_a: dict, record_b: dict) -> list[tuple[dict, dict]]:
    """Events of A and B with the same trigger span and type, paired in text order."""
    def key(event: dict) -> tuple:
        return event["trigger"]["start"], event["trigger"]["end"], event["type"]

    waiting: dict[tuple, list[dict]] = {}
    for event in record_b["events"]:
        waiting.setdefault(key(event), []).append(event)
    pairs = []
    for event in sorted(record_a["events"], key=key):
        others = waiting.get(key(event))
        if others:
            pairs.append((event, others.pop(0)))
    return pairs


def event_agreement(pairs: list[tuple[dict, dict]]) -> dict:
    counts = {name: Counter() for name in TASKS}
    per_type = {}
    same_mode = same_context = both = 0
    for record_a, record_b in pairs:
        tuples_a, tuples_b = mention_tuples(record_a), mention_tuples(record_b)
        for name, task in TASKS.items():
            matched, count_b, count_a = match_counts(tuples_a[task], tuples_b[task])
            counts[name].update(matched=matched, a=count_a, b=count_b)
        for kind in {t[2] for t in tuples_a["trigger_classification"] + tuples_b["trigger_classification"]}:
            matched, count_b, count_a = match_counts([t for t in tuples_a["trigger_classification"] if t[2] == kind],
                                                     [t for t in tuples_b["trigger_classification"] if t[2] == kind])
            per_type.setdefault(kind, Counter()).update(matched=matched, a=count_a, b=count_b)
        for event_a, event_b in matched_events(record_a, record_b):
            both += 1
            same_mode += set(event_a["mode"]) == set(event_b["mode"])
            same_context += set(event_a["context"]) == set(event_b["context"])
    out = {name: f1_figures(c["matched"], c["a"], c["b"]) for name, c in counts.items()}
    out["type_trigger"]["per_type"] = {kind: f1_figures(c["matched"], c["a"], c["b"])
                                       for kind, c in sorted(per_type.items())}
    out["matched_events"] = both
    out["same_mode_set"] = same_mode / both if both else None
    out["same_context_set"] = same_context / both if both else None
    return out


def label_agreement(pairs: list[tuple[dict, dict]]) -> dict:
    matched = count_a = count_b = same = 0
    decisions_a, decisions_b = [], []
    per_label = {}
    for record_a, record_b in pairs:
        set_a, set_b = set(record_a["event_labels"]), set(record_b["event_labels"])
        matched += len(set_a & set_b)
        count_a += len(set_a)
        count_b += len(set_b)
        same += set_a == set_b
        for name in labels.event_type_names():
            decisions_a.append(name in set_a)
            decisions_b.append(name in set_b)
            if name in set_a | set_b:
                per_label.setdefault(name, Counter()).update(matched=int(name in set_a & set_b),
                                                             a=int(name in set_a), b=int(name in set_b))
    figures = f1_figures(matched, count_a, count_b)
    figures["same_label_set"] = same / len(pairs) if pairs else None
    figures["kappa"] = cohen_kappa([str(d) for d in decisions_a], [str(d) for d in decisions_b])
    figures["decisions"] = len(decisions_a)
    figures["per_label"] = {name: f1_figures(c["matched"], c["a"], c["b"]) for name, c in sorted(per_label.items())}
    return figures
