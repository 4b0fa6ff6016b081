#!/usr/bin/env python3
"""Copy the label sets in schema/labels/*.json into the enums of schema/article.schema.json.

Run after editing a label set; tests/test_schema.py fails while the two disagree.
"""

from khabar.paths import schema_dir
from khabar.schema import SCHEMA_FILE, article_schema, dumps_schema, with_label_enums

if __name__ == "__main__":
    path = schema_dir() / SCHEMA_FILE
    path.write_text(dumps_schema(with_label_enums(article_schema())), encoding="utf-8")
    print(f"wrote {path}")
