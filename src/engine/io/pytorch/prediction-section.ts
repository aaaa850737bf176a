/** model.py: running the network on images (predict) and the command line. */
export const PREDICTION_SECTION = `
# --- Prediction and the command line ---------------------------------------------------------------------


@torch.no_grad()
def run_model(model: nn.Module, inputs: torch.Tensor, device: torch.device, batch_size: int = 256) -> torch.Tensor:
    """The network's outputs [N, NUM_CLASSES] in evaluation mode (dropout off), on the CPU."""
    model.eval()
    model.to(device)
    chunks = [model(inputs[start : start + batch_size].to(device)).cpu() for start in range(0, len(inputs), batch_size)]
    return torch.cat(chunks)


def predict(args: argparse.Namespace) -> None:
    model = build_model()
    model.load_state_dict(load_weights(args.weights))
    images = np.load(args.input)
    if images.shape == INPUT_SHAPE or (INPUT_SHAPE[0] == 1 and images.shape == INPUT_SHAPE[1:]):
        images = images.reshape((1,) + INPUT_SHAPE)  # a single image
    images = to_nchw(images, args.input)
    check_images(images, args.input)
    outputs = run_model(model, prepare_inputs(images), pick_device(args.device))
    classes = outputs.argmax(dim=1).tolist()
    # With softmax cross-entropy the outputs are logits and softmax turns them into probabilities; a network
    # trained with MSE gives scores that approach the one-hot target and are shown as they are.
    probabilities = torch.softmax(outputs, dim=1) if LOSS == "softmax-cross-entropy" else None
    if args.json:
        result = {"classes": classes, "outputs": outputs.tolist()}
        if probabilities is not None:
            result["probabilities"] = probabilities.tolist()
        print(json.dumps(result))
        return
    scores = probabilities if probabilities is not None else outputs
    for index, (predicted, row) in enumerate(zip(classes, scores.tolist())):
        name = f" ({CLASS_NAMES[predicted]})" if CLASS_NAMES is not None else ""
        print(f"{index}: class {predicted}{name}  " + " ".join(f"{value:.4f}" for value in row))


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    predict_command = commands.add_parser("predict", help="classify the images in a .npy file")
    predict_command.add_argument("--weights", default=WEIGHTS_FILE, help="safetensors file (default: %(default)s)")
    predict_command.add_argument("--input", required=True, help=".npy of images [N, C, H, W], [N, H, W] or one image")
    predict_command.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    predict_command.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")

    train_command = commands.add_parser("train", help="train the network (with torchrun: on several GPUs or processes)")
    train_command.add_argument("--data", default=DATA_SOURCE, help=".npz file, IDX images file, or IMAGES,LABELS (default: DATA_SOURCE)")
    train_command.add_argument("--epochs", type=int, default=TRAINING["epochs"])
    train_command.add_argument("--batch-size", type=int, default=TRAINING["batch_size"])
    train_command.add_argument("--lr", type=float, default=TRAINING["learning_rate"])
    train_command.add_argument("--seed", type=int, default=TRAINING["seed"])
    train_command.add_argument("--val-split", type=float, default=TRAINING["validation_split"], help="fraction held out; 0 trains on every sample")
    train_command.add_argument("--no-shuffle", dest="shuffle", action="store_false", help="batches in dataset order")
    train_command.add_argument("--init-weights", help="start from these weights (e.g. CNN Studio's) instead of PyTorch's initialization")
    train_command.add_argument("--out", default="trained.safetensors", help="where to write the weights (default: %(default)s)")
    train_command.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    train_command.set_defaults(shuffle=TRAINING["shuffle"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    if args.command == "predict":
        predict(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
`;
