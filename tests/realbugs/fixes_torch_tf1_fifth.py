"""A fifth round of PyTorch and TF1 graph programs from fix commits (same fields as FIXES in build.py).

Taken as they came from the histories of two public repositories with a permissive license file
not read before (pyg-team/pytorch_geometric's `examples/`, MorvanZhou/Reinforcement-learning-with-tensorflow):
every commit whose message says fix, bug, mistake or error and whose diff touches model, loss, data or
training code was read, and an entry went in when the diff corrects a bug of the program; whether
tensorlint could find it played no part, and the entries were measured before anything was built for
them. `build.py` appends them after all others.

Left out on reading: changes that follow a new release of the library (pytorch_geometric 64616da2,
`HGTConv(group=)` removed; ad21fd4e, a feature store's new key; 3447ecf3, half precision of a
language model), distributed bookkeeping whose premise is a design choice (4c0f1141, 076db840,
77d38cbf), a call of `osp.join()` without arguments in a dataset path (0c4ea3a4), a device move
(ed52d810); MorvanZhou's loss reduced by its mean instead of its sum (967c829: `minimize` of a
vector sums it, a learning-rate choice), the prioritized replay's importance weights flipped
twice between min and max (b90547f, 7498792: disputed by the repository itself), tabular
Q-learning in pandas (1faef74, d69b936), and fixes bundled with new hyperparameters (ff11d81,
0e326ee, 123ead7).
"""
from __future__ import annotations

LICENSES = {
    "pyg-team/pytorch_geometric": "MIT",
    "MorvanZhou/Reinforcement-learning-with-tensorflow": "MIT",
}

PYG = "pyg-team/pytorch_geometric"
MORVAN = "MorvanZhou/Reinforcement-learning-with-tensorflow"
DDPG = "contents/9_Deep_Deterministic_Policy_Gradient_DDPG"

