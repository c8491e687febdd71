"""Round trips and the collection protocols of maps, sets, lists and values."""

from __future__ import annotations

import random
from collections.abc import MutableMapping, MutableSet, Sequence

import pytest

import infinitree
from conftest import PASSWORD, USER


def test_map_round_trip_survives_reopen(tree_path):
    data = {f"key{i:04}".encode(): bytes([i % 256]) * (i % 50) for i in range(500)}
    data[b""] = b"empty key"
    data[b"\x00\xff\x00"] = b"\x00" * 3000  # spills out of the leaf (large value)
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        m = t.map("m")
        for k, v in data.items():
            m[k] = v
        assert t.commit("all") is not None
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast") as t:
        m = t.map("m")
        assert len(m) == len(data)
        assert dict(m.items()) == data
        assert list(m) == sorted(data)
        for k, v in data.items():
            assert m[k] == v


def test_map_is_a_mutable_mapping(tree):
    m = tree.map("m")
    assert isinstance(m, MutableMapping)
    m[b"a"] = b"1"
    m["b"] = "two"  # str value stored as UTF-8
    assert m["b"] == b"two"
    assert m.get(b"zz") is None and m.get(b"zz", b"d") == b"d"
    assert b"a" in m and b"zz" not in m and 3.5 not in m
    assert m.setdefault(b"a", b"other") == b"1"
    assert m.setdefault(b"c", b"3") == b"3" and m[b"c"] == b"3"
    assert m.pop(b"c") == b"3" and b"c" not in m
    assert m.pop(b"c", b"gone") == b"gone"
    with pytest.raises(KeyError):
        m.pop(b"c")
    del m[b"a"]
    with pytest.raises(KeyError):
        del m[b"a"]
    assert not m.delete(b"a")
    m.update({b"x": b"1", b"y": b"2"})
    assert m == {b"b": b"two", b"x": b"1", b"y": b"2"}  # "b" was stored as its UTF-8 bytes
    m.clear()
    assert len(m) == 0 and list(m) == []
    with pytest.raises(TypeError):
        m[b"k"] = 12  # values are bytes or str


def test_compare_and_swap_and_put_if_absent(tree):
    m = tree.map("m")
    assert m.compare_and_swap(b"k", None, b"v1")  # absent -> v1
    assert not m.compare_and_swap(b"k", None, b"v2")  # not absent any more
    assert not m.compare_and_swap(b"k", b"wrong", b"v2")
    assert m.compare_and_swap(b"k", b"v1", b"v2")
    assert m[b"k"] == b"v2"
    assert m.compare_and_swap(b"k", b"v2", None)  # delete
    assert b"k" not in m
    assert m.put_if_absent(b"k", b"a")
    assert not m.put_if_absent(b"k", b"b")
    assert m[b"k"] == b"a"


def test_ranges_prefix_reverse_and_delete_range(tree):
    m = tree.map("m", keys="bytes")
    for i in range(100):
        m[b"k%03d" % i] = b"%d" % i
    m[b"other"] = b"x"
    assert list(m.keys(b"k010", b"k015")) == [b"k%03d" % i for i in range(10, 15)]
    assert list(reversed(m.keys(b"k010", b"k015"))) == [b"k%03d" % i for i in range(14, 9, -1)]
    assert list(m.range(b"k098")) == [(b"k098", b"98"), (b"k099", b"99"), (b"other", b"x")]
    assert len(m.items(b"k010", b"k020")) == 10 == m.count(b"k010", b"k020")
    assert list(m.values(b"k001", b"k003")) == [b"1", b"2"]
    assert [k for k, _ in m.prefix(b"k09")] == [b"k09%d" % i for i in range(10)]
    assert [k for k, _ in reversed(m.prefix(b"k09"))] == [b"k09%d" % i for i in range(9, -1, -1)]
    assert list(reversed(m))[:2] == [b"other", b"k099"]
    assert (b"k011", b"11") in m.items(b"k010", b"k020")
    assert b"k050" not in m.keys(b"k010", b"k020")
    assert list(m.keys(b"k020", b"k010")) == []  # empty interval
    assert list(m.keys(b"k010", b"")) == []  # an explicit empty bound is empty, not open
    assert m.first() == (b"k000", b"0") and m.last() == (b"other", b"x")
    assert m.delete_range(b"k010", b"k090") == 80
    assert len(m) == 21
    assert m.delete_range(b"k095") == 6  # to the end
    assert list(m) == [b"k%03d" % i for i in range(10)] + [b"k%03d" % i for i in range(90, 95)]


