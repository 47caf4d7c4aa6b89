#!/usr/bin/env python3
"""Aggregates the execution samples of a JFR recording: the top frames, and the share of samples
whose stack goes through each area (a sample counts once per area). Usage: jfr-summary.py FILE.jfr"""
import collections, re, subprocess, sys

AREAS = [
    ("PostgreSQL client (io.vertx.pgclient / sqlclient)", r"io\.vertx\.(pgclient|sqlclient)"),
    ("Redis client", r"io\.vertx\.redis"),
    ("HTTP client to the supplier (WebClient / HttpClient)", r"io\.vertx\.ext\.web\.client|HttpClientImpl|Http1xClientConnection"),
    ("sandbox supplier (in-process simulator)", r"com\.otporchestrator\.sandbox"),
    ("HTTP server + router (vertx-web)", r"Http1xServerConnection|io\.vertx\.ext\.web\.impl\.Router"),
    ("JSON (Jackson, JsonObject)", r"com\.fasterxml\.jackson|io\.vertx\.core\.json"),
    ("logging (logback)", r"ch\.qos\.logback"),
    ("metrics (micrometer)", r"io\.micrometer|io\.vertx\.micrometer"),
    ("our code (com.otporchestrator)", r"com\.otporchestrator"),
]

def main(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                         capture_output=True, text=True).stdout
    samples = []
    cur = None
    for line in out.splitlines():
        if line.startswith("jdk.ExecutionSample"):
            cur = []
            samples.append(cur)
        elif cur is not None:
            m = re.match(r"\s+([\w.$<>]+\.[\w$<>]+)\(", line)
            if m:
                cur.append(m.group(1))
    n = len(samples) or 1
    top = collections.Counter(s[0] for s in samples if s)
    print(f"{len(samples)} execution samples\n\ntop frames (self):")
    for frame, c in top.most_common(25):
        print(f"  {c*100/n:5.1f}%  {frame}")
    handover = re.compile(r"ContextBase\.execute|EventLoopExecutor\.execute|NioIoHandler\.wakeup|SingleThreadIoEventLoop\.wakeup|EventFD\.set")
    c = sum(1 for s in samples if s and handover.search(s[0]))
    print(f"\nself time in hand-overs between event loops (execute/wakeup frames on top): {c*100/n:.1f}%")
    print("\nshare of samples whose stack goes through:")
    for name, rx in AREAS:
        r = re.compile(rx)
        c = sum(1 for s in samples if any(r.search(f) for f in s))
        print(f"  {c*100/n:5.1f}%  {name}")

if __name__ == "__main__":
    main(sys.argv[1])
