#!/usr/bin/env python3
"""The spec's two load tests ("Gateway Load Testing") against a running gateway, with a raw
asyncio HTTP/1.1 client (standard library only):

1. 1,000 concurrent GET /api/v1/weddings?page=i with X-API-Key; passes with > 950 successes in
   under 10 s.
2. 50 requests per second for 30 s (a batch of 50, then a 1 s pause, as the spec does); passes
   with an average under 500 ms and a p95 under 1 s.

    tools/load-test-client.py [PORT] [API_KEY]
"""
import asyncio
import json
import resource
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
KEY = sys.argv[2] if len(sys.argv) > 2 else "demo-enterprise-key-0001"


async def get(path):
    """One request on its own connection; returns (ok, seconds)."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost:{PORT}\r\nX-API-Key: {KEY}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        response = await reader.read()
        writer.close()
        status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
        return 200 <= status < 300, time.monotonic() - started
    except (OSError, asyncio.IncompleteReadError, ValueError):
        return False, time.monotonic() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def concurrent():
    started = time.monotonic()
    results = await asyncio.gather(*(get(f"/api/v1/weddings?page={i}") for i in range(1000)))
    elapsed = time.monotonic() - started
    ok = [seconds for success, seconds in results if success]
    return {
        "test": "1000 concurrent requests", "successes": len(ok), "success_rate": len(ok) / len(results),
        "wall_s": round(elapsed, 3), "average_ms": round(1000 * sum(ok) / max(1, len(ok)), 1),
        "p95_ms": round(1000 * percentile(ok, 0.95), 1), "passed": len(ok) > 950 and elapsed < 10,
    }


async def sustained(seconds=30, rate=50):
    times, attempts = [], 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        results = await asyncio.gather(*(get("/api/v1/weddings") for _ in range(rate)))
        attempts += len(results)
        times += [seconds_taken for success, seconds_taken in results if success]
        await asyncio.sleep(1)
    average = sum(times) / max(1, len(times))
    p95 = percentile(times, 0.95)
    return {
        "test": f"{rate} rps for {seconds} s", "requests": attempts, "success_rate": len(times) / max(1, attempts),
        "average_ms": round(1000 * average, 1), "p95_ms": round(1000 * p95, 1), "passed": average < 0.5 and p95 < 1.0,
    }


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for result in (await concurrent(), await sustained()):
        print(json.dumps(result))


asyncio.run(main())