def test_int_and_str_keys_keep_their_order(tree):
    m = tree.map("m")  # auto mode
    ints = [-(2**63), -(2**40), -1000, -1, 0, 1, 2, 255, 256, 1000, 2**40, 2**63 - 1, 2**63, 2**64 - 1]
    shuffled = ints[:]
    random.Random(1).shuffle(shuffled)
    for i in shuffled:
        m[i] = str(i)
    assert list(m) == ints
    assert [int(v) for v in m.values()] == ints
    assert list(m.keys(-1000, 256)) == [-1000, -1, 0, 1, 2, 255]
    assert m.count(0, 2**63) == 8
    with pytest.raises(OverflowError):
        m[2**64] = b"x"
    with pytest.raises(OverflowError):
        m[-(2**63) - 1] = b"x"

    s = tree.map("s", keys="str")
    words = ["", "a", "a\x00", "a\x00b", "ab", "b", "ba", "zz", "é", "中文"]
    for w in reversed(words):
        s[w] = w
    assert list(s) == sorted(words, key=lambda w: w.encode())
    assert list(s.keys("a", "b")) == ["a", "a\x00", "a\x00b", "ab"]
    # auto mode stores the same UTF-8 bytes and yields them as bytes
    assert list(tree.map("s")) == sorted(w.encode() for w in words)
    assert tree.map("s")["中文"] == "中文".encode()


def test_tuple_keys_and_prefix(tree):
    m = tree.map("events")
    rows = [("user", 1, "login"), ("user", 1, "logout"), ("user", 2, "login"), ("zone", -5, "x")]
    for r in reversed(rows):
        m[r] = b"."
    assert list(m) == rows
    assert [k for k, _ in m.prefix(("user", 1))] == rows[:2]
    assert [k for k, _ in m.prefix(("user",))] == rows[:3]
    assert list(m.keys(("user", 2), ("zone",))) == [rows[2]]
    with pytest.raises(TypeError):
        m[("a", ("nested",))] = b"x"
    with pytest.raises(TypeError):
        m[object()] = b"x"


def test_mixed_key_types_order_and_modes(tree):
    m = tree.map("m", keys="typed")
    keys = [None, b"bytes", "str", -1, 3, 1.5, False, True]
    for k in reversed(keys):
        m[k] = b"v"
    # None < bytes < str < int < float < bool, as the key encoding defines
    assert list(m) == keys
    assert m[b"bytes"] == b"v" and m[True] == b"v" and m[1.5] == b"v"

    raw = tree.map("raw", keys="bytes")
    raw[b"x"] = b"1"
    with pytest.raises(TypeError):
        raw["x"] = b"1"
    assert "x" not in raw

    with pytest.raises(ValueError):
        tree.map("bad", keys="strange")


def test_auto_mode_reads_raw_and_encoded_keys_back(tree):
    m = tree.map("m")
    m[b"plain"] = b"1"  # raw
    m["text"] = b"2"  # str: its UTF-8 bytes, as the CLI, C and Go write text keys
    m[7] = b"3"
    m[infinitree.encode_key("looks-encoded")] = b"4"  # raw bytes that decode: come back decoded
    m[b"\x01abc\x00"] = b"5"  # a lone bytes component: kept raw (auto writes bytes raw)
    got = dict(m.items())
    assert got[b"plain"] == b"1" and got[b"text"] == b"2" and got[7] == b"3"
    assert m["plain"] == b"1" and m[b"text"] == b"2"  # str and bytes name the same key
    assert got[infinitree.encode_key("looks-encoded")] == b"4"  # a lone encoded str stays raw
    assert got[b"\x01abc\x00"] == b"5"
    for k in m:  # every key iteration yields is a valid lookup
        assert m[k] == got[k]
    assert infinitree.decode_key(infinitree.encode_key(("a", 1, None))) == ("a", 1, None)
    # a NaN with another payload: whatever iteration yields for it must find it again
    nan = infinitree.encode_key(float("nan"))
    odd_nan = nan[:-1] + bytes([nan[-1] ^ 1])
    m[odd_nan] = b"6"
    assert sorted(m[k] for k in m) == [b"1", b"2", b"3", b"4", b"5", b"6"]  # each key finds its entry
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.decode_key(b"\xee not an encoding")


