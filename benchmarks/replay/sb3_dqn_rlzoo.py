"""Stable-Baselines3's DQN with rl-zoo's CartPole-v1 settings (hyperparams/dqn.yml), scored as rl-zoo scores it.

Trains 50k steps with rl-zoo's values, then plays 20 episodes with deterministic (greedy) actions and prints one JSON
line: seed, training seconds, greedy mean and standard deviation. The reference for configs/dqn/cartpole-rlzoo.json.

Usage (PyTorch CPU, 1 thread; SB3 and Gymnasium from the peers' sources, e.g. those `side_by_side.sh install` unpacks):
    PYTHONPATH=$PEERS/gymnasium:$PEERS/farama_notif:$PEERS/sb3 OMP_NUM_THREADS=1 python3 sb3_dqn_rlzoo.py SEED
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)

import gymnasium as gym  # noqa: E402
from stable_baselines3 import DQN  # noqa: E402
from stable_baselines3.common.evaluation import evaluate_policy  # noqa: E402

seed = int(sys.argv[1])
model = DQN(
    "MlpPolicy",
    gym.make("CartPole-v1"),
    learning_rate=2.3e-3,
    batch_size=64,
    buffer_size=100_000,
    learning_starts=1000,
    gamma=0.99,
    target_update_interval=10,
    train_freq=256,
    gradient_steps=128,
    exploration_fraction=0.16,
    exploration_final_eps=0.04,
    policy_kwargs=dict(net_arch=[256, 256]),
    seed=seed,
    device="cpu",
    verbose=0,
)
start = time.perf_counter()
model.learn(total_timesteps=50_000)
trained = time.perf_counter() - start
evaluation = gym.make("CartPole-v1")
evaluation.reset(seed=seed + 1000)
mean, std = evaluate_policy(model, evaluation, n_eval_episodes=20, deterministic=True)
print(json.dumps({"seed": seed, "train_s": trained, "greedy_mean": mean, "greedy_std": std}))
