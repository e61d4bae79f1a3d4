"""``tinynet demo``: train on two generated half-moons and show the loss falling; no files."""

from ..data import train_test_split
from ..datasets import half_moons
from ..network import NeuralNet
from ..scaler import StandardScaler
from . import progress
from .options import non_negative_int, positive_int
from .scores import score_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, List


def add_parser(commands: "Any") -> None:
    demo = commands.add_parser(
        "demo", help="train on two generated half-moons and show the loss falling",
        description="Generate two interleaved half-moons (no files), train a small network "
                    "on three quarters of the points and test it on the rest.")
    demo.add_argument("--seed", type=non_negative_int, default=0,
                      help="seed for the data and the weights (default 0)")
    demo.add_argument("--iterations", type=positive_int, default=300, metavar="N",
                      help="training epochs (default 300)")
    demo.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    X, y = half_moons(200, noise=0.2, seed=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=args.seed, stratify=True)
    net = NeuralNet(layers=[2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.02,
                    iterations=args.iterations, seed=args.seed)
    net.scaler = StandardScaler().fit(X_train)
    print("Two half-moons: %d points (o = class 0, x = class 1), no straight line between them."
          % len(X))
    print("Training a 2-16-1 network (tanh, Adam) on %d of them, testing on the other %d."
          % (len(X_train), len(X_test)))
    print()
    # Plain lines without times: the point is to see the loss fall, the same on every run.
    progress.fit(net, X_train, y_train, lines=True, timed=False)
    if net.interrupted_at_epoch is not None:
        raise KeyboardInterrupt  # nothing to keep: the demo saves no files
    print()
    print(score_line("train", net, X_train, y_train))
    print(score_line("test ", net, X_test, y_test))
    print()
    print("What the network learned (. = predicts class 0, space = class 1):")
    print(region_map(net, X, y))


def region_map(net: NeuralNet, X: "List[List[float]]", y: "List[int]",
               width: int = 64, height: int = 20) -> str:
    """The plane as text: each character is the class the network predicts there,
    with the data points drawn on top."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    left, right = min(xs) - 0.1, max(xs) + 0.1
    bottom, top = min(ys) - 0.1, max(ys) + 0.1
    centres = [[left + (c + 0.5) * (right - left) / width, top - (r + 0.5) * (top - bottom) / height]
               for r in range(height) for c in range(width)]
    regions = net.predict(centres)
    grid = [["." if regions[r * width + c] == 0 else " " for c in range(width)]
            for r in range(height)]
    for (px, py), label in zip(X, y):
        c = min(width - 1, int((px - left) / (right - left) * width))
        r = min(height - 1, int((top - py) / (top - bottom) * height))
        grid[r][c] = "o" if label == 0 else "x"
    border = "+" + "-" * width + "+"
    return "\n".join([border] + ["|" + "".join(row) + "|" for row in grid] + [border])
