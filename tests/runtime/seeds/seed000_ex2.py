import tensorflow as tf

# Model definition
model = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(5,))]) #expects input of shape (None, 5)

# Incorrect input shape
incorrect_input = tf.random.normal((1, 10))

# Correct input shape
correct_input = tf.random.normal((1, 5))

# Compilation
model.compile(optimizer='adam', loss='mse')

# Attempting training with incorrect input shape (will throw an error)
try:
  model.fit(incorrect_input, tf.random.normal((1,1)))
except ValueError as e:
  print(f"Error during training: {e}")

# Training with the correct input shape
model.fit(correct_input, tf.random.normal((1,1)))
