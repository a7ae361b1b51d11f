"""keras.ops stand-in: only what binary_step uses."""


def cast(x, dtype):
    raise NotImplementedError("the fake Keras records graphs; it does not compute")
