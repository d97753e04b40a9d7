"""PyTorch reinforcement-learning programs from fix commits (same fields as FIXES in build.py).

Taken as they came from the histories of three public repositories with a license file
(seungeunrho/minimalRL, sfujim/TD3, openai/spinningup): every commit whose message says fix, bug
or mistake and whose diff touches model or training code was read, and an entry went in when the
diff corrects a bug of the program; whether tensorlint could find it played no part, and the
entries were measured before anything was built for them. `build.py` appends them after all
others. Left out on reading: fixes for a newer gym API (minimalRL 659e503: `env.reset()` returns
a pair since gym 0.26), changes of hyperparameters or of an algorithm's design (minimalRL 3cc7465,
e779329, 8c364c3, 99413ee, 483de86, 2e1f637, f1a4c61, 899cf7a), swapped arguments of a symmetric
loss whose target is detached (minimalRL 46f9b32: `smooth_l1_loss(target, pred)` gives the same
loss and gradients), a rewrite of spinningup's PPO clipping that computes the same objective
(1124f97), logging-only changes (spinningup 722fd1c), a change of the bootstrap condition whose
premise is disputed (spinningup 780e4c9), commits on forks' branches with other programs
(spinningup fe263e1, c4de480, 1b0ee31) and TD3's non-code changes (run_experiments.sh, a notebook).
"""
from __future__ import annotations

LICENSES = {
    "seungeunrho/minimalRL": "MIT",
    "sfujim/TD3": "MIT",
    "openai/spinningup": "MIT",
}

MINIMALRL = [
    dict(id="minimalrl-td3-target-nets-shallow-copy", repo="seungeunrho/minimalRL",
         path="td3.py", fix="aa4a82b", framework="torch", category="WIRING",
         line=(r"self\.target_q_net_1 = copy\.copy\(self\.q_net_1\)", 1),
         alt=[(r"self\.target_q_net_2 = copy\.copy\(self\.q_net_2\)", 1),
              (r"self\.target_mu_net = copy\.copy\(self\.mu_net\)", 1)],
         description="The target networks are copy.copy of the online networks, a shallow copy that shares "
                     "their parameter tensors, so the targets move with every optimizer step and the soft "
                     "update copies a network onto itself; the fix uses copy.deepcopy."),
    dict(id="minimalrl-sac-target-critic-shallow-copy", repo="seungeunrho/minimalRL",
         path="sac.py", fix="cdc0b3f", framework="torch", category="WIRING",
         line=(r"self\.target_critic = copy\.copy\(self\.critic\)", 1), alt=[],
         description="The target value network is copy.copy of the critic, which shares the critic's "
                     "parameters, so target and critic are updated equally (the file's own comment says so); "
                     "the fix builds a second Critic and copies the weights into it."),
    dict(id="minimalrl-actor-critic-next-state-not-batched", repo="seungeunrho/minimalRL",
         path="actor_critic.py", fix="cabbd84", framework="torch", category="SHAPE",
         line=(r"torch\.tensor\(r_lst, dtype=torch\.float\), torch\.tensor\(s_prime, dtype=torch\.float\)", 1),
         alt=[],
         description="make_batch builds s_prime_batch from s_prime, the last transition's next state, instead "
                     "of s_prime_lst, so every TD target bootstraps from one state of shape [4] instead of the "
                     "[n, 4] batch; the fix tensors the list."),
    dict(id="minimalrl-reinforce-done-not-reset", repo="seungeunrho/minimalRL",
         path="REINFORCE.py", fix="7095e0f", framework="torch", category="TRAINING_LOOP",
         line=(r"^    done = False", 1), alt=[(r"while not done:", 1)],
         description="done = False is set once before the episode loop, so after the first episode ends the "
                     "`while not done` loop never runs again and train_net is called on no data; the fix "
                     "resets done at the start of each episode."),
    dict(id="minimalrl-ddpg-target-ignores-done", repo="seungeunrho/minimalRL",
         path="ddpg.py", fix="8795169", framework="torch", category="TRAINING_LOOP",
         line=(r"target = r \+ gamma \* q_target\(s_prime, mu_target\(s_prime\)\)", 1),
         alt=[(r"s,a,r,s_prime,done_mask  = memory\.sample\(batch_size\)", 1)],
         description="The replay buffer returns a done mask that train() unpacks and never uses, so the "
                     "TD target bootstraps past the end of every episode; the fix multiplies the bootstrap "
                     "term by 1 - done."),
    dict(id="minimalrl-ddpg-double-action-into-linear", repo="seungeunrho/minimalRL",
         path="ddpg.py", fix="7bacf9c", framework="torch", category="DTYPE",
         line=(r"q_loss = F\.smooth_l1_loss\(q\(s,a\), target\.detach\(\)\)", 1),
         alt=[(r"return torch\.tensor\(s_lst, dtype=torch\.float\), torch\.tensor\(a_lst\)", 1)],
         description="The sampled actions are torch.tensor(a_lst) of numpy float64 values, a double tensor fed "
                     "to the float32 nn.Linear of QNet (dtype mismatch); the fix casts with a.float()."),
]

