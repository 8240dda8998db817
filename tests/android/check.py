#!/usr/bin/env python3
"""Static checks of android/ on a machine with no Android SDK, Gradle or network
to Google's Maven (tests/android/run.sh installs the parsers):

- tree-sitter-kotlin parses every hand-written Kotlin file and .gradle.kts file;
- the manifest and every resource XML parse, and the version catalog's TOML;
- every `libs.*` a build file names is in the catalog;
- strings.xml in values/ and values-es/ have the same keys and placeholders,
  and every string the code names exists and every string is used;
- the manifest keeps the data on the phone (no backup, no device transfer),
  every PendingIntent is immutable, and notifications keep the lock screen neutral;
- android/app holds no rule the core has: it imports the shell, never the core
  or its bindings; it does no date arithmetic; it compares no clinical value
  with a number and does no arithmetic on one (but in its one drawing file);
- every screen's state holder in android/shell has a route in android/app.

`--self-test` runs the rule check on code that breaks each rule, to show it fails.
"""
import pathlib
import re
import sys
import tomllib
import xml.etree.ElementTree as ET

import tree_sitter_kotlin
from tree_sitter import Language, Parser

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from parsing import parse_errors  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
ANDROID = ROOT / "android"
APP = ANDROID / "app" / "src" / "main"
SHELL = ANDROID / "shell" / "src" / "main" / "kotlin" / "app" / "waymark" / "shell"
KOTLIN = Parser(Language(tree_sitter_kotlin.language()))
ANDROID_NS = "{http://schemas.android.com/apk/res/android}"

# Values the core computes rules on: a comparison of one with a number, or
# arithmetic on one, is a rule the app must not hold.
CLINICAL = {
    "total", "score", "valence", "meanValence", "rollingValence7d", "severity", "systolic", "diastolic",
    "heartRate", "answer", "answers", "item9Answer", "energy", "anxiety", "sleepHours", "reductionPercent",
    "change", "everyDays", "dueAt", "fireAt", "startsAt", "from", "until",
}
# java.time arithmetic: the core does every date and time computation.
DATE_ARITHMETIC = re.compile(r"^(plus|minus)(Nanos|Millis|Seconds|Minutes|Hours|Days|Weeks|Months|Years)?$|^(until|between|truncatedTo|with(Hour|Minute|Second|DayOf\w+))$")
DATE_TYPES = {"LocalDate", "LocalDateTime", "LocalTime", "ZonedDateTime", "OffsetDateTime", "Period", "ChronoUnit"}
# The one file that may scale a value for drawing, and why.
DRAWING = {"ui/Chart.kt": "turns a valence from -3 to +3 into a bar's height"}

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def kotlin_files():
    hand_written = [p for p in ANDROID.rglob("*.kt") if "build" not in p.relative_to(ANDROID).parts]
    return sorted(hand_written), sorted(ANDROID.rglob("*.gradle.kts"))


def check_parses():
    sources, scripts = kotlin_files()
    trees = {}
    for path in sources + scripts:
        source = path.read_bytes()
        tree = KOTLIN.parse(source)
        errors = parse_errors(tree)
        if errors:
            line, column = errors[0].start_point
            fail(path.relative_to(ROOT), f"{len(errors)} parse errors, first at {line + 1}:{column + 1}")
        trees[path] = (source, tree)
    print(f"tree-sitter-kotlin: {len(sources)} Kotlin files and {len(scripts)} Gradle scripts parsed")
    return trees


def check_xml():
    files = [APP / "AndroidManifest.xml"] + sorted((APP / "res").rglob("*.xml"))
    for path in files:
        try:
            ET.parse(path)
        except ET.ParseError as error:
            fail(path.relative_to(ROOT), f"XML does not parse: {error}")
    print(f"XML: {len(files)} files parsed (the manifest and every resource)")


def check_catalog():
    catalog = tomllib.loads((ANDROID / "gradle" / "libs.versions.toml").read_text())
    versions = catalog["versions"]
    for section in ("libraries", "plugins"):
        for name, entry in catalog[section].items():
            ref = entry.get("version", {}).get("ref") if isinstance(entry, dict) and isinstance(entry.get("version"), dict) else None
            if ref and ref not in versions:
                fail("gradle/libs.versions.toml", f"{name} names the missing version {ref}")
    aliases = {"libs." + name.replace("-", ".") for name in catalog["libraries"]}
    aliases |= {"libs.plugins." + name.replace("-", ".") for name in catalog["plugins"]}
    used = 0
    for script in ANDROID.rglob("*.gradle.kts"):
        for alias in re.findall(r"\blibs\.[a-z0-9.]+[a-z0-9]", script.read_text()):
            used += 1
            if alias not in aliases:
                fail(script.relative_to(ROOT), f"{alias} is not in the version catalog")
    wrapper = (ANDROID / "gradle" / "wrapper" / "gradle-wrapper.properties").read_text()
    if not re.search(r"^distributionSha256Sum=[0-9a-f]{64}$", wrapper, re.M):
        fail("gradle-wrapper.properties", "no distributionSha256Sum")
    print(f"TOML: the version catalog parsed; {used} uses of it in the build files all resolve; the wrapper has a checksum")


