"""PNG bar charts of label counts, for `khabar stats --charts`, DATASHEET.md and release cards.

Rendered with matplotlib's Agg backend at a fixed size, font and resolution, with no timestamp or
software tag in the PNG, so the same counts give the same bytes (matplotlib is pinned in
pyproject.toml: releases embed these charts and must rebuild byte for byte).
"""

from __future__ import annotations

import io
from collections import Counter

from khabar import labels

SPLIT_ORDER = ("train", "validation", "test", "unregistered", "all")
COLOURS = {"train": "#4C72B0", "validation": "#DD8452", "test": "#55A868", "unregistered": "#8C8C8C", "all": "#4C72B0"}


def bar_chart_png(title: str, order: tuple[str, ...], counts: dict[str, Counter]) -> bytes:
    """Horizontal bars, one row per label that occurs (in label-set order), stacked by group
    (split names, or "all"). Returns the PNG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    groups = [name for name in SPLIT_ORDER if name in counts] + sorted(set(counts) - set(SPLIT_ORDER))
    rows = [label for label in order if any(counts[g][label] for g in groups)]
    rows += sorted({label for g in groups for label in counts[g] if counts[g][label]} - set(rows))
    figure = Figure(figsize=(6.4, 0.8 + 0.28 * max(1, len(rows))), dpi=100)
    axes = figure.add_subplot()
    left = [0] * len(rows)
    positions = list(range(len(rows)))[::-1]
    for group in groups:
        values = [counts[group][label] for label in rows]
        axes.barh(positions, values, left=left, label=group, color=COLOURS.get(group, "#937860"), height=0.7)
        left = [a + b for a, b in zip(left, values)]
    axes.set_yticks(positions, rows, fontsize=8, fontfamily="DejaVu Sans")
    axes.set_title(title, fontsize=10, fontfamily="DejaVu Sans")
    axes.set_xlabel("count", fontsize=8, fontfamily="DejaVu Sans")
    axes.tick_params(axis="x", labelsize=8)
    for position, total in zip(positions, left):
        axes.text(total, position, f" {total}", va="center", fontsize=7, fontfamily="DejaVu Sans")
    axes.set_xlim(0, max(left + [1]) * 1.15)
    if len(groups) > 1 or groups != ["all"]:
        axes.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def chart_files(entity_types: dict[str, Counter], event_types: dict[str, Counter]) -> dict[str, bytes]:
    """{"entity_types.png": ..., "event_types.png": ...} from counts per group (split or "all")."""
    return {
        "entity_types.png": bar_chart_png("Entity mentions per type (all nesting levels)",
                                          labels.entity_types().names, entity_types),
        "event_types.png": bar_chart_png("Events per PLOVER type", labels.event_type_names(), event_types),
    }


def charts_from_stats(stats: dict) -> dict[str, bytes]:
    """The charts of a `khabar stats` result: stacked by split when it has splits."""
    groups = stats.get("splits") or {"all": stats["all"]}
    return chart_files({name: Counter(data["entities"]["by_type"]) for name, data in groups.items()},
                       {name: Counter(data["events"]["by_type"]) for name, data in groups.items()})
