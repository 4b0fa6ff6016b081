"""The evaluation report as text, JSON or Markdown. Figures print as percentages with two decimals
(JSON keeps the full floats, between 0 and 1)."""

from __future__ import annotations

import json

from khabar.evaluation.spans import SCHEMES

LAYER_NAMES = {"outermost": "outermost layer", "all_levels": "all nesting levels"}
MODE_NAMES = {"default": "seqeval default (conlleval)", "strict": "seqeval strict IOB2"}
EVENT_TASKS = (("trigger_identification", "trigger identification"),
               ("trigger_classification", "trigger classification"),
               ("argument_identification", "argument identification"),
               ("argument_classification", "argument classification"),
               ("mode", "mode"), ("context", "context"))


def pct(value: float) -> str:
    return f"{100 * value:.2f}"


def with_ci(figure: dict, measure: str) -> str:
    interval = figure.get("ci", {}).get(measure) if isinstance(figure.get("ci"), dict) else figure.get("ci")
    shown = pct(figure[measure] if measure in figure else figure["value"])
    return f"{shown} [{pct(interval[0])}, {pct(interval[1])}]" if interval else shown


def tables(report: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table of the report."""
    out = []
    for layer, layer_title in LAYER_NAMES.items():
        blocks = report.get("entities", {}).get(layer)
        if not blocks:
            continue
        rows = []
        for scheme in SCHEMES:
            figures = blocks[scheme]
            micro, macro = figures["micro"], figures.get("macro", {"precision": 0, "recall": 0, "f1": 0})
            rows.append([scheme, with_ci(micro, "precision"), with_ci(micro, "recall"),
                         with_ci(micro, "f1"), with_ci(macro, "f1"),
                         *(str(micro[k]) for k in ("correct", "incorrect", "partial", "missed", "spurious"))])
        out.append((f"Entities, {layer_title} (SemEval-2013 9.1 schemes as nervaluate defines them)",
                    ["scheme", "P", "R", "F1", "macro F1", "COR", "INC", "PAR", "MIS", "SPU"], rows))
        strict = blocks["strict"].get("per_type", {})
        if strict:
            out.append((f"Entities per type, {layer_title}, strict",
                        ["type", "P", "R", "F1", "gold", "predicted"],
                        [[t, pct(f["precision"]), pct(f["recall"]), pct(f["f1"]), str(f["gold"]), str(f["predicted"])]
                         for t, f in strict.items()]))
    bio = report.get("bio")
    if bio:
        rows = []
        for mode, title in MODE_NAMES.items():
            micro, macro = bio[mode]["micro"], bio[mode].get("macro", {"precision": 0, "recall": 0, "f1": 0})
            rows.append([title, with_ci(micro, "precision"), with_ci(micro, "recall"), with_ci(micro, "f1"),
                         with_ci(macro, "f1"), str(micro["gold"]), str(micro["predicted"]), str(micro["correct"])])
        rows.append(["token accuracy", "", "", with_ci(bio["token_accuracy"], "value"), "", "", "", ""])
        out.append(("BIO tags of the outermost layer (figures as seqeval computes them)",
                    ["mode", "P", "R", "F1", "macro F1", "gold", "predicted", "correct"], rows))
    ev = report.get("events")
    if ev:
        rows = []
        if "document_labels" in ev:
            labels = ev["document_labels"]
            for average in ("micro", "macro"):
                figure = labels.get(average, {"precision": 0, "recall": 0, "f1": 0})
                rows.append([f"document labels ({average})", with_ci(figure, "precision"), with_ci(figure, "recall"),
                             with_ci(figure, "f1"), str(labels["micro"]["gold"]) if average == "micro" else "",
                             str(labels["micro"]["predicted"]) if average == "micro" else ""])
            rows.append(["document labels (subset accuracy)", "", "", with_ci(ev["subset_accuracy"], "value"),
                         str(ev["subset_accuracy"]["total"]), ""])
        for task, title in EVENT_TASKS:
            if task in ev:
                micro = ev[task]["micro"]
                rows.append([title, with_ci(micro, "precision"), with_ci(micro, "recall"), with_ci(micro, "f1"),
                             str(micro["gold"]), str(micro["predicted"])])
        out.append(("Events", ["task", "P", "R", "F1", "gold", "predicted"], rows))
    return out


def _summary(report: dict) -> list[str]:
    counts, boot = report["counts"], report["bootstrap"]
    lines = [f"khabar evaluate: {report['predictions']} against {report['gold']} ({report['input']}; "
             f"{counts['predicted']} of {counts['gold']} {counts['unit']}s predicted, "
             f"{counts['missing_scored_as_empty']} missing scored as empty)"]
    if boot["resamples"]:
        lines.append(f"95 % intervals: percentile bootstrap, {boot['resamples']} resamples of the "
                     f"{boot['units']} {boot['unit']}s, seed {boot['seed']}")
    return lines


def as_text(report: dict) -> str:
    lines = _summary(report)
    for title, header, rows in tables(report):
        widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
        lines += ["", title]
        for row in [header] + rows:
            lines.append("  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                                   for i, (cell, width) in enumerate(zip(row, widths))).rstrip())
    lines += [f"note: {note}" for note in report["notes"]]
    return "\n".join(lines) + "\n"


def as_markdown(report: dict) -> str:
    lines = [" ".join(_summary(report))]
    for title, header, rows in tables(report):
        lines += ["", f"**{title}**", "", "| " + " | ".join(header) + " |",
                  "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    if report["notes"]:
        lines.append("")
        lines += [f"- {note}" for note in report["notes"]]
    return "\n".join(lines) + "\n"


def as_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "markdown": as_markdown}
