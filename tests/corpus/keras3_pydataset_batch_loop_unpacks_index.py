"""A Keras 3 image regressor fed by a PyDataset whose batch loop unpacks each shuffled index."""
# runtime: raises TypeError
import numpy as np
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, images, targets, batch_size=8, **kwargs):
        super().__init__(**kwargs)
        self.images, self.targets = images, targets
        self.batch_size = batch_size
        self.count = len(images)
        self.order = np.random.permutation(self.count)

    def __len__(self):
        return self.count // self.batch_size

    def __getitem__(self, idx):
        x = np.zeros((self.batch_size, 16, 16, 1), dtype=np.float32)
        y = np.zeros((self.batch_size, 1), dtype=np.float32)
        picked = self.order[idx * self.batch_size:(idx + 1) * self.batch_size]
        for i, sample in picked:  # expect: TL225
            x[i] = self.images[sample]
            y[i] = self.targets[sample]
        return x, y


images = np.random.rand(64, 16, 16, 1).astype("float32")
targets = images.mean(axis=(1, 2, 3))[:, None]
model = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
first_x, first_y = Batches(images, targets)[0]
model.fit(Batches(images, targets), epochs=1, verbose=0)
