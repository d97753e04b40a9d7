"""Run every corpus program under real PyTorch / TensorFlow and record what happened.

    python tests/corpus/verify_runtime.py [--python PY] [--timeout S] [--jobs N] [FILE ...]

Each corpus file declares its runtime outcome in a header comment:

    # runtime: raises RuntimeError     the program must raise this exception (or a subclass)
    # runtime: runs                    the program must finish without an exception

For bugs that do not crash, PROBES below holds a few lines of Python that run in the program's
namespace after it finished and assert the evidence the file's docstring describes (the loss does
not change when the labels do, no gradient reached the model, ...); a probe sets EVIDENCE to a
sentence that goes into the results. Results go to runtime_results.json next to this script; the
exit status is 1 when any file's outcome differs from its header or its probe fails.

This script needs an interpreter with torch and tensorflow (default: /work/rtvenv/bin/python or
$TENSORLINT_RUNTIME_PYTHON). The analyzer itself never imports either framework.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "runtime_results.json"
DEFAULT_PYTHON = os.environ.get("TENSORLINT_RUNTIME_PYTHON", "/work/rtvenv/bin/python")
RUNTIME_HEADER = re.compile(r"^#\s*runtime:\s*(raises\s+(?P<exc>\w+)|(?P<runs>runs))\s*$", re.M)
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>TL\d{3}(?:\s*,\s*TL\d{3})*)")
MARKER = "@@TENSORLINT-RUNTIME@@"

# Runs inside the child interpreter: argv = [path, probe source].
DRIVER = r'''
import json, os, runpy, sys, traceback, warnings
path, probe = os.path.abspath(sys.argv[1]), sys.argv[2]
result = {"status": "ran"}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        ns = runpy.run_path(path, run_name="__main__")
    except SyntaxError as err:
        result = {"status": "raised", "exception": type(err).__name__,
                  "mro": [c.__name__ for c in type(err).__mro__], "line": err.lineno,
                  "message": str(err.msg)}
    except BaseException as err:
        frames = [f for f in traceback.extract_tb(err.__traceback__) if os.path.abspath(f.filename) == path]
        first = (str(err).strip().splitlines() or [""])[0]
        result = {"status": "raised", "exception": type(err).__name__,
                  "mro": [c.__name__ for c in type(err).__mro__],
                  "line": frames[-1].lineno if frames else None, "message": first[:300]}
    else:
        if probe.strip():
            ns["__warnings__"] = [str(w.message) for w in caught]
            try:
                exec(probe, ns)
                result["evidence"] = str(ns.get("EVIDENCE", "probe passed"))
                result["probe"] = "passed"
            except BaseException as err:
                result["probe"] = "failed"
                result["probe_error"] = (type(err).__name__ + ": " + str(err))[:300]
    seen = []
    for w in caught:
        if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
            continue
        text = (str(w.message).strip().splitlines() or [""])[0][:200]
        if text not in seen:
            seen.append(text)
    result["warnings"] = seen[:5]
sys.stdout.flush()
print("\n''' + MARKER + r'''" + json.dumps(result))
'''

# Evidence for the silent bugs: run in the program's namespace after it finished.
PROBES: dict[str, str] = {
    "keras3_padded_tagger_masked_prediction.py": """
assert np.isnan(history.history["loss"][0])
uniform = np.full(targets[:4].shape, 1.0 / NUM_TAGS, "float32")
masked = ops.convert_to_numpy(masked_categorical_crossentropy(targets[:4], uniform))
plain = ops.convert_to_numpy(keras.losses.categorical_crossentropy(targets[:4], uniform))
assert np.isnan(masked).any() and not np.isnan(plain).any()
EVIDENCE = "the training loss is NaN after one epoch; on uniform predictions the masked loss is NaN at the padded steps while the unmasked one is finite"
""",
    "tf2_segmentation_loss_masks_background_prediction.py": """
assert np.isnan(float(loss))
assert any(np.isnan(g.numpy()).any() for g in grads)
uniform = tf.fill(masks.shape, 1.0 / N_CLASSES)
assert not np.isnan(K.categorical_crossentropy(tf.constant(masks), uniform).numpy()).any()
assert np.isnan(masked_loss(tf.constant(masks), uniform).numpy()).any()
EVIDENCE = "the masked loss and the gradients are NaN; on uniform predictions the masked loss is NaN at the background pixels while the unmasked one is finite"
""",
    "torch_vae_mean_reconstruction_summed_kl.py": """
out = dec(z)
summed, averaged = F.mse_loss(out, data, reduction="sum"), F.mse_loss(out, data)
assert abs(float(summed) / float(averaged) - data.numel()) < 1e-3 * data.numel()
EVIDENCE = f"the reconstruction term is the summed squared error divided by {data.numel()} (64 rows x 30 features) while the KL term is a plain sum"
""",
    "tf_vae_mean_kl_summed_reconstruction.py": """
kl_sum = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)
ratio = float(tf.reduce_sum(kl_sum) / tf.reduce_sum(kl))
assert abs(ratio - 8.0) < 1e-3
EVIDENCE = f"the KL term is the summed KL divided by {ratio:.1f} (the latent units) while the reconstruction is summed over the 20 features"
""",
    "tf2_tape_step_dropout_in_inference_mode.py": """
xs = x[:64]
same = np.allclose(model(xs).numpy(), model(xs, training=False).numpy()) and np.allclose(model(xs).numpy(), model(xs).numpy())
dropped = not np.allclose(model(xs, training=True).numpy(), model(xs, training=False).numpy())
assert same and dropped
EVIDENCE = "model(x) as the tape calls it equals model(x, training=False) and never varies; only training=True drops units: the step trained without dropout"
""",
    "keras3_tape_step_batchnorm_statistics_never_move.py": """
bn = [layer for layer in net.layers if isinstance(layer, keras.layers.BatchNormalization)][0]
mean, var = np.asarray(bn.moving_mean), np.asarray(bn.moving_variance)
assert int(opt.iterations) == 8 and np.allclose(mean, 0.0) and np.allclose(var, 1.0)
EVIDENCE = f"after {int(opt.iterations)} steps the moving mean is still 0 and the moving variance 1 (the batch means reach {float(np.abs(net.layers[0](images[:64]).numpy().mean(axis=0)).max()):.0f}): the layer never normalized a batch"
""",
    "tf2_dqn_target_reads_module_reward.py": """
base = float(np.amax(agent.q.predict(np.zeros((1, 4)), verbose=0)[0]))
got = agent.target(np.zeros((1, 4)))
rewards = sorted({r for r, _ in agent.targets})
assert abs(got - (reward + GAMMA * base)) < 1e-5 and reward == 5.0 and len(rewards) > 1
EVIDENCE = f"the helper adds the module's reward {reward} whatever the transition: the sampled transitions' rewards were {rewards}"
""",
    "torch_loss_helper_reads_loop_labels.py": """
pred = model(torch.zeros(4, 8))
assert torch.allclose(batch_loss(pred), ((pred - 2.0) ** 2).mean()) and labels_seen == [0.0, 1.0, 2.0]
EVIDENCE = f"batches labelled {labels_seen} were each trained against the module's last labels (all {float(y[0, 0])})"
""",
    "torch_input_gradient_penalty_ones_on_cpu.py": """
moved = net.to("meta")
xm = torch.randn(16, 12, device="meta", requires_grad=True)
sm = moved(xm)
try:
    torch.autograd.grad(sm, xm, grad_outputs=torch.ones(sm.size()), create_graph=True)
    message = None
except RuntimeError as e:
    message = str(e)
assert message is not None and "device" in message
EVIDENCE = f"with the model and its batch on another device (meta here, cuda on a GPU), the CPU grad_outputs raise: {message}"
""",
    "torch_labels_tensor_left_on_cpu.py": """
