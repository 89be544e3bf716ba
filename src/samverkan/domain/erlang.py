"""Erlang C (M/M/n) and Erlang A (M/M/n+M) staffing.

Everything is built on the Erlang B recurrence ``B(n) = A·B(n−1) / (n + A·B(n−1))`` because
it never forms a factorial or a power of A: every intermediate value lies in [0, 1], so it
neither overflows nor loses precision at 500+ Erlangs, where the textbook formula with
``A**n / n!`` breaks down in double precision long before a large contact centre does.

Conventions (stated because planners compare with Excel sheets):
- ``traffic`` A = calls × AHT / interval length (Erlangs).
- Service level is the probability that a call waits at most ``within`` seconds:
  ``SL = 1 − C·exp(−(n − A)·T / AHT)``.
- Agents needed is the smallest n > A whose service level reaches the target, then raised
  so that occupancy A/n does not exceed ``max_occupancy``; shrinkage is applied last,
  ``ceil(n / (1 − shrinkage))`` computed in exact decimal arithmetic so that 14 agents at
  30 % shrinkage is 20, not 21 through a float artefact.

The work is bounded by the problem size, so no input runs for ever (the entry points accept
any number within their field limits): Erlang C staffs at most ``MAX_AGENTS`` agents (the
search is one O(n) pass); a plan estimates its vector search (agents searched × distinct loads)
and refuses one over ``PLAN_BUDGET_US``; Erlang A estimates the cost of each evaluation from the agents, the queue
length its patience allows and the events within the threshold, and refuses a search that
would take more than about a second (``ERLANG_A_BUDGET_US``) with a message naming the cause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

import numpy as np
import numpy.typing as npt

from samverkan.domain.errors import DomainError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_AGENTS = 100_000
PLAN_BUDGET_US = 1_500_000  # estimated microseconds of one plan's vector search
MAX_QUEUE_STATES = 2_000  # Erlang A: queue lengths kept before the probabilities are negligible
ERLANG_A_BUDGET_US = 1_000_000  # estimated microseconds of one Erlang A search
# What the entry points accept (page, API, CLI): one interval of one queue.
MAX_CALLS = 1_000_000
MAX_HANDLE_SECONDS = 36_000
MAX_WITHIN_SECONDS = 3_600
MAX_PATIENCE_SECONDS = 36_000
MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS = 60, 86_400
TOO_MANY_AGENTS = "mer än 100 000 agenter behövs; kontrollera samtal och hanteringstid"


class StaffingError(DomainError):
    """Input no Erlang model can staff (the message says which)."""


def traffic_intensity(calls: float, interval_seconds: float, aht_seconds: float) -> float:
    """Offered load in Erlangs."""
    if calls < 0 or aht_seconds < 0:
        raise StaffingError("calls and handle time must not be negative")
    if interval_seconds <= 0:
        raise StaffingError("interval must be positive")
    return calls * aht_seconds / interval_seconds


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of M/M/n/n."""
    _check(traffic, agents)
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _c_from_b(traffic: float, agents: int, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def waiting_probability(traffic: float, agents: int) -> float:
    """Erlang C: probability that a call has to queue (1 when the queue is unstable)."""
    return _c_from_b(traffic, agents, erlang_b(traffic, agents))


def service_level(traffic: float, agents: int, aht_seconds: float, within_seconds: float) -> float:
    """Share of calls answered within ``within_seconds`` (0 when n ≤ A: the queue grows without bound)."""
    if aht_seconds <= 0:
        raise StaffingError("handle time must be positive")
    if within_seconds < 0:
        raise StaffingError("threshold must not be negative")
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    c = waiting_probability(traffic, agents)
    return max(0.0, 1.0 - c * math.exp(-(agents - traffic) * within_seconds / aht_seconds))


def average_speed_of_answer(traffic: float, agents: int, aht_seconds: float) -> float:
    """Mean wait in seconds over all calls (infinite when n ≤ A)."""
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return waiting_probability(traffic, agents) * aht_seconds / (agents - traffic)


def occupancy(traffic: float, agents: int) -> float:
    if agents <= 0:
        raise StaffingError("occupancy needs at least one agent")
    return min(1.0, traffic / agents)


def apply_shrinkage(agents: int, shrinkage: float | Decimal) -> int:
    """Scheduled agents so that ``agents`` remain after breaks, training, sickness (exact decimal)."""
    s = Decimal(str(shrinkage))
    if not Decimal(0) <= s < Decimal(1):
        raise StaffingError("shrinkage must be in [0, 1)")
    return int((Decimal(agents) / (Decimal(1) - s)).to_integral_value(rounding=ROUND_CEILING))


def agents_for_occupancy(traffic: float, max_occupancy: float) -> int:
    if not 0 < max_occupancy <= 1:
        raise StaffingError("max occupancy must be in (0, 1]")
    n = math.ceil(traffic / max_occupancy)
    # guard against a float quotient a hair above an integer (10 / 0.5 is exact, 0.3/0.1 is not)
    if n > 0 and (n - 1) * max_occupancy >= traffic:
        n -= 1
    return n


def agents_needed(
    traffic: float,
    aht_seconds: float,
    target: float,
    within_seconds: float,
    *,
    max_occupancy: float = 1.0,
) -> int:
    """Smallest number of agents that meets the target service level and the occupancy cap."""
    _check_target(target)
    if traffic == 0:
        return 0
    if traffic >= MAX_AGENTS:
        raise StaffingError(TOO_MANY_AGENTS)
    b = 1.0
    n = 0
    while True:
        n += 1
        if n > MAX_AGENTS:
            raise StaffingError(TOO_MANY_AGENTS)
        b = traffic * b / (n + traffic * b)
        if n <= traffic:
            continue
        c = _c_from_b(traffic, n, b)
        sl = max(0.0, 1.0 - c * math.exp(-(n - traffic) * within_seconds / aht_seconds))
        if sl >= target:
            return max(n, agents_for_occupancy(traffic, max_occupancy))


@dataclass(frozen=True)
class Staffing:
    traffic_erlangs: float
    agents: int
    agents_with_shrinkage: int
    service_level: float
    waiting_probability: float
    asa_seconds: float
    occupancy: float


def staff_interval(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    target: float,
    within_seconds: float,
    shrinkage: float | Decimal = 0.0,
    max_occupancy: float = 1.0,
) -> Staffing:
    """Staffing for one interval, with the achieved figures at the staffed level."""
    if aht_seconds <= 0:
        raise StaffingError("handle time must be positive")
    a = traffic_intensity(calls, interval_seconds, aht_seconds)
    n = agents_needed(a, aht_seconds, target, within_seconds, max_occupancy=max_occupancy)
    if n == 0:
        return Staffing(0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    return Staffing(
        traffic_erlangs=a,
        agents=n,
        agents_with_shrinkage=apply_shrinkage(n, shrinkage),
        service_level=service_level(a, n, aht_seconds, within_seconds),
        waiting_probability=waiting_probability(a, n),
        asa_seconds=average_speed_of_answer(a, n, aht_seconds),
        occupancy=occupancy(a, n),
    )


@dataclass(frozen=True)
class StaffingArrays:
    """Column-wise results of :func:`staff_intervals`, one element per interval."""

    traffic_erlangs: FloatArray
    agents: IntArray
    agents_with_shrinkage: IntArray
    service_level: FloatArray
    waiting_probability: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray


def staff_intervals(
    calls: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    *,
    interval_seconds: float,
    target: float,
    within_seconds: float,
    shrinkage: float | Decimal = 0.0,
    max_occupancy: float = 1.0,
) -> StaffingArrays:
    """Vectorised staffing of many intervals at once (a year of 15-minute intervals in milliseconds).

    Intervals with the same load are solved once (a year has a few hundred distinct call
    counts); one pass of the Erlang B recurrence then runs over all distinct loads
    together, each taking its answer at the first n that satisfies it, so the work is
    max(agents) vector steps instead of sum(agents) scalar steps. Same rule and same numbers
    as :func:`agents_needed` (tested element by element).
    """
    _check_target(target)
    if interval_seconds <= 0:
        raise StaffingError("interval must be positive")
    calls_a = np.asarray(calls, dtype=np.float64)
    aht_a = np.broadcast_to(np.asarray(aht_seconds, dtype=np.float64), calls_a.shape)
    if calls_a.ndim != 1:
        raise StaffingError("calls must be one-dimensional")
    if not (np.all(np.isfinite(calls_a)) and np.all(np.isfinite(aht_a))) or np.any(calls_a < 0) or np.any(aht_a <= 0):
        raise StaffingError("calls must be finite and non-negative, handle time positive")
    traffic = calls_a * aht_a / interval_seconds
    size = traffic.shape[0]
    if not 0 < max_occupancy <= 1:
        raise StaffingError("max occupancy must be in (0, 1]")
    rate = within_seconds / aht_a

    # Staffing is a pure function of (A, T/AHT): solve each distinct pair once. A year of
    # 15-minute intervals has a few hundred distinct call counts, not 35 040.
    if np.ndim(aht_seconds) == 0:
        unique_a, inverse = np.unique(traffic, return_inverse=True)
        unique_rate = np.full(unique_a.shape, float(rate[0]) if size else 0.0)
    else:
        pairs, inverse = np.unique(np.stack([traffic, rate], axis=1), axis=0, return_inverse=True)
        unique_a, unique_rate = pairs[:, 0].copy(), pairs[:, 1].copy()
    inverse = inverse.reshape(-1)
    unique_occ = np.ceil(unique_a / max_occupancy).astype(np.int64)
    # same float guard as agents_for_occupancy
    unique_occ = np.where((unique_occ > 0) & ((unique_occ - 1) * max_occupancy >= unique_a), unique_occ - 1, unique_occ)
    if unique_a.size:
        if unique_a.max() >= MAX_AGENTS or unique_occ.max() > MAX_AGENTS:
            raise StaffingError(TOO_MANY_AGENTS)
        steps = max(float(unique_a.max()) * 1.2 + 50, float(unique_occ.max()))
        if steps * (25 + 0.01 * unique_a.size) > PLAN_BUDGET_US:  # µs per step: overhead + per load
            raise StaffingError(
                "planen kan inte beräknas på en sekund (för hög belastning eller för många olika belastningar); "
                "dela upp filen"
            )
    found_n, found_b = _search(unique_a, unique_rate, unique_occ, target)
    agents, final_b = found_n[inverse], found_b[inverse]

    busy = agents > 0
    safe_n = np.where(busy, agents, 1).astype(np.float64)
    c = np.where(busy, safe_n * final_b / (safe_n - traffic * (1.0 - final_b)), 0.0)
    sl = np.where(busy, np.maximum(0.0, 1.0 - c * np.exp(-(safe_n - traffic) * rate)), 1.0)
    asa = np.where(busy, c * aht_a / (safe_n - traffic), 0.0)
    occ = np.where(busy, traffic / safe_n, 0.0)
    s = Decimal(str(shrinkage))
    if not Decimal(0) <= s < Decimal(1):
        raise StaffingError("shrinkage must be in [0, 1)")
    counts, where = np.unique(agents, return_inverse=True)
    table = np.array([apply_shrinkage(int(k), s) for k in counts], dtype=np.int64)
    shrunk = table[where.reshape(-1)] if size else agents.copy()
    return StaffingArrays(traffic, agents, shrunk, sl, c, asa, occ)


def _search(traffic: FloatArray, rate: FloatArray, occ_floor: IntArray, target: float) -> tuple[IntArray, FloatArray]:
    """The Erlang B recurrence over all traffic values at once; returns agents and B(agents)."""
    size = traffic.shape[0]
    agents = np.zeros(size, dtype=np.int64)
    final_b = np.ones(size, dtype=np.float64)
    pending_sl = traffic > 0  # still searching for the service-level agent count
    pending_b = pending_sl.copy()  # still waiting to record B at the final count
    target_n = np.full(size, -1, dtype=np.int64)
    b = np.ones(size, dtype=np.float64)
    n = 0
    while pending_b.any():
        n += 1
        if n > MAX_AGENTS:
            raise StaffingError(TOO_MANY_AGENTS)
        ab = traffic * b
        b = ab / (n + ab)
        stable = pending_sl & (n > traffic)
        if stable.any():
            idx = np.nonzero(stable)[0]
            a_i, b_i = traffic[idx], b[idx]
            c_i = n * b_i / (n - a_i * (1.0 - b_i))
            sl_i = np.maximum(0.0, 1.0 - c_i * np.exp(-(n - a_i) * rate[idx]))
            hit = idx[sl_i >= target]
            pending_sl[hit] = False
            target_n[hit] = np.maximum(n, occ_floor[hit])
        record = pending_b & (target_n == n)
        if record.any():
            final_b[record] = b[record]
            agents[record] = n
            pending_b[record] = False
    return agents, final_b


# --- Erlang A ---------------------------------------------------------------------------


TOO_SLOW = (
    "Erlang A kan inte beräknas inom en sekund för de här värdena (för stor trafik, eller för långt tålamod "
    "eller för lång svarstidsgräns i förhållande till hanteringstiden); använd Erlang C eller kortare intervall"
)


class _Budget:
    """Estimated microseconds left for one Erlang A search; overspending refuses the input."""

    def __init__(self, microseconds: float) -> None:
        self.left = microseconds

    def spend(self, microseconds: float) -> None:
        self.left -= microseconds
        if self.left < 0:
            raise StaffingError(TOO_SLOW)


@dataclass(frozen=True)
class ErlangAResult:
    """M/M/n+M (exponential patience) at a given number of agents.

    ``service_level`` is answered within T over all offered calls (abandons count against),
    ``asa_seconds`` is the mean time in queue over all offered calls (Little's law).
    """

    waiting_probability: float
    abandon_probability: float
    service_level: float
    asa_seconds: float
    occupancy: float


def erlang_a(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    patience_seconds: float,
    agents: int,
    within_seconds: float,
    tolerance: float = 1e-12,
    budget: _Budget | None = None,
) -> ErlangAResult:
    """Erlang A by exact birth–death probabilities and a tagged-caller chain.

    Queue probabilities are computed relative to "all agents busy, empty queue" starting
    from 1/B(n) (the Erlang B recurrence again), so nothing overflows. A caller who finds
    j others queued is answered when j+1 "moves" (a service end or an abandon ahead) happen
    before its own patience runs out; the probability that this happens within T comes
    from the action of that chain's matrix exponential on one vector (sparse, so hundreds
    of queue states cost milliseconds), truncated where the queue-length probability falls
    below ``tolerance``. With a ``budget`` each step first spends its estimated cost.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import expm_multiply

    if agents < 1:
        raise StaffingError("Erlang A needs at least one agent")
    if patience_seconds <= 0 or aht_seconds <= 0 or interval_seconds <= 0:
        raise StaffingError("patience, handle time and interval must be positive")
    lam = calls / interval_seconds
    mu = 1.0 / aht_seconds
    theta = 1.0 / patience_seconds
    a = lam / mu
    if lam == 0:
        return ErlangAResult(0.0, 0.0, 1.0, 0.0, 0.0)
    if budget:
        budget.spend(0.2 * agents)  # the Erlang B recurrence
    blocking = erlang_b(a, agents)
    if blocking == 0.0:  # so many agents that all being busy is below double precision: nobody waits
        return ErlangAResult(0.0, 0.0, 1.0, 0.0, min(1.0, a / agents))
    inv_b = 1.0 / blocking  # sum_{k<=n} p_k / p_n
    # tail[j] = p_{n+j} / p_n for j = 0..J
    tail = [1.0]
    running = inv_b + 1.0
    j = 0
    while True:
        j += 1
        nxt = tail[-1] * lam / (agents * mu + j * theta)
        tail.append(nxt)
        running += nxt
        if nxt < tolerance * running and agents * mu + j * theta > lam:
            break
        if j > MAX_QUEUE_STATES:
            raise StaffingError(TOO_SLOW)
    norm = inv_b - 1.0 + sum(tail)
    probs = np.array(tail) / norm  # P(n + j in system), j = 0..J
    p_wait = float(probs.sum())
    mean_queue = float(np.dot(np.arange(len(probs)), probs))
    p_abandon = theta * mean_queue / lam
    busy_agents = (lam * (1.0 - p_abandon)) / mu
    # tagged caller: state k = callers ahead (0..J-1) + absorbing "answered" + "abandoned"
    size = len(probs)
    if budget:  # the matrix exponential: about one product per event expected within T, each O(size)
        events = within_seconds * (agents * mu + size * theta + theta)
        budget.spend(0.5 * size + (events + 1) * (120 + 0.25 * size) + 40 * size)
    answered, abandoned = size, size + 1
    ks = np.arange(size)
    moves = agents * mu + ks * theta
    rows = np.concatenate([ks, ks, ks])
    cols = np.concatenate([ks, np.where(ks == 0, answered, ks - 1), np.full(size, abandoned)])
    vals = np.concatenate([-(moves + theta), moves, np.full(size, theta)])
    q = csr_matrix((vals * within_seconds, (rows, cols)), shape=(size + 2, size + 2))
    target_state = np.zeros(size + 2)
    target_state[answered] = 1.0
    # (e^{Qt} 1_answered)[k] = P(answered by t | k ahead): one sparse matrix-exponential action
    reach = np.clip(expm_multiply(q, target_state)[:size], 0.0, 1.0)
    sl_waiting = float(np.dot(probs, reach))  # arrivals finding n+j: j ahead in queue
    return ErlangAResult(
        waiting_probability=p_wait,
        abandon_probability=p_abandon,
        service_level=(1.0 - p_wait) + sl_waiting,
        asa_seconds=mean_queue / lam,
        occupancy=min(1.0, busy_agents / agents),
    )


@dataclass(frozen=True)
class StaffingA:
    """Erlang A staffing: the smallest agent count whose Erlang A service level meets the target."""

    agents: int
    agents_with_shrinkage: int
    result: ErlangAResult


def staff_interval_erlang_a(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    patience_seconds: float,
    target: float,
    within_seconds: float,
    shrinkage: float | Decimal = 0.0,
    max_occupancy: float = 1.0,
) -> StaffingA:
    """Like :func:`staff_interval` but callers hang up after an exponential patience.

    Erlang A needs fewer agents than Erlang C for the same target because some callers leave
    the queue; the service level here counts those abandons against the centre (answered
    within T over all offered calls). Service level grows with n, so the first n that meets
    the target is the answer, found by doubling and bisection.
    """
    _check_target(target)
    a = traffic_intensity(calls, interval_seconds, aht_seconds)
    if a == 0:
        return StaffingA(0, 0, ErlangAResult(0.0, 0.0, 1.0, 0.0, 0.0))
    budget = _Budget(ERLANG_A_BUDGET_US)

    def evaluate(n: int) -> ErlangAResult:
        return erlang_a(
            calls=calls,
            interval_seconds=interval_seconds,
            aht_seconds=aht_seconds,
            patience_seconds=patience_seconds,
            agents=n,
            within_seconds=within_seconds,
            budget=budget,
        )

    def good(r: ErlangAResult) -> bool:
        return r.service_level >= target and r.occupancy <= max_occupancy

    # both criteria improve with n: double until met, then bisect (O(log n) evaluations)
    lo, hi = 0, max(1, math.ceil(a))
    found = evaluate(hi)
    while not good(found):
        lo, hi = hi, hi * 2
        if hi > MAX_AGENTS:
            raise StaffingError(TOO_MANY_AGENTS)
        found = evaluate(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        r = evaluate(mid)
        if good(r):
            hi, found = mid, r
        else:
            lo = mid
    return StaffingA(hi, apply_shrinkage(hi, shrinkage), found)


def _check(traffic: float, agents: int) -> None:
    if traffic < 0 or not math.isfinite(traffic):
        raise StaffingError("traffic must be finite and non-negative")
    if agents < 0:
        raise StaffingError("agents must not be negative")


def _check_target(target: float) -> None:
    if not 0 < target < 1:
        raise StaffingError("target service level must be strictly between 0 and 1")
