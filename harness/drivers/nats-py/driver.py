"""natsfault's driver for nats-py: JSON lines on stdin (requests), JSON lines on stdout (answers
and events). The protocol is described in harness/drivers/README.md. It exits when stdin closes.
"""

import asyncio
import json
import ssl
import sys
import threading
from importlib.metadata import version

import nats
import nats.js.api
import nats.js.errors


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def kind_of(e):
    t = type(e)
    return f"{t.__module__}.{t.__qualname__}"


def error_line(e):
    line = {"kind": kind_of(e), "message": str(e)}
    # The JetStream API error the server answered with, where nats-py kept it.
    code, err_code = getattr(e, "code", None), getattr(e, "err_code", None)
    if isinstance(e, nats.js.errors.APIError) and code is not None and err_code is not None:
        line["api"] = {"code": int(code), "err_code": int(err_code), "description": getattr(e, "description", "") or ""}
    return line


def received(subject, data):
    return {"subject": subject, "payload": (data or b"").decode(errors="replace")}


class Driver:
    def __init__(self):
        self.nc = None
        self.request_timeout = 1.0
        # JetStream handles kept between steps, as an application keeps them.
        self.pulls = {}
        self.kvs = {}
        self.objs = {}
        self.watches = {}
        self.unacked = []

    async def connect(self, r):
        async def on_error(e):
            emit({"event": "error", **error_line(e)})

        async def on_disconnected():
            emit({"event": "disconnected"})

        async def on_reconnected():
            emit({"event": "reconnected"})

        async def on_closed():
            emit({"event": "closed"})

        opts = dict(
            servers=[r["url"]],
            name=r["name"],
            error_cb=on_error,
            disconnected_cb=on_disconnected,
            reconnected_cb=on_reconnected,
            closed_cb=on_closed,
            connect_timeout=r["connect_timeout_ms"] / 1000,
            max_reconnect_attempts=-1 if r.get("max_reconnects") is None else r["max_reconnects"],
        )
        self.request_timeout = r["request_timeout_ms"] / 1000
        if r.get("user") is not None:
            opts["user"] = r["user"]
            opts["password"] = r.get("password") or ""
        if r.get("token") is not None:
            opts["token"] = r["token"]
        if r.get("creds_file"):
            opts["user_credentials"] = r["creds_file"]
        if r.get("nkey_seed"):
            opts["nkeys_seed_str"] = r["nkey_seed"]
        if r.get("jwt"):
            import base64

            import nkeys

            jwt, seed = r["jwt"].encode(), r["jwt_seed"].encode()

            def user_jwt_cb():
                return jwt

            def signature_cb(nonce):
                kp = nkeys.from_seed(seed)
                return base64.b64encode(kp.sign(nonce.encode()))

            opts["user_jwt_cb"] = user_jwt_cb
            opts["signature_cb"] = signature_cb
        if r.get("ping_interval_ms") is not None:
            opts["ping_interval"] = r["ping_interval_ms"] / 1000
        if r.get("reconnect_delay_ms") is not None:
            opts["reconnect_time_wait"] = r["reconnect_delay_ms"] / 1000
        if r.get("inbox_prefix"):
            opts["inbox_prefix"] = r["inbox_prefix"]
        if r.get("tls_ca") or r.get("tls_cert") or r.get("tls_required") or r.get("tls_first"):
            ctx = ssl.create_default_context(cafile=r.get("tls_ca"))
            if r.get("tls_cert"):
                ctx.load_cert_chain(r["tls_cert"], r.get("tls_key"))
            opts["tls"] = ctx
            opts["tls_hostname"] = "localhost"
        if r.get("tls_first"):
            opts["tls_handshake_first"] = True
        # nats-py retries a refused first connect max_reconnect_attempts times (60 by default,
        # forever with -1), reconnect_time_wait (2 s) apart, before NoServersError; a scenario's
        # first connect fails at once unless it asks for retry-on-initial-connect. So the first
        # connect goes without reconnects and with one immediate retry of the server, and the
        # scenario's reconnect options apply once connected.
        if not r.get("retry_on_initial_connect", False):
            after = {k: opts.get(k, d) for k, d in (("max_reconnect_attempts", 60), ("reconnect_time_wait", 2))}
            opts.update(allow_reconnect=False, max_reconnect_attempts=1, reconnect_time_wait=0)
            self.nc = await nats.connect(**opts)
            self.nc.options.update(allow_reconnect=True, **after)
        else:
            self.nc = await nats.connect(**opts)
        emit({"event": "connected"})
        return {}

    async def publish(self, r):
        await self.nc.publish(r["subject"], r["payload"].encode())
        await self.nc.flush(timeout=2)
        return {}

    async def subscribe(self, r):
        sub_subject = r["subject"]

        async def on_message(msg):
            emit(
                {
                    "event": "message",
                    "sub": sub_subject,
                    "subject": msg.subject,
                    "payload": msg.data.decode(errors="replace"),
                }
            )

        await self.nc.subscribe(sub_subject, queue=r.get("queue") or "", cb=on_message)
        await self.nc.flush(timeout=2)
        return {}

    async def respond(self, r):
        payload = r["payload"].encode()

        async def on_request(msg):
            if msg.reply:
                await msg.respond(payload)

        await self.nc.subscribe(r["subject"], queue=r.get("queue") or "", cb=on_request)
        await self.nc.flush(timeout=2)
        return {}

    async def request(self, r):
        msg = await self.nc.request(r["subject"], r["payload"].encode(), timeout=self.request_timeout)
        return {"subject": msg.subject, "payload": msg.data.decode(errors="replace")}

    async def js(self, r):
        """One JetStream step through nats-py's JetStreamContext (see harness/drivers/README.md)."""
        timeout = r["timeout_ms"] / 1000
        within = r["within_ms"] / 1000
        opts = {"timeout": timeout}
        if r.get("domain"):
            opts["domain"] = r["domain"]
        js = self.nc.jetstream(**opts)
        action = r["action"]
        storage = nats.js.api.StorageType.FILE if r["storage"] == "file" else nats.js.api.StorageType.MEMORY
        stream, consumer, bucket, key = r.get("stream"), r.get("consumer"), r.get("bucket"), r.get("key")
        if action == "js-account-info":
            a = await js.account_info()
            info = {
                "consumers": a.consumers,
                "domain": a.domain,
                "memory": a.memory,
                "storage": a.storage,
                "streams": a.streams,
            }
            prefix = f"$JS.{r['domain']}.API" if r.get("domain") else "$JS.API"
            return received(f"{prefix}.INFO", json.dumps(info, separators=(",", ":"), sort_keys=True).encode())
        if action in ("js-add-stream", "js-update-stream"):
            config = nats.js.api.StreamConfig(name=stream, subjects=r["subjects"], storage=storage)
            if action == "js-add-stream":
                await js.add_stream(config)
            else:
                await js.update_stream(config)
            return {}
        if action == "js-delete-stream":
            await js.delete_stream(stream)
            return {}
        if action == "js-add-consumer":
            config = nats.js.api.ConsumerConfig(
                ack_policy=nats.js.api.AckPolicy.EXPLICIT,
                filter_subject=r.get("filter"),
                deliver_subject=r.get("deliver_subject"),
            )
            if consumer and r.get("ephemeral"):
                config.name = consumer
            elif consumer:
                config.durable_name = consumer
            await js.add_consumer(stream, config)
            return {}
        if action == "js-publish":
            await js.publish(r["subject"], r["payload"].encode())
            return {}
        if action in ("js-fetch", "js-next"):
            id = f"{stream}.{consumer}"
            if id not in self.pulls:
                self.pulls[id] = await js.pull_subscribe_bind(consumer, stream)
            batch = r["batch"] if action == "js-fetch" else 1
            msgs = await self.pulls[id].fetch(batch, timeout=within)
            self.unacked.extend(msgs)
            return received(msgs[-1].subject, msgs[-1].data)
        if action == "js-ack":
            while self.unacked:
                await self.unacked.pop(0).ack()
            return {}
        if action.startswith("kv-"):
            id = f"{bucket}@{r['timeout_ms']}ms"
            if action == "kv-create":
                self.kvs[id] = await js.create_key_value(bucket=bucket, storage=storage)
                return {}
            if id not in self.kvs:
                self.kvs[id] = await js.key_value(bucket)
            kv = self.kvs[id]
            if action == "kv-put":
                await kv.put(key, r["payload"].encode())
                return {}
            if action == "kv-get":
                e = await kv.get(key)
                return received(e.key, e.value)
            if action == "kv-delete":
                await kv.delete(key)
                return {}
            if action == "kv-watch":
                wid = f"{bucket}.{key}"
                if wid not in self.watches:
                    self.watches[wid] = await kv.watch(key)
                # The key's current value, else the next update; `None` marks the end of the
                # current values.
                for _ in range(2):
                    e = await self.watches[wid].updates(timeout=within)
                    if e is not None:
                        return received(e.key, e.value)
                raise nats.errors.TimeoutError
        if action.startswith("obj-"):
            if action == "obj-create":
                self.objs[bucket] = await js.create_object_store(bucket, storage=storage)
                return {}
            if bucket not in self.objs:
                self.objs[bucket] = await js.object_store(bucket)
            obs = self.objs[bucket]
            if action == "obj-put":
                await obs.put(key, r["payload"].encode())
                return {}
            if action == "obj-get":
                res = await obs.get(key)
                return received(key, res.data)
        raise ValueError(f"the nats-py driver cannot play `{action}`")

    async def flush(self, r):
        await self.nc.flush(timeout=2)
        return {}

    async def close(self, r):
        if self.nc is not None:
            await self.nc.close()
        return {}


async def main():
    loop = asyncio.get_running_loop()
    lines = asyncio.Queue()

    def read_stdin():
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read_stdin, daemon=True).start()
    emit({"event": "hello", "library": "nats-py", "version": version("nats-py")})
    d = Driver()
    while True:
        line = await lines.get()
        if line is None:
            return
        if not line.strip():
            continue
        r = json.loads(line)
        op = r.get("op", "").replace("-", "_")
        handler = getattr(d, op, None)
        if handler is None:
            emit({"id": r.get("id"), "ok": False, "error": {"kind": "unsupported", "message": f"unknown op {op}"}})
            continue
        try:
            out = await handler(r)
            emit({"id": r["id"], "ok": True, **out})
        except Exception as e:  # every library error is an answer, in the library's terms
            emit({"id": r["id"], "ok": False, "error": error_line(e)})
        if op == "close":
            return


if __name__ == "__main__":
    asyncio.run(main())
