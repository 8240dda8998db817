"""Checks every core call in hand-written Swift against the generated Swift,
as a compiler would for these mistakes: a function, method, initialiser,
argument label, record field or enum case that does not exist; a throwing
call without `try`; and a value of a visibly wrong kind (nil, an optional, a
string or a number where the parameter takes none).

Types are followed only as far as the code shows them: declared types,
records built or returned by core calls, `guard let` and `if let` of those,
loop and closure parameters over their arrays, `self`'s properties and the
screen models' states. Where a type cannot be known the check says nothing
rather than guess."""
import re
from dataclasses import dataclass

import swift_api

SCOPES = ("function_declaration", "lambda_literal", "computed_property", "init_declaration", "class_body", "source_file")
# Calls whose closure gets the profile's object (or the calls without one) as its parameter.
CORE_CLOSURES = {"attempt": "WaymarkProtocol", "call": "WaymarkProtocol", "run": "WaymarkProtocol", "core": "WaymarkProtocol",
                 "changed": "WaymarkProtocol", "shown": "WaymarkProtocol", "library": "Core", "withoutProfile": "Core"}
COLLECTION_METHODS = {"forEach", "map", "compactMap", "flatMap", "filter", "first", "contains", "sorted", "allSatisfy", "last", "min", "max"}


@dataclass
class Problem:
    line: int
    message: str


def text(node):
    return node.text.decode()


def strip_optional(type_):
    if type_ is None:
        return None
    type_ = type_.strip()
    while type_.endswith(("?", "!")):
        type_ = type_[:-1].strip()
    return type_


def is_optional(type_):
    return type_ is not None and type_.strip().endswith("?")


def element(type_):
    type_ = strip_optional(type_)
    if type_ is None:
        return None
    match = re.fullmatch(r"\[([^:\]]+)\]|Set<(.+)>|Array<(.+)>", type_)
    return next((g for g in match.groups() if g), None) if match else None


class Declarations:
    """The hand-written types: their properties (with types where written) and methods."""

    def __init__(self):
        self.members = {}   # type -> {member: type or "func" or None}; an enum's cases are members of its own type

    def add_file(self, tree):
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.type not in ("class_declaration", "protocol_declaration"):
                continue
            name_node = node.child_by_field_name("name")
            if name_node is None:
                continue
            name = text(name_node)
            members = self.members.setdefault(name, {})
            body = next((c for c in node.children if c.type in ("class_body", "enum_class_body", "protocol_body")), None)
            if body is None:
                continue
            for member in body.children:
                if member.type == "property_declaration":
                    pattern = member.child_by_field_name("name")
                    annotation = next((c for c in member.children if c.type == "type_annotation"), None)
                    value = next((c for c in member.children if c.type == "call_expression"), None)
                    type_ = text(annotation)[1:].strip() if annotation else (text(value.children[0]) if value else None)
                    if pattern is not None:
                        members[text(pattern)] = type_
                elif member.type in ("function_declaration", "protocol_function_declaration"):
                    members[text(member.child_by_field_name("name"))] = "func"
                elif member.type == "enum_entry":
                    for case in member.children:
                        if case.type == "simple_identifier":
                            members[text(case)] = name


