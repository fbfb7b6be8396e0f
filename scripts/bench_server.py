"""Starts the release server for a benchmark and waits until it answers /health and has settled."""
import subprocess
import sys
import time
import urllib.request


def start(binary, database, port, env):
    server = subprocess.Popen([binary, "serve", "--db", database, "--port", str(port), "--demo", "/nonexistent",
                               "--no-daily-rescoring"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=1)
            # Let the start-up work (warming the collections index) finish: the figures are
            # for a server in its steady state.
            time.sleep(3)
            return server
        except Exception:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: the server did not start")
