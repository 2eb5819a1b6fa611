import pytest

from klachtspoor.eventstore.jsondoc import JsonObject


def test_reads_like_the_dict_it_holds() -> None:
    doc = JsonObject('{"a":1,"b":{"c":[1,2]}}')
    assert doc == {"a": 1, "b": {"c": [1, 2]}}
    assert doc["b"]["c"] == [1, 2]
    assert sorted(doc) == ["a", "b"] and len(doc) == 2
    assert dict(doc) == {"a": 1, "b": {"c": [1, 2]}}
    assert doc.text == '{"a":1,"b":{"c":[1,2]}}'


def test_a_stored_non_object_is_a_clear_error_on_access() -> None:
    with pytest.raises(TypeError, match="not an object"):
        len(JsonObject("[1, 2]"))


def test_lookups_and_views_answer_as_the_parsed_dict_does() -> None:
    doc = JsonObject('{"a":1,"b":null}')
    assert "a" in doc and "b" in doc and "c" not in doc
    assert doc.get("a") == 1 and doc.get("b", 7) is None and doc.get("c", 7) == 7
    assert list(doc.keys()) == ["a", "b"] and list(doc.values()) == [1, None]
    assert list(doc.items()) == [("a", 1), ("b", None)]
