"""Checks added with guidelines 2.0: recipients PLOVER expects, one type per trigger, approximators."""

import copy
import json

from khabar import labels
from khabar.paths import schema_dir
from khabar.record_io import dumps_record
from khabar.rules import expected_event_labels, starts_with_approximator
from khabar.validate import validate_paths
from make_test_cases import VISIT_BODY, VISIT_ENTITIES, visit


def _checks(record, tmp_path):
    path = tmp_path / f"{record['id']}.json"
    path.write_text(dumps_record(record), encoding="utf-8")
    return [incident.check for incident in validate_paths([path]).incidents]


def test_types_requiring_a_recipient_come_from_the_label_file():
    raw = json.loads((schema_dir() / "labels" / "event_types.json").read_text(encoding="utf-8"))
    flagged = {item["name"] for item in raw["labels"] if item["requires_recipient"] is True}
    assert all(isinstance(item["requires_recipient"], bool) for item in raw["labels"])
    assert labels.types_requiring_recipient() == flagged == {"COOPERATE", "AID", "SANCTION", "PROTEST"}


def _cooperate(record_id, arguments):
    record = visit(record_id)
    record["events"][1]["type"] = "COOPERATE"  # وقّع ... اتفاقا: actor T7, recipient T8
    record["events"][1]["arguments"] = [{"role": role, "entity": entity} for role, entity in arguments]
    record["event_labels"] = expected_event_labels(record["events"])
    return record


def test_recipient_warning_only_without_recipient_and_without_a_second_actor(tmp_path):
    assert _checks(_cooperate("synthetic-one-actor", [("actor", "T7")]), tmp_path) == ["argument-recipient-missing"]
    assert _checks(_cooperate("synthetic-no-argument", []), tmp_path) == ["argument-recipient-missing"]
    assert _checks(_cooperate("synthetic-with-recipient", [("actor", "T7"), ("recipient", "T8")]), tmp_path) == []
    # a mutual act: PLOVER lists both parties as actors and no recipient
    assert _checks(_cooperate("synthetic-mutual", [("actor", "T7"), ("actor", "T8")]), tmp_path) == []


def test_recipient_is_not_expected_of_other_types(tmp_path):
    record = visit("synthetic-support-without-recipient")
    record["events"][1]["arguments"] = [{"role": "actor", "entity": "T7"}]
    assert _checks(record, tmp_path) == []


def test_same_trigger_twice_with_the_same_type_is_not_a_type_conflict(tmp_path):
    record = visit("synthetic-same-type-twice")
    record["events"].append(dict(copy.deepcopy(record["events"][1]), id="E4"))
    assert _checks(record, tmp_path) == []
    record["events"][3]["type"] = "COOPERATE"
    record["event_labels"] = expected_event_labels(record["events"])
    assert _checks(record, tmp_path) == ["trigger-multiple-types"]


def test_approximator_is_the_first_word_only():
    assert starts_with_approximator("نحو عام") and starts_with_approximator("حوالي ثلاث سنوات")
    assert not starts_with_approximator("عام نحو") and not starts_with_approximator("نحوي")
    assert not starts_with_approximator("ثلاث سنوات")


def test_place_head_nouns_are_recognised_behind_their_proclitics():
    from khabar.rules import is_place_head_noun

    assert all(is_place_head_noun(word) for word in ("مدينة", "بمدينة", "وبمدينة", "للعاصمة", "ومحافظة", "ولاية"))
    # عاصمة المغرب names Morocco's capital: the GPE there is Morocco
    assert not any(is_place_head_noun(word) for word in ("عاصمة", "مدينتين", "الرباط", "إلى"))


def test_gpe_with_its_head_noun_passes_and_the_bare_name_inside_it_is_reported(tmp_path):
    body = [paragraph.replace("إلى القاهرة", "إلى مدينة القاهرة") for paragraph in VISIT_BODY]
    whole = [("T5", "مدينة القاهرة", 0, "GPE") if spec[0] == "T5" else spec for spec in VISIT_ENTITIES]
    assert _checks(visit("synthetic-head-noun-inside", body=body, entities=whole), tmp_path) == []
    nested = whole + [("T13", "القاهرة", 1, "GPE")]
    assert _checks(visit("synthetic-bare-name-nested", body=body, entities=nested), tmp_path) == ["place-head-noun-outside"]