def strings(path):
    root = ET.parse(path).getroot()
    found = {}
    for element in root:
        if element.get("translatable") == "false":
            continue
        if element.tag == "string":
            found[element.get("name")] = [element.text or ""]
        elif element.tag == "plurals":
            found[element.get("name")] = [item.text or "" for item in element]
    return found


def placeholders(texts):
    return sorted(set(re.findall(r"%\d+\$[sd]", " ".join(texts))))


def check_strings():
    english = strings(APP / "res" / "values" / "strings.xml")
    spanish = strings(APP / "res" / "values-es" / "strings.xml")
    for key in sorted(english.keys() - spanish.keys()):
        fail("values-es/strings.xml", f"{key} has no Spanish")
    for key in sorted(spanish.keys() - english.keys()):
        fail("values-es/strings.xml", f"{key} is not in values/")
    for key in sorted(english.keys() & spanish.keys()):
        if placeholders(english[key]) != placeholders(spanish[key]):
            fail("values-es/strings.xml", f"{key}: placeholders {placeholders(spanish[key])}, not {placeholders(english[key])}")
    every = set(english) | {e.get("name") for e in ET.parse(APP / "res" / "values" / "strings.xml").getroot()}
    code = "\n".join(p.read_text() for p in (APP / "kotlin").rglob("*.kt"))
    named = set(re.findall(r"R\.(?:string|plurals)\.(\w+)", code)) | set(re.findall(r"@string/(\w+)", (APP / "AndroidManifest.xml").read_text()))
    for key in sorted(named - every):
        fail("android/app", f"R.string.{key} is not in values/strings.xml")
    for key in sorted(every - named):
        fail("values/strings.xml", f"{key} is never used")
    print(f"strings: {len(english)} keys in English and Spanish, placeholders alike, all used, none missing")


def check_manifest_and_platform():
    manifest = ET.parse(APP / "AndroidManifest.xml").getroot()
    application = manifest.find("application")
    if application.get(ANDROID_NS + "allowBackup") != "false":
        fail("AndroidManifest.xml", 'allowBackup must be "false"')
    if not application.get(ANDROID_NS + "dataExtractionRules"):
        fail("AndroidManifest.xml", "no dataExtractionRules: Android 12+ device transfer would copy the database")
    rules = ET.parse(APP / "res" / "xml" / "data_extraction_rules.xml").getroot()
    for part in ("cloud-backup", "device-transfer"):
        excluded = {e.get("domain") for e in rules.findall(f"{part}/exclude")}
        if not {"root", "file", "database", "sharedpref", "external"} <= excluded:
            fail("data_extraction_rules.xml", f"{part} does not exclude every domain")
    permissions = {p.get(ANDROID_NS + "name") for p in manifest.findall("uses-permission")}
    if "android.permission.USE_EXACT_ALARM" in permissions:
        fail("AndroidManifest.xml", "USE_EXACT_ALARM is for alarm and calendar apps; ask for SCHEDULE_EXACT_ALARM")
    for path in (APP / "kotlin").rglob("*.kt"):
        text = path.read_text()
        for call in re.finditer(r"PendingIntent\.get(Activity|Broadcast|Service)\(([^\n]*)", text):
            if "FLAG_IMMUTABLE" not in call.group(2):
                fail(path.relative_to(ROOT), "a PendingIntent without FLAG_IMMUTABLE")
        if "NotificationCompat.Builder" in text and ("setPublicVersion" not in text or "VISIBILITY_PRIVATE" not in text):
            fail(path.relative_to(ROOT), "a notification without VISIBILITY_PRIVATE and a neutral public version")
    print("manifest: no backup or device transfer, no USE_EXACT_ALARM; PendingIntents immutable; notifications private on the lock screen")


def identifiers(node):
    stack, names = [node], set()
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            names.add(current.text.decode())
        stack.extend(current.children)
    return names


def is_number(node):
    return node.type in ("number_literal", "integer_literal", "real_literal", "unsigned_literal") or (
        node.type in ("unary_expression", "prefix_expression") and any(is_number(c) for c in node.children)
    )


def concatenates(node):
    """A `+` chain with a string in it joins text for display."""
    operands = [c for c in node.children if c.is_named]
    return operator(node) == "+" and any(
        c.type == "string_literal" or (c.type == "binary_expression" and concatenates(c)) for c in operands
    )


