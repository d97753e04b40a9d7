"""A tf.keras siamese network whose distance Lambda declares the shape of one embedding instead of one distance per pair.

The Lambda computes one Euclidean distance per pair, (batch, 1), but its output_shape function
returns the first input's shape, (batch, 64); Keras takes the declared shape, so the Dense
layer after it is built for 64 features and the first batch it sees has one.
"""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Dense, Input, Lambda
from tensorflow.keras.models import Model, Sequential


def euclidean(vects):
    a, b = vects
    return K.sqrt(K.sum(K.square(a - b), axis=1, keepdims=True) + 1e-7)


def first_shape(shapes):
    return shapes[0]  # expect: TL223


encoder = Sequential([Input(shape=(32,)), Dense(64, activation="relu"), Dense(64, activation="relu")])
left = Input(shape=(32,))
right = Input(shape=(32,))
distance = Lambda(euclidean, output_shape=first_shape)([encoder(left), encoder(right)])  # also: TL223
score = Dense(1, activation="sigmoid")(distance)
model = Model([left, right], score)
model.compile(loss="binary_crossentropy", optimizer="adam")

pairs_a = np.random.rand(128, 32).astype("float32")
pairs_b = np.random.rand(128, 32).astype("float32")
same = np.random.randint(0, 2, size=(128, 1)).astype("float32")
model.fit([pairs_a, pairs_b], same, batch_size=32, epochs=1, verbose=0)
