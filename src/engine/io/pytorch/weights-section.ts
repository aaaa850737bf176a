/** model.py: reading and writing safetensors, with or without the safetensors package. */
export const WEIGHTS_SECTION = `
# --- Weights ---------------------------------------------------------------------------------------------
# CNN Studio reads and writes safetensors files. A safetensors file is an 8-byte little-endian header length
# N, N bytes of JSON {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}, then the tensors'
# bytes (little endian), back to back. The package "safetensors" is used when installed; otherwise the two
# small functions below do the same for float32 tensors and the int64 counters batch norm keeps
# (num_batches_tracked, dtype I64).

# safetensors dtype <-> NumPy type (little endian) for what CNN Studio writes.
SAFETENSORS_DTYPES = {"F32": "<f4", "I64": "<i8"}


def load_weights(path: str) -> dict[str, torch.Tensor]:
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors(path)
    return load_file(path)


def save_weights(state_dict: dict[str, torch.Tensor], path: str) -> None:
    tensors = {
        name: value.detach().to("cpu", torch.float32 if value.is_floating_point() else torch.int64).contiguous()
        for name, value in state_dict.items()
    }
    try:
        from safetensors.torch import save_file
    except ImportError:
        write_safetensors(tensors, path)
        return
    save_file(tensors, path)


def read_safetensors(path: str) -> dict[str, torch.Tensor]:
    with open(path, "rb") as file:
        data = file.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    data_start = 8 + header_length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in SAFETENSORS_DTYPES:
            sys.exit(f"{path}: tensor {name!r} is {info['dtype']}; without the safetensors package only F32 and I64 are read")
        begin, end = info["data_offsets"]
        # "<f4"/"<i8" read little endian whatever this machine's byte order; astype makes a writable copy.
        dtype = np.dtype(SAFETENSORS_DTYPES[info["dtype"]])
        values = np.frombuffer(data, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=data_start + begin)
        tensors[name] = torch.from_numpy(values.astype(dtype.newbyteorder("=")).reshape(info["shape"]))
    return tensors


def write_safetensors(tensors: dict[str, torch.Tensor], path: str) -> None:
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        dtype = "F32" if tensors[name].is_floating_point() else "I64"
        chunk = tensors[name].numpy().astype(SAFETENSORS_DTYPES[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)  # pad with spaces so the tensor data starts 8-byte aligned
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(header_bytes)))
        file.write(header_bytes)
        file.writelines(chunks)
`;
