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


class Conv2D(_Layer):
    def __init__(self, filters, kernel_size, name, strides=(1, 1), padding="valid", activation="linear", use_bias=True, kernel_regularizer=None):
        super().__init__(filters, list(kernel_size), name=name, strides=list(strides), padding=padding, activation=activation,
                         use_bias=use_bias, kernel_regularizer=kernel_regularizer)


class MaxPooling2D(_Layer):
    def __init__(self, pool_size, name, strides=None, padding="valid"):
        super().__init__(name=name, pool_size=list(pool_size), strides=None if strides is None else list(strides), padding=padding)


class AveragePooling2D(MaxPooling2D):
    pass


class GlobalAveragePooling2D(_Layer):
    pass


class Flatten(_Layer):
    pass


class Reshape(_Layer):
    def __init__(self, target_shape, name):
        super().__init__(list(target_shape), name=name)


class BatchNormalization(_Layer):
    def __init__(self, name, axis=-1, momentum=0.99, epsilon=0.001):
        super().__init__(name=name, axis=axis, momentum=momentum, epsilon=epsilon)
