"""Second-order-section IIR filtering in numpy, for meters that must start without scipy.

`scipy.signal` costs over a second to import, which every command and the window paid only to
K-weight a few seconds of audio. `sosfilt` here is the same filter as scipy's (transposed
direct form II state, so the two can take over from each other mid-stream), computed a block
of `BLOCK` frames at a time: each section is the state-space system z' = A z + B x, y = C z +
D x, so a block's output is its zero-state response (one matrix multiply with the impulse
response's Toeplitz matrix) plus the response to the state it started in, and only the state
is carried from block to block in a Python loop. Results match scipy's to rounding (≈1e-15
relative); long offline runs may switch to scipy's compiled loop (`audio.loudness`).
"""

from __future__ import annotations

import numpy as np

BLOCK = 64


class _Section:
    """The block matrices of one biquad (b0 b1 b2 1 a1 a2) for blocks of BLOCK frames."""

    def __init__(self, coeffs: np.ndarray):
        b0, b1, b2, a0, a1, a2 = (float(c) for c in coeffs)
        b0, b1, b2, a1, a2 = b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0
        a = np.array([[-a1, 1.0], [-a2, 0.0]])
        b = np.array([b1 - a1 * b0, b2 - a2 * b0])
        n = BLOCK
        powers = [np.eye(2)]
        for _ in range(n):
            powers.append(a @ powers[-1])
        self.powers = powers  # A^k, k = 0 … BLOCK
        obs = np.array([p[0] for p in powers[:n]])  # row k: C A^k (C = [1, 0])
        h = np.concatenate([[b0], obs[: n - 1] @ b])  # impulse response h[0 … n−1]
        idx = np.arange(n)
        lag = idx[:, None] - idx[None, :]
        toeplitz = np.where(lag >= 0, h[np.clip(lag, 0, n - 1)], 0.0)  # y = T x (zero state)
        self.toeplitz_t = np.ascontiguousarray(toeplitz.T)
        self.obs_t = np.ascontiguousarray(obs.T)  # (2, n): the state's effect on each output
        # (n, 2): column j's effect on the state after the block, A^(n−1−j) B.
        self.ctrl_t = np.array([powers[n - 1 - j] @ b for j in range(n)])

    def run(self, x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = BLOCK
        whole = len(x) // n * n
        y = np.empty_like(x)
        z0, z1 = float(z[0]), float(z[1])
        if whole:
            blocks = x[:whole].reshape(-1, n)
            ys = blocks @ self.toeplitz_t
            us = blocks @ self.ctrl_t
            (m00, m01), (m10, m11) = self.powers[n]
            states = []
            for u0, u1 in us.tolist():
                states.append((z0, z1))
                z0, z1 = m00 * z0 + m01 * z1 + u0, m10 * z0 + m11 * z1 + u1
            ys += np.array(states) @ self.obs_t
            y[:whole] = ys.reshape(-1)
        rest = len(x) - whole
        if rest:
            tail = x[whole:]
            y[whole:] = tail @ self.toeplitz_t[:rest, :rest] + self.obs_t[:, :rest].T @ (z0, z1)
            state = self.powers[rest] @ (z0, z1) + tail @ self.ctrl_t[n - rest :]
            z0, z1 = float(state[0]), float(state[1])
        return y, np.array([z0, z1])


class SosFilter:
    """`sosfilt(sos, x, zi=zi)` of scipy for a fixed `sos`, 1-D or (frames, channels) input
    along axis 0, state shaped (sections, 2[, channels]) as scipy's."""

    def __init__(self, sos: np.ndarray):
        self._sections = [_Section(row) for row in np.asarray(sos, np.float64)]

    def __call__(self, x: np.ndarray, zi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x, np.float64)
        zf = np.array(zi, np.float64)
        if x.ndim == 1:
            y = x
            for s, section in enumerate(self._sections):
                y, zf[s] = section.run(y, zf[s])
            return y, zf
        out = np.empty(x.shape)
        for c in range(x.shape[1]):
            y = np.ascontiguousarray(x[:, c])
            for s, section in enumerate(self._sections):
                y, zf[s, :, c] = section.run(y, zf[s, :, c])
            out[:, c] = y
        return out, zf
