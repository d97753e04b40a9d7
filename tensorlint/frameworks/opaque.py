"""Framework names the engine deliberately does not model.

A call of one of these gives an unknown value, and that is the whole of what a shape and dtype
analysis can say about it: it reads or writes files, asks about devices, seeds a generator,
prints or plots, builds a configuration object (an initializer, a regularizer, a callback, a
transform, a session), or sets up distributed plumbing. None of them computes a tensor from
tensors the program holds. Listing a name here is a decision recorded in one place, and
`bench/coverage.py` counts such call sites as covered; a name with an effect on shapes or
dtypes never belongs here (it needs a transfer function, verified in tests/differential/).

The tables of modeled names take precedence: a name in CALLS, LAYERS or LOSSES is never opaque,
even when it is listed or a family below would hold it (a listed name that gets a transfer
function later is modeled from then on).
"""
from __future__ import annotations

from .registry import CALLS, LAYERS, LOSSES


class NameSet:
    """Explicit names plus whole modules (`torch.cuda`), minus what a module holds that does
    compute tensors (`torch.cuda.FloatTensor(...)`, `torchvision.transforms.functional`)."""

    def __init__(self, names, modules, keep_out_modules=(), keep_out_names=()):
        self.names = frozenset(names)
        self.modules = tuple(m + "." for m in modules)
        self.keep_out_modules = tuple(m + "." for m in keep_out_modules)
        self.keep_out_names = frozenset(keep_out_names)

    def __contains__(self, qualname) -> bool:
        if not isinstance(qualname, str) or qualname in CALLS or qualname in LAYERS or qualname in LOSSES:
            return False
        if qualname in self.names:
            return True
        if not qualname.startswith(self.modules) or qualname.startswith(self.keep_out_modules):
            return False
        return qualname not in self.keep_out_names

    def __iter__(self):
        return iter(sorted(self.names))


# whole modules whose every callable is plumbing of one of the kinds above
_MODULES = (
    # devices and accelerators
    "torch.cuda", "torch.xpu", "torch.accelerator", "torch.backends", "torch.mps", "tensorflow.config",
    "tensorflow.test",
    # distributed and multi-process plumbing (processes, groups, RPC, sharding plans, checkpoints)
    "torch.distributed", "torch.multiprocessing", "torch.futures", "tensorflow.distribute",
    # logging, summaries, profiling
    "tensorflow.summary", "torch.utils.tensorboard", "tensorflow.logging", "torch.autograd.profiler",
    "torch.profiler",
    # files, records, saved models, program flags
    "tensorflow.io", "tensorflow.gfile", "tensorflow.python_io", "tensorflow.python.platform.gfile",
    "tensorflow.saved_model", "tensorflow.app", "tensorflow.flags", "torch.hub", "torchvision.io",
    # estimators, feature columns and the TF1 contrib.learn wrappers: training loops run by the framework
    "tensorflow.estimator", "tensorflow.feature_column", "tensorflow.contrib.learn",
    # downloads of pretrained weights (a state dict read from the network)
    "torch.utils.model_zoo",
    # configuration objects passed to layers and fit()
    "keras.callbacks", "keras.initializers", "keras.regularizers", "keras.constraints",
    "tensorflow.initializers", "keras.optimizers.schedules",
    # image transforms of a data pipeline (objects; the functions in .functional compute tensors)
    "torchvision.transforms",
    # datasets read from disk or downloaded
    "torchvision.datasets",
    # program capture and compilation (the traced program is the one already analyzed)
    "torch.fx", "torch.jit", "tensorflow.autograph",
    # testing helpers
    "torch.testing", "numpy.testing",
)

_KEEP_OUT_MODULES = (
    "torchvision.transforms.functional",
    "torch.cuda.amp",  # autocast is a context the engine models
)

