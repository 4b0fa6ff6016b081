"""`khabar agree`: agreement between two annotations of the same articles (docs/agreement.md).

pairs: which records of A and B are the same article; entities: span F1 (exact, relaxed) and
Cohen's kappa over tokens, level by level; events: trigger, argument, mode and context
agreement; labels: document labels; disagreements: the adjudicator's list; report: the whole
report and its text rendering.
"""
