"""CRF baseline: a linear-chain CRF over tokens (CRFsuite through python-crfsuite), one per nesting level.

Features of a token: the word, its first and last one to three letters, the word without the
proclitics و/ف/ب/ل and the article ال (a light stem), a shape (letters, digits, punctuation),
length, and the word, light stem and last two letters of the tokens one and two positions
away. Level 2 and deeper use the tag of the level above as a feature too (the gold tag in
training, the predicted one in testing). A level is trained only when the training data has at
least `MIN_ENTITIES` entities at that level.

Training: L-BFGS, L1 = `C1`, L2 = `C2`, `MAX_ITERATIONS` iterations; CRFsuite is deterministic
for a given input, so the same data gives the same model and the same predictions. One setting
for every corpus: on the dev splits (AQMAR dev, Wojood val; level 1, strict IOB2 F1) it was
compared with (0.1, 0.1, 200), (0.2, 0.01, 200) and (0.01, 0.1, 200) -- 55.5 against 55.3, 54.4
and 54.3 on AQMAR, 65.9 against 66.1, 66.2 and 67.5 on Wojood -- and kept.
"""

from __future__ import annotations

import os
import re
import tempfile

from khabar.evaluation.baselines.data import Sentence

C1, C2, MAX_ITERATIONS = 0.05, 0.01, 100
MIN_ENTITIES = 10
_CLITICS = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")


def _shape(word: str) -> str:
    out = []
    for char in word:
        kind = "0" if char.isdigit() else "a" if "\u0600" <= char <= "\u06ff" else "x" if char.isalpha() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


def _stem(word: str) -> str:
    stripped = _CLITICS.sub("", word)
    return stripped if len(stripped) >= 2 else word


def _features(tokens: list[str], outer: list[str] | None) -> list[dict]:
    rows = []
    for i, word in enumerate(tokens):
        f = {"bias": 1.0, "w": word, "stem": _stem(word), "shape": _shape(word), "len": str(min(len(word), 8)),
             "p1": word[:1], "p2": word[:2], "p3": word[:3], "s1": word[-1:], "s2": word[-2:], "s3": word[-3:],
             "al": "1" if word.startswith(("ال", "وال", "بال", "لل", "فال")) else "0"}
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(tokens):
                other = tokens[j]
                f[f"{offset}:w"] = other
                f[f"{offset}:stem"] = _stem(other)
                f[f"{offset}:s2"] = other[-2:]
            else:
                f[f"{offset}:edge"] = 1.0
        if outer is not None:
            f["outer"] = outer[i]
            f["outer_type"] = outer[i][2:] or "O"
        rows.append(f)
    return rows


class CrfTagger:
    def __init__(self) -> None:
        self.models: list[bytes] = []  # one CRFsuite model per level

    def fit(self, sentences: list[Sentence]) -> "CrfTagger":
        import pycrfsuite

        depth = max((len(s.layers) for s in sentences), default=1)
        for level in range(depth):
            entities = sum(tag.startswith("B-") for s in sentences if level < len(s.layers) for tag in s.layers[level])
            if level > 0 and entities < MIN_ENTITIES:
                break
            trainer = pycrfsuite.Trainer(verbose=False)
            for s in sentences:
                tags = s.layers[level] if level < len(s.layers) else ["O"] * len(s.tokens)
                outer = (s.layers[level - 1] if level - 1 < len(s.layers) else ["O"] * len(s.tokens)) if level else None
                trainer.append(_features(s.tokens, outer), tags)
            trainer.set_params({"c1": C1, "c2": C2, "max_iterations": MAX_ITERATIONS,
                                "feature.possible_transitions": True})
            with tempfile.TemporaryDirectory(prefix="khabar-crf-") as folder:
                path = os.path.join(folder, "model.crfsuite")
                trainer.train(path)
                with open(path, "rb") as handle:
                    self.models.append(handle.read())
        return self

    def predict(self, sentences: list[Sentence]) -> list[list[list[str]]]:
        """Tag layers for each sentence."""
        import pycrfsuite

        out = [[] for _ in sentences]
        with tempfile.TemporaryDirectory(prefix="khabar-crf-") as folder:
            for level, model in enumerate(self.models):
                path = os.path.join(folder, f"model-{level}.crfsuite")
                with open(path, "wb") as handle:
                    handle.write(model)
                tagger = pycrfsuite.Tagger()
                tagger.open(path)
                for s, layers in zip(sentences, out):
                    outer = layers[level - 1] if level else None
                    layers.append(tagger.tag(_features(s.tokens, outer)) if s.tokens else [])
                tagger.close()
        return out
