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
    """x, y in -1..1 for every key. Tied nodes pull together and all push apart; nodes without
    ties are set on an outer ring, so they neither crowd the network nor squeeze it small."""
    index = {key: i for i, key in enumerate(keys)}
    pairs = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in edges
        if a in index and b in index and a != b
    }
    tied_nodes = sorted({i for pair in pairs for i in pair})
    loose = [i for i in range(len(keys)) if i not in set(tied_nodes)]
    position = np.zeros((len(keys), 2))
    if tied_nodes:
        inner = _force_directed(len(tied_nodes), tied_nodes, pairs, iterations, seed)
        radius = 0.8 if loose else 1.0
        position[tied_nodes] = inner * radius
    if loose:
        angles = np.linspace(0, 2 * np.pi, len(loose), endpoint=False) + np.pi / 2
        ring = 1.0 if tied_nodes else (0.0 if len(loose) == 1 else 1.0)
        position[loose] = np.column_stack([np.cos(angles), np.sin(angles)]) * ring
    return {key: (float(position[i, 0]), float(position[i, 1])) for key, i in index.items()}


def _force_directed(
    n: int, nodes: list[int], pairs: set[tuple[int, int]], iterations: int, seed: int
) -> np.ndarray:
    """Fruchterman-Reingold positions of the tied nodes, scaled to fit a circle of radius 1."""
    if n == 1:
        return np.zeros((1, 2))
    local = {node: i for i, node in enumerate(nodes)}
    tied = np.zeros((n, n))
    for a, b in pairs:
        tied[local[a], local[b]] = tied[local[b], local[a]] = 1.0
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
        # more because delta is not a unit vector. Gravity keeps separate groups near.
        strength = k * k / distance**2 - tied * distance / k
        np.fill_diagonal(strength, 0.0)
        displacement = (delta * strength[:, :, None]).sum(axis=1) - 0.5 * k * position
        length = np.maximum(np.linalg.norm(displacement, axis=1), 1e-9)
        step = np.minimum(length, temperature)[:, None]
        position += displacement / length[:, None] * step
        temperature = max(temperature * 0.97, 0.005)
    position -= np.median(position, axis=0)
    # Scale so that most nodes fill the circle; the few far out are drawn in to its edge, so
    # one long chain does not leave the crowded middle small.
    radius = np.linalg.norm(position, axis=1)
    scale = float(np.quantile(radius, 0.9)) or float(radius.max()) or 1.0
    position /= scale
    radius = np.maximum(radius / scale, 1e-9)
    return position * (np.minimum(radius, 1.0) / radius)[:, None]
