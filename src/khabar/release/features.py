"""The columns of each release config, described once and rendered as Arrow types, Hugging
Face `dataset_info` YAML and Croissant fields. Label names come from schema/labels/.

A feature is one of: "string", "int32", ClassLabel(names), ListOf(feature), Struct(fields).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from khabar import labels
from khabar.ner import bio_tag_names
from khabar.schema import article_schema


@dataclass(frozen=True)
class ClassLabel:
    names: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    item: object


@dataclass(frozen=True)
class Struct:
    fields: tuple[tuple[str, object], ...]


CONFIGS = ("documents", "ner", "events")
DEFAULT_CONFIG = "documents"
SPLITS = ("train", "validation", "test")


def annotation_statuses() -> tuple[str, ...]:
    """draft / reviewed / gold, as the record schema defines them."""
    return tuple(article_schema()["properties"]["annotation"]["properties"]["status"]["enum"])


# Release format 1 (v0.1.0) was written before the news importer's source fields existed; a
# release is read, verified and rebuilt with the columns of its own format (khabar.release.formats).
NEWS_SOURCE_FIELDS = (("collection", "string"), ("author", "string"),
                      ("also_published_by", ListOf(Struct((("name", "string"), ("url", "string"))))))


def config_features(config: str, release_format: int | None = None) -> Struct:
    """The columns of one config, in order, as release_format writes them (None: the current format)."""
    entity_type = ClassLabel(labels.entity_types().names)
    event_type = ClassLabel(labels.event_type_names())
    if config == "ner":
        return Struct((("id", "string"), ("tokens", ListOf("string")),
                       ("ner_tags", ListOf(ClassLabel(tuple(bio_tag_names(labels.entity_types().names)))))))
    if config == "events":
        return Struct((("id", "string"), ("text", "string"), ("labels", ListOf(event_type))))
    if config != "documents":
        raise ValueError(f"unknown config {config!r}")
    span = (("start", "int32"), ("end", "int32"))
    return Struct((
        ("id", "string"), ("title", "string"), ("text", "string"), ("language", "string"),
        ("source", Struct((("name", "string"), ("url", "string"), ("published", "string"),
                           ("published_basis", "string"), ("license", "string"), ("retrieved", "string"),
                           ("country", "string"), ("raw_file", "string"),
                           *(() if release_format == 1 else NEWS_SOURCE_FIELDS)))),
        ("entities", ListOf(Struct((("id", "string"), *span, ("type", entity_type), ("text", "string"),
                                    ("normalized", "string"))))),
        ("events", ListOf(Struct((
            ("id", "string"), ("type", event_type),
            ("trigger", Struct((*span, ("text", "string")))),
            ("arguments", ListOf(Struct((("role", ClassLabel(labels.argument_roles().names)), ("entity", "string"))))),
            ("mode", ListOf(ClassLabel(labels.all_mode_names()))),
            ("context", ListOf(ClassLabel(labels.contexts().names))),
        )))),
        ("event_labels", ListOf(event_type)),
        ("annotation", Struct((("status", ClassLabel(annotation_statuses())), ("guidelines", "string"),
                               ("produced_by", ListOf("string")), ("reviewed_by", ListOf("string")),
                               ("notes", "string")))),
    ))


def arrow_type(feature, label_type: pa.DataType = pa.int64()) -> pa.DataType:
    """The feature's Arrow type; ClassLabels are int64 indices (datasets reads ClassLabel names
    only from int64 columns) or, while a table is read from JSON, label_type."""
    if feature == "string":
        return pa.string()
    if feature == "int32":
        return pa.int32()
    if isinstance(feature, ClassLabel):
        return label_type
    if isinstance(feature, ListOf):
        return pa.list_(arrow_type(feature.item, label_type))
    if isinstance(feature, Struct):
        return pa.struct([pa.field(name, arrow_type(item, label_type)) for name, item in feature.fields])
    raise TypeError(feature)


def arrow_schema(config: str, label_type: pa.DataType = pa.int64(), release_format: int | None = None) -> pa.Schema:
    return pa.schema([pa.field(name, arrow_type(item, label_type))
                      for name, item in config_features(config, release_format).fields])


def _yaml_dtype(feature):
    if feature in ("string", "int32"):
        return feature
    if isinstance(feature, ClassLabel):
        return {"class_label": {"names": {str(i): name for i, name in enumerate(feature.names)}}}
    raise TypeError(feature)


def _yaml_field(name: str, feature) -> dict:
    if isinstance(feature, ListOf):
        item = feature.item
        return {"name": name, "list": _yaml_struct(item) if isinstance(item, Struct) else _yaml_dtype(item)}
    if isinstance(feature, Struct):
        return {"name": name, "struct": _yaml_struct(feature)}
    return {"name": name, "dtype": _yaml_dtype(feature)}


def _yaml_struct(feature: Struct) -> list[dict]:
    return [_yaml_field(name, item) for name, item in feature.fields]


def yaml_features(config: str, release_format: int | None = None) -> list[dict]:
    """`dataset_info.features` of one config, in the form the Hub and `datasets` read (`list:`, `class_label`)."""
    return _yaml_struct(config_features(config, release_format))


def _has_label(feature) -> bool:
    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, ListOf):
        return _has_label(feature.item)
    if isinstance(feature, Struct):
        return any(_has_label(item) for _, item in feature.fields)
    return False


def encode_labels(array: pa.Array, feature) -> pa.Array:
    """The array with every ClassLabel name replaced by its index, the rest shared unchanged.

    Works on whole columns (vectorized): the build reads a batch of records into Arrow with
    labels as strings, then encodes. The array must not be a slice (offset 0), as read_json and
    combine_chunks return them. Raises ValueError for a name outside the label set.
    """
    if not _has_label(feature):
        return array
    mask = array.is_null() if array.null_count else None
    if isinstance(feature, ClassLabel):
        indices = pc.index_in(array, value_set=pa.array(feature.names, pa.string()))
        if indices.null_count != array.null_count:
            raise ValueError(f"label outside {feature.names}")
        indices = indices.cast(pa.int64())
        if not indices.null_count:  # no validity bitmap, as Arrow's builders leave it (nbytes counts it)
            indices = pa.Array.from_buffers(pa.int64(), len(indices), [None, indices.buffers()[1]], offset=indices.offset)
        return indices
    if isinstance(feature, ListOf):
        return pa.ListArray.from_arrays(array.offsets, encode_labels(array.values, feature.item),
                                        type=arrow_type(feature), mask=mask)
    return pa.StructArray.from_arrays([encode_labels(array.field(name), item) for name, item in feature.fields],
                                      fields=list(arrow_type(feature)), mask=mask)
