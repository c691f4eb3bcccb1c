#!/usr/bin/env python3
"""PyTorch's side of the Nature-CNN figures in `tempo bench` (issue #16), on this machine.

The same work as Tempo's MachineBench: ppo_atari.py's Nature CNN (Conv 8x8/4 32, 4x4/2 64, 3x3/1 64, Linear 3136->512,
ReLU after each) on 4x84x84 byte frames scaled by 1/255; one update is zero_grad, forward of a batch of 256, backward
of a fixed 512-wide output gradient (no heads), clip_grad_norm_(0.5), Adam step. Also the batch-1 forward.
Prints one JSON line per thread count with medians in ms (update) and us (forward).

Usage: /usr/bin/python3 benchmarks/peers/torch_nature_cnn.py [--threads 1 2] [--repeats 15]
Needs Debian's python3-torch (1.13); the peer harness installs it.
"""
import argparse
import json
import platform
import statistics
import time

import torch
import torch.nn as nn


def nature_cnn():
    return nn.Sequential(
        nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(),
        nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
        nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU())


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            fields = {key.strip(): value for key, value in (line.split(":", 1) for line in info if ":" in line)}
        return " ".join(f"{fields['model name'].strip()} family {fields['cpu family'].strip()} model {fields['model'].strip()}".split())
    except (OSError, KeyError):
        return platform.machine()


def median_seconds(step, repeats):
    step()  # warm-up: first-call allocations and kernel selection
    step()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    torch.manual_seed(1)
    for threads in args.threads:
        torch.set_num_threads(threads)
        network = nature_cnn()
        frames = torch.randint(0, 256, (256, 4, 84, 84), dtype=torch.uint8)
        gradient = torch.randn(256, 512)
        adam = torch.optim.Adam(network.parameters(), lr=2.5e-4, eps=1e-5)

        def update():
            adam.zero_grad()
            out = network(frames.float() / 255.0)
            out.backward(gradient)
            nn.utils.clip_grad_norm_(network.parameters(), 0.5)
            adam.step()

        one = torch.randint(0, 256, (1, 4, 84, 84), dtype=torch.uint8)

        def forward():
            with torch.no_grad():
                network(one.float() / 255.0)

        print(json.dumps({
            "peer": f"pytorch {torch.__version__}",
            "cpu": cpu_model(),
            "threads": threads,
            "nature_cnn_update_b256_ms": round(1e3 * median_seconds(update, args.repeats), 1),
            "nature_cnn_forward_b1_us": round(1e6 * median_seconds(forward, 10 * args.repeats), 1),
        }))


if __name__ == "__main__":
    main()
