/** model.py: the training loop, on CPU, one GPU, or several processes under torchrun (DistributedDataParallel). */
export const TRAINING_SECTION = `
# --- Training --------------------------------------------------------------------------------------------


def make_optimizer(parameters, learning_rate: float) -> torch.optim.Optimizer:
    """CNN Studio's optimizers follow torch.optim's update rules exactly, so these are the same optimizers."""
    if TRAINING["optimizer"] == "adamw":
        return torch.optim.AdamW(
            parameters,
            lr=learning_rate,
            betas=TRAINING["betas"],
            eps=TRAINING["eps"],
            weight_decay=TRAINING["weight_decay"],
        )
    if TRAINING["optimizer"] == "adam":
        return torch.optim.Adam(
            parameters,
            lr=learning_rate,
            betas=TRAINING["betas"],
            eps=TRAINING["eps"],
            weight_decay=TRAINING["weight_decay"],
        )
    return torch.optim.SGD(
        parameters,
        lr=learning_rate,
        momentum=TRAINING["momentum"],
        dampening=TRAINING["dampening"],
        nesterov=TRAINING["nesterov"],
        weight_decay=TRAINING["weight_decay"],
    )


def warmup_factor(epoch: int, epochs: int) -> float:
    """The learning rate of an epoch as a multiple of the base rate with WARMUP epochs first: (e + 1) / (W + 1)
    while warming up, then the schedule over the remaining epochs as if they were the whole run (as torch's
    LinearLR(start_factor=1 / (W + 1), total_iters=W) followed by the schedule in SequentialLR)."""
    warmup, schedule = TRAINING["warmup_epochs"], TRAINING["schedule"]
    if epoch < warmup:
        return (epoch + 1) / (warmup + 1)
    epoch, epochs = epoch - warmup, max(1, epochs - warmup)
    if schedule["type"] == "step":
        return schedule["gamma"] ** (epoch // schedule["step_size"])
    if schedule["type"] == "cosine":
        floor = schedule["min_lr"] / TRAINING["learning_rate"]
        return floor + (1 - floor) * (1 + math.cos(math.pi * epoch / epochs)) / 2
    return 1.0


def make_scheduler(optimizer: torch.optim.Optimizer, epochs: int):
    """The learning-rate schedule, stepped once per epoch as in CNN Studio; None keeps the rate constant."""
    schedule = TRAINING["schedule"]
    if TRAINING["warmup_epochs"] > 0:
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: warmup_factor(epoch, epochs))
    if schedule["type"] == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=schedule["step_size"], gamma=schedule["gamma"])
    if schedule["type"] == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=schedule["min_lr"])
    return None


def augment(x: torch.Tensor) -> torch.Tensor:
    """CNN Studio's augmentation of a training batch, per sample: a random crop of the image padded by
    TRAINING["augment"]["crop_padding"] zero pixels on each side (torchvision's RandomCrop(padding=p)), then a
    random left-right flip with probability 1/2 (RandomHorizontalFlip). The draws come from torch's generator,
    so the crops differ from CNN Studio's own, which come from its seeded generator."""
    settings = TRAINING["augment"]
    padding, count = settings["crop_padding"], len(x)
    if padding > 0:
        # a zero pixel after the normalization the inputs already went through
        zero = -torch.tensor(NORMALIZATION["mean"]) / torch.tensor(NORMALIZATION["std"]) if NORMALIZATION else torch.zeros(x.shape[1])
        zero = zero.view(1, -1, 1, 1).to(x)
        padded = F.pad(x - zero, (padding, padding, padding, padding)) + zero
        tops = torch.randint(0, 2 * padding + 1, (count,)).tolist()
        lefts = torch.randint(0, 2 * padding + 1, (count,)).tolist()
        height, width = x.shape[2], x.shape[3]
        x = torch.stack([padded[n, :, tops[n] : tops[n] + height, lefts[n] : lefts[n] + width] for n in range(count)])
    if settings["hflip"]:
        flips = torch.rand(count) < 0.5
        x = torch.where(flips.view(-1, 1, 1, 1).to(x.device), x.flip(3), x)
    return x


def pick_device(choice: str) -> torch.device:
    """With "auto": a GPU when PyTorch sees one, else the CPU."""
    use_cuda = torch.cuda.is_available() if choice == "auto" else choice == "cuda"
    return torch.device("cuda" if use_cuda else "cpu")


def start_processes(device_choice: str) -> tuple[torch.device, int, int]:
    """Returns (device, rank, world size). Run plainly, this is one process. Run under torchrun, which starts
    one process per GPU (or per CPU worker) and sets RANK, LOCAL_RANK and WORLD_SIZE, the processes join one
    group: NCCL carries the gradients between GPUs, gloo between CPU processes."""
    if "WORLD_SIZE" not in os.environ:
        return pick_device(device_choice), 0, 1
    use_cuda = pick_device(device_choice).type == "cuda"
    local_rank = int(os.environ["LOCAL_RANK"])
    if use_cuda:
        torch.cuda.set_device(local_rank)
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    return device, dist.get_rank(), dist.get_world_size()


def split_validation(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Holds out the fraction of each class (stratified, as CNN Studio does); returns the (train, validation)
    indices, each in dataset order. The held-out samples are chosen by NumPy's generator, not CNN Studio's."""
    rng = np.random.default_rng(seed)
    train, validation = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        held_out = int(round(fraction * len(members)))
        validation.append(members[:held_out])
        train.append(members[held_out:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(validation))


def train(args: argparse.Namespace) -> None:
    device, rank, world_size = start_processes(args.device)
    distributed = dist.is_initialized()
    torch.manual_seed(args.seed)  # the same initial weights in every process

    images, labels = load_dataset(args.data)
    inputs, targets = prepare_inputs(images), torch.from_numpy(labels)
    train_indices, validation_indices = split_validation(labels, args.val_split, args.seed)
    train_set = TensorDataset(inputs[train_indices], targets[train_indices])

    model = build_model()
    if args.init_weights:
        model.load_state_dict(load_weights(args.init_weights))
    model.to(device)
    network = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if distributed else model

    # --batch-size is the batch of one optimizer step, as in CNN Studio. Each of the world_size processes takes
    # an equal share and DDP averages their gradients, which is the gradient of the mean loss over the batch.
    per_process_batch = max(1, args.batch_size // world_size)
    # DistributedSampler deals each process its own part of the data (repeating a few samples if it does not
    # divide evenly) and reshuffles every epoch through set_epoch.
    sampler = DistributedSampler(train_set, shuffle=args.shuffle, seed=args.seed) if distributed else None
    loader = DataLoader(
        train_set,
        batch_size=per_process_batch,
        shuffle=args.shuffle and sampler is None,
        sampler=sampler,
        generator=torch.Generator().manual_seed(args.seed),
    )
    optimizer = make_optimizer(model.parameters(), args.lr)
    scheduler = make_scheduler(optimizer, args.epochs)

    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        network.train()
        totals = torch.zeros(3, dtype=torch.float64, device=device)  # loss sum, correct predictions, samples
        for x, y in loader:
            x, y = augment(x).to(device), y.to(device)
            optimizer.zero_grad()
            outputs = network(x)
            loss = compute_loss(outputs, y)
            loss.backward()
            optimizer.step()
            correct = (outputs.argmax(dim=1) == y).sum()
            totals += torch.stack([loss.detach().double() * len(y), correct.double(), totals.new_tensor(len(y))])
        if distributed:
            dist.all_reduce(totals)
        if scheduler is not None:
            scheduler.step()
        if rank == 0:
            loss_sum, correct, count = totals.tolist()
            line = f"epoch {epoch + 1}/{args.epochs}  loss {loss_sum / count:.4f}  accuracy {correct / count:.2%}"
            if len(validation_indices) > 0:
                outputs = run_model(model, inputs[validation_indices], device)
                validation_labels = targets[validation_indices]
                validation_loss = compute_loss(outputs, validation_labels).item()
                validation_accuracy = (outputs.argmax(dim=1) == validation_labels).double().mean().item()
                line += f"  validation loss {validation_loss:.4f}  accuracy {validation_accuracy:.2%}"
            print(line, flush=True)

    if rank == 0:
        save_weights(model.state_dict(), args.out)
        print(f"saved the trained weights to {args.out}")
    if distributed:
        dist.destroy_process_group()
`;
