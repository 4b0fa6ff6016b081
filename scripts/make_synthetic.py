#!/usr/bin/env python3
"""Write a deterministic synthetic corpus for benchmarks and scale tests.

    python scripts/make_synthetic.py N OUT [--layout files|jsonl] [--shard-size 10000] [--seed 0]

Articles are realistic in size and label mix (about 7 KB of text, 20-40 entities with some
nesting, 3-8 events with arguments, modes and contexts) but entirely invented: the words are
drawn from a small made-up vocabulary, every id starts with "synthetic-" and every source is
"khabar synthetic benchmark data". OUT gets the records (one file per article under <year>/,
or JSONL shards), a splits.tsv and a dataset.toml (its records are drafts: build with
`--include-status draft`). The script refuses to write into the repository's corpus/
or releases/: synthetic data is for tests and benchmarks only.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from khabar import labels  # noqa: E402
from khabar.rules import expected_event_labels  # noqa: E402
from khabar.splits import split_by_share  # noqa: E402

SOURCE_NAME = "khabar synthetic benchmark data"
# the corpus describes itself (khabar build reads it; docs/releases.md): it is not khabar's corpus
DATASET_TOML = """name = "khabar-synthetic"
title = "khabar synthetic benchmark data ({count} articles, seed {seed})"
version = "0.0.0"
date = "2000-01-01"
description = "Synthetic articles written by scripts/make_synthetic.py for benchmarks and tests: invented words, invented entities and events, all drafts. Not news, not for training or evaluation."
"""
# Invented filler words (not taken from any article): Arabic letters, no proclitic+article starts.
FILLER = ("قال", "أن", "في", "على", "من", "إلى", "بعد", "قبل", "حول", "خلال", "الذي", "التي", "هذا", "هذه",
          "مصدر", "تقرير", "مسؤول", "اجتماع", "موقف", "قرار", "خطة", "مرحلة", "جهود", "ملف", "إطار",
          "المنطقة", "الوضع", "الجانب", "الطرفين", "المفاوضات", "الأمن", "الاقتصاد", "المشروع", "الاتفاق",
          "أكد", "أشار", "أوضح", "أضاف", "ذكر", "نقل", "بحث", "تناول", "شدد", "دعا", "رأى", "كشف")
PERSONS = ("سامر نعيم", "ليلى حداد", "كريم منصور", "هالة سليم", "جواد عيسى", "رنا خليل", "طارق يوسف", "منى عزيز")
PLACES = ("مدينة سمراء", "بلدة النخيل", "وادي القمر", "جزيرة المرجان", "سهل الزيتون", "مرفأ الريح")
ORGS = ("هيئة المياه", "مجلس التنسيق", "اتحاد المزارعين", "شركة الضياء", "لجنة المتابعة", "رابطة الصيادين")
OCCS = ("وزير المالية", "رئيس البلدية", "المتحدث الرسمي", "مدير الهيئة", "قائد الشرطة")
DATES = (("الاثنين", None), ("أمس", None), ("العام الماضي", None), ("عام 2019", "2019"), ("الشهر المقبل", None))
NORPS = ("المصرية", "الأردني", "السورية", "اللبناني")
TRIGGERS = {"AGREE": "تعهد", "CONSULT": "زيارة", "SUPPORT": "توقيع", "COOPERATE": "تعاون", "AID": "مساعدات",
            "REQUEST": "طالب", "ACCUSE": "انتقد", "REJECT": "رفض", "THREATEN": "هدد", "PROTEST": "تظاهر",
            "SANCTION": "قطع", "MOBILIZE": "حشد", "COERCE": "اعتقال", "ASSAULT": "هجوم", "RETREAT": "انسحاب",
            "CONCEDE": "تنازل"}


class Writer:
    """Builds one article's text left to right, remembering the offsets of what it places."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def article(number: int, rng: random.Random) -> dict:
    writer = Writer()
    entities: list[dict] = []
    events: list[dict] = []
    role_types = labels.role_entity_types()
    needs_recipient = labels.types_requiring_recipient()  # PLOVER expects them (argument-recipient-missing)
    allowed_modes = labels.modes_allowed_for()
    contexts = labels.contexts().names

    def entity(surface: str, kind: str, normalized: str | None = None) -> dict:
        start, end = writer.add(surface)
        item = {"id": f"T{len(entities) + 1}", "start": start, "end": end, "type": kind, "text": surface}
        if normalized:
            item["normalized"] = normalized
        entities.append(item)
        return item

    def words(count: int) -> None:
        for _ in range(count):
            writer.add(rng.choice(FILLER) + " ")

    title_words = rng.randint(5, 9)
    words(title_words - 1)
    entity(rng.choice(PERSONS), "PERS")
    writer.add(f" {number}\n\n")  # the number keeps every text unique
    paragraphs = rng.randint(9, 12)
    for paragraph in range(paragraphs):
        paragraph_entities: list[dict] = []
        for _ in range(rng.randint(2, 4)):
            words(rng.randint(6, 14))
            kind = rng.random()
            if kind < 0.3:
                paragraph_entities.append(entity(rng.choice(PERSONS), "PERS"))
            elif kind < 0.5:
                paragraph_entities.append(entity(rng.choice(PLACES), "GPE"))
            elif kind < 0.7:
                # an ORG with a nested NORP: "<org> <adjective>"
                org_start = writer.length
                org_words = rng.choice(ORGS)
                writer.add(org_words + " ")
                norp = entity(rng.choice(NORPS), "NORP")
                org = {"id": f"T{len(entities) + 1}", "start": org_start, "end": norp["end"], "type": "ORG",
                       "text": writer.text()[org_start:norp["end"]]}
                entities.append(org)
                paragraph_entities.append(org)
            elif kind < 0.85:
                surface, normalized = rng.choice(DATES)
                paragraph_entities.append(entity(surface, "DATE", normalized))
            else:
                paragraph_entities.append(entity(rng.choice(OCCS), "OCC"))
            writer.add(" ")
        if len(events) < 8 and (rng.random() < 0.6 or len(events) < 3 - (paragraphs - paragraph - 1)):
            can_receive = any(e["type"] in role_types["recipient"] for e in paragraph_entities)
            event_type = rng.choice([name for name in labels.event_type_names()
                                     if can_receive or name not in needs_recipient])
            words(2)
            start, end = writer.add(TRIGGERS[event_type])
            writer.add(" ")
            arguments = []
            for role in ("actor", "recipient", "location", "time"):
                fitting = [e for e in paragraph_entities if e["type"] in role_types[role]]
                # the draw comes first, so the random stream is the same whatever the type
                if fitting and (rng.random() < 0.7 or (role == "recipient" and event_type in needs_recipient)):
                    arguments.append({"role": role, "entity": rng.choice(fitting)["id"]})
            modes = sorted(rng.sample(sorted(allowed_modes[event_type]), k=rng.choice((0, 0, 1))))
            events.append({"id": f"E{len(events) + 1}", "type": event_type,
                           "trigger": {"start": start, "end": end, "text": TRIGGERS[event_type]},
                           "arguments": arguments, "mode": modes,
                           "context": sorted(rng.sample(contexts, k=rng.randint(1, 2)), key=contexts.index)})
        words(rng.randint(30, 45))
        last = writer.parts.pop()  # end the paragraph with a full stop instead of a space
        writer.length -= len(last)
        writer.add(last.rstrip() + ".")
        writer.add("\n\n" if paragraph < paragraphs - 1 else "")
    text = writer.text()
    title = text.split("\n\n", 1)[0]
    entities.sort(key=lambda e: (e["start"], -e["end"]))
    renumber = {e["id"]: f"T{i}" for i, e in enumerate(entities, start=1)}
    for e in entities:
        e["id"] = renumber[e["id"]]
    for event in events:
        for argument in event["arguments"]:
            argument["entity"] = renumber[argument["entity"]]
    year = 2015 + number % 10
    return {
        "id": f"synthetic-{number:07d}", "title": title, "text": text, "language": "ar",
        "source": {"name": SOURCE_NAME, "url": None, "published": f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                   "license": "CC0-1.0 (synthetic benchmark data)"},
        "entities": entities, "events": events, "event_labels": expected_event_labels(events),
        "annotation": {"status": "draft", "guidelines": "1.0", "produced_by": ["scripts/make_synthetic.py (synthetic)"],
                       "reviewed_by": []},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--layout", choices=("files", "jsonl"), default="files")
    parser.add_argument("--shard-size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = args.out.resolve()
    for protected in (ROOT / "corpus", ROOT / "releases"):
        if out == protected or protected in out.parents:
            parser.error(f"refusing to write synthetic data into {protected}")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    registry = ["id\tsplit\tstory"]
    split_counts: Counter = Counter()  # the registry kept at 80/10/10, as `khabar splits` keeps it
    shard = None
    for number in range(args.count):
        record = article(number, rng)
        split = split_by_share(split_counts)
        split_counts[split] += 1
        registry.append(f"{record['id']}\t{split}\t{record['id']}")
        if args.layout == "files":
            path = out / record["source"]["published"][:4] / f"{record['id']}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            if number % args.shard_size == 0:
                if shard:
                    shard.close()
                shard = open(out / f"shard-{number // args.shard_size:05d}.jsonl", "w", encoding="utf-8")
            shard.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        if (number + 1) % 10_000 == 0:
            print(f"make_synthetic: {number + 1} articles", file=sys.stderr, flush=True)
    if shard:
        shard.close()
    (out / "splits.tsv").write_text("\n".join(registry) + "\n", encoding="utf-8")
    (out / "dataset.toml").write_text(DATASET_TOML.format(count=args.count, seed=args.seed), encoding="utf-8")
    print(f"wrote {args.count} synthetic articles to {out} ({args.layout})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
