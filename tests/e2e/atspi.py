"""What a screen reader finds in Powermap's window: the accessibility tree as AT-SPI gives
it to Orca, read with pyatspi (Debian's python3-pyatspi), printed as JSON for the
end-to-end tests. Each object of the roles a session's map is made of: its role, name,
description and, for a live region, its text.

Run by tests/e2e/accessibility.test.mjs with the session bus of the window under test.
"""
import json
import sys

import pyatspi

ROLES = {"toggle button", "push button", "landmark", "status bar", "heading"}


def text_of(node):
    """The text inside a node and its children (a live region's words)."""
    try:
        text = node.queryText()
        own = text.getText(0, -1)
    except NotImplementedError:
        own = ""
    except Exception:  # the object went away while it was read
        own = ""
    if own.strip() and not own.strip().replace("\ufffc", ""):
        own = ""  # only the placeholders of its children
    parts = [own.replace("\ufffc", "").strip()]
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            parts.append(text_of(child))
    return " ".join(p for p in parts if p)


def walk(node, found, depth=0):
    if depth > 60:
        return
    try:
        role = node.getRoleName()
        if role in ROLES:
            entry = {"role": role, "name": node.name, "description": node.description}
            if role == "status bar":
                entry["text"] = text_of(node)
            states = node.getState()
            entry["focused"] = states.contains(pyatspi.STATE_FOCUSED)
            found.append(entry)
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is not None:
                walk(child, found, depth + 1)
    except Exception:  # the object went away while it was read
        return


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "powermap"
    desktop = pyatspi.Registry.getDesktop(0)
    found = []
    for app in desktop:
        if app is not None and app.name == name:
            walk(app, found)
    json.dump(found, sys.stdout)


main()
