"""A seeded random number generator that gives the same numbers everywhere.

A seed is only useful if it gives the same network on every interpreter.
Python's ``random`` module cannot promise that here: MicroPython's ``random``
uses a different algorithm from CPython's and has no ``gauss``, ``shuffle``
or ``Random`` class. So tinynet carries its own generator, small enough to
read in full. The same seed gives the same numbers, bit for bit, on
CPython 3.8-3.13, PyPy and MicroPython.

==========================  =================================================
``Random(seed)``            a generator; ``seed`` is an int >= 0
``rng.next_u64()``          the next raw 64-bit integer
``rng.uniform(low, high)``  a float in ``[low, high)``
``rng.normal(mean, std)``   a float from a normal (Gaussian) distribution
``rng.randrange(n)``        an int in ``[0, n)``, each equally likely
``rng.shuffle(items)``      put a list in a random order, in place
``rng.spawn()``             a new generator seeded from this one
==========================  =================================================

>>> rng = Random(1234567)
>>> rng.next_u64()
6457827717110365317
>>> 0.0 <= rng.uniform() < 1.0
True
>>> rng.randrange(6) in range(6)
True
>>> items = [1, 2, 3, 4]
>>> rng.shuffle(items)
>>> sorted(items)
[1, 2, 3, 4]

The algorithm: SplitMix64
-------------------------
SplitMix64 (Steele, Lea and Flood, 2014; reference code by Sebastiano Vigna,
public domain) keeps one 64-bit integer of state. Each call adds a fixed odd
constant (the golden ratio times 2**64) to the state, then scrambles a copy
with two rounds of xor-shift and multiply, so that neighbouring states give
unrelated outputs. Every step is integer arithmetic masked to 64 bits, which
Python's big integers do exactly on every interpreter. It passes the BigCrush
statistical tests, which is far more than initialising weights needs.

Why normal() does not use ``math.log``
--------------------------------------
Normal numbers need a logarithm, and the last bit of ``math.log`` (and
``cos``, ``sin``) depends on the C library underneath: glibc for CPython,
another for PyPy, MicroPython's own. One differing bit in one weight is
enough for two trainings to drift apart. IEEE 754 does guarantee that ``+``,
``-``, ``*``, ``/`` and ``sqrt`` are correctly rounded, hence identical
everywhere, so this module builds what it needs from those alone:

* the Marsaglia polar method turns uniform numbers into normal ones with one
  logarithm and one square root per pair, and no cos or sin;
* ``_log`` computes that logarithm with the four operations (see there).
"""

import math

from .errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, TypeVar

    T = TypeVar("T")

_MASK = 0xFFFFFFFFFFFFFFFF  # 2**64 - 1: keeps integers to 64 bits
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15  # 2**64 / golden ratio, made odd
_TWO_POW_64 = 1 << 64
_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0  # 2**-53, exact

_LN2 = 0.6931471805599453  # ln 2 rounded to the nearest double
_SQRT_HALF = 0.7071067811865476  # sqrt(0.5) rounded; exactly _SQRT_TWO / 2
_SQRT_TWO = 1.4142135623730951


def _log(x: float) -> float:
    """Natural logarithm of a positive finite float, from + - * / only.

    Write ``x = m * 2**k`` with ``m`` in ``[sqrt(0.5), sqrt(2))``. Halving and
    doubling a float only changes its exponent, so finding ``m`` and ``k`` is
    exact. Then ``ln x = k * ln 2 + ln m``, and with ``t = (m - 1) / (m + 1)``

        ln m = 2 * atanh(t) = 2 * (t + t**3/3 + t**5/5 + ...)

    Because ``|t| <= 0.172``, each term is more than 33 times smaller than the
    one before, so eleven terms after ``t`` reach full double precision. The
    result is within a couple of units in the last place of the true value
    and, since only correctly rounded operations are used, it is the same
    on every interpreter.

    >>> _log(1.0)
    0.0
    >>> abs(_log(10.0) - 2.302585092994046) < 1e-15
    True
    """
    if not (x > 0.0 and math.isfinite(x)):
        from .checks import describe

        raise ConfigError("log needs a positive finite number, got %s" % describe(x))
    m = x
    k = 0
    while m < _SQRT_HALF:
        m *= 2.0
        k -= 1
    while m >= _SQRT_TWO:
        m *= 0.5
        k += 1
    t = (m - 1.0) / (m + 1.0)  # m - 1 is exact here (Sterbenz lemma)
    t2 = t * t
    # Horner form of t**2/3 + t**4/5 + ... + t**22/23, smallest terms first.
    tail = 0.0
    for denominator in range(23, 1, -2):
        tail = t2 * (1.0 / denominator + tail)
    return k * _LN2 + (2.0 * t + 2.0 * t * tail)


