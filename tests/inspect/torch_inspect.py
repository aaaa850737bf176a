"""PyTorch reference for the inspector tests (run by tests/inspect/torch-inspect.ts).

JSON on stdin: {"spec": NetworkSpec, "params": {name: {"shape", "data"}}, "x": {"shape": [C,H,W], "data"},
"label": int}. Runs the one sample through torch.nn.Sequential in float64 and prints, per layer, the output,
dLoss/d(output) (the delta), and the parameter gradients, plus dLoss/dx. The loss is the sample's own:
softmax cross-entropy, or MSE as 0.5·Σ(onehot − y)² (see tests/fixtures/pytorch/README.md).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "io"))
from torch_reference import build_sequential  # noqa: E402


def main():
    request = json.load(sys.stdin)
    spec = request["spec"]
    model, _ = build_sequential(spec)
    model = model.double()
    state = {name: torch.tensor(value["data"], dtype=torch.float64).reshape(value["shape"])
             for name, value in request["params"].items()}
    model.load_state_dict(state, strict=True)
    x = torch.tensor(request["x"]["data"], dtype=torch.float64).reshape([1] + request["x"]["shape"])
    x.requires_grad_(True)
    outputs = []
    y = x
    for module in model:
        y = module(y)
        y.retain_grad()
        outputs.append(y)
    label = request["label"]
    if spec["loss"] == "softmax-cross-entropy":
        loss = torch.nn.functional.cross_entropy(y, torch.tensor([label]))
    else:
        onehot = torch.nn.functional.one_hot(torch.tensor([label]), y.shape[1]).double()
        loss = 0.5 * ((onehot - y) ** 2).sum()
    loss.backward()
    flat = lambda t: t.detach().flatten().tolist()  # noqa: E731
    print(json.dumps({
        "loss": loss.item(),
        "outputs": [flat(t) for t in outputs],
        "deltas": [flat(t.grad) for t in outputs],
        "grads": {name: flat(p.grad) for name, p in model.named_parameters()},
        "inputGrad": flat(x.grad),
    }))


main()
