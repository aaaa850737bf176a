"""PyTorch peer of the bench's fashion-resnet line: trains the model.py that `cnn-studio export --format pytorch`
wrote (its build_model, optimizer, schedule and augmentation, unchanged) on Fashion-MNIST with the same settings
as the `cnn-studio train` run, and prints one JSON object per line: an "epoch" line after each epoch (seconds of
training plus validation, as the CLI's epochs count them) and a final "test" line (accuracy of the epoch with the
lowest validation loss on the test images, as `train --test` reports it).

Usage: python3 bench/fashion_resnet_peer.py MODEL_PY THREADS < settings.json
settings.json: {"train": TRAIN_IMAGES_IDX, "test": TEST_IMAGES_IDX, "epochs", "batchSize", "learningRate",
"optimizer", "weightDecay", "schedule": "constant" | "cosine", "cropPadding", "hflip", "validationSplit", "seed"}.
"""
import copy
import importlib.util
import json
import sys
import time

import torch
from torch.utils.data import DataLoader, TensorDataset


def load_model_module(path):
    spec = importlib.util.spec_from_file_location("exported_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def emit(line):
    print(json.dumps(line), flush=True)


def main():
    model_py, threads = sys.argv[1], int(sys.argv[2])
    settings = json.load(sys.stdin)
    torch.set_num_threads(threads)
    m = load_model_module(model_py)
    m.TRAINING.update(
        optimizer=settings["optimizer"],
        learning_rate=settings["learningRate"],
        weight_decay=settings["weightDecay"],
        schedule={"type": "cosine", "min_lr": 0.0} if settings["schedule"] == "cosine" else {"type": "constant"},
        warmup_epochs=0,
        augment={"hflip": settings["hflip"], "crop_padding": settings["cropPadding"]},
    )
    torch.manual_seed(settings["seed"])
    images, labels = m.load_dataset(settings["train"])
    inputs, targets = m.prepare_inputs(images), torch.from_numpy(labels)
    train_indices, validation_indices = m.split_validation(labels, settings["validationSplit"], settings["seed"])
    train_set = TensorDataset(inputs[train_indices], targets[train_indices])
    loader = DataLoader(
        train_set,
        batch_size=settings["batchSize"],
        shuffle=True,
        generator=torch.Generator().manual_seed(settings["seed"]),
    )
    device = torch.device("cpu")
    model = m.build_model()
    optimizer = m.make_optimizer(model.parameters(), settings["learningRate"])
    scheduler = m.make_scheduler(optimizer, settings["epochs"])
    best = (float("inf"), None, 0)
    for epoch in range(settings["epochs"]):
        start = time.perf_counter()
        model.train()
        correct, count = 0, 0
        for x, y in loader:
            x = m.augment(x)
            optimizer.zero_grad()
            outputs = model(x)
            m.compute_loss(outputs, y).backward()
            optimizer.step()
            correct += (outputs.argmax(dim=1) == y).sum().item()
            count += len(y)
        if scheduler is not None:
            scheduler.step()
        line = {"type": "epoch", "epoch": epoch + 1, "trainAccuracy": correct / count}
        if len(validation_indices) > 0:
            outputs = m.run_model(model, inputs[validation_indices], device)
            loss = m.compute_loss(outputs, targets[validation_indices]).item()
            line["validationLoss"] = loss
            line["validationAccuracy"] = (outputs.argmax(dim=1) == targets[validation_indices]).double().mean().item()
            if loss < best[0]:
                best = (loss, copy.deepcopy(model.state_dict()), epoch + 1)
        else:
            best = (0.0, copy.deepcopy(model.state_dict()), epoch + 1)
        line["seconds"] = time.perf_counter() - start
        emit(line)
        print(f"fashion-resnet pytorch: epoch {epoch + 1} in {line['seconds']:.1f} s, train {line['trainAccuracy']:.2%}, validation {line.get('validationAccuracy', 0):.2%}", file=sys.stderr, flush=True)
    model.load_state_dict(best[1])
    test_images, test_labels = m.load_dataset(settings["test"])
    outputs = m.run_model(model, m.prepare_inputs(test_images), device)
    accuracy = (outputs.argmax(dim=1) == torch.from_numpy(test_labels)).double().mean().item()
    emit({"type": "test", "accuracy": accuracy, "epoch": best[2], "threads": torch.get_num_threads(), "version": torch.__version__})


main()
