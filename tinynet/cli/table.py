"""Reading a command's data file, and picking the columns a model takes."""

from ..data import read_csv
from ..matrix import Matrix
from ..network import NeuralNet
from .options import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple


def read(path: str, target: "Optional[str]") -> "Tuple[Matrix, Optional[List[float]], List[str]]":
    """``read_csv``, with file-system problems turned into one-line messages."""
    try:
        return read_csv(path, target)
    except FileNotFoundError:
        raise CommandError("%s: no such file" % path)
    except IsADirectoryError:
        raise CommandError("%s is a directory, not a CSV file" % path)
    except UnicodeDecodeError:
        raise CommandError("%s is not a text file (it must be UTF-8 encoded CSV)" % path)
    except OSError as error:
        raise CommandError("cannot read %s: %s" % (path, error.strerror or error))


def model_inputs(X: "Matrix", names: "List[str]", net: NeuralNet, path: str,
                 target: "Optional[str]") -> "Matrix":
    """The columns of ``X`` (named ``names``) that the model takes, in its order.

    With the feature names saved by ``train`` the columns are found by name
    and the others ignored; a missing one is a CommandError.  A model saved
    without names takes the columns in file order, except ``target``, and
    the file must have exactly as many as the model has inputs.
    """
    features = net.feature_names
    if features is not None:
        if target is not None and target in features:
            raise CommandError("--target %s names one of the model's input columns (%s)"
                               % (target, ", ".join(features)))
        missing = [name for name in features if name not in names]
        if missing:
            raise CommandError("%s has no column%s %s, which the model takes as input (its "
                               "inputs: %s)" % (path, "" if len(missing) == 1 else "s",
                                                ", ".join(repr(name) for name in missing),
                                                ", ".join(features)))
        columns = [names.index(name) for name in features]
    else:
        columns = [j for j, name in enumerate(names) if name != target]
        names = [names[j] for j in columns]
        n_inputs = net.layers[0]
        if len(columns) != n_inputs:
            message = "%s has %d feature column%s (%s) but the model takes %d input%s" % (
                path, len(columns), "" if len(columns) == 1 else "s", ", ".join(names),
                n_inputs, "" if n_inputs == 1 else "s")
            if target is None and len(columns) == n_inputs + 1:
                message += "; if one column holds the answers, name it with --target"
            raise CommandError(message)
    if columns == list(range(X.n_cols)):
        return X
    return Matrix.wrap([[row[j] for j in columns] for row in X.rows], len(columns))
