from hypothesis import given
from hypothesis import strategies as st

from samverkan.domain.agent_time import MEMBERSHIP_EVENTS, available_seconds

Q = 1_699_999_200  # a quarter hour (a multiple of 900 s)


def test_login_pause_logout_split_over_intervals():
    events = [
        (Q + 100, "vaxel", "SIP/1", "ADDMEMBER"),
        (Q + 1100, "vaxel", "SIP/1", "PAUSE"),  # available Q+100 … Q+1100: 800 s + 200 s
        (Q + 1300, "vaxel", "SIP/1", "UNPAUSE"),
        (Q + 2000, "vaxel", "SIP/1", "REMOVEMEMBER"),  # Q+1300 … Q+2000: 500 s + 200 s
    ]
    out = available_seconds(events, file_start=Q, file_end=Q + 3600)
    assert out == {("SIP/1", Q): 800, ("SIP/1", Q + 900): 700, ("SIP/1", Q + 1800): 200}


def test_an_agent_in_several_queues_counts_once():
    events = [
        (Q, "lyc", "SIP/3", "ADDMEMBER"),
        (Q, "sto", "SIP/3", "ADDMEMBER"),
        (Q + 100, "lyc", "SIP/3", "PAUSE"),  # still available in sto
        (Q + 200, "NONE", "SIP/3", "PAUSEALL"),  # now nowhere: 200 s so far
        (Q + 300, "NONE", "SIP/3", "UNPAUSEALL"),
        (Q + 300, "sto", "SIP/3", "ADDMEMBER"),  # a repeat: ignored
        (Q + 400, "lyc", "SIP/3", "REMOVEMEMBER"),
        (Q + 500, "sto", "SIP/3", "REMOVEMEMBER"),  # 300 … 500: 200 s
    ]
    assert available_seconds(events, file_start=Q, file_end=Q + 900) == {("SIP/3", Q): 400}


def test_file_boundaries():
    events = [
        (Q + 100, "it", "SIP/2", "REMOVEMEMBER"),  # logged in before the file: 100 s
        (Q + 200, "a", "SIP/4", "ADDMEMBER"),  # still logged in at the end: 300 s
        (Q + 300, "a", "SIP/5", "PAUSE"),  # first seen pausing: logged in since the start, 300 s
        (Q + 450, "a", "NONE", "ADDMEMBER"),  # no agent: ignored
        (Q + 450, "a", "SIP/9", "CONNECT"),
    ]
    out = available_seconds(events, file_start=Q, file_end=Q + 500)
    assert out == {("SIP/2", Q): 100, ("SIP/4", Q): 300, ("SIP/5", Q): 300}


def test_no_events_no_time():
    assert available_seconds([(Q, "q", "SIP/1", "CONNECT")], file_start=Q, file_end=Q + 10) == {}


events_strategy = st.lists(
    st.tuples(
        st.integers(0, 7200),
        st.sampled_from(["a", "b", "NONE"]),
        st.sampled_from(["SIP/1", "SIP/2"]),
        st.sampled_from([*MEMBERSHIP_EVENTS, "CONNECT"]),
    ),
    max_size=40,
)


@given(events_strategy)
def test_never_more_than_the_wall_clock(raw):
    events = sorted(((Q + t, q, a, e) for t, q, a, e in raw), key=lambda x: x[0])
    out = available_seconds(events, file_start=Q, file_end=Q + 7200)
    assert all(0 < s <= 900 for s in out.values())
    for agent in ("SIP/1", "SIP/2"):
        assert sum(s for (a, _), s in out.items() if a == agent) <= 7200
    assert all(start % 900 == 0 and Q <= start < Q + 7200 for _, start in out)
