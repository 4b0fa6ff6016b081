"""Event scores: document labels and event mentions (ACE-style), counted per document.

Document labels (`event_labels`, multi-label): per label, a true positive is a document whose
gold and predicted labels both hold it. Micro P/R/F1 over all (document, label) pairs; macro:
the unweighted mean of the per-label figures over the labels in the gold or the predictions
(a label absent from both has no defined F1 and is left out, as seqeval leaves out types);
subset accuracy: the share of documents whose predicted label set equals the gold set.

Event mentions, with character offsets into the article (the usual ACE definitions, as in
Li et al. 2013 and the systems that followed them):

- trigger identification: a predicted trigger is correct when its span (start, end) equals the
  span of a gold event's trigger;
- trigger classification: span and event type equal;
- argument identification: an argument is the pair (trigger span, argument entity span), the
  entity span being that of the entity the argument points at; correct when a gold event has an
  argument with the same pair;
- argument classification: (trigger span, event type, argument entity span, role) equal -- so a
  correctly classified argument also needs its event correctly classified;
- mode and context: each mode (context) of an event is (trigger span, event type, mode); correct
  when a gold event with the same trigger span and type carries it.

Each task is micro P/R/F1 over the tuples of all documents, matched as multisets (a tuple that
occurs twice in the gold must be predicted twice); trigger classification, argument
classification, mode and context are also broken down by event type, role, mode and context.
"""

from __future__ import annotations

from collections import Counter

MENTION_TASKS = ("trigger_identification", "trigger_classification", "argument_identification",
                 "argument_classification", "mode", "context")


def _span(item: dict) -> tuple[int, int]:
    return item["start"], item["end"]


def mention_tuples(record: dict) -> dict[str, list[tuple]]:
    """task -> tuples of one record's events; the last element of a classified tuple is its class."""
    entity_spans = {entity["id"]: _span(entity) for entity in record.get("entities", []) if "id" in entity}
    out: dict[str, list[tuple]] = {task: [] for task in MENTION_TASKS}
    for event in record.get("events", []):
        trigger = _span(event["trigger"])
        out["trigger_identification"].append(trigger)
        out["trigger_classification"].append((*trigger, event["type"]))
        for argument in event.get("arguments", []):
            entity = entity_spans[argument["entity"]]
            out["argument_identification"].append((*trigger, *entity))
            out["argument_classification"].append((*trigger, event["type"], *entity, argument["role"]))
        out["mode"] += [(*trigger, event["type"], mode) for mode in event.get("mode", [])]
        out["context"] += [(*trigger, event["type"], context) for context in event.get("context", [])]
    return out


CLASSIFIED = {"trigger_classification", "argument_classification", "mode", "context"}


def class_of(task: str, item: tuple) -> str:
    """The class a tuple is broken down by: event type, role, mode or context."""
    return item[2] if task == "trigger_classification" else item[-1]


def match_counts(gold: list[tuple], pred: list[tuple]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) of two multisets of tuples."""
    common = Counter(gold) & Counter(pred)
    return sum(common.values()), len(pred), len(gold)
