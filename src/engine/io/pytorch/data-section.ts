/** model.py: reading .npz and IDX datasets and preparing images as CNN Studio does. */
export const DATA_SECTION = String.raw`
# --- Data ------------------------------------------------------------------------------------------------


def load_dataset(source: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Images [N, C, H, W] as stored (uint8 or float) and labels [N] as int64, from a .npz or IDX source."""
    if source is None or source.startswith("builtin:"):
        sys.exit(f"give the training data with --data (CNN Studio's {source or 'data'} is not available here; see the top of this file)")
    if source.lower().endswith(".npz"):
        images, labels = load_npz(source)
    elif "," in source or "idx" in plain_name(os.path.basename(source)):
        images, labels = load_idx_pair(source)
    else:
        sys.exit(f"{source}: this script reads .npz archives and IDX files (see the top of this file); save other data as .npz")
    if len(images) != len(labels):
        sys.exit(f"{source}: {len(images)} images but {len(labels)} labels; they must pair up one to one")
    check_images(images, source)
    if len(labels) == 0 or labels.min() < 0 or labels.max() >= NUM_CLASSES:
        sys.exit(f"{source}: labels must be class numbers 0..{NUM_CLASSES - 1}, one per image")
    return images, labels


def load_npz(path: str) -> tuple[np.ndarray, np.ndarray]:
    """Arrays x and y, or x_train and y_train as in keras' mnist.npz."""
    with np.load(path) as archive:
        for x_name, y_name in (("x", "y"), ("x_train", "y_train")):
            if x_name in archive.files and y_name in archive.files:
                return to_nchw(archive[x_name], path), archive[y_name].reshape(-1).astype(np.int64)
        found = ", ".join(archive.files)
    sys.exit(f"{path}: needs arrays x and y (or x_train and y_train) but holds {found}")


def to_nchw(images: np.ndarray, source: str) -> np.ndarray:
    """The image layouts CNN Studio accepts, as [N, C, H, W]: [N, H, W] (one channel), [N, C, H, W],
    [N, H, W, C] with C = 1 or 3 (channels last, when the second axis is not 1 or 3) and [N, side*side]."""
    if images.ndim == 3:
        return images[:, None, :, :]
    if images.ndim == 4:
        channels_last = images.shape[3] in (1, 3) and images.shape[1] not in (1, 3)
        return images.transpose(0, 3, 1, 2) if channels_last else images
    if images.ndim == 2 and math.isqrt(images.shape[1]) ** 2 == images.shape[1]:
        side = math.isqrt(images.shape[1])
        return images.reshape(-1, 1, side, side)
    sys.exit(f"{source}: images of shape {list(images.shape)}; expected [N, H, W], [N, C, H, W], [N, H, W, C] or [N, side*side]")


def load_idx_pair(source: str) -> tuple[np.ndarray, np.ndarray]:
    """IDX images and labels (MNIST's format), given as IMAGES,LABELS or as the images file alone."""
    images_path, _, labels_path = source.partition(",")
    images = read_idx(images_path, dimensions=3)
    labels = read_idx(labels_path or idx_labels_path(images_path), dimensions=1)
    return images[:, None, :, :], labels.astype(np.int64)


def read_idx(path: str, dimensions: int) -> np.ndarray:
    """IDX: two zero bytes, a type code (8 = unsigned byte), the number of dimensions, one big-endian uint32
    per dimension, then the values row by row. Gzipped files are recognized by their first two bytes."""
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:4] != bytes([0, 0, 8, dimensions]):
        sys.exit(f"{path}: not an IDX file of unsigned bytes with {dimensions} dimension(s)")
    shape = struct.unpack(f">{dimensions}I", data[4 : 4 + 4 * dimensions])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def idx_labels_path(images_path: str) -> str:
    """The MNIST naming rule: train-images-idx3-ubyte pairs with train-labels-idx1-ubyte beside it (the name's
    case and a .gz suffix aside; the uncompressed file wins when both exist)."""
    folder, name = os.path.split(images_path)
    plain = plain_name(name)
    at = plain.rfind("images")
    if at < 0 or "idx3" not in plain:
        sys.exit(f"{images_path}: cannot tell the labels file from this name; give both as IMAGES,LABELS")
    wanted = (plain[:at] + "labels" + plain[at + len("images") :]).replace("idx3", "idx1")
    matches = sorted((n for n in os.listdir(folder or ".") if plain_name(n) == wanted), key=lambda n: n.lower().endswith(".gz"))
    if not matches:
        sys.exit(f"{images_path}: no labels file {wanted}[.gz] beside it; give both as IMAGES,LABELS")
    return os.path.join(folder, matches[0])


def plain_name(name: str) -> str:
    name = name.lower()
    return name[: -len(".gz")] if name.endswith(".gz") else name


def check_images(images: np.ndarray, source: str) -> None:
    if images.shape[1:] != INPUT_SHAPE:
        sys.exit(f"{source}: images are {list(images.shape[1:])} but the network takes {list(INPUT_SHAPE)} (C, H, W)")


def prepare_inputs(images: np.ndarray) -> torch.Tensor:
    """Pixels as CNN Studio feeds them to the network: uint8 images (and integer images within 0..255) are
    scaled to [0, 1] by dividing by 255, float images are used as given; then the normalization, if any."""
    is_pixels = np.issubdtype(images.dtype, np.integer) and images.size > 0 and images.min() >= 0 and images.max() <= 255
    inputs = torch.from_numpy(images.astype(np.float32))
    if is_pixels:
        inputs = inputs / 255
    if NORMALIZATION is not None:
        mean = torch.tensor(NORMALIZATION["mean"]).view(1, -1, 1, 1)
        std = torch.tensor(NORMALIZATION["std"]).view(1, -1, 1, 1)
        inputs = (inputs - mean) / std
    return inputs
`;
