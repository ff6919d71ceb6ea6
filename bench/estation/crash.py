#!/usr/bin/env python3
"""Crash safety of proof-of-play ingestion: `kill -9` the release server at random moments
while four screens' worth of clients post batches of plays, ROUNDS times (default 20). A play
counts as acknowledged when its batch got a 200. After every kill the server is restarted and
the batches whose answer was lost are sent again (the server dedupes by play_id). At the end
the database must hold every acknowledged play exactly once.

    python3 bench/estation/crash.py        (SQLite in a temp dir; loopback only)
"""
import http.client, json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time

ROUNDS = int(os.environ.get("ROUNDS", "20"))
PORT = int(os.environ.get("PORT", "18250"))
BATCH = 100
BIN = os.path.join(os.path.dirname(__file__), "../../target/release/kexie")
work = tempfile.mkdtemp(prefix="kexie-crash.")
data = os.path.join(work, "data")
env = dict(os.environ, KEXIE_DATABASE_URL="")


def kexie(*args):
    return subprocess.run([BIN, "--data", data, *args], env=env, check=True, capture_output=True, text=True).stdout


def start():
    p = subprocess.Popen([BIN, "--data", data, "serve", "--listen", f"127.0.0.1:{PORT}"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return p
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def call(method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    return r.status, r.read()


def batch(ids, content):
    t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    return {"plays": [{"play_id": i, "content_id": content, "schedule_id": None, "interrupt_id": None,
                       "started_at": t, "duration_ms": 20000, "completed": True} for i in ids]}


def main():
    kexie("demo")
    code = kexie("device", "code", "--station", "1").strip()
    server = start()
    status, body = call("POST", "/api/device/v1/enroll", {"code": code, "hardware_id": "crash-bench"})
    assert status == 201, body
    enrolled = json.loads(body)
    token, device = enrolled["token"], int(enrolled["device_id"])
    status, body = call("GET", "/api/device/v1/manifest", token=token)
    content = json.loads(body)["items"][0]["content_id"]
    acked, doubtful, lock = set(), [], threading.Lock()
    seq = [0]

    def client(stop):
        while not stop.is_set():
            with lock:
                seq[0] += 1
                n = seq[0]
            ids = [f"c{n}-{i}" for i in range(BATCH)]
            try:
                status, _ = call("POST", "/api/device/v1/plays", batch(ids, content), token)
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    acked.update(ids)
                else:
                    doubtful.append(ids)
            if not ok:
                time.sleep(0.02)

    resent = resent_dup = 0
    for r in range(ROUNDS):
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(stop,)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 2.0))
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        for t in threads:
            t.join()
        server = start()
        # The screens send what they did not get an answer for again.
        with lock:
            pending, doubtful[:] = list(doubtful), []
        for ids in pending:
            status, body = call("POST", "/api/device/v1/plays", batch(ids, content), token)
            assert status == 200, body
            v = json.loads(body)
            resent += v["accepted"]
            resent_dup += v["duplicates"]
            acked.update(ids)
        print(f"round {r + 1:2}: killed after {len(acked)} acknowledged plays so far")
    server.send_signal(signal.SIGTERM)
    server.wait()
    db = sqlite3.connect(os.path.join(data, "kexie.db"))
    rows = [r[0] for r in db.execute("SELECT play_id FROM play WHERE device_id = ?", (device,))]
    stored = set(rows)
    lost = acked - stored
    print(f"== {ROUNDS} kills; {len(acked)} plays acknowledged, {len(rows)} rows stored, "
          f"{len(stored)} distinct; lost {len(lost)}; counted twice {len(rows) - len(stored)}; "
          f"resent after a lost answer: {resent} new, {resent_dup} already stored")
    shutil.rmtree(work)
    sys.exit(1 if lost or len(rows) != len(stored) or stored - acked else 0)


if __name__ == "__main__":
    main()
