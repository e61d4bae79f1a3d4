"""What each ``NeuralNet`` setting means, in words for people: the command line's help.

``tinynet.settings`` holds each setting's rule and how a model file keeps it; the
meanings are here, apart, because only people read them: a board that trains
never loads this module, and holds none of this text.
"""

MEANINGS = {
    "layers": "sizes from the inputs to the outputs, e.g. [2, 5, 1]",
    "learning_rate": "step size of gradient descent (the tutorial's 0.001)",
    "iterations": "passes over the training data in fit",
    "activation": "the hidden layers' activation (see tinynet.activations)",
    "output": ("the output layer: auto (sigmoid for one output, softmax for several), or "
               "linear for regression (see tinynet.outputs)"),
    "init": ("weight initialisation: auto (he for relu and leaky_relu, xavier otherwise), he "
             "(std sqrt(2 / n_in)), xavier (std sqrt(2 / (n_in + n_out))) or normal (the "
             "tutorial's std 1)"),
    "seed": ("seeds the weights, the batches and the validation split: the same seed gives the "
             "same network on every interpreter"),
    "batch_size": "samples per step; None uses them all, as the tutorial does",
    "optimizer": "how gradients change the weights (see tinynet.optimizers)",
    "momentum": "the momentum optimizer's share of the last step kept",
    "nesterov": "the momentum optimizer looks ahead (Nesterov's form)",
    "beta1": "Adam's decay of the gradient's running mean",
    "beta2": "Adam's decay of the squared gradient's running mean",
    "epsilon": "Adam's guard against dividing by zero",
    "alpha": "L2 penalty: the loss gains alpha / (2 m) * sum of all W**2",
    "early_stopping": "stop once the validation loss stops improving, keeping the best weights",
    "validation_fraction": "share of the training data held out for early stopping",
    "patience": "epochs without improvement before early stopping stops",
    "tol": "how much the validation loss must fall to count as an improvement",
    "verbose": "print progress: True for about ten lines, an int n for every n epochs",
    "callback": "called as callback(net, epoch) after every epoch; a true result stops training",
}
