"""Stops the embedded server once nobody has used it for a while.

Started detached next to the server: `python -m graphmap.store.idle SOCKET SECONDS PID`. Idle means no
client but this one is connected and no command but its own INFO ran since the last look.
Exits when the server is gone, or when another server answers on the socket (killed and started again,
with a watcher of its own): two watchers would each see the other's INFO as use, and never stop it.
"""

import sys
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


def watch(socket: str, idle_timeout: float, server_pid: int) -> None:
    client = redis.Redis(unix_socket_path=socket, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0))
    interval = max(0.5, min(idle_timeout / 10, 30.0))
    idle_since = time.monotonic()
    last_count = -1
    while True:
        time.sleep(interval)
        try:
            info = client.info()
        except redis.BusyLoadingError:
            continue
        except (redis.ConnectionError, FileNotFoundError):
            return  # the server stopped
        if int(info["process_id"]) != server_pid:
            return  # not the server this watcher was started for
        count = int(info["total_commands_processed"])
        busy = int(info["connected_clients"]) > 1 or count != last_count + 1
        last_count = count
        if busy:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= idle_timeout:
            try:
                client.shutdown()
            except (redis.ConnectionError, redis.ResponseError):
                pass
            return


if __name__ == "__main__":
    watch(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
