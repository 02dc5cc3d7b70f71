"""Describe a model, layer, optimizer, loss or scikit-learn estimator as plain data (``check_structure``).

Runs in the notebook's process. Like ``_convert`` it imports no framework: an object is recognised
by the real base classes of frameworks already in ``sys.modules``, read from ``type(obj)``'s MRO. The
description holds what a value check cannot see (the kind of each layer, activations, sizes, loss,
optimizer, learning rate, hyperparameters), with equivalent spellings made equal: a standalone
activation layer is folded into the layer before it, ``"mse"`` is ``mean_squared_error``, and
``kernel_size=2`` is ``(2, 2)`` in a 2-d layer. ``_structure`` compares two descriptions.

Every description is a dict with ``framework`` ("keras", "torch", "sklearn") and ``object``
("model", "optimizer", "loss", "estimator", "pipeline") first; the other keys are the property
names an author may pass to ``ignore=``.
"""

from __future__ import annotations

import re
import sys

import numpy as np

from ._convert import ConversionError

_KERAS_PROPERTIES = ("activation", "units", "filters", "kernel_size", "strides", "padding", "pool_size", "rate",
                     "use_bias", "return_sequences", "trainable")
_TORCH_PROPERTIES = {"in_features": "in_features", "out_features": "out_features", "in_channels": "in_channels",
                     "out_channels": "out_channels", "kernel_size": "kernel_size", "stride": "stride",
                     "padding": "padding", "p": "rate", "num_features": "num_features", "input_size": "input_size",
                     "hidden_size": "hidden_size", "num_layers": "num_layers", "batch_first": "batch_first",
                     "bidirectional": "bidirectional", "num_embeddings": "num_embeddings",
                     "embedding_dim": "embedding_dim", "output_size": "output_size"}
_TORCH_WITH_ACTIVATION = ("Linear", "Conv", "LazyLinear", "LazyConv", "Bilinear")  # what a following ReLU acts on
_TORCH_ACTIVATIONS = {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softmax": "softmax",
                      "LogSoftmax": "log_softmax", "LeakyReLU": "leaky_relu", "ELU": "elu", "GELU": "gelu",
                      "SiLU": "silu", "SELU": "selu", "Softplus": "softplus", "ReLU6": "relu6"}
_KERAS_ACTIVATION_LAYERS = {"Activation", "ReLU", "LeakyReLU", "Softmax", "ELU"}
_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
                 "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence",
                 "kullback_leibler_divergence": "kl_divergence", "bce": "binary_crossentropy",
                 "cce": "categorical_crossentropy", "scce": "sparse_categorical_crossentropy"}
_MAX_MODULES = 10_000


def describe(obj) -> dict:
    """The description of ``obj``; ``ConversionError`` (German) when it is none of the known kinds."""
    mro = type(obj).__mro__
    torch = sys.modules.get("torch")
    if torch is not None:
        if torch.nn.modules.loss._Loss in mro:
            return {"framework": "torch", "object": "loss", "loss": _torch_loss(obj)}
        if torch.nn.Module in mro:
            return _torch_module(obj, torch)
        if torch.optim.Optimizer in mro:
            return {"framework": "torch", "object": "optimizer", "optimizer": _torch_optimizer(obj)}
    if "keras" in sys.modules:
        from keras.src.layers.layer import Layer

        if Layer in mro:
            return _keras_model(obj)
    if "sklearn.base" in sys.modules and sys.modules["sklearn.base"].BaseEstimator in mro:
        return _sklearn(obj)
    raise ConversionError("Erwartet wird ein Keras-Modell oder eine Keras-Schicht, ein PyTorch-Modul, ein "
                          "PyTorch-Optimierer oder eine PyTorch-Verlustfunktion oder ein scikit-learn-Modell; "
                          f"erhalten ein Objekt vom Typ {type(obj).__qualname__}.")


def _fold(layers: list[dict]) -> list[dict]:
    """A standalone activation becomes the activation of the layer before it, when that one has none."""
    folded: list[dict] = []
    for layer in layers:
        if layer["kind"] == "Activation" and folded and folded[-1].get("activation") == "linear":
            folded[-1]["activation"] = layer["activation"]
        elif not (layer["kind"] == "Activation" and layer["activation"] == "linear"):  # the identity
            folded.append(layer)
    return folded


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


