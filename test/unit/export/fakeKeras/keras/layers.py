"""keras.layers stand-in: each layer records its class, config and the layers feeding it."""
import keras


class _Layer:
    def __init__(self, *args, name, **config):
        self.record = {"class": type(self).__name__, "name": name, "args": list(args), "config": config}

    def __call__(self, inputs):
        many = isinstance(inputs, list)
        tensors = inputs if many else [inputs]
        self.record["inputs"] = [t.producer for t in tensors]
        keras.RECORDED.append(self.record)
        return keras.KerasTensor(self.record["name"], None)


class Dense(_Layer):
    def __init__(self, units, name, activation="linear", use_bias=True, kernel_regularizer=None):
        super().__init__(units, name=name, activation=activation, use_bias=use_bias, kernel_regularizer=kernel_regularizer)


class Activation(_Layer):
    def __init__(self, activation, name):
        super().__init__(activation, name=name)


class LeakyReLU(_Layer):
    def __init__(self, negative_slope, name):
        super().__init__(name=name, negative_slope=negative_slope)


class ELU(_Layer):
    def __init__(self, alpha, name):
        super().__init__(name=name, alpha=alpha)


class Lambda(_Layer):
    def __init__(self, function, name):
        super().__init__(function.__name__, name=name)


class Dropout(_Layer):
    def __init__(self, rate, name):
        super().__init__(rate, name=name)


class Add(_Layer):
    pass


class Multiply(_Layer):
    pass


class Concatenate(_Layer):
    def __init__(self, axis, name):
        super().__init__(name=name, axis=axis)
