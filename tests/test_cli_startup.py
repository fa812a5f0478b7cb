"""`jamlik --help` must not wait for pandas, SQLAlchemy or the rest: every command module is
imported to list the commands, so they import their heavy parts inside the commands. The time
itself is a benchmark (benchmarks/startup.py); here, what is loaded, and that the few numbers
the options state before loading agree with where they come from."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "scipy", "sqlalchemy", "pydantic", "openpyxl", "httpx", "fastapi",
         "jamlik.data", "jamlik.programme", "jamlik.accounts", "jamlik.measures")  # fmt: skip


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_listing_the_commands_loads_nothing_heavy():
    code = "import sys\nsys.argv = ['jamlik', '--help']\nfrom jamlik.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = set(_loaded_after(code))
    assert "jamlik.cli.app" in loaded  # the probe did run the command
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_the_control_loads_them():
    """The check above can fail: a real command's imports do load them."""
    loaded = set(_loaded_after("import jamlik.data, jamlik.programme"))
    assert {"pandas", "sqlalchemy", "pydantic"} <= loaded


def test_option_bounds_match_their_sources():
    from jamlik.accounts import DEFAULT_POLICY
    from jamlik.cli.options import MIN_POPULATION_FLOOR, TOKEN_DAYS, TOKEN_DAYS_MAX
    from jamlik.data.policy import SuppressionPolicy

    assert SuppressionPolicy().min_population == MIN_POPULATION_FLOOR
    assert DEFAULT_POLICY.token_lifetime.days == TOKEN_DAYS
    assert DEFAULT_POLICY.max_token_lifetime.days == TOKEN_DAYS_MAX
