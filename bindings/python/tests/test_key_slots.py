"""Key slots and raw keys through the Python binding (docs/keys.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import infinitree
from infinitree import (
    AlreadyExists,
    InvalidArgument,
    KeySlot,
    NotFound,
    ReadOnly,
    WrongCredentials,
)


def test_raw_key_tree_opens_only_with_its_key(tmp_path: Path) -> None:
    key = os.urandom(32)
    with infinitree.Tree.create_with_key(tmp_path / "s", key) as t:
        t.map("m")[b"k"] = b"v"
        t.commit("c")
        (slot,) = t.key_slots()
        assert isinstance(slot, KeySlot)
        assert slot.kind == "raw_key" and slot.current and len(slot.id) == 16
    with infinitree.Tree.open_with_key(tmp_path / "s", key, read_only=True) as t:
        assert t.map("m")[b"k"] == b"v"
    with pytest.raises(WrongCredentials):
        infinitree.Tree.open_with_key(tmp_path / "s", bytes(32))
    with pytest.raises(InvalidArgument):
        infinitree.Tree.open_with_key(tmp_path / "s", key[:16])
    with pytest.raises(TypeError):
        infinitree.Tree.open_with_key(tmp_path / "s", "a" * 32)  # type: ignore[arg-type]


def test_add_list_remove_slots(tmp_path: Path) -> None:
    where = tmp_path / "s"
    robot = os.urandom(32)
    with infinitree.Tree.create(where, "owner", "pw", kdf="fast") as t:
        t.value("v").set(b"data")
        t.commit("c")
        first = t.key_slots()[0]
        assert (first.label, first.created_ms, first.kind) == ("", 0, "password")
        robot_id = t.add_key_slot("robot", robot)
        bob_id = t.add_password_slot("bob", "bob", "bob-pw", kdf="fast")
        with pytest.raises(AlreadyExists):
            t.add_password_slot("again", "bob", "bob-pw", kdf="fast")
        with pytest.raises(InvalidArgument):
            t.add_key_slot("x" * 65, os.urandom(32))
        slots = t.key_slots()
        assert [s.id for s in slots] == [first.id, robot_id, bob_id]
        assert [s.label for s in slots] == ["", "robot", "bob"]
        assert [s.current for s in slots] == [True, False, False]
        assert slots[1].created_ms > 0
    with infinitree.Tree.open(where, "bob", "bob-pw", kdf="fast") as t:
        assert t.value("v").get() == b"data"
        t.remove_key_slot(robot_id)
        with pytest.raises(NotFound):
            t.remove_key_slot(robot_id)
        with pytest.raises(InvalidArgument):
            t.remove_key_slot("not an id")
    with pytest.raises(WrongCredentials):
        infinitree.Tree.open_with_key(where, robot)
    with infinitree.Tree.open(where, "owner", "pw", kdf="fast", read_only=True) as t:
        assert len(t.key_slots()) == 2
        with pytest.raises(ReadOnly):
            t.add_key_slot("ro", os.urandom(32))


def test_last_slot_cannot_go(tmp_path: Path) -> None:
    with infinitree.Tree.create(tmp_path / "s", "u", "p", kdf="fast") as t:
        (only,) = t.key_slots()
        with pytest.raises(InvalidArgument):
            t.remove_key_slot(only.id)