moved = model.to("meta")
try:
    criterion(moved(ids.to("meta")), targets)
    message = None
except RuntimeError as e:
    message = str(e)
assert message is not None and "device" in message
EVIDENCE = f"with the model and the token ids on another device (meta here, cuda on a GPU), the CPU targets raise in the loss: {message}"
""",
    "keras3_exponential_decay_period_in_samples.py": """
assert int(opt.iterations) == 95 and abs(float(opt.learning_rate) - 0.05) < 1e-6
EVIDENCE = f"after {int(opt.iterations)} steps the learning rate is still {float(opt.learning_rate):.3g}: the first decay would come at step 2000"
""",
    "tf2_piecewise_boundaries_counted_in_images.py": """
steps = int(net.optimizer.iterations)
assert steps == 192 and abs(float(net.optimizer.learning_rate) - 0.1) < 1e-6
EVIDENCE = f"after {steps} steps the learning rate is still {float(net.optimizer.learning_rate):.3g}: the first boundary is step 30,000"
""",
    "torch_vae_kl_mean_of_total.py": """
kl_total = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
kl_per_example = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1).mean()
assert torch.allclose(torch.mean(kl_total), kl_total) and torch.allclose(kl_total, kl_per_example * batch.shape[0])
EVIDENCE = f"the mean of the whole sum is the sum itself ({float(kl_total):.2f}), {batch.shape[0]} times the per-example KL ({float(kl_per_example):.3f})"
""",
    "tf2_raw_softmax_regression_total_entropy.py": """
probs = tf.clip_by_value(predict(x), 1e-7, 1.0)
target = tf.one_hot(y, depth=n_classes)
per_example = tf.reduce_mean(-tf.reduce_sum(target * tf.math.log(probs), axis=1))
assert abs(float(entropy(predict(x), y)) - float(per_example) * len(y)) < 1e-2 * float(per_example) * len(y)
EVIDENCE = f"the loss is {float(entropy(predict(x), y)):.1f}, {len(y)} times the per-example cross-entropy {float(per_example):.3f}"
""",
    "keras3_regression_predicts_on_targets.py": """
assert float(np.min(y_test)) >= float(np.max(X_train)) - 1000 and y_pred.shape == (len(y_test), 1)
EVIDENCE = f"predict ran on {len(y_test)} target values ({float(y_test.min()):.0f} to {float(y_test.max()):.0f}) as if they were inputs; the test inputs X_test were never given to the model"
""",
    "keras3_helper_evaluates_on_targets.py": """
assert isinstance(score, float)
EVIDENCE = f"evaluate scored the model on its own 0/1 test labels as inputs (loss {score:.3f}); the test features were never used"
""",
    "tf_module_dense_initializer_bypassed.py": """
assert float(tf.reduce_sum(tf.abs(layer.w))) > 0.0
EVIDENCE = f"asked for zero weights, the layer holds Xavier draws (|w| sums to {float(tf.reduce_sum(tf.abs(layer.w))):.3f})"
""",
    "torch_block_activation_default_bypassed.py": """
h = block.fc1(x)
assert torch.allclose(out, block.fc2(torch.nn.functional.gelu(h))) and not torch.allclose(out, block.fc2(torch.tanh(h)))
EVIDENCE = "asked for Tanh, the block's output is the GELU one"
""",
    "torch_lm_init_weights_zeroes_decoder_weight_twice.py": """
assert model.decoder.weight.abs().sum() > 0 and model.decoder.bias.abs().sum() > 0
EVIDENCE = f"the decoder's weight is the uniform draw and its bias keeps nn.Linear's defaults (|bias| sums to {float(model.decoder.bias.abs().sum()):.3f}): zeros_ had no effect"
""",
    "torch_dcgan_weights_init_batchnorm_scale_zeroed.py": """
bn = netD[3]
assert float(bn.weight.abs().sum()) == 0.0
EVIDENCE = "the BatchNorm scale is all zeros after weights_init: the normal_(1.0, 0.02) draw was overwritten"
""",
    "tf1_word2vec_rare_words_never_pruned.py": """
rare = [w for w, c in count if 0 < c < min_occurrence]
assert rare and "zebra" in word2id
EVIDENCE = f"{len(rare)} words seen fewer than {min_occurrence} times are still in the vocabulary of {vocabulary_size}"
""",
    "torch_dqn_target_network_shallow_copy.py": """
assert target_net.fc1.weight is policy_net.fc1.weight and moved > 0
EVIDENCE = f"the target network holds the online network's weight tensors: its fc1 weights moved by {moved:.4f} in training"
""",
    "torch_actor_critic_target_copies_in_agent.py": """
assert shared and all(p is tp for p, tp in zip(agent.actor.parameters(), agent.actor_target.parameters()))
EVIDENCE = "every parameter of the target actor and critic is the same tensor as the online network's"
""",
    "torch_clip_grad_on_used_parameter_iterator.py": """
assert norms == [0.0] * 5 and sum(p.grad.norm() for p in model.parameters()) > 0.25
EVIDENCE = f"clip_grad_norm_ saw no parameter (total norms {norms}) while the gradients were far above 0.25"
""",
    "torch_gan_freeze_loop_over_used_chain.py": """
assert d_grad_after_g_step is not None and d_grad_after_g_step.abs().sum() > 0
EVIDENCE = "after the generator step the discriminator's first layer has a gradient: it was never frozen"
""",
    "torch_reinforce_done_flag_set_once.py": """
assert steps_per_episode[0] > 0 and steps_per_episode[1:] == [0, 0, 0, 0]
EVIDENCE = f"steps per episode {steps_per_episode}: only the first episode ran"
""",
    "torch_early_stop_flag_never_reset_per_fold.py": """
assert epochs_run[0] > 0 and epochs_run[1:] == [0, 0]
EVIDENCE = f"epochs run per fold {epochs_run}: the folds after the first early stop never trained"
""",
    "torch_unfreeze_top_layers_never_runs.py": """
assert trainable_blocks == 0 and len(params) == 2
EVIDENCE = "no block parameter requires grad after the unfreezing loop: the optimizer trains the head alone"
""",
    "torch_attention_layers_built_in_forward.py": """
names = {name for name, _ in model.named_parameters()}
assert names == {f"W_{m}.{p}" for m in "QKV" for p in ("weight", "bias")}
assert not torch.allclose(first, second)
EVIDENCE = "the model's parameters are the three input projections alone; the same input in eval mode gives two different outputs"
""",
    "torch_textcnn_conv_built_in_forward.py": """
assert n_params == vocab_size * embedding_size + num_filters * len(filter_sizes) * num_classes + num_classes
assert not any(isinstance(m, nn.Conv2d) for m in model.modules())
EVIDENCE = f"the model holds {n_params} parameters, the embedding and the classifier: no Conv2d is among its modules"
""",
    "tf1_autoencoder_unit_normal_weights.py": """
saturated = float(np.mean((codes < 0.02) | (codes > 0.98)))
assert saturated > 0.5
EVIDENCE = f"{saturated:.0%} of the second layer's units start within 0.02 of 0 or 1"
""",
    "torch_sigmoid_mlp_randn_parameters.py": """
saturated = float(((out < 0.02) | (out > 0.98)).float().mean())
assert saturated > 0.5
EVIDENCE = f"{saturated:.0%} of the second layer's units start within 0.02 of 0 or 1"
""",
    "tf1_vgg_layer_type_wrong_index.py": """
ops = {op.type for op in tf.get_default_graph().get_operations()}
assert "Conv2D" not in ops and "Relu" not in ops and "MaxPool" in ops
assert out.shape == (1, 1, 1, 3)  # eight 2x2 pools of a 16x16 image
EVIDENCE = f"the graph holds no Conv2D or Relu op; the features are pooled pixels of shape {out.shape}"
""",
    "torch_layer_spec_prefix_case.py": """
