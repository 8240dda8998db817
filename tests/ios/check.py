#!/usr/bin/env python3
"""Static checks of ios/ on a machine with no Swift compiler (tests/ios/run.sh
installs the parsers):

- tree-sitter-swift parses every hand-written Swift file;
- the symbol check (symbols.py) finds no call to the core that the generated
  Swift would refuse: names, labels, fields, cases, `try`, visibly wrong kinds;
- the Kotlin state holders and the Swift screen models are one for one: the
  same screens, the same state fields and the same actions;
- Info.plist and PrivacyInfo.xcprivacy parse as plists, project.yml as YAML,
  Localizable.xcstrings as JSON with every key in English and Spanish, and
  every key the views name is in it;
- no `try!` and no UI framework in WaymarkShell.

`--self-test` shows the symbol check failing on code that breaks each rule.
"""
import json
import pathlib
import plistlib
import re
import sys

import tree_sitter_kotlin
import tree_sitter_swift
import yaml
from tree_sitter import Language, Parser

sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from parsing import parse_errors  # noqa: E402
import swift_api  # noqa: E402
import symbols  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
IOS = ROOT / "ios"
SHELL = IOS / "WaymarkKit" / "Sources" / "WaymarkShell"
APP = IOS / "WaymarkApp"
KOTLIN_SCREENS = ROOT / "android" / "shell" / "src" / "main" / "kotlin" / "app" / "waymark" / "shell" / "screens"
SWIFT = Parser(Language(tree_sitter_swift.language()))
KOTLIN = Parser(Language(tree_sitter_kotlin.language()))

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def hand_written():
    generated = IOS / "WaymarkKit" / "Sources" / "WaymarkCore"
    return sorted(p for p in IOS.rglob("*.swift") if generated not in p.parents and ".build" not in p.parts)


def check_parses():
    trees = {}
    for path in hand_written():
        tree = SWIFT.parse(path.read_bytes())
        errors = parse_errors(tree)
        if errors:
            line, column = min(e.start_point for e in errors)
            fail(path.relative_to(ROOT), f"{len(errors)} parse errors, first at {line + 1}:{column + 1}")
        trees[path] = tree
    print(f"tree-sitter-swift: {len(trees)} hand-written Swift files parsed")
    return trees


def check_symbols(api, trees):
    declarations = symbols.Declarations()
    for tree in trees.values():
        declarations.add_file(tree)
    checker = symbols.Checker(api, declarations)
    aliases = symbols.shell_aliases(SHELL / "Models.swift")
    calls = 0
    for path, tree in trees.items():
        imports_core = re.search(r"^import WaymarkCore$", path.read_text(), re.M) is not None
        for problem in checker.check(tree, visible=None if imports_core else aliases):
            fail(f"{path.relative_to(ROOT)}:{problem.line}", problem.message)
        calls += len(re.findall(r"\$0\.\w+\(|waymark\.\w+\(|WaymarkCore\.\w+\(", path.read_text()))
    # The app sees the core only through the shell's aliases: a core type it names without one would not compile.
    platform = {"Form", "Settings", "Progress"}
    for path, tree in trees.items():
        if APP not in path.parents:
            continue
        named = {n.text.decode() for n in symbols._descendants(tree.root_node) if n.type in ("type_identifier", "simple_identifier")}
        for name in sorted((named & api.type_names()) - set(aliases) - platform - {"Waymark", "WaymarkProtocol", "Zone"}):
            fail(path.relative_to(ROOT), f"names the core's {name}, which WaymarkShell does not export (alias it in Models.swift)")
    print(f"symbols: {calls} core calls and every record, field and case they reach checked against the generated Swift"
          f" ({len(api.methods)} methods, {len(api.functions)} functions, {len(api.records)} records, {len(api.enums)} enums)")


def balanced(source, at, opening, closing):
    """The text inside the bracket at `at` and the index after its match."""
    depth = 0
    for index in range(at, len(source)):
        depth += {opening: 1, closing: -1}.get(source[index], 0)
        if depth == 0:
            return source[at + 1:index], index + 1
    raise ValueError(f"unbalanced {opening}")


