"""TF-IDF + logistic regression baseline for the document event labels (multi-label, one model per label).

The article text becomes TF-IDF weights of character 2- to 5-grams inside word boundaries
(sublinear term frequency), which copes with Arabic clitics without a segmenter. Each event type
seen in training gets its own logistic regression (L2, C = 1, L-BFGS, balanced class weights); a
label predicted with probability at least 0.5 is assigned. A label that is present in every
training article, or in none, cannot be learnt: it is predicted as it was in training (always or
never). With scikit-learn's deterministic solvers the same data gives the same predictions.
"""

from __future__ import annotations

from khabar import labels

THRESHOLD = 0.5


class TfidfLabeller:
    def __init__(self) -> None:
        self.vectorizer = None
        self.models: dict[str, object] = {}
        self.constant: dict[str, bool] = {}

    def fit(self, records: list[dict]) -> "TfidfLabeller":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        features = self.vectorizer.fit_transform([r["text"] for r in records])
        for name in labels.event_type_names():
            target = [name in r["event_labels"] for r in records]
            if all(target) or not any(target):
                self.constant[name] = all(target)
                continue
            model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
            self.models[name] = model.fit(features, target)
        return self

    def predict(self, records: list[dict]) -> list[list[str]]:
        features = self.vectorizer.transform([r["text"] for r in records])
        chosen = [[] for _ in records]
        for name in labels.event_type_names():
            if name in self.models:
                probabilities = self.models[name].predict_proba(features)[:, 1]
                for row, probability in zip(chosen, probabilities):
                    if probability >= THRESHOLD:
                        row.append(name)
            elif self.constant.get(name):
                for row in chosen:
                    row.append(name)
        return chosen
