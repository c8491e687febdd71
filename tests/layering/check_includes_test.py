#!/usr/bin/env python3
"""The include checker itself: it must fail on each kind of violation it claims to catch
(on small made-up trees), name the offending file and line, and pass a clean tree."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_includes.py")
LAYERS = "util,crypto,tree"

DOCS = """# Architecture
| layer | folder | job |
| --- | --- | --- |
| util | `src/util` | bytes |
| crypto | `src/crypto` | hashes |
| tree | `src/tree` | the rest |
"""


class CheckIncludes(unittest.TestCase):
    def make_tree(self, files, docs=DOCS):
        root = tempfile.mkdtemp(prefix="layering-")
        self.addCleanup(subprocess.run, ["rm", "-rf", root])
        base = {
            "src/util/bytes.hpp": '#pragma once\n#include <vector>\n#include "infinitree/error.hpp"\n',
            "src/crypto/hash.hpp": '#pragma once\n#include "util/bytes.hpp"\n',
            "src/tree/tree.cpp": '#include "crypto/hash.hpp"\n#include "tree/local.hpp"\n',
            "src/tree/local.hpp": "#pragma once\n",
            "include/infinitree/error.hpp": "#pragma once\n",
            "capi/tree.cpp": '#include "tree/local.hpp"\n#include "infinitree/error.hpp"\n',
            "cli/main.cpp": '#include "util/bytes.hpp"\n#include "session.hpp"\n',
            "cli/session.hpp": "#pragma once\n",
        }
        base.update(files)
        if docs is not None:
            base["docs/architecture.md"] = docs
        for rel, text in base.items():
            if text is None:
                continue
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        return root

    def run_checker(self, root):
        r = subprocess.run([sys.executable, CHECKER, "--root", root, "--layers", LAYERS],
                           capture_output=True, text=True)
        return r.returncode, r.stdout

    def test_clean_tree_passes(self):
        code, out = self.run_checker(self.make_tree({}))
        self.assertEqual(code, 0, out)
        self.assertIn("layering ok", out)

    def test_upward_include_fails_and_names_file_and_line(self):
        root = self.make_tree({"src/util/bytes.hpp": '#pragma once\n\n#include "crypto/hash.hpp"\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn('src/util/bytes.hpp:3: includes "crypto/hash.hpp": util may not include crypto', out)

    def test_include_cycle_within_a_layer_fails(self):
        root = self.make_tree({
            "src/tree/a.hpp": '#pragma once\n#include "tree/b.hpp"\n',
            "src/tree/b.hpp": '#pragma once\n#include "tree/a.hpp"\n',
        })
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn("include cycle:", out)
        self.assertIn("src/tree/a.hpp", out)

    def test_same_folder_include_resolves_to_its_layer(self):
        # "hash_impl.hpp" next to a crypto file is crypto's own header: allowed.
        root = self.make_tree({
            "src/crypto/hash.cpp": '#include "hash_impl.hpp"\n',
            "src/crypto/hash_impl.hpp": '#pragma once\n#include "util/bytes.hpp"\n',
        })
        code, out = self.run_checker(root)
        self.assertEqual(code, 0, out)

    def test_dotdot_include_is_refused(self):
        root = self.make_tree({"src/util/x.cpp": '#include "../tree/local.hpp"\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn('src/util/x.cpp:1: includes "../tree/local.hpp"', out)

    def test_public_header_including_a_layer_fails(self):
        root = self.make_tree({"include/infinitree/error.hpp": '#pragma once\n#include "util/bytes.hpp"\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn("public headers include only infinitree/ headers", out)

    def test_layer_including_capi_or_cli_fails(self):
        root = self.make_tree({"src/tree/x.cpp": '#include "cli/session.hpp"\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn('src/tree/x.cpp:1: includes "cli/session.hpp": a layer may not include cli/', out)

    def test_capi_and_cli_may_not_include_each_other(self):
        root = self.make_tree({"capi/x.cpp": '#include "cli/session.hpp"\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn("capi/ and cli/ may not include each other", out)

    def test_dependency_headers_are_ignored(self):
        root = self.make_tree({"src/util/x.cpp": '#include "msgpack/object.hpp"\n#include <openssl/evp.h>\n'})
        code, out = self.run_checker(root)
        self.assertEqual(code, 0, out)

    def test_unknown_src_folder_fails(self):
        root = self.make_tree({"src/misc/x.cpp": "int x;\n"})
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn("src/misc/ is not a layer", out)

    def test_docs_in_another_order_fail(self):
        root = self.make_tree({}, docs=DOCS.replace("| util | `src/util` | bytes |\n", "")
                              + "| util | `src/util` | bytes |\n")
        code, out = self.run_checker(root)
        self.assertEqual(code, 1)
        self.assertIn("docs/architecture.md lists the layers as crypto < tree < util", out)


if __name__ == "__main__":
    unittest.main()
