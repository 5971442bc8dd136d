#!/usr/bin/env python3
"""Every role option is documented in meta/argument_specs.yml with the default that
defaults/main.yml really sets, and every entry point documents the main entry point's
options (an entry point may add required inputs of its own, which have no default).
The stateful_mysql role holds the settings every role shares, named stateful_mysql_*."""

import pathlib
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent
problems = []
for role in sorted((REPO / "roles").iterdir()):
    defaults = yaml.safe_load((role / "defaults/main.yml").read_text()) or {}
    specs = yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"]
    options = specs["main"]["options"]
    prefix = "stateful_mysql_" if role.name == "stateful_mysql" else role.name + "_"
    for entry, spec in specs.items():
        entry_options = spec.get("options") or {}
        if any(entry_options.get(name) != value for name, value in options.items()):
            problems.append("%s: entry point %s documents other options than main" % (role.name, entry))
        for name, extra in entry_options.items():
            if name not in options and (name in defaults or not extra.get("required")):
                problems.append("%s: entry point %s adds %s, which must be a required input without a default"
                                % (role.name, entry, name))
            if not name.startswith(prefix):
                problems.append("%s: %s lacks the role's prefix" % (role.name, name))
    for name in sorted(set(defaults) | set(options)):
        if not name.startswith(prefix):
            problems.append("%s: %s lacks the role's prefix" % (role.name, name))
        if name not in options:
            problems.append("%s: %s is in defaults/main.yml but not documented" % (role.name, name))
        elif name not in defaults:
            problems.append("%s: %s is documented but has no default in defaults/main.yml" % (role.name, name))
        elif options[name].get("default") != defaults[name]:
            problems.append("%s: %s defaults to %r, documented as %r"
                            % (role.name, name, defaults[name], options[name].get("default")))
print("\n".join(problems) or "argument specs match defaults/main.yml in %d roles" % len(list((REPO / "roles").iterdir())))
sys.exit(1 if problems else 0)