# -- Keras ---------------------------------------------------------------------------------------------

def _keras_model(model) -> dict:
    from keras.src.models.model import Model

    description = {"framework": "keras", "object": "model",
                   "layers": _fold([_keras_layer(layer) for layer in _keras_leaves(model, Model)]),
                   "params": {"trainable": _count(model.trainable_weights), "total": _count(model.weights)}}
    if Model in type(model).__mro__ and getattr(model, "compiled", False):
        description["loss"] = _keras_loss(model.loss)
        description["optimizer"] = _keras_optimizer(model.optimizer)
    return description


def _keras_leaves(layer, model_class, depth: int = 0) -> list:
    """The layers in order; a nested model contributes its own layers, an InputLayer none."""
    if depth > 32:
        raise ConversionError("Das Modell ist zu tief verschachtelt.")
    if model_class not in type(layer).__mro__:
        return [] if type(layer).__name__ == "InputLayer" else [layer]
    return [leaf for inner in list(layer.layers) for leaf in _keras_leaves(inner, model_class, depth + 1)]


def _count(weights) -> int:
    return int(sum(int(np.prod(tuple(w.shape))) for w in weights))


def _keras_layer(layer) -> dict:
    kind = type(layer).__name__
    config = layer.get_config()
    if not isinstance(config, dict):
        raise ConversionError(f"get_config() der Schicht {kind} gibt kein Dictionary zurück.")
    if kind in _KERAS_ACTIVATION_LAYERS:
        return {"kind": "Activation", "activation": _keras_activation_layer(kind, config)}
    entry = {"kind": kind}
    for name in _KERAS_PROPERTIES:
        if name in config:
            entry[name] = _activation_name(config[name]) if name == "activation" else config[name]
    return entry


def _keras_activation_layer(kind: str, config: dict) -> str:
    if kind == "Activation":
        return _activation_name(config.get("activation"))
    if kind == "ReLU" and config.get("negative_slope"):
        return "leaky_relu"
    if kind == "ReLU" and (config.get("max_value") or config.get("threshold")):
        return "relu_clipped"
    return _snake(kind).replace("re_lu", "relu")


def _activation_name(value) -> str:
    """``"relu"``, a serialized activation (``{"config": {"name": ...}}``) or a function, as a lower-case name."""
    if value is None:
        return "linear"
    if isinstance(value, dict):
        value = value.get("config", {}).get("name", value.get("class_name", "?"))
    return str(value if isinstance(value, str) else getattr(value, "__name__", type(value).__name__)).lower()


def _loss_name(loss) -> str:
    if isinstance(loss, str):
        name = loss.lower()
    elif type(loss).__name__ == "LossFunctionWrapper":  # keras.losses.get("mse") and friends: the wrapped fn
        name = str(getattr(getattr(loss, "fn", None), "__name__", "loss_function_wrapper"))
    elif hasattr(loss, "get_config") or not callable(loss):  # a Loss object: MeanSquaredError
        name = _snake(type(loss).__name__)
    else:  # a function: keras.losses.mean_squared_error
        name = str(getattr(loss, "__name__", type(loss).__name__))
    return _LOSS_ALIASES.get(name, name)


def _keras_loss(loss):
    if isinstance(loss, (list, tuple)):
        return [_keras_loss(item) for item in loss]
    if isinstance(loss, dict):
        return {str(key): _keras_loss(value) for key, value in loss.items()}
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    return {"kind": _loss_name(loss), "from_logits": bool(config.get("from_logits", False))}


def _keras_optimizer(optimizer) -> dict | None:
    if optimizer is None:
        return None
    config = optimizer.get_config()
    rate = config.get("learning_rate")
    entry = {"kind": type(optimizer).__name__,
             "learning_rate": rate.get("class_name", "schedule") if isinstance(rate, dict) else rate}
    for name in ("momentum", "weight_decay"):
        if name in config:
            entry[name] = config[name]
    return entry


# -- PyTorch ---------------------------------------------------------------------------------------------

