"""S3Backend and CacheBackend against a real S3-compatible server (moto's server mode, started
here on 127.0.0.1 and stopped afterwards). If moto_server is not installed these tests are
reported as skipped with the reason (scripts/s3/start-moto.sh installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import infinitree
from conftest import PASSWORD, USER


def _moto_server():
    found = shutil.which("moto_server")
    if found:
        return found
    local = Path.home() / ".local" / "bin" / "moto_server"
    return str(local) if local.exists() else None


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    exe = _moto_server()
    if not exe:
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("moto_server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _bucket(endpoint: str, name: str) -> str:
    # moto does not check signatures: an unsigned PUT creates the bucket.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/{name}", method="PUT"), timeout=10).read()
    return name


def _s3(endpoint: str, bucket: str, **extra):
    return infinitree.S3Backend(
        f"s3://{bucket}/trees/one",
        endpoint=endpoint,
        region="us-east-1",
        addressing="path",
        access_key_id="testing",
        secret_access_key="testing",
        **extra,
    )


def test_s3_lifecycle_and_cache(s3_endpoint, tmp_path):
    bucket = _bucket(s3_endpoint, "py-lifecycle")
    backend = _s3(s3_endpoint, bucket, max_attempts=3)
    assert backend.describe().startswith("s3://")
    with infinitree.Tree.create_in(backend, USER, PASSWORD, kdf="fast") as t:
        m = t.map("m")
        for i in range(300):
            m[i] = b"value %d" % i
        first = t.commit("first")
        m[0] = b"changed"
        t.commit("second")
    backend.close()

    with infinitree.Tree.open_in(_s3(s3_endpoint, bucket), USER, PASSWORD, kdf="fast") as t:
        assert t.map("m")[0] == b"changed" and len(t.map("m")) == 300
        with t.checkout(first) as v:
            assert v.map("m")[0] == b"value 0"
        t.change_password(USER, "new password", kdf="fast")

    cache = infinitree.CacheBackend(_s3(s3_endpoint, bucket), tmp_path / "cache", 64 << 20)
    with infinitree.Tree.open_in(cache, USER, "new password", kdf="fast") as t:
        assert list(t.map("m").keys(0, 3)) == [0, 1, 2]
        assert [c.message for c in t.log()] == ["second", "first"]
    assert any((tmp_path / "cache").rglob("*")), "the cache folder was filled"
    with pytest.raises(infinitree.WrongCredentials):
        infinitree.Tree.open_in(_s3(s3_endpoint, bucket), USER, PASSWORD, kdf="fast")


def test_s3_errors(s3_endpoint):
    with pytest.raises(infinitree.InvalidArgument):
        infinitree.S3Backend("s3://b", no_such_setting="1")
    missing = _s3(s3_endpoint, "no-such-bucket", max_attempts=1)
    with pytest.raises(infinitree.Error) as ei:
        infinitree.Tree.create_in(missing, USER, PASSWORD, kdf="fast")
    assert ei.value.code < 0 and ei.value.message
    assert os.environ.get("INFINITREE_LIBRARY") is None or Path(infinitree.library_path()).exists()
