"""PyTorch CPU peer of the benchmark: trains a workload spec (JSON on stdin) and prints samples/s per run as JSON
(per second of wall time, and per second of this process's CPU time summed over its threads).

Usage: OPENBLAS_NUM_THREADS=1 python3 bench/pytorch_peer.py THREADS WARMUP STEPS RUNS SECONDS_PER_RUN MIN_STEPS < workload.json
The workload JSON is {"spec": NetworkSpec, "batch": N}; data are random with a fixed seed, as for every system.
As in bench/measure.ts, a run that passes SECONDS_PER_RUN stops early (after at least MIN_STEPS).
"""
import json
import sys
import time

import torch


def build(spec):
    layers = []
    channels = spec["input"]["channels"]
    height, width = spec["input"]["height"], spec["input"]["width"]
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "conv2d":
            pad = layer.get("padding", 0)
            layers.append(torch.nn.Conv2d(channels, layer["filters"], layer["kernelSize"], padding=pad))
            height = height + 2 * pad - layer["kernelSize"] + 1
            width = width + 2 * pad - layer["kernelSize"] + 1
            channels = layer["filters"]
        elif kind == "relu":
            layers.append(torch.nn.ReLU())
        elif kind == "maxpool2d":
            layers.append(torch.nn.MaxPool2d(layer["poolSize"]))
            height //= layer["poolSize"]
            width //= layer["poolSize"]
        elif kind == "flatten":
            layers.append(torch.nn.Flatten())
            channels = channels * height * width
        elif kind == "dense":
            layers.append(torch.nn.Linear(channels, layer["units"]))
            channels = layer["units"]
    return torch.nn.Sequential(*layers)


def main():
    threads, warmup, steps, runs = (int(value) for value in sys.argv[1:5])
    seconds_per_run, min_steps = float(sys.argv[5]), int(sys.argv[6])
    torch.set_num_threads(threads)
    workload = json.load(sys.stdin)
    spec, batch = workload["spec"], workload["batch"]
    torch.manual_seed(9)
    model = build(spec)
    x = torch.rand(batch, spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"])
    labels = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), labels).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    rates, cpu_rates, fewest = [], [], steps
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        done = 0
        while done < steps:
            step()
            done += 1
            if done >= min_steps and time.perf_counter() - start > seconds_per_run:
                break
        cpu_rates.append(done * batch / (time.process_time() - cpu_start))
        rates.append(done * batch / (time.perf_counter() - start))
        fewest = min(fewest, done)
    result = {"steps": fewest, "runs": rates, "cpuRuns": cpu_rates, "threads": torch.get_num_threads(), "version": torch.__version__}
    print(json.dumps(result))


main()