TD3 = [
    dict(id="td3-ddpg-critic-called-with-list", repo="sfujim/TD3",
         path="DDPG.py", fix="0316ba9", framework="torch", category="WIRING",
         line=(r"current_Q = self\.critic\(\[state, action\]\)", 1), alt=[],
         description="Critic.forward takes the state and the action as two arguments, but train() calls "
                     "self.critic([state, action]) with one list (TypeError: missing argument u); the fix "
                     "passes them separately."),
    dict(id="td3-main-seed-undefined", repo="sfujim/TD3",
         path="main.py", fix="7d50305", framework="torch", category="HYPERPARAMETER",
         line=(r"env\.action_space\.seed\(seed\)", 1), alt=[],
         description="env.action_space.seed(seed) reads a name that the script never binds at module level "
                     "(NameError before training); the fix reads args.seed."),
    dict(id="td3-main-float-options-without-type", repo="sfujim/TD3",
         path="main.py", fix="34770cc", framework="torch", category="HYPERPARAMETER",
         line=(r'parser\.add_argument\("--expl_noise", default=0\.1\)', 1),
         alt=[(r'parser\.add_argument\("--discount", default=0\.99\)', 1),
              (r'parser\.add_argument\("--tau", default=0\.005\)', 1)],
         description="--expl_noise, --discount and --tau have float defaults but no type, so a value given "
                     "on the command line stays a string and the arithmetic on it fails; the fix adds "
                     "type=float."),
    dict(id="td3-main-max-action-truncated-to-int", repo="sfujim/TD3",
         path="main.py", fix="25dfc0a", framework="torch", category="DTYPE",
         line=(r"max_action = int\(env\.action_space\.high\[0\]\)", 1), alt=[],
         description="max_action = int(env.action_space.high[0]) truncates the action bound, which is 0 for "
                     "environments whose bound is below 1, so the actor's outputs are all zero; the fix uses "
                     "float()."),
    dict(id="td3-target-noise-one-column", repo="sfujim/TD3",
         path="TD3.py", fix="7baf951", framework="torch", category="SHAPE",
         line=(r"noise = np\.clip\(np\.random\.normal\(0, policy_noise, size=\(batch_size,1\)\)", 1), alt=[],
         description="The target policy noise is drawn with shape (batch_size, 1) and broadcast over the "
                     "action dimensions, so every dimension of an action gets the same noise; the fix draws "
                     "(batch_size, action_dim)."),
]

SPINNINGUP = [
    dict(id="spinningup-sac-q-params-chain-exhausted", repo="openai/spinningup",
         path="spinup/algos/pytorch/sac/sac.py", fix="a31a609", framework="torch", category="NO_GRADIENT",
         line=(r"q_params = itertools\.chain\(ac\.q1\.parameters\(\), ac\.q2\.parameters\(\)\)", 1),
         alt=[(r"for p in q_params:", 1), (r"for p in q_params:", 2)],
         description="q_params is an itertools.chain, an iterator that Adam(q_params) consumes, so the later "
                     "`for p in q_params: p.requires_grad = False` loops run over nothing and the policy "
                     "update also trains the Q-networks; the fix makes it a list (pull request commit)."),
    dict(id="spinningup-td3-q-params-chain-exhausted", repo="openai/spinningup",
         path="spinup/algos/pytorch/td3/td3.py", fix="827e837", framework="torch", category="NO_GRADIENT",
         line=(r"q_params = itertools\.chain\(ac\.q1\.parameters\(\), ac\.q2\.parameters\(\)\)", 1),
         alt=[(r"for p in q_params:", 1), (r"for p in q_params:", 2)],
         description="TD3's q_params has the same exhausted iterator: Adam(q_params) consumes the chain, so "
                     "freezing the Q-networks during the policy update does nothing; the fix makes it a list "
                     "(pull request commit)."),
]

TORCH_RL_FIXES = MINIMALRL + TD3 + SPINNINGUP
