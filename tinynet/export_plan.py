"""A trained model as the code generators need it: checked, transposed, described.

``tinynet.export_python`` and ``tinynet.export_c`` write one network in two
languages.  What they share lives here:

=============================  ====================================================
``read_plan(model)``           an ``ExportPlan`` from a model-file dict (the JSON
                               object, or ``net.to_dict()``), checked
``ExportPlan``                 layers, weights one unit at a time, scalers, names
``header_lines(plan, ...)``    what a generated file says about itself, with user
                               text written by each language's escaping
``wrap_header(lines)``         its long labelled lines broken at spaces
``identifier(text, fallback)`` user text made into a name any language accepts
``unique_identifiers(texts)``  the same for a list, with no two alike
=============================  ====================================================

Why "one unit at a time"
------------------------
A model file stores ``Wl`` as ``n(l-1)`` rows of ``nl`` numbers, the way
``Z = A @ W + b`` multiplies.  A predictor for one row computes each unit's
``z_j = sum_k a[k] * W[k][j] + b[j]``: a dot product with *column* ``j``.  So
the plan keeps each layer transposed, one list per unit (column ``j`` of
``Wl``), and the generated code walks two plain sequences in step.

>>> from tinynet.network import NeuralNet
>>> net = NeuralNet(layers=[2, 3, 1], seed=1)
>>> net.init_weights()
>>> plan = read_plan(net.to_dict())
>>> plan.layers, len(plan.units[0]), len(plan.units[0][0])
([2, 3, 1], 3, 2)
>>> plan.units[0][2][1] == net.params["W1"][1, 2]
True
>>> identifier("body mass (kg)", "x"), identifier("2nd", "x"), identifier("*/", "x")
('body_mass_kg', 'x_2nd', 'x')
"""

import math

from .errors import ModelFileError
from .outputs import output_layer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Union

    Label = Union[str, int, float]

# What each output kind's predict_proba holds, for the header (a row per kind
# of tinynet.outputs.OUTPUT_NAMES).
OUTPUT_MEANINGS = {
    "sigmoid": "the probability of class 1 (one number)",
    "softmax": "one probability per class, summing to 1",
    "linear": "regression: the predicted values",
}


class ExportPlan:
    """One trained network, read from a model file, ready to be written as code.

    ``units[l][j]`` holds the weights into unit ``j`` of layer ``l + 1`` (column
    ``j`` of ``W(l+1)``), ``biases[l][j]`` its bias.  ``mean``/``scale`` are the
    input scaler (None without one), ``target_mean``/``target_scale`` the target
    scaler of a linear output.  ``classes`` are the class labels (index i is
    class i) when the model file names them, else None.
    """

    __slots__ = ("layers", "activation", "output", "units", "biases", "mean", "scale",
                 "target_mean", "target_scale", "features", "target", "classes")

    def __init__(self) -> None:
        self.layers: "List[int]" = []
        self.activation = ""
        self.output = ""
        self.units: "List[List[List[float]]]" = []
        self.biases: "List[List[float]]" = []
        self.mean: "Optional[List[float]]" = None
        self.scale: "Optional[List[float]]" = None
        self.target_mean: "Optional[List[float]]" = None
        self.target_scale: "Optional[List[float]]" = None
        self.features: "Optional[List[str]]" = None
        self.target: "Optional[str]" = None
        self.classes: "Optional[List[Label]]" = None

    @property
    def n_inputs(self) -> int:
        return self.layers[0]

    @property
    def n_outputs(self) -> int:
        return self.layers[-1]

    @property
    def is_classifier(self) -> bool:
        return output_layer(self.output).is_classifier

    @property
    def n_classes(self) -> int:
        """How many classes the output tells apart (``tinynet.outputs``); 0 for regression."""
        layer = output_layer(self.output)
        return layer.n_classes(self.n_outputs) if layer.is_classifier else 0

    def n_weights(self) -> int:
        """How many weights (not biases) the layers hold."""
        return sum(self.layers[l] * self.layers[l + 1] for l in range(len(self.layers) - 1))

    def n_biases(self) -> int:
        return sum(self.layers[1:])


