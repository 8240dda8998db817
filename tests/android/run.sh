#!/usr/bin/env bash
# The static checks of android/ (tests/android/check.py): parses, resources,
# the version catalog, en/es parity, platform rules, and that android/app holds
# no rule the core has. android/shell itself is compiled and tested on the JVM
# by tests/kotlin/run.sh. Installs the parsers from PyPI into .tools/py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
py="$ROOT/.tools/py"
[ -x "$py/bin/python" ] || python3 -m venv "$py"
if ! "$py/bin/python" -c "import tree_sitter, tree_sitter_kotlin" 2>/dev/null; then
    "$py/bin/pip" install --quiet "tree-sitter==0.25.2" "tree-sitter-kotlin==1.1.0"
fi
bash -n "$ROOT/android/build-rust.sh"
exec "$py/bin/python" "$ROOT/tests/android/check.py"