def test_set(tree):
    s = tree.set("tags")
    assert isinstance(s, MutableSet)
    assert s.insert("b") and not s.insert("b")
    s.add("a")
    s.add(3)
    s |= {"c"}
    assert len(s) == 4 and "a" in s and "zz" not in s
    # str keys are their UTF-8 bytes (yielded as bytes in auto mode); 3 is encoded (0x14...)
    assert list(s) == [3, b"a", b"b", b"c"]
    assert list(reversed(s)) == [b"c", b"b", b"a", 3]
    assert list(s.range("b")) == [b"b", b"c"]
    assert list(s.range("a", "c", reverse=True)) == [b"b", b"a"]
    s.discard("zz")
    s.remove("a")
    with pytest.raises(KeyError):
        s.remove("a")
    assert set(s) == {b"b", b"c", 3}
    assert set(tree.set("tags", keys="str")) == {"b", "c", "\x14\x00\x00\x00\x00\x00\x00\x00\x03"}


def test_list(tree):
    lst = tree.list("log")
    assert isinstance(lst, Sequence)
    assert lst.append(b"zero") == 0
    assert lst.append("one") == 1
    lst.extend([b"two", b"three"])
    assert len(lst) == 4
    assert lst[0] == b"zero" and lst[-1] == b"three" and lst[1] == b"one"
    assert lst[1:3] == [b"one", b"two"]
    assert list(lst) == [b"zero", b"one", b"two", b"three"]
    lst[2] = b"TWO"
    assert lst[2] == b"TWO"
    with pytest.raises(IndexError):
        lst[4]
    with pytest.raises(IndexError):
        lst[-5]
    with pytest.raises(IndexError):
        lst[9] = b"x"
    assert lst.pop() == b"three" and len(lst) == 3
    assert b"one" in lst and lst.index(b"TWO") == 2


def test_value(tree):
    v = tree.value("config")
    assert v.get() is None and v.get(b"d") == b"d" and not v.is_set
    v.set(b"\x00\x01")
    assert v.get() == b"\x00\x01" and v.is_set
    c1 = tree.commit("set")
    v.set("text")
    tree.commit("changed")
    assert v.get() == b"text"
    with tree.checkout(c1) as old:
        assert old.value("config").get() == b"\x00\x01"
    v.reset()
    assert v.get() is None


def test_fields_listing_rename_drop(tree):
    tree.map("m")[b"k"] = b"v"
    tree.set("s").add(b"x")
    tree.list("l").append(b"x")
    tree.value("v").set(b"x")
    assert tree.fields() == {"m": "map", "s": "set", "l": "list", "v": "value"}
    assert tree.has_field("m") and not tree.has_field("nope")
    tree.rename_field("m", "measurements")
    tree.drop_field("v")
    tree.commit("reshape")
    assert tree.fields() == {"measurements": "map", "s": "set", "l": "list"}
    assert tree.map("measurements")[b"k"] == b"v"


def test_memory_backend_and_describe(tmp_path):
    b = infinitree.MemoryBackend()
    assert b.describe().startswith("memory")
    with infinitree.Tree.create_in(b, USER, PASSWORD, kdf="fast") as t:
        t.map("m")[1] = b"x"
        t.commit("c")
    b2 = infinitree.DirectoryBackend(tmp_path / "d")
    assert "dir" in b2.describe()
    b2.close()
    assert "closed" in repr(b2)
    with infinitree.Tree.open_in(b, USER, PASSWORD, kdf="fast") as t:
        assert t.map("m")[1] == b"x"
    b.close()


def test_options_compression_and_node_sizes(tree_path):
    with infinitree.Tree.create(
        tree_path, USER, PASSWORD, kdf="fast", compression="zstd", node_cache_bytes=1 << 20, node_bytes=1024
    ) as t:
        m = t.map("m")
        for i in range(2000):
            m[i] = b"value %d" % i
        t.commit("c")
        assert list(m.keys(0, 5)) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        infinitree.Tree.create(tree_path / "x", USER, PASSWORD, kdf="fast", compression="brotli")
    with pytest.raises(ValueError):
        infinitree.Tree.create(tree_path / "y", USER, PASSWORD, kdf="cheap")


def test_real_kdf_costs(tmp_path):
    costs = infinitree.KdfCost(memory_kib=1024, iterations=1, parallelism=1)
    with infinitree.Tree.create(tmp_path / "t", USER, PASSWORD, kdf=costs) as t:
        t.value("v").set(b"x")
        t.commit("c")
    with infinitree.Tree.open(tmp_path / "t", USER, PASSWORD, kdf=(1024, 1, 1)) as t:
        assert t.value("v").get() == b"x"
    with pytest.raises(infinitree.WrongCredentials):
        infinitree.Tree.open(tmp_path / "t", USER, PASSWORD, kdf="fast")  # other costs, other keys