assert len(model) == 0 and sum(p.numel() for p in model.parameters()) == 0
assert torch.equal(out, x)
EVIDENCE = "the model has no layers and no parameters: it returns its input unchanged"
""",
    "tf_list_files_split_reshuffled.py": """
assert leaked
EVIDENCE = f"{len(leaked)} of the 8 validation files were among the training files of five epochs"
""",
    "keras_tf_data_shuffle_then_take_skip.py": """
assert first_pass != second_pass and first_pass & trained_rows
EVIDENCE = (f"two passes over the validation split share {len(first_pass & second_pass)} of 50 rows; "
            f"{len(first_pass & trained_rows)} validation rows were also in a training pass")
""",
    "keras_pool_default_format_after_channels_first.py": """
assert pooled_shape == (None, 8, 14, 28)
EVIDENCE = f"the pooling layer's output is {pooled_shape}: channels and height halved, width kept"
""",
    "tf_keras_upsampling_default_format_functional.py": """
assert upsampled_shape == (None, 16, 32, 16)
EVIDENCE = f"UpSampling2D made {upsampled_shape} from (None, 8, 16, 16): channels and height doubled"
""",
    "tf_keras_validation_set_built_like_training.py": """
on_train = model.evaluate(train_ds, verbose=0)
assert np.isclose(val_losses[-1], on_train, rtol=1e-4)
EVIDENCE = f"the last validation loss {val_losses[-1]:.4f} is the loss on the training data ({on_train:.4f})"
""",
    "keras3_test_arrays_sliced_like_validation.py": """
on_valid = model.evaluate(x_val, y_val, verbose=0)
assert np.array_equal(x_test, x_val) and np.isclose(test_loss, on_valid)
EVIDENCE = f"the test loss {test_loss:.4f} is the validation loss {on_valid:.4f}: the same rows"
""",
    "tf1_leaky_slope_parameter_ignored.py": """
assert np.allclose(negative, -4 * 0.2)
EVIDENCE = f"asked for alpha=0.01, the hidden layer maps a sum of -4 to {negative[0, 0]:.2f} (slope 0.2)"
""",
    "torch_dropout_parameter_ignored.py": """
assert head[0].p == 0.5
EVIDENCE = f"make_head(..., p=0.1) built Dropout(p={head[0].p})"
""",
    "tf1_update_ops_from_default_graph.py": """
assert update_ops == [] and not final_moving_mean.any()
EVIDENCE = f"update_ops read outside the graph is {update_ops}; after 20 steps the moving mean is {final_moving_mean}"
""",
    "tf1_ema_update_outside_cond.py": """
assert abs(after - before).max() > 10
EVIDENCE = f"one run with phase_train False moved the moving mean from {before.round(2)} to {after.round(2)}"
""",
    "tf1_counter_update_outside_cond.py": """
assert counted == 3
EVIDENCE = f"three runs with is_training False advanced the step counter to {counted}"
""",
    "tf1_ddpg_critic_step_moves_actor.py": """
moved = float(abs(after - before).max())
assert moved > 1e-4
EVIDENCE = f"one critic step moved the actor's weights by up to {moved:.4f}"
""",
    "tf1_ddpg_classes_critic_trains_actor_weights.py": """
moved = float(abs(after - before).max())
assert moved > 1e-4
EVIDENCE = f"one critic step moved the actor's weights by up to {moved:.4f}"
""",
    "tf1_ddpg_action_gradient_through_stop_gradient.py": """
assert a_grads is None
EVIDENCE = "tf.gradients(q, action) is [None]: the critic reads the action only through tf.stop_gradient"
""",
    "tf1_dqn_target_on_current_state.py": """
assert loss_a == loss_b
EVIDENCE = f"the loss is {loss_a:.4f} whichever next states are fed"
""",
    "tf1_dqn_class_target_net_reads_s.py": """
assert loss_a == loss_b
EVIDENCE = f"the loss is {loss_a:.4f} whichever next states are fed"
""",
    "torch_mse_column_vs_flat_target.py": """
assert (pred - y).shape == (32, 32)
assert any("target size" in w for w in __warnings__)
EVIDENCE = f"pred {tuple(pred.shape)} - y {tuple(y.shape)} broadcasts to {tuple((pred - y).shape)}; torch warned"
""",
    "keras_lstm_sequence_output_vs_scalar_target.py": """
p = model.predict(x[:4], verbose=0)
assert p.shape == (4, 45, 1) and y.shape == (64, 1)
EVIDENCE = f"model.predict(x[:4]) has shape {p.shape}: 45 predictions per sequence for one target each ({y.shape})"
""",
    "tf_handwritten_mse_column.py": """
assert tuple((pred - targets).shape) == (50, 50)
EVIDENCE = f"pred {tuple(pred.shape)} - targets {tuple(targets.shape)} has shape {tuple((pred - targets).shape)}"
""",
    "torch_handwritten_mse_loop.py": """
d = model(x) - y
assert tuple(d.shape) == (40, 40) and not any("target size" in w for w in __warnings__)
EVIDENCE = f"model(x) - y has shape {tuple(d.shape)} and no warning was printed"
""",
    "torch_reinforce_log_prob_times_return_column.py": """
product = dist.log_prob(actions) * returns
assert tuple(product.shape) == (64, 64)
own = (dist.log_prob(actions) * returns.squeeze(1)).mean()
assert not torch.allclose(own, product.mean())
EVIDENCE = (f"log_prob {tuple(dist.log_prob(actions).shape)} * returns {tuple(returns.shape)} has shape "
            f"{tuple(product.shape)}; its mean {product.mean().item():.4f} differs from the per-sample mean {own.item():.4f}")
""",
    "torch_l1_broadcast_loader.py": """
assert any("target size" in w for w in __warnings__)
EVIDENCE = "torch warned: " + next(w for w in __warnings__ if "target size" in w)[:90]
""",
    "torch_softmax_into_cross_entropy.py": """
assert torch.allclose(probs.sum(dim=1), torch.ones(32))
EVIDENCE = "the values given to CrossEntropyLoss already sum to 1 per row (probabilities, not logits)"
""",
    "torch_nll_without_log_softmax.py": """
assert loss.item() < 0
EVIDENCE = f"NLLLoss on raw scores went negative: {loss.item():.2f}"
""",
    "keras_softmax_from_logits.py": """
assert any("from_logits" in w for w in __warnings__)
EVIDENCE = "Keras warned: " + next(w for w in __warnings__ if "from_logits" in w)[:100]
""",
    "keras_accuracy_metric_on_logits.py": """
logit = model.predict(x, verbose=0)[:, 0]
reported = model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"]
decided = float(np.mean((logit > 0) == (y == 1)))
assert np.any((logit > 0) & (logit < 0.5)) and abs(reported - decided) > 0.01, (reported, decided)
EVIDENCE = f"reported accuracy {reported:.3f}, accuracy of the decisions logit > 0: {decided:.3f}"
""",
    "tf_keras_binary_accuracy_object_on_logits.py": """
logit = model.predict(tokens, verbose=0)[:, 0]
reported = model.evaluate(tokens, labels, verbose=0, return_dict=True)["acc"]
decided = float(np.mean((logit > 0) == (labels[:, 0] == 1)))
assert np.any((logit > 0) & (logit < 0.5)) and abs(reported - decided) > 0.01, (reported, decided)
EVIDENCE = f"reported accuracy {reported:.3f}, accuracy of the decisions logit > 0: {decided:.3f}"
""",
    "keras_embedding_fed_normalized_features.py": """
