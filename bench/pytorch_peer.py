"""PyTorch peer of the benchmark: trains a workload spec (JSON on stdin) and prints samples/s per run as JSON
(per second of wall time, and per second of this process's CPU time summed over its threads).

Usage: OPENBLAS_NUM_THREADS=1 python3 bench/pytorch_peer.py THREADS WARMUP STEPS RUNS SECONDS_PER_RUN MIN_STEPS [DEVICE] < workload.json
DEVICE is cpu (default) or cuda: the model and the batch live on the GPU, and each run's clock stops only after
torch.cuda.synchronize(), so the steps still queued on the GPU are inside the time.
`python3 bench/pytorch_peer.py --cuda-check` prints {"cuda": true, "device": NAME} or {"cuda": false, "why": ...}.
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


def cuda_check():
    if torch.cuda.is_available():
        return {"cuda": True, "device": torch.cuda.get_device_name(0), "version": torch.__version__}
    built = torch.version.cuda
    why = f"torch {torch.__version__} is built without CUDA" if built is None else f"torch {torch.__version__} (CUDA {built}) finds no CUDA device"
    return {"cuda": False, "why": why}


def main():
    if sys.argv[1:] == ["--cuda-check"]:
        print(json.dumps(cuda_check()))
        return
    threads, warmup, steps, runs = (int(value) for value in sys.argv[1:5])
    seconds_per_run, min_steps = float(sys.argv[5]), int(sys.argv[6])
    device = torch.device(sys.argv[7] if len(sys.argv) > 7 else "cpu")
    torch.set_num_threads(threads)
    workload = json.load(sys.stdin)
    spec, batch = workload["spec"], workload["batch"]
    torch.manual_seed(9)
    model = build(spec).to(device)
    x = torch.rand(batch, spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"]).to(device)
    labels = torch.randint(0, 10, (batch,)).to(device)

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize()

    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), labels).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    synchronize()
    rates, cpu_rates, fewest = [], [], steps
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        done = 0
        while done < steps:
            step()
            done += 1
            if done >= min_steps and time.perf_counter() - start > seconds_per_run:
                break
        synchronize()
        cpu_rates.append(done * batch / (time.process_time() - cpu_start))
        rates.append(done * batch / (time.perf_counter() - start))
        fewest = min(fewest, done)
    result = {"steps": fewest, "runs": rates, "cpuRuns": cpu_rates, "threads": torch.get_num_threads(), "version": torch.__version__,
              "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu"}
    print(json.dumps(result))


main()
