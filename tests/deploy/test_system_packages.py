"""deploy/system-packages.sh, which `make test` and `.ci/run` call: it installs only what is missing, and where it
may not install (no root, no password-less sudo) it names the packages and lets the tests skip with their notice."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "system-packages.sh"


def run(tmp_path, *args, chromium, present=()):
    """The script as an ordinary user: `id -u` answers 1000 and sudo wants a password; the commands in `present`
    (e.g. java, npm) exist and succeed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fakes = {"id": "echo 1000", "sudo": "exit 1", "apt-get": "echo apt-get ran >&2; exit 1"}
    for name, body in (fakes | dict.fromkeys(present, "exit 0")).items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "CHROMIUM": str(chromium)}
    return subprocess.run(["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_without_rights_it_names_the_missing_browser_and_installs_nothing(tmp_path):
    result = run(tmp_path, "test", chromium=tmp_path / "no-chromium", present=("java", "npm"))

    assert result.returncode == 0
    assert result.stderr == "system packages missing: chromium (install them with: sudo apt-get install chromium)\n"


def test_with_everything_there_it_installs_and_says_nothing(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)

    result = run(tmp_path, "test", chromium=browser, present=("java", "npm"))

    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
