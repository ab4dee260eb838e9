"""A real SMTP server with TLS for the tests (tests/common/smtp.rs starts it): aiosmtpd on
127.0.0.1, STARTTLS required on one port and implicit TLS on another, both with the given
certificate. Each message received is saved as one JSON file (envelope from, recipients, data) in
the inbox directory, written under a temporary name and renamed, so a reader never sees half of
one. Prints `ports STARTTLS TLS` once both listen; runs until killed or until stdin closes (the
test process died).

usage: smtp_tls.py CERT KEY INBOX
"""

import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Inbox:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.directory, "%04d.json" % self.count)
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        with open(name + ".part", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(name + ".part", name)
        return "250 OK"


async def main(cert, key, inbox_dir):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox(inbox_dir)
    loop = asyncio.get_running_loop()
    starttls = await loop.create_server(
        lambda: SMTP(inbox, require_starttls=True, tls_context=context, hostname="localhost"),
        "127.0.0.1",
        0,
    )
    implicit = await loop.create_server(
        lambda: SMTP(inbox, hostname="localhost"), "127.0.0.1", 0, ssl=context
    )
    port = lambda server: server.sockets[0].getsockname()[1]
    print("ports", port(starttls), port(implicit), flush=True)
    # The Rust side holds our stdin; its end means the test is over.
    # (read in a thread: epoll takes pipes but not every kind of stdin, /dev/null say).
    await loop.run_in_executor(None, sys.stdin.buffer.read)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