ids = np.asarray(keras.ops.cast(X[:50], "int32"))
emb = np.asarray(model.layers[0](X[:2]))
assert np.all(ids == 0) and np.allclose(emb[0], emb[1])
EVIDENCE = "the normalized features cast to ids are all 0; two different samples get identical embeddings"
""",
    "tf_keras_embedding_fed_normalized_rows.py": """
ids = tf.cast(features[:50], tf.int32).numpy()
p = model.predict(features[:20], verbose=0)
assert np.all(ids == 0) and np.allclose(p, p[0])
EVIDENCE = "the normalized rows cast to ids are all 0; the model predicts the same value for every row"
""",
    "keras_mape_on_binary_labels.py": """
loss = model.evaluate(x, y, verbose=0)
zeros = float(np.mean(np.abs(model.predict(x[y == 0], verbose=0)))) * 100 / 1e-7
assert loss > 1e6, loss
EVIDENCE = f"mape on the 0/1 labels is {loss:.3g} (class-0 samples alone contribute about {zeros:.3g} each)"
""",
    "keras_dense1_softmax.py": """
p = model.predict(x_train[:8], verbose=0)
assert np.all(p == 1.0)
EVIDENCE = "model.predict returns exactly 1.0 for every sample"
""",
    "torch_softmax_single_output.py": """
grads = [p.grad for p in model.parameters()]
assert all(g is not None and float(g.abs().max()) == 0.0 for g in grads)
EVIDENCE = "every parameter gradient is exactly zero; the output is constantly 1"
""",
    "keras_categorical_single_unit.py": """
assert history.history["loss"][0] == 0.0
EVIDENCE = "history['loss'] == [0.0]: nothing to learn"
""",
    "keras_binary_ce_three_softmax.py": """
reported, _ = model.evaluate(x, y, verbose=0)
pred = model.predict(x, verbose=0)
categorical = float(np.mean(-np.sum(y * np.log(np.clip(pred, 1e-7, 1.0)), axis=1)))
assert abs(reported - categorical) > 0.1
EVIDENCE = f"reported loss {reported:.3f}; categorical cross-entropy of the same predictions {categorical:.3f}"
""",
    "torch_log_of_softmax.py": """
out = class_log_probs(torch.tensor([[0.0, 200.0]]))
assert torch.isinf(out).any()
EVIDENCE = f"class_log_probs([[0, 200]]) = {out.tolist()}"
""",
    "tf1_log_softmax_mnist.py": """
from tensorflow.core.protobuf import rewriter_config_pb2
cfg = tf.ConfigProto()
cfg.graph_options.rewrite_options.arithmetic_optimization = rewriter_config_pb2.RewriterConfig.OFF
with tf.Session(config=cfg) as s:
    s.run(tf.global_variables_initializer())
    v = s.run(cross_entropy, feed_dict={x: xs * 1e4, y_: ys})
assert not np.isfinite(v)
EVIDENCE = f"with large inputs (graph rewrites off) the loss is {v}"
""",
    "keras_loss_log_softmax_eager.py": """
v = softmax_xent(tf.constant([[0.0, 1.0]]), tf.constant([[0.0, 200.0]])).numpy()
assert np.isnan(v).all()
EVIDENCE = f"softmax_xent([[0, 1]], [[0, 200]]) = {v}"
""",
    "torch_custom_loss_module_ignores_target.py": """
pred = model(x)
a = criterion(pred, y)
b = criterion(pred, -5 * y[torch.randperm(8)])
assert torch.equal(a, b)
EVIDENCE = f"loss {a.item():.4f} with the labels and {b.item():.4f} with shuffled, rescaled labels"
""",
    "torch_spread_loss_ignores_target.py": """
pred = model(x)
a = objective(pred, y)
b = objective(pred, y[torch.randperm(30)] * 3)
assert torch.equal(a, b)
EVIDENCE = f"loss {a.item():.4f} with the targets and {b.item():.4f} with shuffled, rescaled targets"
""",
    "torch_loss_with_stale_labels.py": """
assert any(not torch.equal(yb, y_train[: len(yb)]) for _, yb in loader)
EVIDENCE = "the labels the loader yields differ from the slice the loss is computed against"
""",
    "keras_loss_function_ignores_ytrue.py": """
p = model(x[:8])
a = weighted_mse(y[:8], p).numpy()
b = weighted_mse(np.zeros_like(y[:8]), p).numpy()
assert np.array_equal(a, b)
EVIDENCE = "weighted_mse gives the same values for the real labels and for all-zero labels"
""",
    "keras3_loss_subclass_ignores_ytrue.py": """
p = np.random.rand(6, 1).astype("float32")
loss = FocalLoss()
a = float(loss(np.zeros((6, 1), "float32"), p))
b = float(loss(np.ones((6, 1), "float32"), p))
assert a == b
EVIDENCE = f"FocalLoss is {a:.4f} for all-zero and {b:.4f} for all-one labels"
""",
    "torch_forward_ignores_input.py": """
a = decoder(torch.randn(1, 8))
b = decoder(torch.randn(1, 8) * 10)
assert torch.equal(a, b)
EVIDENCE = "decoder(a) == decoder(b) for different inputs"
""",
    "torch_loss_rewrapped_item.py": """
assert all(p.grad is None for p in model.parameters())
EVIDENCE = "after backward() every model parameter's .grad is still None"
""",
    "tf_saliency_unwatched_input.py": """
assert saliency is None
EVIDENCE = "tape.gradient(top, image) returned None"
""",
    "torch_missing_zero_grad.py": """
accumulated = model.weight.grad.clone()
model.zero_grad()
loss_fn(model(x), y).backward()
ratio = float(accumulated.norm() / model.weight.grad.norm())
assert ratio > 2
EVIDENCE = f"the gradient used by the last step is {ratio:.1f}x the gradient of one iteration"
""",
    "torch_zero_grad_outside_loop.py": """
accumulated = model[0].weight.grad.clone()
model.zero_grad()
xb, yb = next(iter(loader))
criterion(model(xb), yb).backward()
ratio = float(accumulated.norm() / model[0].weight.grad.norm())
assert ratio > 1.5
EVIDENCE = f"the accumulated gradient is {ratio:.1f}x the gradient of one batch"
""",
    "torch_step_without_backward.py": """
assert all(p.grad is None for p in model.parameters())
assert history[0] == history[-1]
EVIDENCE = f"no parameter ever got a gradient; loss stayed {history[0]:.4f}"
""",
    "torch_backward_without_step.py": """
assert len(optimizer.state) == 0
EVIDENCE = "Adam's state is empty: step() never ran"
""",
    "torch_eval_not_restored.py": """
assert not model.training
EVIDENCE = "model.training is False after the loop: epochs 2+ trained in eval mode"
""",
    "torch_valid_loss_over_whole_dataset.py": """
n_seen = sum(x.size(0) for x, _ in valid_loader)
assert n_seen == 40 and len(valid_loader.dataset) == 200
EVIDENCE = f"the loader yields {n_seen} samples; the sum is divided by {len(valid_loader.dataset)}"
""",
    "torch_test_loss_on_own_predictions.py": """
true_loss = loss_fn(test_logits, y_test).item()
assert test_loss.item() < true_loss
EVIDENCE = f"test loss against its own predictions {test_loss.item():.3f}, against the true labels {true_loss:.3f}"
""",
    "torch_eval_loss_on_max_indices.py": """
net.eval()
with torch.no_grad():
    true_loss = sum(criterion(net(x), t).item() for x, t in valid_loader) / len(valid_loader)
assert valid_loss < true_loss
EVIDENCE = f"validation loss against its own predictions {valid_loss:.3f}, against the labels {true_loss:.3f}"
""",
    "torch_softmax_over_batch_predictions.py": """
with torch.no_grad():
    own = torch.cat([model(x).argmax(dim=1) for x, _ in test_loader])