def kotlin_screens():
    """Kotlin: holder -> (state fields, actions)."""
    screens = {}
    for path in sorted(KOTLIN_SCREENS.glob("*Holder.kt")):
        if path.stem == "StateHolder":
            continue
        source = path.read_text()
        start = re.search(r"data class \w+State\(", source)
        fields = set()
        if start:
            params, end = balanced(source, start.end() - 1, "(", ")")
            fields = set(re.findall(r"\bval (\w+):", params))
            rest = source[end:].lstrip()
            if rest.startswith("{"):
                body, _ = balanced(rest, 0, "{", "}")
                fields |= set(re.findall(r"^\s*(?:val|fun) (\w+)", body, re.M))
        holder = source[source.find("\nclass "):]
        actions = set(re.findall(r"^    (?:suspend )?fun (\w+)\(", holder, re.M)) - {"showing"}
        screens[path.stem.removesuffix("Holder")] = (fields, actions)
    return screens


def swift_screens():
    screens = {}
    for path in sorted((SHELL / "Screens").glob("*Model.swift")):
        if path.stem == "ScreenModel":
            continue
        source = path.read_text()
        state = re.search(r"public struct (\w+State): ScreenState \{(.*?)\n\}", source, re.S)
        fields = set(re.findall(r"^    public (?:var|let|func) (\w+)", state.group(2), re.M)) if state else set()
        model = source[source.find("public final class"):]
        actions = set(re.findall(r"^    public func (\w+)\(", model, re.M)) - {"eventHandled"}
        screens[path.stem.removesuffix("Model")] = (fields, actions)
    return screens


def check_parity():
    kotlin, swift = kotlin_screens(), swift_screens()
    for screen in sorted(kotlin.keys() - swift.keys()):
        fail("ios/WaymarkShell", f"no Swift model for Android's {screen}Holder")
    for screen in sorted(swift.keys() - kotlin.keys()):
        fail("ios/WaymarkShell", f"{screen}Model has no Android state holder")
    for screen in sorted(kotlin.keys() & swift.keys()):
        (k_fields, k_actions), (s_fields, s_actions) = kotlin[screen], swift[screen]
        if k_fields != s_fields:
            fail(f"{screen}State", f"fields differ: Kotlin only {sorted(k_fields - s_fields)}, Swift only {sorted(s_fields - k_fields)}")
        if k_actions != s_actions:
            fail(f"{screen}Model", f"actions differ: Kotlin only {sorted(k_actions - s_actions)}, Swift only {sorted(s_actions - k_actions)}")
    fields = sum(len(f) for f, _ in kotlin.values())
    actions = sum(len(a) for _, a in kotlin.values())
    print(f"parity: {len(kotlin)} screens, {fields} state fields and {actions} actions alike in Kotlin and Swift")


def interpolated(literal):
    """A literal with each `\\(...)` (parentheses balanced) as %@, as LocalizedStringKey makes its key."""
    out, index = "", 0
    while index < len(literal):
        if literal.startswith("\\(", index):
            depth, index = 1, index + 2
            while index < len(literal) and depth:
                depth += {"(": 1, ")": -1}.get(literal[index], 0)
                index += 1
            out += "%@"
        else:
            out += literal[index]
            index += 1
    return out


def check_resources():
    for name in ("Info.plist", "PrivacyInfo.xcprivacy"):
        try:
            plistlib.loads((APP / name).read_bytes())
        except Exception as error:  # noqa: BLE001 - any parse failure is the finding
            fail(f"ios/WaymarkApp/{name}", f"does not parse as a plist: {error}")
    privacy = plistlib.loads((APP / "PrivacyInfo.xcprivacy").read_bytes())
    if privacy.get("NSPrivacyTracking") is not False or privacy.get("NSPrivacyTrackingDomains"):
        fail("PrivacyInfo.xcprivacy", "Waymark tracks no one: NSPrivacyTracking false, no tracking domains")
    info = plistlib.loads((APP / "Info.plist").read_bytes())
    if "app.waymark.refresh" not in info.get("BGTaskSchedulerPermittedIdentifiers", []):
        fail("Info.plist", "the background refresh task is not permitted")
    project = yaml.safe_load((IOS / "project.yml").read_text())
    if project.get("options", {}).get("deploymentTarget", {}).get("iOS") != "17.0":
        fail("project.yml", "the app targets iOS 17")
    catalog = json.loads((APP / "Localizable.xcstrings").read_text())
    strings = catalog["strings"]
    for key, entry in strings.items():
        languages = set(entry.get("localizations", {}))
        if not {"en", "es"} <= languages:
            fail("Localizable.xcstrings", f"{key!r} lacks {sorted({'en', 'es'} - languages)}")
    # Every dotted lower-case literal in the app is a key (`Text("home.today")`, `String(localized: "erase.word")`);
    # an interpolation in one stands for a %@ argument.
    used = set()
    for path in APP.rglob("*.swift"):
        source = re.sub(r"systemImage:[^)\n]*", "", path.read_text())
        for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', source):
            key = interpolated(literal)
            if re.fullmatch(r"[a-z]+\.[a-z][\w.]*( %@)*", key) and not key.startswith(("app.waymark", "waymark.")):
                used.add(key)
    for key in sorted(used - strings.keys()):
        fail("Localizable.xcstrings", f"{key!r} is used in a view and missing")
    for key in sorted(strings.keys() - used):
        fail("Localizable.xcstrings", f"{key!r} is never used")
    print(f"resources: Info.plist and PrivacyInfo parse; project.yml parses; {len(strings)} strings in English and Spanish, all used, none missing")