TORCH_TF1_FIFTH = [
    dict(id="pyg-lightning-gin-checkpoint-keeps-lowest-accuracy", repo=PYG,
         path="examples/pytorch_lightning/gin.py", fix="d12f04b71", framework="torch",
         category="TRAINING_LOOP",
         line=(r"checkpoint = pl\.callbacks\.ModelCheckpoint\(monitor='val_acc', save_top_k=1\)", 1),
         alt=[(r"trainer\.test\(ckpt_path='best', datamodule=datamodule\)", 1)],
         description="ModelCheckpoint monitors val_acc with Lightning's default mode='min', so the checkpoint "
                     "kept as 'best' (and then tested) is the epoch of lowest validation accuracy; the fix "
                     "passes mode='max'."),
    dict(id="pyg-lightning-relational-checkpoint-keeps-lowest-accuracy", repo=PYG,
         path="examples/pytorch_lightning/relational_gnn.py", fix="d12f04b71", framework="torch",
         category="TRAINING_LOOP",
         line=(r"checkpoint_callback = ModelCheckpoint\(monitor='val_acc', save_top_k=1\)", 1), alt=[],
         description="The relational GNN's ModelCheckpoint monitors val_acc with the default mode='min', so "
                     "the best checkpoint is the least accurate epoch; the fix passes mode='max'."),
    dict(id="pyg-graph-gps-train-called-with-epoch", repo=PYG,
         path="examples/graph_gps.py", fix="dfd32668a", framework="torch", category="TRAINING_LOOP",
         line=(r"loss = train\(epoch\)", 1), alt=[(r"^def train\(\):", 1)],
         description="The epoch loop calls train(epoch), but train() takes no parameters, so the first epoch "
                     "raises a TypeError; the fix calls train()."),
    dict(id="pyg-papers100m-train-called-with-epoch", repo=PYG,
         path="examples/ogbn_papers_100m.py", fix="1de74be5e", framework="torch", category="TRAINING_LOOP",
         line=(r"loss, train_acc = train\(epoch\)", 1),
         alt=[(r"num_workers=args\.num_workers,", 1), (r"^def train\(\):", 1)],
         description="The epoch loop calls train(epoch) for a train() without parameters (TypeError), and the "
                     "loaders read args.num_workers where the parser defines --workers (AttributeError); "
                     "the fix calls train() and renames the option."),
    dict(id="pyg-model-parallel-forward-given-edge-attr", repo=PYG,
         path="examples/multi_gpu/model_parallel.py", fix="212c4ce77", framework="torch",
         category="TRAINING_LOOP",
         line=(r"out = model\(data\.x, data\.edge_index, data\.edge_attr\)", 1),
         alt=[(r"def forward\(self, x, edge_index\):", 1)],
         description="The training step calls the model with x, edge_index and edge_attr, but its forward "
                     "takes only x and edge_index (TypeError); the fix drops edge_attr (and stores the two "
                     "devices forward reads)."),
    dict(id="pyg-bipartite-sage-targets-are-predictions", repo=PYG,
         path="examples/hetero/bipartite_sage_unsup.py", fix="c2a406277", framework="torch",
         category="LABELS",
         line=(r"targets\.append\(pred\)", 1), alt=[(r"target = torch\.cat\(target, dim=0\)\.numpy\(\)", 1)],
         description="The test loop appends each batch's predictions to the list of targets and then "
                     "concatenates the last batch's target tensor instead of that list, so the metrics compare "
                     "the predictions with themselves (or fail); the fix appends the targets and concatenates "
                     "the list."),
    dict(id="morvan-tf1-ddpg-critic-optimizer-trains-actor", repo=MORVAN,
         path=f"{DDPG}/DDPG.py", fix="7517807", framework="tf", category="NO_GRADIENT",
         line=(r"^            self\.a = a$", 1),
         alt=[(r"self\.train_op = tf\.train\.AdamOptimizer\(self\.lr\)\.minimize\(self\.loss\)", 1)],
         description="The critic reads the actor's output as its action input and minimizes its TD loss over "
                     "every trainable variable, so each critic step also moves the actor's weights to fit the "
                     "critic's target; the fix feeds tf.stop_gradient(a) to the critic."),
    dict(id="morvan-tf1-ddpg-action-gradient-of-stopped-input", repo=MORVAN,
         path=f"{DDPG}/DDPG.py", fix="2c6c46d", framework="tf", category="NO_GRADIENT",
         line=(r"self\.a_grads = tf\.gradients\(self\.q, a\)\[0\]", 1),
         alt=[(r"self\.a = tf\.stop_gradient\(a\)", 1)],
         description="The critic's Q depends on the action only through tf.stop_gradient(a), so tf.gradients(q, a) "
                     "is [None] and the actor's policy gradient is built from None; the fix differentiates "
                     "with respect to the stopped tensor self.a."),
    dict(id="morvan-tf1-ddpg-soft-replace-zip-truncated", repo=MORVAN,
         path=f"{DDPG}/DDPG_update.py", fix="1880e8f", framework="tf", category="TRAINING_LOOP",
         line=(r"for ta, ea, tc, ec in zip\(self\.at_params, self\.ae_params, self\.ct_params, self\.ce_params\)", 1),
         alt=[(r"self\.soft_replace = \[\[tf\.assign", 1)],
         description="The soft target update zips the actor's and the critic's variable lists together, so it "
                     "stops at the shorter list and the critic variables beyond the actor's count are never "
                     "copied to the target critic; the fix updates the two lists' concatenations."),
    dict(id="morvan-tf1-a3c-log-of-softmax-probabilities", repo=MORVAN,
         path="contents/10_A3C/A3C_discrete_action.py", fix="ac3ae20", framework="tf",
         category="ACTIVATION_LOSS",
         line=(r"log_prob = tf\.reduce_sum\(tf\.log\(self\.a_prob\) \*", 1),
         alt=[(r"a_prob = tf\.layers\.dense\(l_a, N_A, tf\.nn\.softmax", 1)],
         description="The policy loss takes tf.log of the softmax action probabilities without a floor, which "
                     "gives -inf and NaN gradients once a probability underflows to 0; the fix adds 1e-5 "
                     "inside the log."),
    dict(id="morvan-tf1-dqn-target-net-reads-current-state", repo=MORVAN,
         path="contents/5_Deep_Q_Network/DQN_modified.py", fix="9e39a67", framework="tf", category="WIRING",
         line=(r"e1 = tf\.layers\.dense\(self\.s, 20, tf\.nn\.relu", 2), alt=[],
         description="The target network is built on the current-state placeholder self.s instead of the "
                     "next-state placeholder self.s_, so the bootstrapped max Q is the current state's and the "
                     "fed next states are never read; the fix builds it on self.s_."),
]