changed = int((own != y_pred_tensor).sum())
assert changed > 0
EVIDENCE = f"{changed} of {len(own)} labels differ from the model's most probable class"
""",
    "torch_predict_log_softmax_dim0.py": """
with torch.no_grad():
    own = clf(batch).argmax(dim=1)
changed = int((own != labels).sum())
assert changed > 0
EVIDENCE = f"{changed} of {len(own)} labels differ from the model's most probable class"
""",
    "torch_argparse_int_learning_rate.py": """
try:
    parser.parse_args(["--lr", "0.001"])
    raise AssertionError("--lr 0.001 was accepted")
except SystemExit:
    pass
assert parser.parse_args(["--lr", "1"]).lr == 1
EVIDENCE = "--lr 0.001 is rejected by argparse; --lr 1 gives a learning rate of 1"
""",
    "torch_keep_prob_comment_dropout.py": """
drop = [m for m in model if isinstance(m, nn.Dropout)][0]
model.train()
frac = (drop(torch.ones(20000)) == 0).float().mean().item()
assert frac > 0.85, frac
EVIDENCE = f"nn.Dropout zeroes {frac:.0%} of its inputs in training mode, not the 10 % the keep probability meant"
""",
    "keras_keep_prob_as_dropout_rate.py": """
layer = [l for l in model.layers if isinstance(l, tf.keras.layers.Dropout)][0]
out = layer(tf.ones([20000]), training=True)
frac = float(tf.reduce_mean(tf.cast(tf.equal(out, 0.0), tf.float32)))
assert frac > 0.75, frac
EVIDENCE = f"Dropout zeroes {frac:.0%} of its inputs in training mode, not the 20 % the keep probability meant"
""",
    "torch_argparse_int_dropout_in_function.py": """
try:
    parse(["--dropout", "0.3"])
    raise AssertionError("--dropout 0.3 was accepted")
except SystemExit:
    pass
assert opts.dropout == 0.5
EVIDENCE = "the default 0.5 is kept, --dropout 0.3 is rejected by argparse"
""",
    "torch_accuracy_over_whole_dataset.py": """
n_seen = sum(x.size(0) for x, _ in valid_loader)
assert n_seen == 50 and accuracy <= 100.0 * n_seen / len(valid_loader.dataset)
EVIDENCE = f"the reported accuracy is {accuracy:.1f}%, bounded by {100.0 * n_seen / len(valid_loader.dataset):.0f}%: {n_seen} of {len(valid_loader.dataset)} samples are drawn"
""",
    "torch_parameter_cast_after_wrapping.py": """
assert not any(p is model.temperature for p in model.parameters())
assert "temperature" not in model.state_dict() and float(model.temperature) == 1.0
EVIDENCE = "model.temperature is neither in model.parameters() nor in the state_dict, and it is still 1.0 after training"
""",
    "torch_test_set_copied_from_training_source.py": """
trained = train_loader.dataset.indices
assert all(torch.equal(test_set[i][0], full[i][0]) for i in trained)
EVIDENCE = f"the test set holds all {len(trained)} training rows: test_set[i] equals the training row i for each of them"
""",
    "torch_eval_helper_on_copied_training_set.py": """
evaluated = test_loader.dataset
trained = train_part.indices
assert all(torch.equal(evaluated[i][0], train_part.dataset[i][0]) for i in trained)
EVIDENCE = f"the test loader's dataset holds all {len(trained)} training images: each equals the training image at its index"
""",
    "torch_random_split_shared_transform.py": """
assert train_data.dataset is valid_data.dataset and train_data.dataset.transform is no_augment
x0, _ = train_data[0]
assert torch.equal(x0, full.x[train_data.indices[0]])
EVIDENCE = "the training part loads its samples unchanged: its dataset's transform is no_augment, the augmentation never runs"
""",
    "torch_subset_shared_target_transform.py": """
assert sorted(set(val_labels)) == [0, 1]
EVIDENCE = "the validation labels are remapped too: they take only the values [0, 1] instead of 0..9"
""",
    "torch_validation_in_train_mode.py": """
with torch.no_grad():
    a = criterion(model(x_va), y_va).item()
    b = criterion(model(x_va), y_va).item()
    model.eval()
    c = criterion(model(x_va), y_va).item()
assert a != b and abs(a - c) > 1e-6
EVIDENCE = f"the same validation batch in training mode gives {a:.4f}, then {b:.4f}; in eval mode {c:.4f}"
""",
    "torch_gan_samples_in_train_mode.py": """
with torch.no_grad():
    in_train = netG(fixed_noise).clone()
    netG.eval()
    in_eval = netG(fixed_noise)
gap = float((in_train - in_eval).abs().max())
assert gap > 1e-3
EVIDENCE = f"the fixed-noise samples in training mode differ from eval mode by up to {gap:.3f}"
""",
    "torch_eval_in_helper_loop.py": """
assert not net.training
EVIDENCE = "net.training is False after the loop"
""",
    "torch_direct_forward_call.py": """
assert seen == []
EVIDENCE = "the registered forward hook never ran"
""",
    "torch_submodule_forward_call.py": """
assert recorded == [6]
EVIDENCE = "the encoder hook ran once, for zb only; za bypassed it"
""",
    "torch_running_loss_graph.py": """
assert running_loss.grad_fn is not None
EVIDENCE = f"running_loss holds a graph: grad_fn={type(running_loss.grad_fn).__name__}"
""",
    "torch_loss_list_accumulate.py": """
assert total.grad_fn is not None
EVIDENCE = f"total holds a graph: grad_fn={type(total.grad_fn).__name__}"
""",
    "torch_optimizer_on_teacher.py": """
stepped = {id(p) for g in optimizer.param_groups for p in g["params"]}
assert not any(id(p) in stepped for p in student.parameters())
EVIDENCE = "none of the student's parameters is in the optimizer"
""",
    "torch_optimizer_before_model_replaced.py": """
stepped = {id(p) for g in optimizer.param_groups for p in g["params"]}
assert not any(id(p) in stepped for p in model.parameters())
EVIDENCE = "the optimizer holds the first model's parameters, not the trained one's"
""",
    "torch_nan_in_targets.py": """
assert torch.isnan(loss) and torch.isnan(model.weight).all()
EVIDENCE = "loss is NaN and every weight is NaN after one step"
""",
    "keras_nan_features_fit.py": """
assert np.isnan(history.history["loss"][0])
EVIDENCE = "history['loss'] is NaN"
""",
    "keras_nan_mask_equality.py": """
assert np.isnan(x).any() and np.isnan(history.history["loss"][0])
EVIDENCE = "the NaN survived x[x == np.nan] = 0 and the loss is NaN"
""",
    "torch_nan_loss_guard.py": """
assert not stopped and not math.isfinite(loss.item())
EVIDENCE = f"the guard never fired although the loss is {loss.item()}"
""",
    "keras_house_prices_raw_scale.py": """
assert history.history["loss"][0] > 1e11
EVIDENCE = f"first-epoch MSE is {history.history['loss'][0]:.3g}"
""",
    "torch_extreme_magnitude_features.py": """
bad = not torch.isfinite(loss) or loss.item() > 1e20 or not all(torch.isfinite(p).all() for p in model.parameters())
assert bad
EVIDENCE = f"loss {loss.item():.3g}; finite weights after one step: {all(bool(torch.isfinite(p).all()) for p in model.parameters())}"
""",
    "keras_unscaled_concat_features.py": """
spread = features.std(axis=0)
assert spread.max() / spread.min() > 100
EVIDENCE = f"column standard deviations differ by {spread.max() / spread.min():.0f}x"
""",
    "torch_unscaled_stack_features.py": """
spread = x.std(dim=0)
assert float(spread.max() / spread.min()) > 100
EVIDENCE = f"column standard deviations differ by {float(spread.max() / spread.min()):.0f}x"
""",
    "tf1_log_of_linear_logreg.py": """
