"""Positions for drawing a network: a force-directed layout (Fruchterman and Reingold) that is
the same every time for the same network, so a chart does not jump between reruns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def spring_layout(
    keys: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    iterations: int = 200,
    seed: int = 7,
) -> dict[str, tuple[float, float]]:
    """x, y in -1..1 for every key. Tied nodes pull together, all nodes push apart, and a
    little gravity keeps unconnected nodes from drifting to the edge."""
    n = len(keys)
    if n == 0:
        return {}
    if n == 1:
        return {keys[0]: (0.0, 0.0)}
    index = {key: i for i, key in enumerate(keys)}
    tied = np.zeros((n, n))
    for source, target in edges:
        i, j = index.get(source), index.get(target)
        if i is not None and j is not None and i != j:
            tied[i, j] = tied[j, i] = 1.0
    # Start on a circle in a fixed order, shaken a little, so the result is reproducible.
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    position = np.column_stack([np.cos(angles), np.sin(angles)]) + rng.normal(0, 0.05, (n, 2))
    k = np.sqrt(4.0 / n)  # the ideal distance between nodes in a 2 x 2 square
    temperature = 0.3
    for _ in range(iterations):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        # Per pair: repulsion k²/d for all, attraction d²/k for tied ones; divided by d once
        # more because delta is not a unit vector.
        strength = k * k / distance**2 - tied * distance / k
        np.fill_diagonal(strength, 0.0)
        displacement = (delta * strength[:, :, None]).sum(axis=1) - 0.5 * k * position
        length = np.maximum(np.linalg.norm(displacement, axis=1), 1e-9)
        step = np.minimum(length, temperature)[:, None]
        position += displacement / length[:, None] * step
        temperature = max(temperature * 0.97, 0.005)
    position -= position.mean(axis=0)
    scale = np.abs(position).max() or 1.0
    position /= scale
    return {key: (float(position[i, 0]), float(position[i, 1])) for key, i in index.items()}
