#!/usr/bin/env bash
# The static checks of ios/ (tests/ios/check.py), which stand in for a Swift
# compiler this machine does not have: parses, the symbol check against the
# Swift that tests/kotlin/run.sh generated, Kotlin/Swift parity, resources.
# Installs the parsers from PyPI into .tools/py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
py="$ROOT/.tools/py"
[ -x "$py/bin/python" ] || python3 -m venv "$py"
if ! "$py/bin/python" -c "import tree_sitter, tree_sitter_kotlin, tree_sitter_swift, yaml" 2>/dev/null; then
    "$py/bin/pip" install --quiet "tree-sitter==0.25.2" "tree-sitter-kotlin==1.1.0" "tree-sitter-swift==0.7.4" "pyyaml==6.0.4"
fi
[ -s "$ROOT/target/bindings-test/swift/waymark_core.swift" ] || { echo "run tests/kotlin/run.sh first: it generates the Swift" >&2; exit 1; }
bash -n "$ROOT/ios/build-xcframework.sh"
exec "$py/bin/python" "$ROOT/tests/ios/check.py"