assert not np.isfinite(costs[0])
EVIDENCE = f"the cost is {costs[0]} from the first step (log of negative affine outputs)"
""",
    "torch_log_of_relu_output.py": """
assert not torch.isfinite(torch.tensor(losses[0]))
EVIDENCE = f"the hand-written cross-entropy is {losses[0]} on the first batch"
""",
    "torch_gan_generator_skips_layer.py": """
assert G.fc1.weight.grad is None and G.fc2.weight.grad is not None
EVIDENCE = "after backward, G.fc1.weight.grad is None while G.fc2 has a gradient: fc1 never trains"
""",
    "tf1_ddpg_soft_update_zip_truncated.py": """
import numpy as np
counts = [len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope=s)) for s in ("policy/frozen", "value/frozen")]
assert counts == [4, 5]
assert np.array_equal(before, after)
EVIDENCE = "the value network's fifth frozen variable is unchanged by the Polyak update: zip stopped at the policy's 4 variables"
""",
    "keras3_fcn_up_block_output_dropped.py": """
convs = [l for l in model.layers if type(l).__name__ == "Conv2D"]
assert len(convs) == 4, len(convs)
EVIDENCE = f"the built model holds {len(convs)} Conv2D layers, not 6: the last dense block's two convolutions are not part of it"
""",
    "keras_functional_skipped_dense.py": """
dense = [l for l in model.layers if l.__class__.__name__ == "Dense"]
assert len(dense) == 2
EVIDENCE = f"the built model holds {len(dense)} Dense layers, not 3: the 32-unit layer is not part of it"
""",
    "torch_detached_adversarial_term.py": """
opt.zero_grad()
recon = decoder(encoder(x))
rec_loss = ((recon - x) ** 2).mean()
adv = bce(critic(recon), torch.ones(32, 1))
rec_loss.backward(retain_graph=True)
g_rec = decoder[0].weight.grad.clone()
opt.zero_grad()
(rec_loss + 0.5 * adv.item()).backward()
assert torch.equal(g_rec, decoder[0].weight.grad)
EVIDENCE = "the decoder's gradient with the adversarial term equals its gradient without it"
""",
    "tf_stop_gradient_regularizer.py": """
with tf.GradientTape(persistent=True) as tape:
    logits = model(x, training=True)
    ce = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    total = ce + 0.1 * tf.stop_gradient(tf.reduce_mean(tf.square(logits)))
g1 = tape.gradient(ce, model.trainable_variables)
g2 = tape.gradient(total, model.trainable_variables)
assert all(np.allclose(a.numpy(), b.numpy()) for a, b in zip(g1, g2))
assert float(total) != float(ce)
EVIDENCE = "the total loss differs from the cross-entropy, its gradients are identical"
""",
    "torch_loss_rewrapped_from_item.py": """
assert all(p.grad is None for p in model.parameters())
assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
EVIDENCE = "after 5 steps every parameter's .grad is None and the weights are unchanged"
""",
    "torch_numpy_loss_rewrapped.py": """
assert all(p.grad is None for p in net.parameters())
assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))
EVIDENCE = "after 10 steps every parameter's .grad is None and the weights are unchanged"
""",
    "keras_relu_head_categorical.py": """
p = model.predict(X, verbose=0)
sums = p.sum(axis=1)
assert p.min() >= 0 and not np.allclose(sums, 1.0)
EVIDENCE = f"the outputs are not probabilities: row sums from {sums.min():.3f} to {sums.max():.3f}, {int((p == 0).sum())} outputs exactly 0"
""",
    "tf_forward_before_tape.py": """
assert all(g is None for g in grads)
EVIDENCE = f"tape.gradient returned None for all {len(grads)} trainable variables"
""",
    "torch_scratch_mlp_ignores_input.py": """
a, b = net(torch.randn(4, 1, 28, 28)), net(torch.randn(4, 1, 28, 28))
assert torch.equal(a, b)
EVIDENCE = "net gives the same output for two different batches of inputs"
""",
    "torch_relu_before_log_softmax.py": """
out = model(data)
ties = (out == out.min(dim=1, keepdim=True).values).sum(dim=1)
assert (ties > 1).float().mean() > 0.5
EVIDENCE = f"in {int((ties > 1).sum())} of {len(ties)} rows several classes share the lowest log-probability (their scores were clipped to 0)"
""",
    "keras_dropout_between_logits_and_softmax.py": """
import keras
to_softmax = keras.Model(model.inputs, model.layers[-2].output)
scores = np.asarray(to_softmax(x, training=True))
zeroed = float(np.mean(scores == 0))
assert zeroed > 0.3
EVIDENCE = f"in training mode {zeroed:.0%} of the class scores reach the softmax as exactly 0"
""",
    "torch_dropout_after_output_linear.py": """
model.train()
with torch.no_grad():
    scores = model(x)
zeroed = float((scores == 0).float().mean())
assert zeroed > 0.3
EVIDENCE = f"in training mode {zeroed:.0%} of the logits CrossEntropyLoss reads are exactly 0"
""",
    "keras_normalization_layer_not_adapted.py": """
unchanged = np.allclose(np.asarray(normalizer(X_train)), X_train)
assert unchanged and X_train[:, 0].std() > 100
EVIDENCE = f"the layer returns its input unchanged: the first feature still has standard deviation {X_train[:, 0].std():.0f}"
""",
    "tf_keras_absl_enum_tested_with_other_flags_value.py": """
assert FLAGS.transfer == "frozen" and base.trainable and all(layer.trainable for layer in base.layers)
EVIDENCE = "asked for --transfer frozen, the base model is still trainable: FLAGS.mode never equals 'frozen'"
""",
    "keras3_argparse_choice_spelled_differently.py": """
assert args.optimizer == "adam" and isinstance(optimizer, keras.optimizers.SGD)
assert np.allclose(scaled_first, 0.0) and x[:, 0].std() > 0.1
EVIDENCE = "asked for --optimizer adam, the model trains with SGD: args.optimizer is never 'Adam'; the column scaled on one row is all 0.0"
""",
    "keras3_early_stopping_loss_mode_max.py": """
val = history.history["val_loss"]
assert len(val) < 30 and val[-1] < val[0]
EVIDENCE = f"stopped after {len(val)} of 30 epochs while the validation loss fell from {val[0]:.3f} to {val[-1]:.3f}"
""",
    "tf_custom_loop_early_stopping_keeps_largest_loss.py": """
assert len(losses) < 50 and losses[-1] < losses[0]
EVIDENCE = f"stopped after {len(losses)} of 50 epochs while the validation loss fell from {losses[0]:.3f} to {losses[-1]:.3f}"
""",
    "tf_custom_loop_early_stopping_best_starts_at_zero.py": """
assert len(losses) == patience and losses[-1] < losses[0] and best == 0
EVIDENCE = f"stopped after {len(losses)} of 50 epochs, best still {best}, while the validation loss fell from {losses[0]:.3f} to {losses[-1]:.3f}"
""",
    "torch_checkpoint_best_loss_starts_at_zero.py": """
assert saved == [] and losses[-1] < losses[0]
EVIDENCE = f"no checkpoint saved in {len(losses)} epochs while the validation loss fell from {losses[0]:.3f} to {losses[-1]:.3f}"
""",
    "keras_sigmoid_applied_to_sigmoid_predictions.py": """
assert labels.min() == 1 and scores.min() < 0.5 and (y == 0).any()
EVIDENCE = f"every one of {len(labels)} samples predicted 1 (model scores as low as {scores.min():.3f}, {int((y == 0).sum())} negatives)"
""",
    "torch_sigmoid_of_sigmoid_model_output.py": """
with torch.no_grad():
    out = model(x)
    plain = ((out > 0.5).float() == y).float().mean().item()
