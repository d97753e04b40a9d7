"""A TF1 VGG-style feature extractor built from a list of layer names, typed by the wrong character.

Silent: `name[1]` is 'o' or 'e' for every name, so no convolution or ReLU is ever built and
the "network" is a stack of max-pools; the features it returns are pooled pixels.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

VGG_LAYERS = ('conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1',
              'conv2_1', 'relu2_1', 'pool2')


def vgg_features(image):
    net = image
    layers = {}
    channels = 3
    for name in VGG_LAYERS:
        if name[1] == 'c':  # expect: TL426
            kernel = tf.Variable(tf.random.truncated_normal([3, 3, channels, 8], stddev=0.1))
            net = tf.nn.conv2d(net, kernel, (1, 1, 1, 1), 'SAME')
            channels = 8
        elif name[1] == 'r':
            net = tf.nn.relu(net)
        else:
            net = tf.nn.max_pool(net, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')
        layers[name] = net
    return layers


image = tf.placeholder(tf.float32, [None, 16, 16, 3])
features = vgg_features(image)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    out = sess.run(features['pool2'], feed_dict={image: np.ones((1, 16, 16, 3), np.float32)})
