"""Load recruit_sms/tools as a stand-alone package.

The addon's own ``__init__`` imports Odoo; the rules under ``tools/`` must not need it,
so they are loaded here under the name ``recruit_sms_tools`` without running it.
"""

import importlib.util
import pathlib
import sys

TOOLS = pathlib.Path(__file__).resolve().parent.parent / "recruit_sms" / "tools"


def _load_tools():
    name = "recruit_sms_tools"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load_tools()