assert torch.sigmoid(out).min().item() >= 0.5 and plain > acc + 0.3
EVIDENCE = f"the second sigmoid is never below 0.5: accuracy {acc:.3f} (positive labels {y.mean().item():.3f}); the model's own output thresholded gives {plain:.3f}"
""",
    "keras3_fit_on_dataset_before_split.py": """
vx = np.concatenate([b[0].numpy() for b in val_ds])
assert history.params["steps"] == 10 and np.allclose(vx, features[-len(vx):])
EVIDENCE = f"fit ran all 10 batches of ds, the {len(vx)} validation rows among them"
""",
    "tf_keras_fit_whole_array_validation_part.py": """
vx = np.stack([row[0] for row in val_part.as_numpy_iterator()])
assert history.params["steps"] == 7 and np.allclose(vx, x[150:])
assert np.allclose(y_scaled, 0.0) and y.std() > 0.1
EVIDENCE = f"fit trained on all 200 rows, the {len(vx)} validation rows x[150:] among them; every scaled target is 0.0"
""",
    "keras3_normalization_in_training_helper.py": """
check = keras.layers.Normalization()
assert np.allclose(np.asarray(check(features)), features)
EVIDENCE = "a Normalization layer that is not adapted returns the features unchanged (scales 1 to 10,000 kept)"
""",
    "tf_path_gradients_stack_last_batch.py": """
assert total.shape[0] == 9
EVIDENCE = f"the stacked path gradients have {total.shape[0]} rows for the 41 path points"
""",
    "torch_encoder_layer_one_layer_norm.py": """
norms = [m for m in layer.modules() if isinstance(m, nn.LayerNorm)]
assert len(norms) == 1 and len(norm_calls) == 6
EVIDENCE = f"the layer holds {len(norms)} LayerNorm, called {len(norm_calls) // 3} times in each of 3 forward passes: attention and feed-forward share one scale and shift"
""",
    "keras3_encoder_sequence_length_for_embedding_width.py": """
assert encoder.embedding.output_dim == MAXLEN and encoder.num_timesteps == EMBEDDING_DIM
assert tuple(encoder.embedding(x[:2]).shape) == (2, MAXLEN, MAXLEN)
EVIDENCE = f"the embedding is {encoder.embedding.output_dim} wide (the sentence length) instead of {EMBEDDING_DIM}, and num_timesteps is {encoder.num_timesteps}"
""",
    "torch_focal_loss_weight_and_exponent_swapped.py": """
with torch.no_grad():
    out = model(x)
    given, meant = float(criterion(out, y)), float(focal_loss(out, y, gamma=2.0, alpha=0.25))
    assert abs(given - float(focal_loss(out, y, gamma=0.25, alpha=2.0))) < 1e-6 and abs(given - meant) > 1e-3
EVIDENCE = f"the module's loss is {given:.4f}, the focal loss with gamma=0.25 and alpha=2.0; with gamma=2.0 and alpha=0.25 it is {meant:.4f}"
""",
    "torch_resnet_stage_block_counts_shifted.py": """
stages = [len(model.layer1), len(model.layer2), len(model.layer3)]
assert stages == [3, 3, 4]
EVIDENCE = f"ResNet(BasicBlock, [3, 4, 6, 3]) built stages of {stages} blocks: the 6 and the last 3 are never used"
""",
    "keras3_vgg_stage_convs_repeated.py": """
convs_built = sum(isinstance(l, keras.layers.Conv2D) for l in model.layers)
assert convs_built == 8
EVIDENCE = f"the model holds {convs_built} Conv2D layers where convs=(1, 2, 3, 4) asks for 10"
""",
    "torch_sine_forecast_test_on_training_rows.py": """
assert torch.equal(train_in[:4], torch.from_numpy(waves[4:8, :-1]))
EVIDENCE = f"the forecast's inputs are waves 4 to 7, training rows; waves 0 to 3, set aside by waves[4:], are never read"
""",
    "keras3_regression_check_on_training_rows.py": """
assert np.array_equal(x_train[:100], table[100:200, :-1])
EVIDENCE = "the check predicts rows 100 to 199 of the table, which fit trained on; rows 0 to 99 are never read"
""",
    "keras3_conv_block_one_batch_norm.py": """
norms = [l for l in model._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
seen = []
plain_call = block.bn.call
block.bn.call = lambda inputs, *a, **k: seen.append(tuple(inputs.shape)) or plain_call(inputs, *a, **k)
block(x[:4])
assert len(norms) == 1 and len(seen) == 2 and len(block.trainable_weights) == 6
EVIDENCE = f"the model holds {len(norms)} BatchNormalization, applied {len(seen)} times in one pass of the block (inputs {seen[0]}): both convolutions share its scale, shift and moving statistics"
""",
    "keras_loop_hidden_layers_not_chained.py": """
widths = [l.units for l in model.layers if isinstance(l, keras.layers.Dense)]
assert widths == [16, 1]
EVIDENCE = f"the model's Dense layers have widths {widths}: the 64- and 32-unit layers are not in it"
""",
    "tfkeras_transfer_head_reuses_model_a_layers.py": """
shared = [l for l in model_b.layers if l in model_a.layers]
moved = [float(np.abs(a - c).max()) for a, c in zip(model_a.get_weights(), model_a_clone.get_weights())]
assert len(shared) == 2 and max(moved[:4]) > 0
EVIDENCE = f"model_b holds {len(shared)} of model_a's layer objects; after model_b's fit model_a's hidden weights moved by up to {max(moved[:4]):.2g} from the clone kept of them"
""",
    "keras3_fine_tune_loop_adds_pretrained_layers.py": """
shared = [l for l in finetuned.layers if l in pretrained.layers]
moved = [float(np.abs(a - c).max()) for a, c in zip(pretrained.get_weights(), kept.get_weights())]
assert len(shared) == 2 and max(moved[:4]) > 0
EVIDENCE = f"finetuned holds {len(shared)} of pretrained's layer objects; after finetuned's fit pretrained's hidden weights moved by up to {max(moved[:4]):.2g} from the clone kept of them"
""",
    "keras3_regression_dense_before_flatten.py": """
dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"][0]
kernel = tuple(dense.kernel.shape)
out = tuple(dense.output.shape)
assert kernel == (32, 64) and len(out) == 4
EVIDENCE = f"the hidden Dense has a {kernel} kernel and a 4-D output {out}: it maps each position's 32 channels alone"
""",
    "tf2_functional_dense_on_conv_map_then_flatten.py": """
dense = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Dense)][0]
kernel = tuple(dense.kernel.shape)
assert kernel == (16, 32) and len(dense.output.shape) == 4
EVIDENCE = f"the hidden Dense has a {kernel} kernel on a 4-D map {tuple(dense.output.shape)}: one position's channels at a time"
""",
    "torch_ppo_surrogate_minimized_unnegated.py": """
torch.manual_seed(1)
probe_policy = Policy(4, 3)
probe_opt = torch.optim.Adam(probe_policy.parameters(), lr=3e-3)
states = torch.randn(256, 4)
actions = torch.ones(256, dtype=torch.long)
with torch.no_grad():
    old_logp = probe_policy(states).log_prob(actions)
before = float(old_logp.exp().mean())
ppo_update(probe_policy, probe_opt, states, actions, old_logp, torch.ones(256))
with torch.no_grad():
    after = float(probe_policy(states).log_prob(actions).exp().mean())
assert after < before
EVIDENCE = f"an update with advantage +1 for action 1 lowers its mean probability from {before:.3f} to {after:.3f}"
""",
    "tf2_ppo_surrogate_minimized_by_tape.py": """
probe_states = np.random.default_rng(1).normal(size=(128, 4)).astype("float32")
probe_actions = np.ones(128, dtype="int64")
before_p = actor(probe_states).numpy()[:, 1]
for _ in range(4):
    train_step(probe_states, probe_actions, before_p, np.ones(128, dtype="float32"))
