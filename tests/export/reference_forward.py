"""Reference outputs for the exporter tests, computed by PyTorch from raw float32 files rather than through the
exported script's own weight and image readers. For each case in the JSON job file: build_model() from the
generated model.py, load_state_dict from "{name}.bin" files, normalize, run in eval mode, softmax if asked.
Prints one JSON list of flat output lists, one per case."""
import importlib.util
import json
import sys

import numpy as np
import torch


def build_model(script_path, index):
    spec = importlib.util.spec_from_file_location(f"exported_model_{index}", script_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_model()


def read_floats(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape))


def reference(case, index):
    model = build_model(case["script"], index)
    state = {name: read_floats(f"{case['directory']}/{name}.bin", shape) for name, shape in case["shapes"].items()}
    model.load_state_dict(state)  # strict: every key present with its exact shape
    model.eval()
    x = read_floats(case["input"], case["inputShape"])
    if case["normalization"] is not None:
        mean = torch.tensor(case["normalization"]["mean"]).view(1, -1, 1, 1)
        std = torch.tensor(case["normalization"]["std"]).view(1, -1, 1, 1)
        x = (x - mean) / std
    with torch.no_grad():
        y = model(x)
    if case["softmax"]:
        y = torch.softmax(y, dim=1)
    return y.reshape(-1).tolist()


with open(sys.argv[1]) as job_file:
    cases = json.load(job_file)
print(json.dumps([reference(case, index) for index, case in enumerate(cases)]))
