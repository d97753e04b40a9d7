import tensorflow as tf
from tensorflow import keras

class MyCustomLayer(keras.layers.Layer):
    def __init__(self):
        super(MyCustomLayer, self).__init__()
        self.w = self.add_weight(shape=(10,10), initializer='random_normal')

    def call(self, inputs):
        # Incorrect gradient calculation:  Missing multiplication by inputs
        return tf.reduce_sum(self.w)  

model = keras.Sequential([
    MyCustomLayer(),
    keras.layers.Dense(1, activation='sigmoid')
])

# This example demonstrates a custom layer with an error. The call method doesn't properly
# incorporate inputs which can result in incorrect gradients and potential errors.
# Solution: Correctly implement the forward pass and define a corresponding backward pass (gradient computation) within the layer's call method.


model.compile(optimizer='adam',
              loss='binary_crossentropy',
              metrics=['accuracy'])

# Data generation (replace with your actual data)
x_train = np.random.rand(1000, 10)
y_train = np.random.randint(0, 2, 1000)


model.fit(x_train, y_train, epochs=10)