def read_plan(model: "Dict[str, Any]") -> ExportPlan:
    """The plan for ``model``, a model-file dict; ModelFileError when it is not one.

    ``NeuralNet.from_dict`` checks every field a network needs; the optional
    ``classes`` list (class labels, index i = class i) is checked here.
    """
    from .network import NeuralNet

    if not isinstance(model, dict):
        raise ModelFileError("a model to export must be a model-file dict, got %s"
                             % type(model).__name__)
    classes = model.get("classes")
    NeuralNet.from_dict({key: value for key, value in model.items() if key != "classes"})
    plan = ExportPlan()
    plan.layers = [int(size) for size in model["layers"]]
    plan.activation = model["activation"]
    plan.output = model["output"]
    params = model["params"]
    for l in range(1, len(plan.layers)):
        rows = params["W%d" % l]
        plan.units.append([[float(row[j]) for row in rows] for j in range(plan.layers[l])])
        plan.biases.append([float(b) for b in params["b%d" % l]])
    scaler = model.get("scaler")
    if scaler is not None:
        plan.mean = [float(v) for v in scaler["mean"]]
        plan.scale = [float(v) for v in scaler["scale"]]
    target_scaler = model.get("target_scaler")
    if target_scaler is not None:
        plan.target_mean = [float(v) for v in target_scaler["mean"]]
        plan.target_scale = [float(v) for v in target_scaler["scale"]]
    features = model.get("features")
    plan.features = None if features is None else list(features)
    plan.target = model.get("target")
    plan.classes = _checked_classes(classes, plan)
    return plan


def _checked_classes(classes: object, plan: ExportPlan) -> "Optional[List[Label]]":
    """The ``classes`` list, or ModelFileError naming what is wrong with it."""
    if classes is None:
        return None
    if not plan.is_classifier:
        raise ModelFileError("'classes' names class labels, but a %s (regression) output "
                             "has none: it must be left out" % plan.output)
    if not isinstance(classes, list):
        raise ModelFileError("'classes' must be a list of class labels, got %s"
                             % type(classes).__name__)
    if len(classes) != plan.n_classes:
        raise ModelFileError("'classes' has %d labels but a %s output with %d unit%s has %d classes"
                             % (len(classes), plan.output, plan.n_outputs,
                                "" if plan.n_outputs == 1 else "s", plan.n_classes))
    for i, label in enumerate(classes):
        if isinstance(label, bool) or not isinstance(label, (str, int, float)):
            raise ModelFileError("'classes' item %d is %r: a class label is a string or a number"
                                 % (i, label))
        if isinstance(label, float) and not math.isfinite(label):
            raise ModelFileError("'classes' item %d is %r: a numeric label must be finite"
                                 % (i, label))
        if label in classes[:i]:
            raise ModelFileError("'classes' names the label %r twice (items %d and %d)"
                                 % (label, classes.index(label), i))
    return list(classes)


