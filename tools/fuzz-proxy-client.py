#!/usr/bin/env python3
"""Sends ROUNDS requests built from a fixed SEED to a gateway on PORT: routes of
fixtures/wedsync.yaml, every method, and hostile values (empty, lone separators, quotes, control
bytes, huge numbers, 5 kB strings) in the fields the gateway parses. Prints the statuses seen and
every request that got no HTTP response. Usage: fuzz-proxy-client.py PORT ROUNDS SEED"""
import random, socket, sys, time
port = int(sys.argv[1]); rounds = int(sys.argv[2]); seed = int(sys.argv[3])
rng = random.Random(seed)
nasty = ["", ";", ";;", "=", ",", ",,", " ", "\t", "\"", "\"\"", "\\", "a;b=\"", ";q=", "q=1", "*;q=x", "gzip;q=-1", "gzip;q=1e999",
         "application/vnd.", "application/vnd.+json", "text/html; version=", "v", "v99999999999999999999", "-1", "0", "99999999999999999999",
         "null", "%", "%zz", "%00", "\u00e9", "../..", "//", "Bearer", "Bearer ", "Basic", "Bearer a.b.c", "Bearer ....", "eyJ.eyJ.x",
         "00-" + "0"*32 + "-" + "0"*16 + "-01", "ff-x-y-z", "max-age=", "max-age=-5", "no-cache=\"", "s-maxage=999999999999999999",
         "bytes=0-", "bytes=-1", "bytes=5-1", "https://evil.example", "null", "1.2.3.4, 5.6.7.8", "unknown", "::1", "[::1]", "999.1.1.1",
         "a" * 300, "x" * 5000, "é;=", "\x01"]
names = ["Accept-Encoding", "Accept", "API-Version", "Accept-Version", "Cache-Control", "Pragma", "Authorization", "X-API-Key",
         "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "traceparent", "tracestate", "X-Forwarded-For",
         "X-Forwarded-Proto", "X-Real-IP", "CF-IPCountry", "CF-IPCity", "If-None-Match", "If-Modified-Since", "Range", "Content-Type",
         "Expect", "Connection", "TE", "Upgrade", "X-Request-ID", "Cookie", "Forwarded", "Via", "Content-Digest", "Digest", "Signature"]
paths = ["/api/v1/weddings", "/api/v1/weddings/w1", "/api/v1/weddings/w1/rsvps", "/api/v2/weddings/w1", "/api/v1/vendors",
         "/api/v1/live/x", "/", "/api/v1/weddings/%zz", "/api/v1/weddings/..%2f..", "/api//v1", "/api/v1/weddings?fields=a,b.c&page=-1",
         "/api/v1/weddings?fields=&fields=,", "/api/v1/weddings/w1?" + "a=1&" * 50]
methods = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]
ok = 0; statuses = {}
for i in range(rounds):
    method = rng.choice(methods); path = rng.choice(paths)
    headers = [("Host", "127.0.0.1")]
    for _ in range(rng.randint(1, 6)):
        headers.append((rng.choice(names), rng.choice(nasty)))
    if rng.random() < 0.3: headers.append(("X-API-Key", rng.choice(["demo-basic-key-0001", "demo-premium-key-0001", "demo-enterprise-key-0001"])))
    body = b""
    if method in ("POST", "PUT", "PATCH"):
        body = rng.choice([b"{}", b"{\"a\":1}", b"not json", b"[" * 100, b"{\"guests\":[1,2,3]}"])
        headers.append(("Content-Type", rng.choice(["application/json", "text/plain", ";", ""])))
        headers.append(("Content-Length", str(len(body))))
    raw = f"{method} {path} HTTP/1.1\r\n".encode() + b"".join(f"{n}: {v}\r\n".encode("utf-8", "surrogateescape") for n, v in headers) + b"Connection: close\r\n\r\n" + body
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(raw)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
        s.close()
        if data.startswith(b"HTTP/1.1 "):
            code = data[9:12].decode(); statuses[code] = statuses.get(code, 0) + 1; ok += 1
        else:
            statuses["noresponse"] = statuses.get("noresponse", 0) + 1
            print("no response for", raw[:300])
    except Exception as e:
        statuses["error"] = statuses.get("error", 0) + 1
        print("error", e, raw[:200])
        time.sleep(0.2)
print("answered", ok, "of", rounds, statuses)
sys.exit(0 if ok == rounds else 1)
