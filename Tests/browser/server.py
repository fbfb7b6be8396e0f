"""A creditrisk server for the browser suite: started on a free port of the loopback, on a fresh
database in a temporary folder, with the demo portfolio loaded; stopped (SIGTERM, then SIGKILL)
when the suite ends."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def repository_of(binary: Path, fallback: Path) -> Path:
    """The checkout a binary was built in (`<root>/.build/...`): its `Models/` and `Fixtures/demo`
    are the ones the binary expects. A binary from elsewhere uses this checkout's."""
    for folder in binary.resolve().parents:
        if (folder / "Package.swift").is_file() and (folder / "Models").is_dir() and (folder / "Fixtures" / "demo").is_dir():
            return folder
    return fallback


class Server:
    def __init__(self, binary: Path, fallback_root: Path):
        self.binary = binary
        self.root = repository_of(binary, fallback_root)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.work: Path | None = None
        self.process = None

    def start(self, timeout: float = 120) -> None:
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"{self.binary} is not an executable creditrisk binary (build it, or pass --binary PATH)")
        self.work = Path(tempfile.mkdtemp(prefix="creditrisk-browser."))
        self.log_path = self.work / "server.log"
        command = [
            str(self.binary), "serve", "--db", str(self.work / "browser.sqlite"), "--port", str(self.port),
            "--demo", str(self.root / "Fixtures" / "demo"), "--no-daily-rescoring",
        ]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start (exit {self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s:\n{self.tail()}")

    def printed_address(self) -> str:
        """The web application's address as `serve` prints it for its user."""
        for line in self.log_path.read_text(errors="replace").splitlines():
            if "web application on " in line:
                return line.split("web application on ", 1)[1].split()[0]
        return ""

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:]) if self.work else ""
        except OSError:
            return ""

    def stop(self, keep: bool = False) -> None:
        """Stops the server; removes its folder unless `keep` (a failed run keeps its database and log)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.work and not keep:
            shutil.rmtree(self.work, ignore_errors=True)
