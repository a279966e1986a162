#!/usr/bin/env python3
"""The sockets of docs/commands.md's `churn monitor --by` example, on loopback ports 24821 and 24822.

This process listens on both ports. A child connects to 24821 four times (two, then two more 6 s
later) and never closes: the server closes its ends at once, so they wait in FIN_WAIT2 with no owner
and the child's ends sit in CLOSE_WAIT (a CLOSE_WAIT leak). On 24822 four clients close first
(client-side TIME_WAIT) and two servers do (server-side TIME_WAIT). It prints "ready" and then
holds everything for an hour; run it in a namespace of its own and kill it when done:

    unshare -n bash -c 'ip link set lo up; python3 docs/examples/close-wait-leak.py & sleep 20;
                        ./churn monitor --once --by process --port 24821 --port 24822; kill %1'
"""
import os
import socket
import time


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    return s


leaky, tidy = listener(24821), listener(24822)
if os.fork() == 0:
    leaky.close()
    tidy.close()
    held = []
    for batch in range(2):
        for i in range(2):
            held.append(socket.create_connection(("127.0.0.1", 24821)))  # never closed
        time.sleep(6)
    time.sleep(3600)
    os._exit(0)

for i in range(4):
    conn, _ = leaky.accept()
    conn.close()
for i in range(6):
    client = socket.create_connection(("127.0.0.1", 24822))
    server, _ = tidy.accept()
    first, second = (client, server) if i < 4 else (server, client)
    first.close()
    time.sleep(0.05)  # the first FIN and its ACK cross before the second close
    second.close()
print("ready", flush=True)
time.sleep(3600)
