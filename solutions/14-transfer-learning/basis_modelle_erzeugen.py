"""Erzeugt die beiden vortrainierten Basismodelle dieser Übung (einmalig, nicht Teil der Aufgabe).

Quellaufgabe: die zehn Ziffern der ersten 1000 Bilder aus scikit-learns Digits-Datensatz (8x8 Pixel). Die
Übung nutzt die Modelle für die Zielaufgabe „Ist die Ziffer gerade?“ auf den übrigen Bildern, von denen nur
wenige ein Label haben. Aufruf im Ordner der Übung:

    python basis_modelle_erzeugen.py

schreibt basis_cnn.keras (Keras) und basis_cnn.pt (PyTorch-state_dict).
"""

import numpy as np
from sklearn.datasets import load_digits


def quelldaten():
    digits = load_digits()
    X = (digits.images / 16.0).astype("float32")
    y = digits.target
    return X[:1000], y[:1000]


def keras_basis(X, y):
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    modell = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(16, 3, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dense(32, activation="relu", name="merkmale"),
        layers.Dense(10, activation="softmax", name="kopf"),
    ], name="basis_cnn")
    modell.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
    modell.fit(X[..., None], y, epochs=25, batch_size=32, verbose=0)
    print("Keras-Basis, Genauigkeit Quellaufgabe:", modell.evaluate(X[..., None], y, verbose=0)[1])
    ohne_optimierer = keras.Sequential.from_config(modell.get_config())  # ohne Optimierer-Zustand speichern
    ohne_optimierer.set_weights(modell.get_weights())
    ohne_optimierer.save("basis_cnn.keras")


def torch_basis(X, y):
    import torch
    from torch import nn

    torch.manual_seed(0)
    modell = BasisCNN()
    opt = torch.optim.Adam(modell.parameters(), lr=3e-3)
    Xt, yt = torch.tensor(X[:, None]), torch.tensor(y)
    gen = torch.Generator().manual_seed(0)
    for _ in range(25):
        for idx in torch.randperm(len(Xt), generator=gen).split(32):
            opt.zero_grad()
            nn.functional.cross_entropy(modell(Xt[idx]), yt[idx]).backward()
            opt.step()
    with torch.no_grad():
        print("PyTorch-Basis, Genauigkeit Quellaufgabe:", (modell(Xt).argmax(1) == yt).float().mean().item())
    torch.save(modell.state_dict(), "basis_cnn.pt")


try:
    import torch
    from torch import nn

    class BasisCNN(nn.Module):
        """Dieselbe Klasse steht im Notebook."""

        def __init__(self):
            super().__init__()
            self.merkmale = nn.Sequential(
                nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(64, 32), nn.ReLU(),
            )
            self.kopf = nn.Linear(32, 10)

        def forward(self, x):
            return self.kopf(self.merkmale(x))
except ImportError:
    pass


if __name__ == "__main__":
    X, y = quelldaten()
    keras_basis(X, y)
    torch_basis(X, y)
