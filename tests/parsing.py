"""What tests/android/check.py and tests/ios/check.py share: the parse errors
tree-sitter found in a tree (ERROR and MISSING nodes)."""


def parse_errors(tree):
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            found.append(node)
        elif node.has_error:
            stack.extend(node.children)
    return found