_NAMES = {
    # devices
    "torch.device", "torch.get_default_device", "torch.set_default_device", "tensorflow.device",
    "torch.get_num_threads", "torch.set_num_threads",
    # random seeds and generator state
    "numpy.random.seed", "numpy.random.get_state", "numpy.random.set_state", "tensorflow.random.set_seed",
    "tensorflow.set_random_seed", "keras.utils.set_random_seed", "torch.seed", "torch.initial_seed",
    "torch.set_deterministic", "torch.use_deterministic_algorithms", "torch.get_rng_state", "torch.set_rng_state",
    "torch.Generator",  # a generator object, passed as `generator=` to draws and loaders

    # printing, plotting, progress
    "torch.set_printoptions", "numpy.set_printoptions", "tensorflow.print", "keras.utils.plot_model",
    "keras.utils.vis_utils.plot_model", "keras.utils.Progbar", "keras.utils.generic_utils.Progbar",
    "torchvision.utils.save_image", "torchvision.utils.make_grid", "keras.utils.array_to_img",
    "keras.utils.save_img", "keras.preprocessing.image.save_img", "keras.preprocessing.image.array_to_img",
    # files and downloads
    "keras.utils.get_file", "keras.models.load_model", "keras.models.save_model", "keras.saving.load_model",
    "keras.saving.save_model", "numpy.save", "numpy.savez", "numpy.savez_compressed", "numpy.savetxt",
    "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.lib.DataSource",
    "tensorflow.read_file", "tensorflow.write_file", "tensorflow.FixedLenFeature", "tensorflow.VarLenFeature",
    "tensorflow.parse_single_example", "tensorflow.parse_example", "tensorflow.WholeFileReader",
    "tensorflow.TFRecordReader", "tensorflow.train.Feature", "tensorflow.train.Features",
    "tensorflow.train.Example", "tensorflow.train.SequenceExample", "tensorflow.train.FeatureList",
    "tensorflow.train.FeatureLists", "tensorflow.train.Int64List", "tensorflow.train.FloatList",
    "tensorflow.train.BytesList", "keras.datasets.imdb.get_word_index", "keras.datasets.reuters.get_word_index",
    # TF1 sessions, graphs, scopes, variable collections, savers and queues
    "tensorflow.Session", "tensorflow.InteractiveSession", "tensorflow.ConfigProto", "tensorflow.GPUOptions",
    "tensorflow.RunOptions", "tensorflow.RunMetadata", "tensorflow.global_variables_initializer",
    "tensorflow.local_variables_initializer", "tensorflow.initialize_all_variables",
    "tensorflow.initialize_local_variables", "tensorflow.variables_initializer", "tensorflow.tables_initializer",
    "tensorflow.reset_default_graph", "tensorflow.get_default_graph", "tensorflow.get_default_session",
    "tensorflow.Graph", "tensorflow.GraphDef", "tensorflow.import_graph_def", "tensorflow.variable_scope",
    "tensorflow.name_scope", "tensorflow.get_variable_scope",
    "tensorflow.control_dependencies", "tensorflow.group", "tensorflow.no_op", "tensorflow.get_collection",
    "tensorflow.add_to_collection", "tensorflow.trainable_variables", "tensorflow.global_variables",
    "tensorflow.local_variables", "tensorflow.model_variables", "tensorflow.enable_eager_execution",
    "tensorflow.disable_eager_execution", "tensorflow.disable_v2_behavior", "tensorflow.enable_v2_behavior",
    "tensorflow.executing_eagerly", "tensorflow.contrib.eager.enable_eager_execution",
    "tensorflow.compat.as_text", "tensorflow.compat.as_bytes", "tensorflow.compat.as_str",
    "tensorflow.Summary", "tensorflow.Summary.Value", "tensorflow.train.SummaryWriter",
    "tensorflow.train.Saver", "tensorflow.train.Coordinator", "tensorflow.train.start_queue_runners",
    "tensorflow.train.latest_checkpoint", "tensorflow.train.get_checkpoint_state",
    "tensorflow.train.checkpoint_exists", "tensorflow.train.import_meta_graph", "tensorflow.train.get_global_step",
    "tensorflow.train.get_or_create_global_step", "tensorflow.train.global_step", "tensorflow.train.Checkpoint",
    "tensorflow.train.CheckpointManager", "tensorflow.train.MonitoredSession",
    "tensorflow.train.MonitoredTrainingSession", "tensorflow.train.StopAtStepHook", "tensorflow.train.ClusterSpec",
    "tensorflow.train.Server", "tensorflow.train.replica_device_setter", "tensorflow.train.string_input_producer",
    "tensorflow.train.slice_input_producer", "tensorflow.train.match_filenames_once",
    "tensorflow.train.ExponentialMovingAverage",  # an object whose apply() builds the update op
    "tensorflow.assert_equal",  # an assertion op: checks values when the graph runs, computes nothing
    # file readers of tf.data: what a file holds is not in the program
    "tensorflow.data.TFRecordDataset", "tensorflow.data.TextLineDataset", "tensorflow.data.Dataset.list_files",
    "keras.utils.text_dataset_from_directory", "keras.preprocessing.text_dataset_from_directory",
    # a compiled function is the Python function the program defines, analyzed where it is defined;
    # a spec describes its inputs' signature
    "tensorflow.function", "tensorflow.TensorSpec",
    # TF-Slim and tf.contrib scaffolding: argument scopes, regularizer objects, the global step,
    # a whole training op built by the framework
    "tensorflow.contrib.slim.arg_scope", "tensorflow.contrib.framework.arg_scope", "tensorflow.contrib.slim.l2_regularizer",
    "tensorflow.contrib.framework.get_global_step", "tensorflow.contrib.layers.optimize_loss",
    # TF1 optimizers: objects whose minimize() builds the training op
    "tensorflow.train.GradientDescentOptimizer", "tensorflow.train.AdamOptimizer",
    "tensorflow.train.RMSPropOptimizer", "tensorflow.train.MomentumOptimizer", "tensorflow.train.AdagradOptimizer",
    "tensorflow.train.AdadeltaOptimizer", "tensorflow.train.FtrlOptimizer", "tensorflow.train.ProximalGradientDescentOptimizer",
    "tensorflow.train.exponential_decay",
    # initializer objects of TF1 and tf.contrib
    "tensorflow.contrib.layers.xavier_initializer", "tensorflow.contrib.layers.xavier_initializer_conv2d",
    "tensorflow.contrib.layers.variance_scaling_initializer", "tensorflow.contrib.layers.l2_regularizer",
    "tensorflow.contrib.layers.l1_regularizer", "tensorflow.random_normal_initializer",
    "tensorflow.truncated_normal_initializer", "tensorflow.random_uniform_initializer",
    "tensorflow.constant_initializer", "tensorflow.zeros_initializer", "tensorflow.ones_initializer",
    "tensorflow.glorot_uniform_initializer", "tensorflow.glorot_normal_initializer",
    "tensorflow.orthogonal_initializer", "tensorflow.variance_scaling_initializer",
    # numbers about initialization (the initializers themselves are modeled: they return the tensor they fill)
    "torch.nn.init.calculate_gain", "torch.nn.init._calculate_fan_in_and_fan_out",
    # keras backend configuration and session plumbing
    "keras.backend.clear_session", "keras.backend.image_data_format", "keras.backend.set_image_data_format",
    "keras.backend.image_dim_ordering", "keras.backend.set_image_dim_ordering", "keras.backend.floatx",
    "keras.backend.set_floatx", "keras.backend.epsilon", "keras.backend.set_epsilon", "keras.backend.get_session",
    "keras.backend.set_session", "keras.backend.learning_phase", "keras.backend.set_learning_phase",
    "keras.backend.backend", "keras.utils.clear_session", "keras.config.image_data_format",
    "keras.config.set_image_data_format", "keras.config.floatx", "keras.config.set_floatx",
    "keras.config.epsilon", "keras.config.backend", "keras.utils.get_custom_objects",
    "keras.utils.register_keras_serializable", "keras.saving.register_keras_serializable",
    "keras.utils.generic_utils.has_arg", "keras.activations.serialize", "keras.layers.serialize",
    "keras.backend.name_scope",
    # a text tokenizer: maps words to ids in Python lists, no tensors
    "keras.preprocessing.text.Tokenizer",
    # a data set read from disk or downloaded whose sequences are Python lists of word ids
    "keras.datasets.imdb.load_data", "keras.datasets.reuters.load_data",
    # mixed-precision loss scaling: an object whose scale() multiplies the loss by a number
    "torch.cuda.amp.GradScaler", "torch.amp.GradScaler",
    # metric objects: stateful accumulators for logging
    "keras.metrics.Mean", "keras.metrics.Sum", "keras.metrics.Accuracy",
    "keras.metrics.CategoricalAccuracy", "keras.metrics.SparseCategoricalAccuracy",
    "keras.metrics.TopKCategoricalAccuracy", "keras.metrics.SparseTopKCategoricalAccuracy",
    "keras.metrics.Precision", "keras.metrics.Recall", "keras.metrics.AUC", "keras.metrics.MeanSquaredError",
    "keras.metrics.MeanAbsoluteError", "keras.metrics.RootMeanSquaredError", "keras.metrics.MeanIoU",
    "keras.metrics.CategoricalCrossentropy", "keras.metrics.SparseCategoricalCrossentropy",
    "keras.metrics.BinaryCrossentropy",
    # data-pipeline samplers and index splits (which items a loader draws, not their shapes)
    "torch.utils.data.SubsetRandomSampler", "torch.utils.data.sampler.SubsetRandomSampler",
    "torch.utils.data.RandomSampler", "torch.utils.data.SequentialSampler",
    "torch.utils.data.WeightedRandomSampler", "torch.utils.data.BatchSampler",
    "torch.utils.data.distributed.DistributedSampler", "torch.utils.data.DistributedSampler",
    # image files decoded or encoded (what a file holds is not in the program)
    "tensorflow.image.decode_jpeg", "tensorflow.image.decode_png", "tensorflow.image.decode_image",
    "tensorflow.image.decode_bmp", "tensorflow.image.decode_gif", "tensorflow.image.encode_jpeg",
    "tensorflow.image.encode_png",
    # TF1 streaming metrics (accumulators for logging) and configuration lookups
    "tensorflow.metrics.accuracy", "tensorflow.metrics.mean", "tensorflow.metrics.precision",
    "tensorflow.metrics.recall", "tensorflow.metrics.auc", "keras.activations.get", "keras.activations.deserialize",
    # version, type and shape-object queries
    "tensorflow.TensorShape", "tensorflow.__version__.startswith", "torch.is_tensor", "tensorflow.is_tensor", "numpy.finfo",
    "numpy.iinfo", "keras.backend.is_keras_tensor", "torch.finfo", "torch.iinfo", "torch.is_complex",
    "torch.is_floating_point", "numpy.isscalar", "torch.__version__.split",
    # a Python bool about the values of two tensors (`allclose`, `equal`): a test, not a tensor
    "numpy.allclose", "torch.allclose", "torch.equal", "numpy.array_equal",
    # in-place updates of lists of parameters (fused optimizer steps): they return None
    "torch._foreach_add_", "torch._foreach_mul_",
}

# tensor types that live in the device modules: `torch.cuda.FloatTensor(3, 4)` makes a tensor
_KEEP_OUT_NAMES = frozenset(f"torch.cuda.{k}Tensor" for k in ("Float", "Double", "Half", "BFloat16", "Long", "Int", "Short",
                                                              "Char", "Byte", "Bool"))

OPAQUE = NameSet(_NAMES, _MODULES, _KEEP_OUT_MODULES, _KEEP_OUT_NAMES)