class Random:
    """A SplitMix64 generator: the same seed gives the same numbers everywhere.

    ``state`` is the whole state of the generator: ``Random(rng.state)``
    continues the same stream (apart from a normal number ``normal`` may be
    holding back, see there).
    """

    __slots__ = ("state", "_spare_normal")

    def __init__(self, seed: int = 0) -> None:
        if type(seed) is not int or seed < 0:  # anything but a plain int: the full check
            from .checks import check_int

            seed = check_int("seed", seed, 0, ConfigError, "an int >= 0")
        self.state = seed & _MASK  # seeds are taken modulo 2**64
        self._spare_normal: "Optional[float]" = None

    def next_u64(self) -> int:
        """Return the next integer in ``[0, 2**64)`` and advance the state."""
        self.state = (self.state + _GOLDEN_GAMMA) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        """Return a float drawn evenly from ``[low, high)``.

        The top 53 bits of ``next_u64`` (a double holds 53 significant bits)
        times ``2**-53`` give one of the 2**53 evenly spaced numbers in
        ``[0, 1)``, exactly; that is then stretched onto ``[low, high)``.
        (Rounding in the stretch can, rarely, give exactly ``high``.)
        """
        unit = (self.next_u64() >> 11) * _TWO_POW_MINUS_53
        return low + (high - low) * unit

    def normal(self, mean: float = 0.0, std: float = 1.0) -> float:
        """Return a float from the normal distribution ``N(mean, std**2)``.

        Marsaglia's polar method: pick a point ``(u, v)`` evenly in the
        square ``[-1, 1)**2`` until it falls inside the unit circle (not at
        its centre). With ``s = u*u + v*v``, both ``u * f`` and ``v * f``,
        where ``f = sqrt(-2 ln s / s)``, are independent standard normal
        numbers. The first is returned now and the second is kept for the
        next call, so half the calls draw no uniform numbers at all.
        """
        if self._spare_normal is not None:
            z = self._spare_normal
            self._spare_normal = None
            return mean + std * z
        while True:
            u = 2.0 * self.uniform() - 1.0
            v = 2.0 * self.uniform() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:  # about 79% of points are accepted
                break
        factor = math.sqrt(-2.0 * _log(s) / s)
        self._spare_normal = v * factor
        return mean + std * (u * factor)

    def randrange(self, n: int) -> int:
        """Return an int ``r`` with ``0 <= r < n``, every value equally likely.

        ``next_u64() % n`` alone would favour small values whenever ``n``
        does not divide 2**64, so draws from the incomplete block of size
        ``2**64 % n`` at the top are rejected and drawn again. At most half
        of all draws can be rejected, and for small ``n`` almost none are.
        """
        if type(n) is not int or not 1 <= n <= _TWO_POW_64:  # a plain int needs no more
            from .checks import describe, whole_number

            whole = whole_number(n)
            if whole is None or not 1 <= whole <= _TWO_POW_64:
                raise ConfigError("randrange needs an int n with 1 <= n <= 2**64, got %s"
                                  % describe(n))
            n = whole
        limit = _TWO_POW_64 - _TWO_POW_64 % n  # a multiple of n
        while True:
            x = self.next_u64()
            if x < limit:
                return x % n

    def shuffle(self, items: "List[T]") -> None:
        """Put ``items`` in a random order, in place (Fisher-Yates).

        Walking from the end, each position swaps with a position chosen
        evenly from itself and those before it, so each of the ``n!`` orders
        is equally likely.
        """
        for i in range(len(items) - 1, 0, -1):
            j = self.randrange(i + 1)
            items[i], items[j] = items[j], items[i]

    def spawn(self) -> "Random":
        """Return a new generator seeded from this one's next output.

        Gives a part of a program (one layer, one data split) its own stream,
        so that drawing more numbers in one part leaves the others unchanged.
        """
        return Random(self.next_u64())
