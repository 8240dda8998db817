"""The core's Swift API as uniffi generated it: top-level functions, the
`Waymark` object's methods, records with their fields and initialisers, and
enums with their cases. Read from the generated files with patterns that
match uniffi 0.32's output; `load` fails loudly if they find too little."""
import re
from dataclasses import dataclass, field


@dataclass
class Param:
    label: str
    type: str
    has_default: bool = False


@dataclass
class Function:
    name: str
    params: list
    throws: bool
    returns: str


@dataclass
class Api:
    functions: dict = field(default_factory=dict)   # top-level: name -> Function
    methods: dict = field(default_factory=dict)     # Waymark's: name -> Function
    statics: dict = field(default_factory=dict)     # Waymark.open
    records: dict = field(default_factory=dict)     # name -> {"fields": {name: type}, "init": [Param]}
    enums: dict = field(default_factory=dict)       # name -> {case: [labels]}
    aliases: dict = field(default_factory=dict)     # Zone -> String
    protocols: dict = field(default_factory=dict)   # HttpTransport -> {name: Function}

    def type_names(self):
        return set(self.records) | set(self.enums) | set(self.aliases) | set(self.protocols) | {"Waymark", "WaymarkProtocol"}


def strip_docs(text):
    return re.sub(r"/\*\*.*?\*/", "", text, flags=re.S)


def split_params(text):
    """`a: Int, b: [String: Int] = [:]` into Params, minding brackets."""
    params, depth, current = [], 0, ""
    for char in text:
        if char in "[(<":
            depth += 1
        elif char in "])>":
            depth -= 1
        if char == "," and depth == 0:
            params.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        params.append(current)
    found = []
    for raw in params:
        raw = raw.strip()
        label, _, rest = raw.partition(":")
        type_, _, default = rest.partition("=")
        found.append(Param(label.strip(), type_.strip(), bool(default.strip())))
    return found


FUNC = re.compile(r"func `?(\w+)`?\((.*?)\)\s*(throws)?\s*(?:->\s*([^{\n]+))?", re.S)


def functions_in(text):
    found = {}
    for match in FUNC.finditer(text):
        name, params, throws, returns = match.groups()
        found[name] = Function(name, split_params(params), bool(throws), (returns or "Void").strip())
    return found


def block(text, start):
    """The text of the `{ ... }` block opening at or after `start`."""
    open_at = text.index("{", start)
    depth = 0
    for index in range(open_at, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[open_at + 1:index]
    raise ValueError("unbalanced block")


def load(paths):
    api = Api()
    for path in paths:
        text = strip_docs(open(path, encoding="utf-8").read())
        for match in re.finditer(r"^public func (\w+)\(", text, re.M):
            if match.group(1).startswith(("FfiConverter", "uniffi")):
                continue
            api.functions.update(functions_in(text[match.start():text.index("{", match.start())]))
        for match in re.finditer(r"^public protocol (\w+)[^{]*\{", text, re.M):
            methods = functions_in(block(text, match.start()))
            if match.group(1) == "WaymarkProtocol":
                api.methods = methods
            else:
                api.protocols[match.group(1)] = methods
        for match in re.finditer(r"^public static func `?open`?\(.*", text, re.M):
            api.statics.update(functions_in(match.group(0)))
        for match in re.finditer(r"^public struct (\w+)[^{]*\{", text, re.M):
            name = match.group(1)
            if name.startswith("FfiConverter"):
                continue
            body = block(text, match.start())
            fields = dict(re.findall(r"^\s*public (?:var|let) (\w+): ([^\n]+)", body, re.M))
            init = re.search(r"public init\((.*?)\)\s*\{", body, re.S)
            api.records[name] = {"fields": {k: v.strip() for k, v in fields.items()}, "init": split_params(init.group(1)) if init else []}
        for match in re.finditer(r"^public\s*(?:indirect\s*)?enum (\w+)[^{]*\{", text, re.M):
            body = block(text, match.start())
            cases = {}
            for case in re.finditer(r"^\s*case (\w+)(?:\((.*?)\))?\s*$", body, re.M | re.S):
                labels = [p.label for p in split_params(case.group(2))] if case.group(2) else []
                cases[case.group(1)] = labels
            api.enums[match.group(1)] = cases
        for match in re.finditer(r"^public typealias (\w+) = (\w+)", text, re.M):
            api.aliases[match.group(1)] = match.group(2)
    if len(api.methods) < 50 or len(api.records) < 50 or len(api.enums) < 20 or "open" not in api.statics:
        raise SystemExit(f"the generated Swift did not read as expected: {len(api.methods)} methods, "
                         f"{len(api.records)} records, {len(api.enums)} enums; has uniffi's output changed shape?")
    return api