def header_lines(plan: ExportPlan, quote: "Callable[[str], str]", label: "Callable[[Label], str]",
                 tool: str) -> "List[str]":
    """What a generated file says about itself, as lines of plain text.

    ``quote`` writes a user's string as a literal of the target language (so
    a name holding a newline or a comment's end cannot break out of the
    comment these lines go in); ``label`` does the same for a class label.
    ``tool`` names the command, e.g. ``"tinynet export --to python"``.
    """
    from . import __version__

    layers = plan.layers
    hidden = layers[1:-1]
    shape = "%d input%s, " % (layers[0], "" if layers[0] == 1 else "s")
    if hidden:
        shape += "hidden layer%s of %s, " % ("" if len(hidden) == 1 else "s",
                                             ", ".join(str(n) for n in hidden))
    shape += "%d output%s" % (layers[-1], "" if layers[-1] == 1 else "s")
    lines = [
        "Generated by tinynet %s (%s)." % (__version__, tool),
        "Do not edit: export the model again instead.",
        "",
        "Layers:     %s (%s)" % (layers, shape),
        "Activation: %s%s" % (plan.activation, " (hidden layers)" if hidden else
                              " (unused: no hidden layer)"),
        "Output:     %s: %s" % (plan.output, OUTPUT_MEANINGS[plan.output]),
    ]
    if plan.features is not None:
        lines += wrapped("Inputs:     ", ["%d %s" % (i, quote(name))
                                          for i, name in enumerate(plan.features)])
    else:
        lines.append("Inputs:     %d numbers (the model file does not name them)" % layers[0])
    lines.append("Scaling:    %s" % (
        "raw inputs: the scaler, (x - mean) / scale, is applied here" if plan.mean is not None
        else "none: inputs go to the first layer as given"))
    if not plan.is_classifier:
        if plan.target is not None:
            lines.append("Target:     %s" % quote(plan.target))
        if plan.target_mean is not None:
            lines.append("            in its own units: the target scaler is undone here")
    elif plan.classes is not None:
        lines += wrapped("Classes:    ", ["%d %s" % (i, label(c))
                                          for i, c in enumerate(plan.classes)])
    else:
        lines.append("Classes:    0..%d (the model file does not name them)" % (plan.n_classes - 1))
    return lines


def wrapped(lead: str, items: "List[str]", width: int = 76) -> "List[str]":
    """``lead`` then the items, comma-separated, in lines of at most ``width``
    characters (an item longer than that gets a line of its own); the lines
    after the first are indented under the first item."""
    lines: "List[str]" = []
    line = lead
    for i, item in enumerate(items):
        text = item + ("," if i < len(items) - 1 else "")
        if line.strip() and len(line) + 1 + len(text) > width and line != lead:
            lines.append(line.rstrip())
            line = " " * len(lead)
        line += text + " "
    lines.append(line.rstrip())
    return lines


def wrap_header(lines: "List[str]", width: int = 76) -> "List[str]":
    """Labelled header lines (``"RAM:        ..."``) longer than ``width``
    broken at spaces, continued under the text after the 12-character label."""
    result = []
    for line in lines:
        labelled = len(line) > 12 and line[11] == " " and ":" in line[:11]
        while labelled and len(line) > width and " " in line[13:width]:
            cut = line.rfind(" ", 13, width)
            result.append(line[:cut])
            line = " " * 12 + line[cut + 1:]
        result.append(line)
    return result


def identifier(text: str, fallback: str) -> str:
    """``text`` as a name that C and Python both accept.

    Letters, digits and underscores stay (ASCII only: C99 compilers differ
    on others); every other run of characters becomes one ``_``; leading and
    trailing ``_`` go (C reserves names starting with ``_`` and a capital).
    An empty result becomes ``fallback``, one starting with a digit gets
    ``fallback + "_"`` in front.  ``fallback`` must itself be a valid name.
    """
    parts = []
    run: "List[str]" = []
    for ch in text:
        if ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("0" <= ch <= "9"):
            run.append(ch)
        elif run:
            parts.append("".join(run))
            run = []
    if run:
        parts.append("".join(run))
    name = "_".join(parts)
    if not name:
        return fallback
    if "0" <= name[0] <= "9":
        return fallback + "_" + name
    return name


def unique_identifiers(texts: "List[str]", fallback: str) -> "List[str]":
    """``identifier`` of each text, with ``_2``, ``_3``... added where two would clash.

    Clashes are compared without case, since C macro names are made upper case.
    """
    result: "List[str]" = []
    taken = set()
    for text in texts:
        base = identifier(text, fallback)
        name, n = base, 1
        while name.upper() in taken:
            n += 1
            name = "%s_%d" % (base, n)
        taken.add(name.upper())
        result.append(name)
    return result
