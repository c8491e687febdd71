#!/usr/bin/env python3
"""Link-level layering: no layer's library may need a symbol that only a layer above defines.

Include checks cannot see this case: a public header (include/infinitree/...) declares a
function, a low layer calls it, and a higher layer's .cpp defines it. The build then links only
because every executable happens to link the higher layer too.

Usage: check_symbols.py NM ARCHIVE... (the layers' static libraries, bottom up)
Prints each offending symbol with the layers that need and define it; exits 1 if any.
"""

import os
import subprocess
import sys


def symbols(nm, archive, *flags):
    out = subprocess.run([nm, "-C", *flags, archive], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        line = line.strip()
        if not line or line.endswith(":"):  # "member.o:" headers of an archive listing
            continue
        parts = line.split(None, 2)
        if "--undefined-only" in flags:
            if len(parts) >= 2 and parts[0] == "U":
                names.add(line.split(None, 1)[1])
        elif len(parts) == 3 and parts[1] in "TDBRVWGSiu":
            names.add(parts[2])
    return names


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    nm, archives = sys.argv[1], sys.argv[2:]
    names = [os.path.basename(a) for a in archives]
    defined = [symbols(nm, a, "--defined-only", "-g") for a in archives]
    problems = []
    for i, archive in enumerate(archives):
        below = set().union(*defined[: i + 1])
        for sym in sorted(symbols(nm, archive, "--undefined-only")):
            if sym in below:
                continue
            above = [names[j] for j in range(i + 1, len(archives)) if sym in defined[j]]
            if above:
                problems.append(f"{names[i]} needs {sym}, defined only above it in {', '.join(above)}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} upward symbol reference(s)", file=sys.stderr)
        return 1
    print(f"symbols ok: {' < '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
