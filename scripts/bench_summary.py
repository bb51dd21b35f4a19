#!/usr/bin/python3
"""Prints the speed figures the issues name from the JSON files scripts/bench writes."""
import json
import pathlib
import sys


def load(directory):
    runs = {}
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        for b in json.loads(path.read_text()).get("benchmarks", []):
            runs[b["name"]] = b
    return runs


def find(runs, prefix):
    for name, b in runs.items():
        if name.startswith(prefix):
            return b
    return None


def ms(b, key="real_time"):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
    return b[key] * scale


def main():
    runs = load(sys.argv[1])
    rows = []

    def add(issue, what, prefix, value, target):
        b = find(runs, prefix)
        rows.append((issue, what, value(b) if b else "not run", target))

    add("2", "1,500 s boost-glide flight with 1 s truth", "BM_BoostGlideFlight1500s/1",
        lambda b: f"{ms(b, 'cpu_time'):.2f} ms", "<= 2 ms")
    add("3", "sensing, 100 threats x 1,000 satellites x 1,801 frames", "BM_SenseFrames/0",
        lambda b: f"{ms(b, 'cpu_time') / 1e3:.2f} s CPU", "< 1 s")
    add("4", "EKF 6-state updates per second", "BM_EkfCv/radar:0",
        lambda b: f"{1e3 / ms(b, 'cpu_time') / 1e6:.2f} M/s", ">= 1 M/s")
    add("4", "UKF updates per second", "BM_UkfCv/radar:0",
        lambda b: f"{1e3 / ms(b, 'cpu_time') / 1e3:.0f} k/s", "-")
    add("4", "IMM (3 models) updates per second", "BM_Imm3/radar:0/ukf:0",
        lambda b: f"{1e3 / ms(b, 'cpu_time') / 1e3:.0f} k/s", "-")
    add("4", "tracker, 100 threats, default IMM: x real time", "BM_TrackRaid/0/1/0",
        lambda b: f"{b['real_time_factor']:.0f}x", ">= 1,000x")
    add("4", "the same, every detection kept for output", "BM_TrackRaid/0/1/1",
        lambda b: f"{b['real_time_factor']:.0f}x", "-")
    add("4", "the same with an EKF (CA)", "BM_TrackRaid/0/0/0",
        lambda b: f"{b['real_time_factor']:.0f}x", "-")
    add("5", "one closed-loop regional run", "BM_RegionalClosedLoopRun",
        lambda b: f"{ms(b):.0f} ms", "<= 10 ms")
    add("6", "Monte Carlo, 1 thread", "BM_MonteCarloRegional/1",
        lambda b: f"{b['runs_per_s']:.2f} runs/s", "-")
    add("6", "Monte Carlo, 2 threads", "BM_MonteCarloRegional/2",
        lambda b: f"{b['runs_per_s']:.2f} runs/s", "-")
    add("6", "scaling 1 -> 2 threads", "BM_MonteCarloRegional/2",
        lambda b: f"{b['scaling']:.2f}x", ">= 1.8x")
    add("6", "10,000 regional runs on 2 threads", "BM_MonteCarloRegional/2",
        lambda b: f"{b['t_10000_runs_s']:.0f} s", "< 60 s")
    print("\n== The issues' figures")
    width = max(len(r[1]) for r in rows)
    for issue, what, value, target in rows:
        print(f"issue {issue}  {what:<{width}}  {value:>14}   target {target}")


if __name__ == "__main__":
    main()
