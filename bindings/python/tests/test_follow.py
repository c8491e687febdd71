"""Readers that follow a writer: refresh() and follow() on a read-only tree."""

from __future__ import annotations

import time

import pytest

import infinitree
from conftest import PASSWORD, USER


def wait_for(pred, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


def test_refresh_moves_a_reader_to_new_commits(tree, tree_path):
    tree.map("m")[b"k"] = b"v1"
    tree.commit("one")
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as reader:
        m = reader.map("m")
        assert reader.refresh() is False
        tree.map("m")[b"k"] = b"v2"
        two = tree.commit("two")
        assert m[b"k"] == b"v1"
        assert reader.refresh() is True
        assert m[b"k"] == b"v2"  # the same handle, on the new commit
        assert reader.head() == two
        assert reader.refresh() is False
    with pytest.raises(infinitree.InvalidArgument):
        tree.refresh()  # writers do not refresh


def test_follow_picks_up_commits_until_stopped(tree, tree_path):
    tree.map("m")[b"k"] = b"v1"
    tree.commit("one")
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as reader:
        m = reader.map("m")
        with pytest.raises(infinitree.InvalidArgument):
            reader.follow(interval=0.05, max_interval=0.01)
        reader.follow(interval=0.005, max_interval=0.02)
        tree.map("m")[b"k"] = b"followed"
        tree.commit("two")
        assert wait_for(lambda: m[b"k"] == b"followed")
        reader.stop_following()
        tree.map("m")[b"k"] = b"later"
        tree.commit("three")
        time.sleep(0.06)
        assert m[b"k"] == b"followed"
        reader.follow(interval=0.001, max_interval=0.001, backoff=1.0)
    # closed while following: the thread is stopped, the handle refuses
    with pytest.raises(infinitree.Closed):
        reader.refresh()