class Checker:
    def __init__(self, api, declarations):
        self.api = api
        self.declared = declarations
        self.problems = []
        self.bound = {}  # a closure's span -> the type of its first parameter (or $0)
        self.visible = None

    # -- types -----------------------------------------------------------
    def core_name(self, name):
        """The core's type a name means in this file: any core name where the file imports
        WaymarkCore, else only the shell's aliases (the app sees the core through them)."""
        if name is None:
            return None
        if self.visible is not None:
            return self.visible.get(name)
        return name if name in self.api.type_names() else None

    def resolve(self, type_):
        type_ = strip_optional(type_)
        if type_ and type_.startswith("WaymarkCore."):
            type_ = type_[len("WaymarkCore."):]
        if not type_ or type_.startswith("type:"):
            return type_
        # A declared type may be written in the shell's own words (the core's names) or the app's (the aliases).
        core = self.core_name(type_) or (type_ if type_ in self.api.type_names() and type_ not in self.declared.members else None)
        if core is None:
            return type_ if type_ in self.declared.members else None
        return self.api.aliases.get(core, core)

    def is_record(self, type_):
        return self.resolve(type_) in self.api.records

    def member_type(self, owner, member, line):
        """The type of `owner.member`, reporting a member a core record or enum does not have."""
        owner = self.resolve(owner)
        if owner is None:
            return None
        if owner.startswith("type:"):
            name = owner[5:]
            if name in self.api.enums:
                if member in self.api.enums[name]:
                    return name
                if member not in self.declared.members.get(name, {}):
                    self.problem(line, f"{name} has no case {member}")
                return None
            return self.declared.members.get(name, {}).get(member)
        if owner in self.api.records:
            fields = self.api.records[owner]["fields"]
            if member in fields:
                return fields[member]
            if member not in self.declared.members.get(owner, {}) and member not in ("hashValue",):
                self.problem(line, f"{owner} has no field {member}")
            return None
        if owner in self.declared.members:
            members = self.declared.members[owner]
            if member in members:
                found = members[member]
                return None if found == "func" else found
            return None
        return None

    def type_of(self, node, scope):
        if node is None:
            return None
        kind = node.type
        if kind in ("try_expression", "await_expression", "parenthesized_expression"):
            inner = [c for c in node.children if c.is_named and c.type != "try_operator"]
            return self.type_of(inner[-1], scope) if inner else None
        if kind == "simple_identifier":
            name = text(node)
            if name in scope:
                return scope[name]
            if self.core_name(name):
                return "type:" + self.core_name(name)
            if name in self.declared.members:
                return "type:" + name
            return None
        if kind == "self_expression":
            return scope.get("self")
        if kind == "navigation_expression":
            base, suffix = node.children[0], node.children[-1]
            member = text(suffix).lstrip(".").strip()
            if not re.fullmatch(r"\w+", member):
                return None
            return self.member_type(self.type_of(base, scope), member, node.start_point[0] + 1)
        if kind == "call_expression":
            return self.call(node, scope)
        if kind == "line_string_literal":
            return "String"
        if kind in ("integer_literal",):
            return "Int"
        if kind == "boolean_literal":
            return "Bool"
        return None

    # -- calls -----------------------------------------------------------
    def arguments(self, call):
        suffix = next((c for c in call.children if c.type == "call_suffix"), None)
        if suffix is None:
            return [], None
        values = next((c for c in suffix.children if c.type == "value_arguments"), None)
        lambdas = [c for c in suffix.children if c.type in ("lambda_literal", "annotated_lambda")]
        found = []
        for argument in (values.children if values else []):
            if argument.type != "value_argument":
                continue
            label = next((c for c in argument.children if c.type == "value_argument_label"), None)
            value = [c for c in argument.children if c.is_named and c.type != "value_argument_label"]
            found.append((text(label) if label else None, value[-1] if value else None))
        return found, (lambdas[0] if lambdas else None)

    def check_arguments(self, call, function, arguments, scope, what):
        line = call.start_point[0] + 1
        labels = [label for label, _ in arguments]
        params = function.params if hasattr(function, "params") else function
        # Unlabelled parameters (`_`) do not occur in uniffi's output: every argument is labelled.
        remaining = list(params)
        for label, value in arguments:
            while remaining and remaining[0].label != label and remaining[0].has_default:
                remaining.pop(0)
            if not remaining or remaining[0].label != label:
                expected = ", ".join(f"{p.label}:" for p in params)
                self.problem(line, f"{what}: labels ({', '.join(f'{l}:' for l in labels)}) do not match ({expected})")
                return
            param = remaining.pop(0)
            self.check_kind(value, param, scope, line, what)
        missing = [p.label for p in remaining if not p.has_default]
        if missing:
            self.problem(line, f"{what}: missing argument {', '.join(m + ':' for m in missing)}")

    def check_kind(self, value, param, scope, line, what):
        if value is None:
            return
        wanted = param.type
        optional = is_optional(wanted)
        plain = strip_optional(wanted)
        base = self.api.aliases.get(plain, plain)
        if value.type == "nil_literal" and not optional:
            self.problem(line, f"{what}: nil for {param.label}, which takes a {wanted}")
        elif value.type == "line_string_literal" and base != "String":
            self.problem(line, f"{what}: a string for {param.label}, which takes a {wanted}")
        elif value.type in ("integer_literal", "real_literal") and base in ("String", "Bool", "Date", "Data"):
            self.problem(line, f"{what}: a number for {param.label}, which takes a {wanted}")
        elif not optional:
            found = self.type_of(value, scope)
            if is_optional(found):
                self.problem(line, f"{what}: {text(value)} is optional ({found}), but {param.label} takes a {wanted}")

    def has_try(self, node):
        current = node.parent
        while current is not None and current.type not in ("lambda_literal", "function_declaration", "computed_property"):
            if current.type == "try_expression":
                return True
            current = current.parent
        return False

    def call(self, node, scope):
        callee = node.children[0]
        arguments, trailing = self.arguments(node)
        line = node.start_point[0] + 1
        name = text(callee.children[-1]).lstrip(".").strip() if callee.type == "navigation_expression" else text(callee)
        if name in CORE_CLOSURES:
            for closure in [value for _, value in arguments if value is not None and value.type == "lambda_literal"] + ([trailing] if trailing else []):
                self.bind_closure(closure, CORE_CLOSURES[name])
        if callee.type == "navigation_expression":
            receiver, member = callee.children[0], text(callee.children[-1]).lstrip(".").strip()
            receiver_type = self.resolve(self.type_of(receiver, scope))
            function = None
            if receiver_type in ("WaymarkProtocol", "Waymark"):
                function = self.api.methods.get(member)
                if function is None:
                    self.problem(line, f"Waymark has no method {member}")
                    return None
            elif receiver_type == "type:WaymarkCore":
                function = self.api.functions.get(member)
                if function is None:
                    self.problem(line, f"the core has no function {member}")
                    return None
            elif receiver_type == "type:Waymark" and member[:1].isupper():
                return None  # a nested type (Waymark.NoHandle)
            elif receiver_type == "type:Waymark":
                function = self.api.statics.get(member)
                if function is None:
                    self.problem(line, f"Waymark has no static {member}")
                    return None
            elif receiver_type and receiver_type.startswith("type:") and receiver_type[5:] in self.api.enums:
                enum = receiver_type[5:]
                cases = self.api.enums[enum]
                if member not in cases:
                    if member not in self.declared.members.get(enum, {}):
                        self.problem(line, f"{enum} has no case {member}")
                    return None
                given = [label for label, _ in arguments]
                if given != cases[member]:
                    self.problem(line, f"{enum}.{member}: labels ({', '.join(str(g) + ':' for g in given)}) do not match ({', '.join(c + ':' for c in cases[member])})")
                return enum
            elif receiver_type == "Core":
                # The shell's Core protocol mirrors the top-level functions, and `open` gives the profile's object.
                if member == "open":
                    function = self.api.statics["open"]
                    function = swift_api.Function("open", function.params, True, "WaymarkProtocol")
                else:
                    function = self.api.functions.get(member)
                    if function is None:
                        self.problem(line, f"the core has no function {member}")
                        return None
            elif receiver_type in self.api.protocols and member in self.api.protocols[receiver_type]:
                function = self.api.protocols[receiver_type][member]
            if function is not None:
                self.check_arguments(node, function, arguments, scope, f"{member}(...)")
                if function.throws and not self.has_try(node):
                    self.problem(line, f"{member}(...) throws, and is called without try")
                return function.returns
            if member in ("attempt", "withoutProfile"):
                closure = next((v for _, v in arguments if v is not None and v.type == "lambda_literal"), trailing)
                if closure is not None:
                    if closure.type == "annotated_lambda":
                        closure = next((c for c in closure.children if c.type == "lambda_literal"), closure)
                    inner = self.closure_result(closure, CORE_CLOSURES[member], scope)
                    return f"Result<{inner}>" if inner else None
            if member in COLLECTION_METHODS and trailing is not None:
                self.bind_closure(trailing, self.element_of(receiver, scope))
            return None
        if callee.type == "simple_identifier":
            name = self.core_name(text(callee)) or text(callee)
            if name in self.api.records and self.core_name(text(callee)):
                self.check_arguments(node, self.api.records[name]["init"], arguments, scope, f"{name}(...)")
                return name
            if name in ("core", "library") and arguments and arguments[0][1] is not None and arguments[0][1].type == "lambda_literal":
                inner = self.closure_result(arguments[0][1], "WaymarkProtocol" if name == "core" else "Core", scope)
                return inner + "?" if inner else None
            if name == "ForEach" and arguments and trailing is not None:
                self.bind_closure(trailing, self.element_of(arguments[0][1], scope))
            return None
        return None

    def element_of(self, node, scope):
        """What a loop over `node` gives: its element, or `enumerated:T` for `Array(x.enumerated())`."""
        if node is None:
            return None
        inner = re.fullmatch(r"Array\((.+)\.enumerated\(\)\)", text(node), re.S)
        if inner:
            found = next((c for c in _descendants(node) if c.type in ("navigation_expression", "simple_identifier")
                          and text(c) == inner.group(1)), None)
            kind = element(self.type_of(found, scope)) if found is not None else None
            return f"enumerated:{kind}" if kind else None
        return element(self.type_of(node, scope))

    def closure_result(self, closure, dollar_type, scope):
        inner = dict(scope)
        inner["$0"] = dollar_type
        result = None
        self.walk(closure, inner)
        statements = next((c for c in closure.children if c.type == "statements"), None)
        if statements is not None and statements.named_children:
            last = statements.named_children[-1]
            result = self.type_of(last, inner) if last.type != "control_transfer_statement" else None
        return result

    def bind_closure(self, closure, element_type):
        if closure.type == "annotated_lambda":
            closure = next((c for c in closure.children if c.type == "lambda_literal"), closure)
        if element_type:
            self.bound[(closure.start_byte, closure.end_byte)] = element_type

    # -- walking ---------------------------------------------------------
    def problem(self, line, message):
        if not any(p.line == line and p.message == message for p in self.problems):
            self.problems.append(Problem(line, message))

    def walk(self, node, scope, owner=None):
        scope = dict(scope)
        for child in node.children:
            self.visit(child, scope, owner)

    def visit(self, node, scope, owner):
        kind = node.type
        if kind == "class_declaration":
            name = node.child_by_field_name("name")
            inner = dict(scope)
            owner = text(name) if name is not None else owner
            inner["self"] = owner
            for member, type_ in self.declared.members.get(owner, {}).items():
                if type_ and type_ != "func":
                    inner.setdefault(member, type_)
            self.walk(node, inner, owner=owner)
            return
        if kind == "function_declaration" or kind == "init_declaration":
            inner = dict(scope)
            for parameter in (c for c in node.children if c.type == "parameter"):
                names = [c for c in parameter.children if c.type == "simple_identifier"]
                types = [c for c in parameter.children if c.is_named and c.type != "simple_identifier"]
                if names and types:
                    inner[text(names[-1])] = text(types[0])
            self.walk(node, inner, owner=owner)
            return
        if kind == "lambda_literal":
            inner = dict(scope)
            parameters = [text(c) for c in node.children if c.type == "lambda_function_type" for c in c.named_children]
            names = re.findall(r"\w+", " ".join(parameters))
            bound = self.bound.get((node.start_byte, node.end_byte))
            if bound and bound.startswith("enumerated:"):
                if len(names) >= 2:
                    inner[names[1]] = bound[len("enumerated:"):]
            elif names and bound:
                inner[names[0]] = bound
            elif bound:
                inner["$0"] = bound
            self.walk(node, inner, owner=owner)
            return
        if kind == "property_declaration":
            pattern = node.child_by_field_name("name")
            annotation = next((c for c in node.children if c.type == "type_annotation"), None)
            value = next((c for c in node.children if c.is_named and c.type not in ("modifiers", "value_binding_pattern", "pattern", "type_annotation", "computed_property")), None)
            found = text(annotation)[1:].strip() if annotation else self.type_of(value, scope)
            self.walk(node, scope, owner=owner)
            if pattern is not None and re.fullmatch(r"\w+", text(pattern)):
                scope[text(pattern)] = found
            return
        if kind == "switch_statement":
            subject = next((c for c in node.named_children if c.type != "switch_entry"), None)
            found = self.type_of(subject, scope)
            inner_type = re.fullmatch(r"Result<(.+)>", found).group(1) if found and found.startswith("Result<") else None
            for child in node.children:
                inner = dict(scope)
                if child.type == "switch_entry" and inner_type:
                    bound = re.match(r"\s*case\s+\.success\(let (\w+)\)", text(child))
                    if bound:
                        inner[bound.group(1)] = inner_type
                self.visit(child, inner, owner)
            return
        if kind in ("guard_statement", "if_statement"):
            self.bind_conditions(node, scope)
            self.walk(node, scope, owner=owner)
            return
        if kind == "for_statement":
            pattern = next((c for c in node.children if c.type == "pattern"), None)
            source = [c for c in node.children if c.is_named and c.type not in ("pattern", "statements")]
            inner = dict(scope)
            if pattern is not None and source and re.fullmatch(r"\w+", text(pattern)):
                inner[text(pattern)] = element(self.type_of(source[0], scope))
            self.walk(node, inner, owner=owner)
            return
        if kind == "call_expression":
            self.call(node, scope)
        elif kind == "navigation_expression" and node.parent is not None and node.parent.type != "call_expression":
            self.type_of(node, scope)
        self.walk(node, scope, owner=owner)

    def bind_conditions(self, node, scope):
        """`guard let x = e` / `if let x = e` / `if case .success(let x) = await profile.attempt { ... }`."""
        children = node.children
        for index, child in enumerate(children):
            if child.type == "=" and index >= 1 and index + 1 < len(children):
                name, value = children[index - 1], children[index + 1]
                if name.type == "simple_identifier":
                    scope[text(name)] = strip_optional(self.type_of(value, scope))
                elif name.type == ")" and value is not None:
                    bound = re.search(r"\.success\(let (\w+)\)", text(node)[: child.start_byte - node.start_byte])
                    found = self.type_of(value, scope)
                    if bound and found and found.startswith("Result<"):
                        scope[bound.group(1)] = found[len("Result<"):-1]
                        continue
                    attempt = value
                    while attempt.type in ("await_expression", "try_expression") and attempt.named_children:
                        attempt = attempt.named_children[-1]
                    if bound and attempt.type == "call_expression":
                        arguments, _ = self.arguments(attempt)
                        closure = arguments[0][1] if arguments else None
                        if closure is not None and closure.type == "lambda_literal":
                            dollar = "Core" if "withoutProfile" in text(attempt.children[0]) else "WaymarkProtocol"
                            scope[bound.group(1)] = self.closure_result(closure, dollar, scope)

    def check(self, tree, visible=None):
        """`visible`: the names of core types this file can use (the shell's aliases), or None for all."""
        self.problems = []
        self.visible = visible
        self.walk(tree.root_node, {})
        return sorted(self.problems, key=lambda p: p.line)


def _descendants(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def shell_aliases(path):
    """The shell's `public typealias X = WaymarkCore.Y`: what the app may call the core's types."""
    found = dict(re.findall(r"^public typealias (\w+) = WaymarkCore\.(\w+)", open(path, encoding="utf-8").read(), re.M))
    return found
