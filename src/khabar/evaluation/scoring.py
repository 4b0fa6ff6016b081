"""`khabar evaluate`: every score of a predictions file against the gold, as one report.

The report (a dict, printed as text, JSON or Markdown by `report`) holds

- entities: the four schemes of `spans` (micro, macro, per type) on the outermost layer and on
  all nesting levels;
- bio: seqeval's default and strict IOB2 figures on the BIO tags of the outermost layer (the
  tags of the `ner` config), and token accuracy;
- events: document labels and event mentions (`events`);
- for every micro and macro figure, a bootstrap confidence interval (`tally`).

Missing predictions (only with --allow-missing) are scored as empty predictions and counted in
the report.
"""

from __future__ import annotations

from khabar import __version__
from khabar.evaluation import bio, events, spans
from khabar.evaluation.inputs import Gold, Predictions
from khabar.evaluation.tally import CONFIDENCE, RESAMPLES, SEED, Block, Ratio, Tally
from khabar.ner import bio_sentences, outermost
from khabar.wording import count


def _entity_spans(entities: list[dict]) -> list[spans.Span]:
    # characters, end inclusive (nervaluate's convention)
    return spans.ordered((e["type"], e["start"], e["end"] - 1) for e in entities)


def _add_span_block(tally: Tally, name: tuple, gold_docs: list[list], pred_docs: list[list],
                    unit_of: list[int]) -> None:
    types = spans.span_types(gold_docs, pred_docs)
    for gold_spans, pred_spans, unit in zip(gold_docs, pred_docs, unit_of):
        for (scheme, type_), c in spans.document_counts(gold_spans, pred_spans, types).items():
            actual = c["correct"] + c["incorrect"] + c["partial"] + c["spurious"]
            possible = c["correct"] + c["incorrect"] + c["partial"] + c["missed"]
            tally.add_prf(unit, (*name, scheme), type_, c["correct"], actual, possible, partial=c["partial"],
                          incorrect=c["incorrect"], missed=c["missed"], spurious=c["spurious"])
    for scheme in spans.SCHEMES:
        tally.blocks.append(Block((*name, scheme), types, extra=("incorrect", "missed", "spurious")))


def _add_bio_blocks(tally: Tally, gold_tags: list[list[str]], pred_tags: list[list[str]], unit_of: list[int]) -> None:
    for mode in bio.MODES:
        counts = bio.chunk_counts(gold_tags, pred_tags, unit_of, tally.documents, mode)
        types = counts.types()
        for unit in range(tally.documents):
            for t in types:
                tally.add_prf(unit, ("bio", mode), t, counts.tp[unit][t], counts.pred[unit][t], counts.gold[unit][t])
            tally.add_prf(unit, ("bio", mode), "*", sum(counts.tp[unit].values()), sum(counts.pred[unit].values()),
                          sum(counts.gold[unit].values()))
        tally.blocks.append(Block(("bio", mode), types))
    for gold_sentence, pred_sentence, unit in zip(gold_tags, pred_tags, unit_of):
        right, total = bio.token_accuracy([gold_sentence], [pred_sentence])
        tally.add(unit, (("bio", "token_accuracy"), "hits"), right)
        tally.add(unit, (("bio", "token_accuracy"), "total"), total)
    tally.ratios.append(Ratio(("bio", "token_accuracy")))


def _empty_prediction(tasks: tuple[str, ...]) -> dict:
    return {task: [] for task in tasks}


def _score_records(gold: Gold, predictions: Predictions, tally: Tally, notes: list[str]) -> None:
    records = gold.records
    preds = [predictions.by_id.get(r["id"]) or _empty_prediction(predictions.tasks) for r in records]
    units = list(range(len(records)))
    if "entities" in predictions.tasks:
        pred_entities = [[dict(e, id=e.get("id", f"entities[{i}]")) for i, e in enumerate(p["entities"])]
                         for p in preds]
        _add_span_block(tally, ("entities", "outermost"), [_entity_spans(outermost(r["entities"])) for r in records],
                        [_entity_spans(outermost(p)) for p in pred_entities], units)
        _add_span_block(tally, ("entities", "all_levels"), [_entity_spans(r["entities"]) for r in records],
                        [_entity_spans(p) for p in pred_entities], units)
        gold_tags, pred_tags, unit_of, dropped = [], [], [], 0
        for unit, (record, entities) in enumerate(zip(records, pred_entities)):
            gold_sentences, _ = bio_sentences(record)
            pred_sentences, stats = bio_sentences({"id": record["id"], "text": record["text"], "entities": entities})
            dropped += len(stats.dropped)
            gold_tags += [s.tags for s in gold_sentences]
            pred_tags += [s.tags for s in pred_sentences]
            unit_of += [unit] * len(gold_sentences)
        _add_bio_blocks(tally, gold_tags, pred_tags, unit_of)
        if dropped:
            notes.append(f"{dropped} predicted outermost entities cross a sentence end or overlap another and have "
                         f"no BIO tags: the bio figures count them as not predicted (the span figures count them)")
    if "events" in predictions.tasks:
        for unit, (record, prediction) in enumerate(zip(records, preds)):
            gold_tuples = events.mention_tuples(record)
            pred_tuples = events.mention_tuples(prediction)
            for task in events.MENTION_TASKS:
                tp, actual, possible = events.match_counts(gold_tuples[task], pred_tuples[task])
                tally.add_prf(unit, ("events", task), "*", tp, actual, possible)
                if task in events.CLASSIFIED:
                    classes = {events.class_of(task, item) for item in gold_tuples[task] + pred_tuples[task]}
                    for name in classes:
                        tp, actual, possible = events.match_counts(
                            [i for i in gold_tuples[task] if events.class_of(task, i) == name],
                            [i for i in pred_tuples[task] if events.class_of(task, i) == name])
                        tally.add_prf(unit, ("events", task), name, tp, actual, possible)
        for task in events.MENTION_TASKS:
            classes = sorted({key[1] for key in tally.counts if key[0] == ("events", task) and key[1] != "*"})
            tally.blocks.append(Block(("events", task), classes if task in events.CLASSIFIED else []))
    if "event_labels" in predictions.tasks:
        classes: set[str] = set()
        for unit, (record, prediction) in enumerate(zip(records, preds)):
            gold_labels, pred_labels = set(record["event_labels"]), set(prediction["event_labels"])
            classes |= gold_labels | pred_labels
            for name in gold_labels | pred_labels:
                tally.add_prf(unit, ("events", "document_labels"), name, int(name in gold_labels and name in pred_labels),
                              int(name in pred_labels), int(name in gold_labels))
            tally.add_prf(unit, ("events", "document_labels"), "*", len(gold_labels & pred_labels), len(pred_labels),
                          len(gold_labels))
            tally.add(unit, (("events", "subset_accuracy"), "hits"), int(gold_labels == pred_labels))
            tally.add(unit, (("events", "subset_accuracy"), "total"), 1)
        tally.blocks.append(Block(("events", "document_labels"), sorted(classes)))
        tally.ratios.append(Ratio(("events", "subset_accuracy")))