after_p = actor(probe_states).numpy()[:, 1]
assert after_p.mean() < before_p.mean()
EVIDENCE = f"steps with advantage +1 for action 1 lower its mean probability from {before_p.mean():.3f} to {after_p.mean():.3f}"
""",
    "torch_ppo_old_policy_built_unsynced.py": """
fresh = PPO(4, 2, 32, 0.002, 4, 0.2)
gap = max(float((a - b).abs().max()) for a, b in zip(fresh.policy.parameters(), fresh.policy_old.parameters()))
assert gap > 0
EVIDENCE = f"a newly built agent's policy_old differs from its policy by up to {gap:.2g} in a weight: the first rollouts come from another network"
""",
    "keras3_dqn_target_model_set_after_fit.py": """
fresh = Agent(4, 2)
gap = max(float(np.abs(a - b).max()) for a, b in zip(fresh.model.get_weights(), fresh.target_model.get_weights()))
assert gap > 0
EVIDENCE = f"a newly built agent's target model differs from its model by up to {gap:.2g} in a weight: the first targets come from another network"
""",
    "torch_char_model_top_k_fills_zero.py": """
with torch.no_grad():
    logits = model(torch.zeros(2, 1, dtype=torch.long))[:, -1, :]
    probs = F.softmax(top_k_filter(logits, 5), dim=-1)
    kept = logits >= torch.topk(logits, 5).values[:, -1:]
    removed_mass = float(probs[~kept].sum() / probs.shape[0])
assert removed_mass > 0.5
EVIDENCE = f"after the filter the {VOCAB - 5} removed characters still hold {removed_mass:.0%} of the sampling probability"
""",
    "tf_text_sampler_top_k_zeros.py": """
logits = model(x[:2])
values, _ = tf.math.top_k(logits, k=5)
filtered = tf.where(logits < values[:, -1, tf.newaxis], tf.zeros_like(logits), logits)
probs = tf.nn.softmax(filtered).numpy()
removed_mass = float(probs[(logits < values[:, -1, tf.newaxis]).numpy()].sum() / probs.shape[0])
assert removed_mass > 0.5
EVIDENCE = f"after the filter the {VOCAB - 5} removed tokens still hold {removed_mass:.0%} of the sampling probability"
""",
    "torch_batch_scaling_compared_not_assigned.py": """
seen = []
hook = model[0].register_forward_pre_hook(lambda module, args: seen.append(float(args[0].max())))
train_epoch(model, loader)
hook.remove()
assert min(seen) > 200.0
EVIDENCE = f"every batch reaches the first convolution with values up to {min(seen):.0f} or more: none was divided by 255"
""",
    "keras_freeze_base_layers_compared.py": """
frozen = [layer.name for layer in base.layers if not layer.trainable]
assert not frozen and len(classifier.trainable_weights) == 6
EVIDENCE = f"no layer of the feature extractor is frozen; the classifier trains {len(classifier.trainable_weights)} weight tensors, the head alone has 2"
""",
    "torch_wgan_gp_penalty_mean_norm_then_square.py": """
real, fake = real_images[:16], generator(torch.randn(16, LATENT)).detach()
torch.manual_seed(7)
eps = torch.rand(16, 1, 1, 1)
mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
scores = critic(mixed)
norms = torch.autograd.grad(scores, mixed, torch.ones_like(scores))[0].view(16, -1).norm(2, dim=1)
scale = float(1.0 / norms.mean())
torch.manual_seed(7)
paid = float(gradient_penalty(lambda v: scale * critic(v), real, fake))
spread = float(((scale * norms - 1) ** 2).mean())
assert paid < 1e-8 and spread > 1e-3
EVIDENCE = f"a critic scaled so its gradient norms average 1 (they range {scale * float(norms.min()):.2f} to {scale * float(norms.max()):.2f}) pays a penalty of {paid:.1g}; the mean squared distance from 1 is {spread:.3f}"
""",
    "keras_digits_scaled_for_fit_raw_for_evaluate.py": """
assert float(x_train.max()) <= 1.0 and float(x_test.max()) > 200.0
EVIDENCE = f"fit saw pixels up to {float(x_train.max()):.2f}; evaluate saw pixels up to {float(x_test.max()):.0f}"
""",
    "keras_augmented_generator_raw_image_predict.py": """
batch, _ = next(iter(datagen.flow(x_train, y_train, batch_size=32)))
assert float(batch.max()) <= 1.0 and float(img.max()) > 200.0
EVIDENCE = f"the generator serves batches up to {float(batch.max()):.2f}; the image given to predict holds values up to {float(img.max()):.0f}"
""",
}


def corpus_files() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)


def expect_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if EXPECT.search(line)]


def declared(text: str) -> tuple[str, str | None]:
    m = RUNTIME_HEADER.search(text)
    if not m:
        return "undeclared", None
    return ("runs", None) if m.group("runs") else ("raises", m.group("exc"))


def run_one(path: Path, python: str, timeout: int) -> dict:
    text = path.read_text(encoding="utf-8")
    kind, exc = declared(text)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="", PYTHONHASHSEED="0",
               KERAS_BACKEND="tensorflow")
    probe = PROBES.get(path.name, "")
    try:
        proc = subprocess.run([python, "-c", DRIVER, str(path), probe], capture_output=True, text=True,
                              timeout=timeout, cwd=HERE, env=env)
        found = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
        if found:
            result = json.loads(found[-1][len(MARKER):])
        else:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            result = {"status": "crashed", "message": " | ".join(tail)[:300]}
    except subprocess.TimeoutExpired:
        result = {"status": "timeout", "message": f"no result within {timeout} s"}
    mro = result.pop("mro", [])
    result["declared"] = f"raises {exc}" if kind == "raises" else kind
    lines = expect_lines(text)
    if result["status"] == "raised":
        result["on_expect_line"] = result.get("line") in lines
    if kind == "raises":
        ok = result["status"] == "raised" and exc in mro
    elif kind == "runs":
        ok = result["status"] == "ran" and result.get("probe") != "failed"
    else:
        ok = False
    result["ok"] = ok
    result["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="corpus files (default: all)")
    ap.add_argument("--python", default=DEFAULT_PYTHON, help="interpreter with torch and tensorflow")
    ap.add_argument("--timeout", type=int, default=240, help="seconds per program")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if not Path(args.python).exists():
        print(f"error: {args.python} not found (set --python or TENSORLINT_RUNTIME_PYTHON)", file=sys.stderr)
        return 2
    files = [Path(f).resolve() for f in args.files] if args.files else corpus_files()
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = previous.get("files", {}) if args.files else {}
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for path, res in zip(files, pool.map(lambda p: run_one(p, args.python, args.timeout), files)):
            results[path.name] = res
            what = res.get("exception") or res["status"]
            extra = res.get("evidence") or res.get("probe_error") or res.get("message", "")
            print(f"{'ok  ' if res['ok'] else 'FAIL'} {path.name}: {what} {extra}"[:200], flush=True)
    known = {p.name for p in corpus_files()}
    results = {k: results[k] for k in sorted(results) if k in known}
    bad = sorted(k for k, v in results.items() if not v["ok"])
    summary = {
        "files": len(results),
        "raised_as_declared": sum(v["ok"] and v["status"] == "raised" for v in results.values()),
        "ran_as_declared": sum(v["ok"] and v["status"] == "ran" for v in results.values()),
        "probes_passed": sum(v.get("probe") == "passed" for v in results.values()),
        "mismatches": bad,
    }
    RESULTS.write_text(json.dumps({"summary": summary, "files": results}, indent=1, sort_keys=True) + "\n")
    print(json.dumps(summary))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
