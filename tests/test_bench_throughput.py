"""The HTTP throughput benchmark (bench/throughput.py) reads wrk's report right, and prints each
target's medians, its ratio to the bare route of the same round, and the goal's verdict."""

from __future__ import annotations

import argparse

import pytest

from bench.throughput import Target, parse_wrk, report

WRK_REPORT = """\
Running 1s test @ http://127.0.0.1:18150/beta/deviceManagement/managedDevices
  1 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.31ms    8.11ms    1.26s    86.36%
    Req/Sec   807.40    440.07     1.68k    80.00%
  Latency Distribution
     50%  990.00us
     75%    6.35ms
     90%   17.33ms
     99%    1.05s
  803 requests in 1.00s, 407.77KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    801.40
Transfer/sec:    406.96KB
"""


def test_wrk_figures_are_read_in_milliseconds():
    figures = parse_wrk(WRK_REPORT)
    assert figures == {
        "rps": 801.40,
        "p50": pytest.approx(0.99),
        "p99": pytest.approx(1050.0),
        "requests": 803,
        "failed": 7,  # 4 answers not 2xx/3xx, 3 socket errors
    }


def test_a_clean_run_counts_no_failure():
    clean = WRK_REPORT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    assert parse_wrk(clean.replace("  Non-2xx or 3xx responses: 4\n", ""))["failed"] == 0


def run(rps: float) -> dict:
    return {"rps": rps, "p50": 10.0, "p99": 30.0, "cpu_ms": 1.5, "failed": 0}


def test_the_report_prints_each_rounds_ratio_and_the_goal(capsys):
    bare = Target("bare", "http://b", 1, runs=[run(1000), run(500), run(800)])
    graph = Target("Graph list", "http://g", 2, runs=[run(600), run(240), run(400)])
    step = Target("portal screen", "http://p", 2, runs=[run(500), run(250), run(400)])
    report([bare, graph, step], bare, ["Mockoon static stub  skipped: no Node.js"],
           argparse.Namespace(rounds=3))  # fmt: skip
    out = capsys.readouterr().out
    graph_line = next(line for line in out.splitlines() if line.startswith("Graph list"))
    assert graph_line.split()[-1] == "0.50"  # the median of 0.60, 0.48, 0.50
    assert graph_line.split()[2] == "400"  # the median of its requests/s
    assert "skipped: no Node.js" in out
    assert "0.50× ✔" in out


def test_just_under_the_goal_is_not_rounded_up_to_it(capsys):
    bare = Target("bare", "http://b", 1, runs=[run(1000)])
    graph = Target("Graph list", "http://g", 2, runs=[run(498)])
    report([bare, graph], bare, [], argparse.Namespace(rounds=1))
    assert "0.49× ✘" in capsys.readouterr().out
