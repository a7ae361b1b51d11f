"""A stand-in for Keras that records the layer graph a generated script builds.

TensorFlow/Keras cannot be installed here, so the export tests import the generated script with
this package first on sys.path, call its build_model(), and compare the recorded graph with the
.nn model. Only the API surface the Keras exporter emits exists; anything else fails loudly.
"""
from . import layers  # noqa: F401
from . import ops  # noqa: F401

RECORDED = []


class KerasTensor:
    def __init__(self, producer, width):
        self.producer = producer
        self.width = width


def Input(shape, name):
    layer = {"class": "Input", "name": name, "config": {"shape": list(shape)}, "inputs": []}
    RECORDED.append(layer)
    return KerasTensor(name, shape[0])


WEIGHTS = {}


class _SetWeights:
    """What model.get_layer(name) returns: records the arrays set_weights receives."""

    def __init__(self, name):
        self.name = name

    def set_weights(self, arrays):
        WEIGHTS[self.name] = [{"shape": list(a.shape), "values": a.reshape(-1).tolist()} for a in arrays]


class Model:
    def __init__(self, inputs, outputs, name):
        self.inputs = [t.producer for t in inputs]
        self.outputs = [t.producer for t in outputs]
        self.name = name
        self.layers = RECORDED

    def get_layer(self, name):
        if not any(layer["name"] == name for layer in RECORDED):
            raise ValueError(f"No such layer: {name}")
        return _SetWeights(name)


class _Regularizers:
    @staticmethod
    def L1L2(l1, l2):
        return {"l1": l1, "l2": l2}


regularizers = _Regularizers()