def _score_tags(gold: Gold, predictions: Predictions, tally: Tally, units: list[int], notes: list[str]) -> None:
    sentences = gold.sentences()
    pred_layers = []
    for sentence in sentences:
        prediction = predictions.by_id.get(sentence.id)
        pred_layers.append(prediction["ner_tags"] if prediction else [["O"] * len(sentence.tokens)])
    _add_span_block(tally, ("entities", "outermost"), [spans.spans_from_tags(s.tags) for s in sentences],
                    [spans.spans_from_tags(layers[0]) for layers in pred_layers], units)
    if any(len(s.layers) > 1 for s in sentences):
        _add_span_block(tally, ("entities", "all_levels"),
                        [spans.ordered(x for layer in s.layers for x in spans.spans_from_tags(layer)) for s in sentences],
                        [spans.ordered(x for layer in layers for x in spans.spans_from_tags(layer))
                         for layers in pred_layers], units)
    else:
        notes.append("the gold has one tag column (the outermost layer): no all-levels figures")
    _add_bio_blocks(tally, [s.tags for s in sentences], [layers[0] for layers in pred_layers], units)


def evaluate(gold: Gold, predictions: Predictions, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """The report of predictions against gold (see the module doc). Raises bio.TagError for a
    gold column file whose tags cannot be read."""
    notes: list[str] = []
    if predictions.kind == "records":
        tally = Tally(len(gold.records))
        unit_name = "article"
        _score_records(gold, predictions, tally, notes)
        gold_count = len(gold.records)
    else:
        sentences = gold.sentences()
        documents = list(dict.fromkeys(s.document for s in sentences))
        position = {document: i for i, document in enumerate(documents)}
        tally = Tally(len(documents))
        unit_name = "article" if gold.records is not None else "sentence"
        _score_tags(gold, predictions, tally, [position[s.document] for s in sentences], notes)
        gold_count = len(sentences)
    intervals = tally.bootstrap(resamples, seed) if resamples > 0 else {}
    if tally.documents == 1 and resamples > 0:
        notes.append("one document: every bootstrap resample is that document, so the intervals are points")
    report: dict = {
        "khabar": __version__,
        "gold": gold.label,
        "predictions": predictions.path,
        "input": predictions.kind,
        "counts": {
            "gold": gold_count,
            "predicted": len(predictions.by_id),
            "missing_scored_as_empty": len(predictions.missing),
            "unit": "article" if predictions.kind == "records" else "sentence",
        },
        "bootstrap": {"resamples": resamples, "seed": seed, "confidence": CONFIDENCE,
                      "unit": unit_name, "units": tally.documents, "method": "percentile"},
    }
    if predictions.missing:
        notes.append(f"{count(len(predictions.missing), 'gold ' + report['counts']['unit'])} had no prediction and "
                     f"{'is' if len(predictions.missing) == 1 else 'are'} "
                     f"scored as empty predictions (--allow-missing)")
    for block in tally.blocks:
        figures = tally.block_figures(block)
        for average in ("micro", "macro"):
            if average in figures:
                for measure in ("precision", "recall", "f1"):
                    interval = intervals.get((block.name, average, measure))
                    if interval is not None:
                        figures[average].setdefault("ci", {})[measure] = list(interval)
        _put(report, block.name, figures)
    for ratio in tally.ratios:
        figure = tally.ratio_figure(ratio)
        interval = intervals.get((ratio.name, "value", "value"))
        if interval is not None:
            figure["ci"] = list(interval)
        _put(report, ratio.name, figure)
    report["notes"] = notes
    return report


def _put(report: dict, path: tuple, value) -> None:
    node = report
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