def check_shell_rules():
    for path in hand_written():
        source = path.read_text()
        if "try!" in source:
            fail(path.relative_to(ROOT), "try!: a core error would crash the app")
        if SHELL in path.parents and re.search(r"^import (SwiftUI|UIKit)$", source, re.M):
            fail(path.relative_to(ROOT), "WaymarkShell imports a UI framework")
        if APP in path.parents and re.search(r"^import WaymarkCore$", source, re.M):
            fail(path.relative_to(ROOT), "the app imports the core: it calls it only through WaymarkShell")
    print("rules: no try!; WaymarkShell imports no UI framework; the app imports the shell, never the core")


SELF_TEST = {
    "renamed label": ("func f(p: Profile) async { _ = await p.attempt { try $0.home(when: Date(), zone: \"UTC\") } }", "labels"),
    "missing try": ("func f(p: Profile) async { _ = await p.attempt { $0.home(now: Date(), zone: \"UTC\") } }", "without try"),
    "unknown method": ("func f(p: Profile) async { _ = await p.attempt { try $0.homeScreen(now: Date(), zone: \"UTC\") } }", "no method"),
    "unknown field": ("func f(h: Home) { print(h.nextAppointment) }", "has no field"),
    "optional passed": ("func f(p: Profile, z: String?) async { _ = await p.attempt { try $0.home(now: Date(), zone: z) } }", "is optional"),
    "nil passed": ("func f() { _ = CheckInDraft(valence: nil, zone: \"UTC\") }", "nil for valence"),
    "string for a number": ("func f() { _ = CheckInDraft(valence: \"3\", zone: \"UTC\") }", "a string for valence"),
    "missing argument": ("func f() { _ = CheckInDraft(valence: 1) }", "missing argument zone:"),
    "unknown case": ("func f() { _ = Instrument.phq12 }", "has no case"),
    "case labels": ("func f() { _ = Route.appointment(appointmentId: \"a\") }", "labels"),
    "field through guard let": ("func f(p: Profile) async { guard let home = await core({ try $0.home(now: Date(), zone: \"UTC\") }) else { return }; print(home.today.entriez) }", "has no field"),
    "field through ForEach": ("func f(rows: [JournalRow]) { ForEach(rows) { row in Text(row.previewText) } }", "has no field"),
}


def self_test(api):
    declarations = symbols.Declarations()
    for name, (code, expected) in SELF_TEST.items():
        tree = SWIFT.parse(code.encode())
        if parse_errors(tree):
            fail("self-test", f"{name}: the sample does not parse")
            continue
        found = symbols.Checker(api, declarations).check(tree)
        if not any(expected in p.message for p in found):
            fail("self-test", f"the symbol check missed a {name}: {code} (found {[p.message for p in found]})")
    clean = ('func f(p: Profile) async { guard let home = await core({ try $0.home(now: Date(), zone: "UTC") }) else { return }; '
             'print(home.today.entries); _ = CheckInDraft(valence: 1, zone: "UTC"); _ = Route.appointment(id: "a") }')
    found = symbols.Checker(api, declarations).check(SWIFT.parse(clean.encode()))
    if found:
        fail("self-test", f"the symbol check flags correct code: {[p.message for p in found]}")
    print(f"self-test: the symbol check catches all {len(SELF_TEST)} kinds of broken call and passes a correct one")


def main():
    generated = [ROOT / "target" / "bindings-test" / "swift" / "waymark.swift", ROOT / "target" / "bindings-test" / "swift" / "waymark_core.swift"]
    api = swift_api.load(generated)
    self_test(api)
    if "--self-test" not in sys.argv:
        trees = check_parses()
        check_symbols(api, trees)
        check_parity()
        check_resources()
        check_shell_rules()
    for failure in failures:
        print("FAIL " + failure, file=sys.stderr)
    print(f"ios checks: {'all passed' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
