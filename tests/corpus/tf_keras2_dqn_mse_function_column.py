"""A tf.keras 2 DQN step calls keras.losses.mean_squared_error on (32,) targets and (32, 1) Q-values.

The program is Keras 2 code: its optimizer is spelled `Adam(lr=...)`, which only Keras 2 takes.
The loss function is called directly, and the Q-values of the actions taken keep their column.

Keras 2's loss functions subtract the two tensors as they are, so the loss is taken over a
(32, 32) matrix: every Q-value is pulled toward every target of the batch and the network learns
their mean. Keras 2's MeanSquaredError class and compile align the ranks; Keras 3 aligns them in
the functions too, and it rejects `lr=` outright: under the Keras 3 this corpus is run with, the
program stops at the optimizer with a ValueError before the loss is reached.
"""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow import keras

n_outputs = 2
model = keras.models.Sequential([
    keras.layers.Dense(32, activation="elu", input_shape=[4]),
    keras.layers.Dense(32, activation="elu"),
    keras.layers.Dense(n_outputs),
])
optimizer = keras.optimizers.Adam(lr=1e-3)
loss_fn = keras.losses.mean_squared_error


def training_step(states, actions, target_q_values):
    mask = tf.one_hot(actions, n_outputs)
    with tf.GradientTape() as tape:
        all_q_values = model(states)
        q_values = tf.reduce_sum(all_q_values * mask, axis=1, keepdims=True)
        loss = tf.reduce_mean(loss_fn(target_q_values, q_values))  # expect: TL205
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for step in range(3):
    states = np.random.rand(32, 4).astype("float32")
    actions = np.random.randint(0, n_outputs, 32)
    targets = tf.reduce_max(model(states), axis=1) * 0.95 + 1.0
    training_step(states, actions, targets)
