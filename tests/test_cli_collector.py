"""The command line's handling of the cycle collector: off while it imports, back on (with what the
imports made frozen) before the library runs, and only in its own process."""

import gc
import subprocess
import sys

from typer.testing import CliRunner

from igloo_xl import cli

PROBE = (
    "import gc, sys\n"
    "import igloo_xl.api as api\n"
    "seen = {}\n"
    "def probe(path, today=None):\n"
    "    seen['enabled'], seen['frozen'] = gc.isenabled(), gc.get_freeze_count()\n"
    "    raise SystemExit(0)\n"
    "api.validate_file = probe\n"
    "import atexit\n"
    "atexit.register(lambda: print(seen['enabled'], seen['frozen'] > 10000))\n"
    "sys.argv = ['igloo-xl', 'validate', sys.argv[1]]\n"
    "from igloo_xl.cli import main\n"
    "main()\n"
)


def test_the_library_runs_with_the_collector_on_and_the_imports_frozen(sample_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(sample_path)], capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr


def test_a_command_run_inside_another_process_leaves_its_collector_alone(sample_path):
    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(cli.app, ["validate", str(sample_path)])
    assert result.exit_code in (0, 1)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
