"""The agreement report of two annotations: one dict (JSON) and its text rendering."""

from __future__ import annotations

from pathlib import Path

from khabar import __version__
from khabar.agreement import disagreements, entities, events
from khabar.agreement.pairs import match, read_side


def agreement_report(paths_a: list[Path], paths_b: list[Path]) -> dict:
    """Read both sides, pair their articles and measure. Raises pairs.PairingError (invalid or
    incomparable input) and pairs.UnreadableInput (unreadable paths)."""
    found = match(read_side(paths_a, "A"), read_side(paths_b, "B"))
    return measure(found.pairs, {"a": [str(p) for p in paths_a], "b": [str(p) for p in paths_b],
                                 "articles": len(found.pairs), "matched_by_url": found.matched_by_url,
                                 "only_a": found.only_a, "only_b": found.only_b})


def measure(pairs: list[tuple[dict, dict]], inputs: dict | None = None) -> dict:
    """Every figure of docs/agreement.md over the paired records, and the disagreements."""
    listed = disagreements.disagreements(pairs)
    return {
        "khabar": __version__,
        "inputs": inputs or {"articles": len(pairs)},
        "entities": {"spans": entities.span_agreement(pairs), "tokens": entities.token_agreement(pairs)},
        "events": events.event_agreement(pairs),
        "document_labels": events.label_agreement(pairs),
        "disagreements": [item.as_json() for item in listed],
    }


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _f1_row(name: str, figures: dict) -> str:
    return (f"  {name:<22} F1 {_number(figures['f1'])}  (A {figures['a']}, B {figures['b']}, "
            f"both {figures['matched']})")


def render_text(report: dict) -> str:
    """The report for people: figures first, then one line per disagreement."""
    inputs = report["inputs"]
    lines = [f"khabar agree: {inputs['articles']} article(s) compared"]
    if inputs.get("matched_by_url"):
        lines.append(f"  {inputs['matched_by_url']} paired by source.url (their ids differ)")
    for side in ("only_a", "only_b"):
        if inputs.get(side):
            lines.append(f"  only in {side[-1].upper()} (not compared): {', '.join(inputs[side])}")
    spans = report["entities"]["spans"]
    lines += ["", "entities (all nesting levels)", _f1_row("exact", spans["exact"]), _f1_row("relaxed", spans["relaxed"])]
    lines.append("  per type                exact   relaxed  (A, B)")
    for kind, exact in spans["exact"]["per_type"].items():
        relaxed = spans["relaxed"]["per_type"][kind]
        lines.append(f"    {kind:<20} {_number(exact['f1']):>7} {_number(relaxed['f1']):>9}  ({exact['a']}, {exact['b']})")
    tokens = report["entities"]["tokens"]
    lines.append(f"  Cohen's kappa over tokens ({tokens['unit']})")
    for level in tokens["levels"]:
        lines.append(f"    level {level['level']:<14} kappa {_number(level['kappa'])}  observed "
                     f"{_number(level['observed'])}  ({level['tokens']} tokens)")
    every = tokens["all_levels"]
    lines.append(f"    all levels           kappa {_number(every['kappa'])}  observed {_number(every['observed'])}")
    found = report["events"]
    lines += ["", "events", _f1_row("type + trigger", found["type_trigger"]), _f1_row("trigger", found["trigger"]),
              _f1_row("argument", found["argument"]), _f1_row("argument (no role)", found["argument_unlabelled"]),
              _f1_row("mode", found["mode"]), _f1_row("context", found["context"]),
              f"  events on both sides   {found['matched_events']}: same mode set {_number(found['same_mode_set'])}, "
              f"same context set {_number(found['same_context_set'])}"]
    for kind, figures in found["type_trigger"]["per_type"].items():
        lines.append(f"    {kind:<20} {_number(figures['f1']):>7}  ({figures['a']}, {figures['b']})")
    document = report["document_labels"]
    lines += ["", "document labels", _f1_row("labels", document),
              f"  same label set {_number(document['same_label_set'])}; kappa over {document['decisions']} "
              f"article x type decisions {_number(document['kappa'])}"]
    listed = report["disagreements"]
    lines += ["", f"disagreements: {len(listed)}"]
    lines += [disagreements.Disagreement(**item).as_text() for item in listed]
    return "\n".join(lines) + "\n"
