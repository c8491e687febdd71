"""Typed schemas (infinitree.schema): the record and checks of C++'s Schema, typed handles over
dataclasses, and stored bytes equal to what C++ writes (the fixed vectors of
tests/datamodel/schema_test.cpp, "SchemaEncoding")."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import ClassVar, Dict, List, Optional, Tuple

import pytest

import infinitree
from infinitree import (
    InvalidArgument,
    ListField,
    MapField,
    NotFound,
    Schema,
    SetField,
    UnsupportedVersion,
    ValueField,
)
from infinitree.schema import pack_value, unpack_value

from conftest import PASSWORD, USER


@dataclass
class Plant:
    schema_name: ClassVar[str] = "Plant/1"
    name: str
    height: float
    leaves: int
    tags: List[str]
    sown: Optional[int]
    notes: Dict[str, float]
    ok: bool


class Nursery(Schema, name="nursery", version=2):
    plants = MapField(Tuple[str, int], Plant)
    tags = SetField(str)
    log = ListField(str)
    config = ValueField(Dict[str, float])


FERN = Plant("fern", 0.5, -3, ["shade", "wet"], None, {"a": 1.0, "b": 2.5}, True)

# tests/datamodel/schema_test.cpp, SchemaEncoding.BytesEqualTheBindingsVectors
KEY_FERN_3 = bytes.fromhex("026665726e00140000000000000003")
FERN_VALUE = bytes.fromhex("97a46665726ecb3fe0000000000000fd92a57368616465a3776574c082a16101a162cb4004000000000000c3")
RECORD = bytes.fromhex(
    "93a76e757273657279029492a6706c616e7473b66d61703c287374722c696e74292c506c616e742f313e92a474616773a87365743c"
    "7374723e92a36c6f67a96c6973743c7374723e92a6636f6e666967b276616c75653c7b7374723a666c6f61747d3e")
CONFIG = bytes.fromhex("81a96472795f62656c6f77cb3fd0000000000000")
LOG_0 = bytes.fromhex("a4736f776e")
KEY_GREEN = bytes.fromhex("02677265656e00")


def _fill(n: Nursery) -> None:
    n.plants[("fern", 3)] = FERN
    n.tags.add("green")
    n.log.append("sown")
    n.config.set({"dry_below": 0.25})


def test_stores_the_bytes_cpp_stores(mem_tree):
    n = Nursery(mem_tree)
    _fill(n)
    raw = mem_tree.map("plants", keys="bytes")
    assert list(raw.keys()) == [KEY_FERN_3]
    assert raw[KEY_FERN_3] == FERN_VALUE
    assert mem_tree.value("infinitree.schema").get() == RECORD
    assert mem_tree.value("config").get() == CONFIG
    assert mem_tree.list("log")[0] == LOG_0
    assert list(mem_tree.set("tags", keys="bytes")) == [KEY_GREEN]


def test_reads_what_cpp_wrote(mem_tree):
    # The fields exactly as the C++ test leaves them, written as raw bytes.
    mem_tree.value("infinitree.schema").set(RECORD)
    mem_tree.map("plants", keys="bytes")[KEY_FERN_3] = FERN_VALUE
    mem_tree.set("tags", keys="bytes").add(KEY_GREEN)
    mem_tree.list("log").append(LOG_0)
    mem_tree.value("config").set(CONFIG)
    n = Nursery(mem_tree)
    assert n.plants[("fern", 3)] == FERN
    assert isinstance(n.plants[("fern", 3)].notes["a"], float)  # stored as the integer 1
    assert list(n.plants.items()) == [(("fern", 3), FERN)]
    assert list(n.tags) == ["green"] and "green" in n.tags and 5 not in n.tags
    assert n.tags.add("blue") and not n.tags.add("blue")
    assert n.tags.discard("blue") and not n.tags.discard("blue")
    assert list(n.log) == ["sown"]
    assert n.config.get() == {"dry_below": 0.25}
    rec = Schema.stored(mem_tree)
    assert rec == ("nursery", 2, [("plants", "map<(str,int),Plant/1>"), ("tags", "set<str>"),
                                  ("log", "list<str>"), ("config", "value<{str:float}>")])


def test_round_trips_values():
    for v in [FERN, dataclasses.replace(FERN, sown=2**40, tags=[], notes={}, height=-0.125, name="é\x00")]:
        assert unpack_value(Plant, pack_value(Plant, v)) == v
    assert unpack_value(List[Optional[Tuple[int, str]]], pack_value(List[Optional[Tuple[int, str]]], [None, (1, "a")])) == [None, (1, "a")]
    assert unpack_value(infinitree.UInt, pack_value(infinitree.UInt, 2**64 - 1)) == 2**64 - 1


def test_model_against_a_dict_over_commits(tmp_path):
    """Random puts and deletes checked against a dict, five commits, each checked again by a
    checkout and, at the end, by reopening the store."""
    rnd = random.Random(7)
    path = tmp_path / "store"
    history = []
    with infinitree.Tree.create(path, USER, PASSWORD, kdf="fast") as tree:
        n = Nursery(tree)
        model: dict = {}
        for round_ in range(5):
            for _ in range(60):
                k = (rnd.choice(["fern", "moss", "ivy", "é"]), rnd.randrange(-20, 20))
                if rnd.random() < 0.3:
                    assert n.plants.delete(k) == (k in model)
                    model.pop(k, None)
                else:
                    v = Plant(k[0], rnd.choice([0.0, 1.0, 0.5, -3.25, 1e300]), rnd.randrange(-2**63, 2**63),
                              [rnd.choice("xyz") for _ in range(rnd.randrange(3))],
                              rnd.choice([None, 0, 2**62]), {"k" + str(i): float(i) for i in range(rnd.randrange(3))},
                              rnd.random() < 0.5)
                    n.plants[k] = v
                    model[k] = v
                assert len(n.plants) == len(model)
            assert dict(n.plants.items()) == model
            order = sorted(model, key=lambda k: (k[0].encode(), k[1]))
            assert list(n.plants) == order
            assert list(n.plants.items(("ivy", 0), ("moss", 0))) == [
                (k, model[k]) for k in order if ("ivy", 0) <= k < ("moss", 0)]
            history.append((tree.commit(f"round {round_}"), dict(model)))
        for commit, snapshot in history:
            at = Nursery(tree.checkout(commit.id))
            assert dict(at.plants.items()) == snapshot
            with pytest.raises(infinitree.ReadOnly):
                at.plants[("x", 1)] = FERN
    with infinitree.Tree.open(path, USER, PASSWORD, kdf="fast") as tree:
        n = Nursery(tree)
        assert dict(n.plants.items()) == history[-1][1]
        k = next(iter(history[-1][1]))
        assert n.plants[k] == history[-1][1][k] and n.plants.get(("nope", 0)) is None


class Nursery3(Schema, name="nursery", version=3):
    plants = MapField(Tuple[str, int], Plant)
    tags = SetField(str)
    log = ListField(str)
    config = ValueField(Dict[str, float])


def test_version_mismatch(mem_tree):
    Nursery(mem_tree)
    v2 = mem_tree.commit("v2")
    with pytest.raises(UnsupportedVersion) as e:
        Nursery3(mem_tree)
    assert e.value.code == infinitree._constants.IT_EVERSION
    assert str(e.value) == ("the tree holds schema 'nursery' version 2, this program declares 'nursery' version 3 "
                            "(migrate the data, then Schema.forget the old record)")
    # The migration path: forget the record, declare the new version.
    assert Schema.forget(mem_tree) and not Schema.forget(mem_tree)
    Nursery3(mem_tree)
    mem_tree.commit("v3")
    assert Schema.stored(mem_tree).version == 3
    Nursery(mem_tree.checkout(v2.id))  # the old commit keeps its record
    with pytest.raises(UnsupportedVersion):
        Nursery3(mem_tree.checkout(v2.id))


@dataclass
class Plant2:
    schema_name: ClassVar[str] = "Plant/2"
    name: str
    height: float


class OtherTypes(Schema, name="nursery", version=2):
    plants = MapField(Tuple[str, int], Plant2)
    tags = SetField(str)
    log = ListField(str)
    config = ValueField(Dict[str, float])


class TagsAsMap(Schema, name="other", version=1):
    tags = MapField(str, str)


class Fewer(Schema, name="nursery", version=2):
    plants = MapField(Tuple[str, int], Plant)


class More(Nursery, name="nursery", version=2):
    extra = ListField(int)


def test_field_type_errors(mem_tree):
    Nursery(mem_tree)
    with pytest.raises(InvalidArgument) as e:
        OtherTypes(mem_tree)
    assert "field 'plants' is stored as map<(str,int),Plant/1>, declared as map<(str,int),Plant/2>" in str(e.value)
    with pytest.raises(InvalidArgument) as e:
        Fewer(mem_tree)
    assert str(e.value) == "schema 'nursery': the stored field 'tags' (set<str>) is not declared"
    with pytest.raises(InvalidArgument) as e:
        More(mem_tree)
    assert str(e.value) == "schema 'nursery': field 'extra' (list<int>) is not in the stored schema"
    # A field of another kind in the tree, recorded or not.
    other = infinitree.Tree.create_in(infinitree.MemoryBackend(), USER, PASSWORD, kdf="fast")
    other.map("tags")
    with pytest.raises(InvalidArgument) as e:
        Nursery(other)
    assert str(e.value) == "schema 'nursery': field 'tags' is a map in the tree, declared as set<str>"
    assert Schema.stored(other) is None  # nothing recorded by a failed declaration
    # A checkout without a record.
    other.commit("no schema")
    with pytest.raises(NotFound):
        TagsAsMap(other.checkout("HEAD"))
    other.close()


def test_wrong_shapes(mem_tree):
    n = Nursery(mem_tree)
    # Python values of the wrong type are refused before anything is stored.
    with pytest.raises(TypeError):
        n.plants[("fern", 1)] = Plant2("fern", 1.0)  # type: ignore[assignment]
    with pytest.raises(TypeError):
        n.plants[("fern", "1")] = FERN  # type: ignore[index]
    with pytest.raises(TypeError):
        n.plants[("fern", 1)] = dataclasses.replace(FERN, leaves="3")
    with pytest.raises(ValueError):
        n.plants[("fern", 1)] = dataclasses.replace(FERN, height=float("nan"))
    with pytest.raises(OverflowError):
        n.plants[("fern", 1)] = dataclasses.replace(FERN, leaves=2**63)
    assert len(n.plants) == 0
    # A stored value of another shape (as an older or foreign writer may leave) is a clear error.
    raw = mem_tree.map("plants", keys="bytes")
    raw[KEY_FERN_3] = bytes.fromhex("92a46665726e01")  # ["fern", 1]: two members, not seven
    with pytest.raises(InvalidArgument) as e:
        n.plants[("fern", 3)]
    assert "Plant/1, an array of 7 members" in str(e.value)
    raw[KEY_FERN_3] = FERN_VALUE.replace(bytes.fromhex("fd"), bytes.fromhex("a1 78"), 1)  # leaves: "x"
    with pytest.raises(InvalidArgument) as e:
        n.plants[("fern", 3)]
    assert ".leaves: expected an integer" in str(e.value)
    raw[KEY_FERN_3] = b"\xc4\x01x"  # bin: not a value the schema can hold
    with pytest.raises(InvalidArgument):
        list(n.plants.items())


def test_declaration_errors():
    with pytest.raises(TypeError, match="schema_name"):
        @dataclass
        class Nameless:
            x: int

        MapField(str, Nameless)
    with pytest.raises(TypeError, match="key type"):
        SetField(List[int])
    import datetime as dt

    with pytest.raises(TypeError, match="key type only"):
        ValueField(dt.datetime)
    assert MapField(Tuple[str, infinitree.Desc[dt.datetime]], int).type_name() == "map<(str,desc time),int>"
    assert ValueField(List[Optional[infinitree.UInt]]).type_name() == "value<[uint?]>"
