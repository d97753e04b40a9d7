"""A Keras binary classifier compiled without metrics whose test score is unpacked as loss and accuracy.

evaluate returns the loss alone when no metric is compiled: unpacking one float raises TypeError
after training.
"""
# runtime: raises TypeError
import numpy as np
import keras

x_train, y_train = np.random.rand(256, 10), np.random.randint(0, 2, (256, 1))
x_test, y_test = np.random.rand(64, 10), np.random.randint(0, 2, (64, 1))
model = keras.Sequential([
    keras.Input((10,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)  # expect: TL213
print("test accuracy", test_acc)