def _torch_module(module, torch) -> dict:
    leaves, parameters = [], {}
    containers = (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict)
    stack = [module]
    while stack:  # depth first, in registration order; reads the module's own dicts, not its methods
        if len(leaves) + len(stack) > _MAX_MODULES:
            raise ConversionError("Das Modell hat zu viele Module.")
        current = stack.pop()
        own = object.__getattribute__(current, "__dict__")
        for param in dict(own.get("_parameters", {})).values():
            if param is not None:
                parameters[id(param)] = param
        children = [child for child in dict(own.get("_modules", {})).values() if child is not None]
        if children:
            stack.extend(reversed(children))
        elif not any(c in type(current).__mro__ for c in containers):  # an empty Sequential computes nothing
            leaves.append(_torch_leaf(current, own, torch))
    sizes = [(int(torch.Tensor.numel(p)), bool(torch.Tensor.requires_grad.__get__(p))) for p in parameters.values()]
    return {"framework": "torch", "object": "model",
            "layers": _fold([leaf for leaf in leaves if leaf is not None]),
            "params": {"trainable": sum(n for n, grad in sizes if grad), "total": sum(n for n, _ in sizes)}}


def _torch_leaf(module, own: dict, torch) -> dict | None:
    base = next((c for c in type(module).__mro__ if c.__module__.startswith("torch.nn.modules.")), torch.nn.Module)
    kind = base.__name__
    if kind == "Identity":
        return None
    if base.__module__ == "torch.nn.modules.activation" and kind in _TORCH_ACTIVATIONS:
        return {"kind": "Activation", "activation": _TORCH_ACTIVATIONS[kind]}
    entry = {"kind": kind}
    if kind.startswith(_TORCH_WITH_ACTIVATION):
        entry["activation"] = "linear"
    dims = int(kind[-2]) if re.search(r"[123]d$", kind) else 0
    for attribute, name in _TORCH_PROPERTIES.items():
        if attribute in own:
            value = own[attribute]
            if dims and isinstance(value, int) and name in ("kernel_size", "stride", "padding"):
                value = (value,) * dims  # MaxPool2d(2) is MaxPool2d((2, 2))
            entry[name] = value
    params = dict(own.get("_parameters", {}))
    if "bias" in params:
        entry["use_bias"] = params["bias"] is not None
    elif isinstance(own.get("bias"), bool):  # recurrent layers keep a flag
        entry["use_bias"] = own["bias"]
    weights = [p for p in params.values() if p is not None]
    if weights:
        entry["trainable"] = all(bool(torch.Tensor.requires_grad.__get__(p)) for p in weights)
    return entry


def _torch_optimizer(optimizer) -> dict:
    kind = next(c for c in type(optimizer).__mro__ if c.__module__.startswith("torch.optim")).__name__
    groups = object.__getattribute__(optimizer, "__dict__").get("param_groups")
    if not isinstance(groups, list) or not groups or not isinstance(groups[0], dict):
        raise ConversionError("Der Optimierer hat keine Parametergruppen.")
    entry = {"kind": kind, "learning_rate": groups[0].get("lr")}
    for name in ("momentum", "weight_decay"):
        if name in groups[0]:
            entry[name] = groups[0][name]
    return entry


def _torch_loss(loss) -> dict:
    kind = next(c for c in type(loss).__mro__ if c.__module__ == "torch.nn.modules.loss").__name__
    return {"kind": kind, "reduction": object.__getattribute__(loss, "__dict__").get("reduction")}


# -- scikit-learn ----------------------------------------------------------------------------------------

def _sklearn(estimator, depth: int = 0) -> dict:
    if depth > 8:
        raise ConversionError("Die Pipeline ist zu tief verschachtelt.")
    pipeline = sys.modules.get("sklearn.pipeline")
    if pipeline is not None and pipeline.Pipeline in type(estimator).__mro__:
        return {"framework": "sklearn", "object": "pipeline",
                "steps": [_sklearn_step(step, depth) for _, step in list(estimator.steps)]}
    params = estimator.get_params(deep=False)
    if not isinstance(params, dict):
        raise ConversionError("get_params() gibt kein Dictionary zurück.")
    return {"framework": "sklearn", "object": "estimator", "kind": type(estimator).__name__,
            "settings": {str(k): v for k, v in sorted(params.items(), key=lambda item: str(item[0]))
                         if v is None or type(v) in (bool, int, float, str) or isinstance(v, np.generic)}}


def _sklearn_step(step, depth: int) -> dict:
    if step is None or step == "passthrough":
        return {"framework": "sklearn", "object": "estimator", "kind": "passthrough", "settings": {}}
    return _sklearn(step, depth + 1)
