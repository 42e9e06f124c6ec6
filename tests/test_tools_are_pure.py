import ast

from conftest import TOOLS


def test_no_module_under_tools_imports_odoo():
    offenders = []
    for path in sorted(TOOLS.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "odoo"]
    assert list(TOOLS.rglob("*.py")), "no tools found"
    assert offenders == []
