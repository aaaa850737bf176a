"""PyTorch side of the weights and shape tests (run by tests/io/python.ts).

Subcommands (JSON on stdin, JSON on stdout):
  write          {"files": [{"path", "tensors": {key: {"shape", "data"}}, "metadata"?}]}: writes each file
                 as the reference writer does (the safetensors package when installed, else by hand).
  dtypes OUT     writes F16, BF16, F64 and F32 tensors to OUT; prints their values as float32 bit patterns.
  load FILE      {"spec": NetworkSpec}: parses FILE by hand (struct + json, no CNN Studio code), loads it
                 with torch.nn.Sequential.load_state_dict(strict=True) and prints the state_dict
                 (values as float32 bit patterns).
  shapes         {"specs": [NetworkSpec, ...]}: builds each as torch.nn.Sequential and prints, per layer,
                 the output shape of one sample and the parameter shapes.
"""
import json
import struct
import sys

import torch
from torch import nn

try:
    import safetensors.torch as reference
except ImportError:
    reference = None

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64"}
ALIGNMENT = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2}


def float32_bits(tensor):
    """Exact values for the comparison in JavaScript, -0, infinities and NaN included."""
    return tensor.contiguous().flatten().view(torch.int32).tolist()


def raw_bytes(tensor):
    if tensor.dtype == torch.bfloat16:
        return tensor.contiguous().view(torch.int16).numpy().tobytes()
    return tensor.contiguous().numpy().tobytes()


def serialize_by_hand(tensors, metadata):
    """The reference layout: tensors by descending dtype alignment, then name; compact JSON; space padding."""
    order = sorted(tensors, key=lambda name: (-ALIGNMENT[DTYPES[tensors[name].dtype]], name.encode("utf-8")))
    header, chunks, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name in order:
        data = raw_bytes(tensors[name])
        header[name] = {"dtype": DTYPES[tensors[name].dtype], "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def serialize(tensors, metadata):
    if reference is not None:
        return reference.save(tensors, metadata=metadata)
    return serialize_by_hand(tensors, metadata)


def parse_by_hand(path):
    with open(path, "rb") as file:
        content = file.read()
    (length,) = struct.unpack("<Q", content[:8])
    header = json.loads(content[8:8 + length].decode("utf-8"))
    header.pop("__metadata__", None)
    data = content[8 + length:]
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = flat.reshape(info["shape"])
    return tensors


def build_sequential(spec):
    """One torch module per spec layer; sizes come from running torch itself on a zero sample."""
    x = torch.zeros(1, spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"])
    modules, shapes = [], []
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "conv2d":
            module = nn.Conv2d(x.shape[1], layer["filters"], layer["kernelSize"],
                               stride=layer.get("stride", 1), padding=layer.get("padding", 0))
        elif kind in ("maxpool2d", "avgpool2d"):
            pool = nn.MaxPool2d if kind == "maxpool2d" else nn.AvgPool2d
            module = pool(layer["poolSize"], stride=layer.get("stride", layer["poolSize"]))
        elif kind == "dense":
            module = nn.Linear(x.shape[1], layer["units"])
        elif kind == "dropout":
            module = nn.Dropout(layer["rate"])
        else:
            module = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "flatten": nn.Flatten}[kind]()
        module.eval()
        x = module(x)
        modules.append(module)
        shapes.append(list(x.shape[1:]))
    return nn.Sequential(*modules), shapes


def main():
    command = sys.argv[1]
    if command == "write":
        for request in json.load(sys.stdin)["files"]:
            tensors = {name: torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])
                       for name, t in request["tensors"].items()}
            with open(request["path"], "wb") as file:
                file.write(serialize(tensors, request.get("metadata")))
        print(json.dumps({"writer": "safetensors" if reference else "by hand"}))
    elif command == "dtypes":
        values = torch.tensor([0.0, -0.0, 1.0, -2.5, 1 / 3, 65504.0, 6e-8, 1e-3, float("inf"), -1e30])
        tensors = {
            "half": values.clamp(-65504, 65504).to(torch.float16).reshape(2, 5),
            "brain": values.to(torch.bfloat16),
            "double": values.to(torch.float64).reshape(5, 2) / 7,
            "single": values.reshape(10, 1),
        }
        with open(sys.argv[2], "wb") as file:
            file.write(serialize(tensors, {"source": "torch"}))
        print(json.dumps({name: float32_bits(t.float()) for name, t in tensors.items()}))
    elif command == "load":
        spec = json.load(sys.stdin)["spec"]
        model, _ = build_sequential(spec)
        model.load_state_dict(parse_by_hand(sys.argv[2]), strict=True)
        if reference is not None:
            for name, tensor in reference.load_file(sys.argv[2]).items():
                assert torch.equal(tensor, model.state_dict()[name]), name
        print(json.dumps({name: {"shape": list(t.shape), "bits": float32_bits(t)}
                          for name, t in model.state_dict().items()}))
    elif command == "shapes":
        reports = []
        for spec in json.load(sys.stdin)["specs"]:
            model, shapes = build_sequential(spec)
            reports.append({"outputs": shapes,
                            "parameters": {name: list(t.shape) for name, t in model.state_dict().items()}})
        print(json.dumps(reports))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