def operator(node):
    """A binary expression's operator (tree-sitter-kotlin 1.1 names every one `binary_expression`)."""
    tokens = [c.type for c in node.children if not c.is_named]
    return tokens[0] if tokens else ""


def rule_problems(source, tree, drawing=False):
    """What in one file is a rule the core has, as (line, message)."""
    problems, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        line = node.start_point[0] + 1
        if node.type in ("import", "import_header"):
            name = node.text.decode().removeprefix("import").strip()
            if re.match(r"app\.waymark\.(core(\.|$)|[A-Za-z]\w*$)", name):
                problems.append((line, f"imports the core ({name}): the app calls it only through android/shell"))
        elif node.type == "call_expression":
            callee = node.children[0]
            name = callee.children[-1].text.decode() if callee.type == "navigation_expression" else callee.text.decode()
            if DATE_ARITHMETIC.match(name):
                problems.append((line, f"date arithmetic ({name}): the core computes every date and time"))
        elif node.type == "identifier" and node.text.decode() in DATE_TYPES:
            problems.append((line, f"{node.text.decode()}: dates are the core's; the app only formats instants"))
        elif node.type == "binary_expression":
            clinical = identifiers(node) & CLINICAL
            op = operator(node)
            if not clinical:
                continue
            if op in ("<", ">", "<=", ">=") and not drawing:
                problems.append((line, f"compares a clinical value ({', '.join(sorted(clinical))}): {node.text.decode()}"))
            elif op in ("==", "!=") and any(is_number(c) for c in node.children):
                problems.append((line, f"compares a clinical value with a number ({node.text.decode()})"))
            elif op in ("+", "-", "*", "/", "%") and not drawing and not concatenates(node):
                problems.append((line, f"arithmetic on a clinical value ({node.text.decode()})"))
    return problems


def check_rules(trees):
    app_kotlin = APP / "kotlin" / "app" / "waymark" / "android"
    count = 0
    for path, (source, tree) in trees.items():
        if app_kotlin not in path.parents:
            continue
        count += 1
        relative = path.relative_to(app_kotlin).as_posix()
        for line, message in rule_problems(source, tree, drawing=relative in DRAWING):
            fail(f"{path.relative_to(ROOT)}:{line}", message)
    holders = sorted(p.stem for p in (SHELL / "screens").glob("*Holder.kt") if p.stem != "StateHolder")
    app_code = "\n".join(p.read_text() for p in app_kotlin.rglob("*.kt"))
    for holder in holders:
        if not re.search(rf"\b{holder}\(", app_code):
            fail("android/app", f"no screen makes a {holder}")
    print(f"rules: {count} files of android/app import only the shell, do no date arithmetic and hold no clinical threshold"
          f" ({', '.join(f'{k}: {v}' for k, v in DRAWING.items())}); all {len(holders)} state holders have a screen")


SELF_TEST = {
    "import app.waymark.core.Assessment\n": "imports the core",
    "import app.waymark.Waymark\n": "imports the core",
    "fun f(a: Assessment) = a.total >= 10\n": "compares a clinical value",
    "fun f(p: Point) = p.valence == -3\n": "compares a clinical value with a number",
    "fun f(s: Score) = s.score * 2\n": "arithmetic on a clinical value",
    "fun f(r: Reading) = r.systolic + r.diastolic\n": "arithmetic on a clinical value",
    "fun f(i: java.time.Instant) = i.plusSeconds(60)\n": "date arithmetic",
    "fun f() = LocalDate.now()\n": "dates are the core's",
    "fun f(a: Appointment) = a.startsAt.minus(d)\n": "date arithmetic",
}


def self_test():
    for code, expected in SELF_TEST.items():
        found = rule_problems(code.encode(), KOTLIN.parse(code.encode()))
        if not any(expected in message for _, message in found):
            fail("self-test", f"the rule check missed {expected!r} in {code.strip()!r} (found {found})")
    clean = 'fun f(s: State) = s.valence == step.valence && home.pendingShares > 0u && t(p.takenAt) + " · " + p.total\n'
    if rule_problems(clean.encode(), KOTLIN.parse(clean.encode())):
        fail("self-test", f"the rule check flags clean code: {clean.strip()}")
    print(f"self-test: the rule check catches all {len(SELF_TEST)} broken rules and passes clean code")


def main():
    self_test()
    if "--self-test" in sys.argv:
        return report()
    trees = check_parses()
    check_xml()
    check_catalog()
    check_strings()
    check_manifest_and_platform()
    check_rules(trees)
    return report()


def report():
    for failure in failures:
        print("FAIL " + failure, file=sys.stderr)
    print(f"android checks: {'all passed' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
