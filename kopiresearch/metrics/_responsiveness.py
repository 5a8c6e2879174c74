"""Government responsiveness: which citizen posts address an office, which it answered, when."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus import GOVERNMENT_TYPES, INTERACTION_KINDS, Corpus, to_utc
from ..errors import KopiresearchError
from ..regions import region_group

__all__ = ["addressed_posts", "responsiveness", "response_curve", "kaplan_meier",
           "recovery_of_truth", "mantel_haenszel", "own_region_effect"]

_BY = (None, "region_code", "bakorwil", "own_region")


def addressed_posts(corpus: Corpus, *, askers=("citizen",), kinds=("mention", "reply", "comment"),
                    offices=None, end=None) -> pd.DataFrame:
    """Every post that addresses a government office, whether and when the office answered.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables.
    askers : iterable of str, default ("citizen",)
        Actor types whose posts count as questions to an office.
    kinds : iterable of str, default ("mention", "reply", "comment")
        Interaction kinds by which a post addresses an office.
    offices : iterable of account ids or handles, optional
        The offices; by default every account whose ``actor_type`` is a government type. A
        handle (``"kominfo_kotamalang_demo"``) names the one account that has it.
    end : timestamp-like, optional
        End of the observation window (naive = UTC); by default the time of the last post.
        Posts after ``end`` are left out; answers after ``end`` are not seen.

    Returns
    -------
    pandas.DataFrame
        One row per (post, office) pair, sorted by ``created_at`` then ``post_id``: ``post_id``,
        ``office_id``, ``asker_id``, ``asker_region`` (region code or missing),
        ``created_at``, ``kind`` (how it addresses the office), ``answered`` (bool),
        ``reply_post_id`` and ``reply_at`` (the first answer, missing if none),
        ``duration_hours`` (to the first answer, or to ``end`` when unanswered) and
        ``censored`` (``not answered``).

    Raises
    ------
    KopiresearchError
        An unknown interaction kind or actor type; an office that is neither an account id
        nor the handle of exactly one account.

    Notes
    -----
    A post ``q`` by an account whose actor type is in ``askers`` *addresses* office ``g``
    when the interactions table has an act ``q.author -> g`` of a kind in ``kinds`` whose
    ``post_id`` is ``q``: an @mention of ``g`` in ``q``, ``q`` replying to a post of ``g``,
    or ``q`` commenting on a post of ``g``. A post that addresses two offices gives two
    rows. ``g`` *answers* ``q`` when ``g`` authors a post of kind ``reply`` or ``comment``
    whose ``parent_post_id`` is ``q`` at or before ``end``; the first such post is the
    answer. A later @mention of the asker without replying to ``q`` does not count.
    """
    unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise KopiresearchError(f"kinds: unknown interaction kind(s) {unknown}")
    accounts = corpus.accounts
    known_types = set(accounts["actor_type"].cat.categories)
    bad = sorted(set(askers) - known_types)
    if bad:
        raise KopiresearchError(f"askers: unknown actor type(s) {bad}")
    types = accounts["actor_type"].astype(str)
    office_ids = _office_ids(corpus, offices)
    posts = corpus.posts
    t_end = posts["created_at"].max() if end is None else to_utc(end)
    inter = corpus.interactions
    sel = (inter["kind"].isin(list(kinds)) & inter["target_id"].isin(office_ids)
           & inter["source_id"].map(types).isin(list(askers)) & inter["post_id"].notna()
           & (inter["created_at"] <= t_end))
    q = inter.loc[sel, ["post_id", "target_id", "source_id", "kind", "created_at"]]
    q = q.astype({"post_id": object, "target_id": object, "source_id": object,
                  "kind": object})
    q = q.drop_duplicates(["post_id", "target_id"]).rename(
        columns={"target_id": "office_id", "source_id": "asker_id"})
    region = accounts["region_code"].astype(object)
    q["asker_region"] = q["asker_id"].map(region)

    ans = posts[posts["kind"].isin(["reply", "comment"]) & posts["parent_post_id"].notna()
                & posts["author_id"].isin(office_ids) & (posts["created_at"] <= t_end)]
    # reply_at keeps its datetime64[ns, UTC] dtype even when no office answered anything
    # (an all-missing object column would break the durations below)
    ans = pd.DataFrame({"post_id": ans["parent_post_id"].astype(object).to_numpy(),
                        "office_id": ans["author_id"].astype(object).to_numpy(),
                        "reply_post_id": ans.index.astype(object).to_numpy(),
                        "reply_at": ans["created_at"].array})
    ans = ans.sort_values(["reply_at", "reply_post_id"]).drop_duplicates(
        ["post_id", "office_id"], keep="first")
    out = q.merge(ans, on=["post_id", "office_id"], how="left")
    out["reply_at"] = out["reply_at"].astype(posts["created_at"].dtype)
    out["answered"] = out["reply_at"].notna()
    stop = out["reply_at"].where(out["answered"], t_end)
    out["duration_hours"] = (stop - out["created_at"]).dt.total_seconds() / 3600.0
    out["censored"] = ~out["answered"]
    out = out.sort_values(["created_at", "post_id", "office_id"]).reset_index(drop=True)
    return out[["post_id", "office_id", "asker_id", "asker_region", "created_at", "kind",
                "answered", "reply_post_id", "reply_at", "duration_hours", "censored"]]


def responsiveness(corpus: Corpus, *, by=None, askers=("citizen",),
                   kinds=("mention", "reply", "comment"), offices=None,
                   end=None) -> pd.DataFrame:
    """Reply rate and Kaplan-Meier response time of every government office.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables.
    by : {None, "region_code", "bakorwil", "own_region"}, optional
        Split each office's row by the asker's region code, the asker's Bakorwil, or whether
        the asker is from the office's own region (``"own"``, ``"other"``, ``"unknown"``).
    askers, kinds, offices, end
        As in :func:`addressed_posts`, which defines what addresses and what answers.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``office_id`` (and the ``by`` group), sorted, with ``handle``,
        ``actor_type``, ``region_code`` and:

        - ``addressed``: posts that address the office; ``answered``: those it answered;
        - ``reply_rate = answered / addressed`` (naive: answers after ``end`` unseen);
        - ``naive_median_hours``: median time to reply among answered posts (biased low,
          since long delays near the end of the window are cut off);
        - ``km_median_hours``: Kaplan-Meier median time to first reply over all addressed
          posts, unanswered ones censored at ``end`` (``NaN`` when the estimated share
          answered never reaches one half);
        - ``km_reply_rate``: ``1 - S(t_max)``, the Kaplan-Meier share answered by the
          last observed answer time (the plateau of the curve);
        - ``km_conditional_median_hours``: the first time the Kaplan-Meier share answered
          reaches ``km_reply_rate / 2``: the median delay among posts that get answered;
        - ``censored``: the unanswered posts (right-censored at ``end``), and
          ``median_followup_hours``: how long they had been waiting at ``end`` (median).

        An office that answered none of its posts (a broadcast-only account) has
        ``answered = 0``, ``reply_rate = km_reply_rate = 0``, every median undefined
        (``NaN``) and ``censored = addressed``; one never addressed has ``addressed = 0``
        and ``NaN`` rates.

    Raises
    ------
    KopiresearchError
        ``by`` is not one of the allowed values (and as :func:`addressed_posts`).

    Notes
    -----
    Time to first reply ``RT(q) = t(first answer to q) - t(q)``; unanswered posts are
    right-censored at ``end - t(q)``. The survival function ``S(t)`` (share of posts not
    yet answered) is the Kaplan-Meier estimator, ``scipy.stats.ecdf`` of
    ``scipy.stats.CensoredData``. The median is the smallest ``t`` with ``S(t) <= 1/2``.
    Some posts are never answered, so ``S`` levels off at the never-answered share; reading
    the curve as a mixture ("cure") model, ``km_reply_rate`` estimates the answer
    probability and ``km_conditional_median_hours`` the median delay of answers, which
    are the quantities a per-office reply probability and delay distribution describe.
    Both assume that answers come within the longest follow-up in the data.

    References
    ----------
    .. [1] Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
       observations. Journal of the American Statistical Association 53(282):457-481.
       doi:10.1080/01621459.1958.10501452
    .. [2] Tsai, L. L., Sweetser, K. D., & Candello, E. (2022). Examining response
       engagement in online interactions between US government agencies and citizens.
       Journal of Communication Management. doi:10.1108/JCOM-07-2021-0078
    .. [3] Panagiotopoulos, P., Barnett, J., & Brooks, L. (2013). Social media and
       government responsiveness: the case of the UK Food Standards Agency. EGOV 2013,
       LNCS 8074, pp. 310-321. doi:10.1007/978-3-642-40358-3_26

    Examples
    --------
    >>> import kopiresearch as kr
    >>> r = responsiveness(kr.load_bundled())
    >>> len(r), bool((r["answered"] <= r["addressed"]).all())
    (43, True)
    >>> r.loc["synthetic:a000001", ["handle", "actor_type"]].tolist()
    ['diskominfojatim_demo', 'government_province']

    The Kota Malang office answered none of the citizen posts addressed to it:

    >>> one = responsiveness(kr.load_bundled(), offices=["kominfo_kotamalang_demo"])
    >>> one[["addressed", "answered", "km_median_hours", "censored"]]
                       addressed  answered  km_median_hours  censored
    office_id
    synthetic:a000033         11         0              NaN        11
    """
    if by not in _BY:
        raise KopiresearchError(f"by must be one of {_BY}, not {by!r}")
    posts = addressed_posts(corpus, askers=askers, kinds=kinds, offices=offices, end=end)
    accounts = corpus.accounts
    office_ids = _office_ids(corpus, offices)
    keys = ["office_id"]
    if by is not None:
        posts["group"] = _asker_group(posts, accounts, by)
        keys.append(by)
        posts = posts.rename(columns={"group": by})
    rows = []
    for key, sub in posts.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, *_summarise(sub)))
    table = pd.DataFrame(rows, columns=keys + _COLUMNS)
    if by is None:
        table = table.set_index("office_id").reindex(pd.Index(office_ids, dtype=object,
                                                              name="office_id"))
        for col in ("addressed", "answered", "censored"):
            table[col] = table[col].fillna(0)
    else:
        table = table.set_index(keys)
    for col in ("addressed", "answered", "censored"):
        table[col] = table[col].astype(np.int64)
    office = table.index.get_level_values("office_id")
    info = accounts.loc[office, ["handle", "actor_type", "region_code"]]
    for i, col in enumerate(["handle", "actor_type", "region_code"]):
        table.insert(i, col, info[col].astype(object).to_numpy())
    return table.sort_index()


def recovery_of_truth(table: pd.DataFrame, truth) -> pd.DataFrame:
    """How well per-office estimates recover planted reply probabilities and delays.

    For data with known per-office parameters (the bundled synthetic corpus, or a simulation
    of your own), compare :func:`responsiveness` office by office with the truth.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`responsiveness` (``by=None``).
    truth : pandas.DataFrame or mapping
        Per office id: ``reply_prob`` and ``median_delay_hours`` (e.g. the ``offices``
        entry of :func:`kopiresearch.load_ground_truth`).

    Returns
    -------
    pandas.DataFrame
        One row per comparison, ``"reply prob. vs km_reply_rate"``, ``"log median delay vs
        KM conditional median"`` and ``"log median delay vs naive median"``, with ``n``
        (offices compared), ``spearman``, ``pearson`` and ``median abs. error`` (on the
        original scale: a share, or hours).

    Raises
    ------
    KopiresearchError
        No office of ``table`` is in ``truth``, or a column is missing.

    Notes
    -----
    Offices in both tables are compared; delays only where the office answered at least
    once (both medians defined). Correlations of delays are taken on the log scale, where
    lognormal delays are symmetric. Spearman's rank correlation is
    ``scipy.stats.spearmanr``, Pearson's ``scipy.stats.pearsonr``.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> gt = kr.load_ground_truth()
    >>> r = responsiveness(kr.load_bundled(), end=gt["period"]["end"])
    >>> rec = recovery_of_truth(r, gt["offices"])
    >>> rec["n"].tolist()
    [39, 38, 38]
    >>> bool(rec.loc["reply prob. vs km_reply_rate", "spearman"] > 0.9)
    True
    """
    planted = pd.DataFrame(truth).T if not isinstance(truth, pd.DataFrame) else truth
    need = {"reply_prob", "median_delay_hours"}
    if not need <= set(planted.columns):
        raise KopiresearchError(f"truth needs columns {sorted(need)}")
    joined = table.join(planted[sorted(need)].astype(float), how="inner")
    if joined.empty:
        raise KopiresearchError("no office of the table is in the truth")
    ok = joined["km_conditional_median_hours"].notna() & joined["naive_median_hours"].notna()
    d = joined.loc[ok]
    pairs = {
        "reply prob. vs km_reply_rate": (joined["km_reply_rate"], joined["reply_prob"], False),
        "log median delay vs KM conditional median": (
            d["km_conditional_median_hours"], d["median_delay_hours"], True),
        "log median delay vs naive median": (d["naive_median_hours"], d["median_delay_hours"],
                                             True),
    }
    import scipy.stats as st  # here, not at import: scipy.stats takes ~0.7 s to import

    rows = {}
    for name, (est, true, log) in pairs.items():
        x, y = (np.log(est), np.log(true)) if log else (est, true)
        rows[name] = {"n": len(est), "spearman": st.spearmanr(y, x).statistic,
                      "pearson": st.pearsonr(y, x).statistic,
                      "median abs. error": float((est - true).abs().median())}
    out = pd.DataFrame(rows).T
    out["n"] = out["n"].astype(np.int64)
    return out


def response_curve(posts: pd.DataFrame, *, by="office_id", ci: bool = False) -> pd.DataFrame:
    """Kaplan-Meier curves of time to first reply, one per group of addressed posts.

    Parameters
    ----------
    posts : pandas.DataFrame
        The result of :func:`addressed_posts` (columns ``duration_hours``, ``answered``).
    by : str or None, default "office_id"
        Column to split by; ``None`` for one curve over all posts.
    ci : bool, default False
        Add pointwise 95% confidence limits (Greenwood), ``ci_low`` and ``ci_high``.

    Returns
    -------
    pandas.DataFrame
        Long format: the ``by`` column, ``time_hours`` (starting at 0) and ``survival``
        (share of posts not yet answered), a step function continuing to the right.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"duration_hours": [1, 2, 3, 5, 4, 10],
    ...                       "answered": [True] * 4 + [False] * 2})
    >>> response_curve(posts, by=None)["survival"].round(3).tolist()
    [1.0, 0.833, 0.667, 0.5, 0.5, 0.25, 0.25]
    """
    frames = []
    groups = [(None, posts)] if by is None else posts.groupby(by, sort=True)
    for key, sub in groups:
        curve = kaplan_meier(sub["duration_hours"], sub["answered"], ci=ci)["curve"]
        if by is not None:
            curve.insert(0, by, key)
        frames.append(curve)
    if not frames:
        return pd.DataFrame(columns=([by] if by else []) + ["time_hours", "survival"])
    return pd.concat(frames, ignore_index=True)


def kaplan_meier(durations, observed, *, ci: bool = False) -> dict:
    """The Kaplan-Meier estimate of time-to-event data with right censoring.

    Parameters
    ----------
    durations : array-like of float
        Time to the event, or to censoring for unobserved events (non-negative).
    observed : array-like of bool
        True where the event (an answer) was observed.
    ci : bool, default False
        Add Greenwood 95% confidence limits to the curve.

    Returns
    -------
    dict
        ``curve`` (DataFrame ``time_hours``, ``survival``[, ``ci_low``, ``ci_high``], from
        time 0), ``median`` (smallest t with S(t) <= 1/2, ``NaN`` if none), ``plateau``
        (``1 - S`` at the last time), ``conditional_median`` (smallest t with
        ``1 - S(t) >= plateau / 2``; ``NaN`` if no event).

    Raises
    ------
    KopiresearchError
        Lengths differ, or a duration is negative or missing.

    Notes
    -----
    Computed with ``scipy.stats.ecdf(scipy.stats.CensoredData(uncensored, right))``.

    Examples
    --------
    Four answers after 1, 2, 3 and 5 hours, two posts unanswered after 4 and 10 hours:
    ``S`` = 5/6, 4/6, 3/6 after 1, 2, 3 hours, so the median is 3 hours.

    >>> km = kaplan_meier([1, 2, 3, 5, 4, 10], [True, True, True, True, False, False])
    >>> km["median"], round(km["plateau"], 3), km["conditional_median"]
    (3.0, 0.75, 3.0)
    """
    d = np.asarray(durations, dtype=float)
    o = np.asarray(observed, dtype=bool)
    if d.shape != o.shape:
        raise KopiresearchError("durations and observed must have the same length")
    if np.isnan(d).any() or (d < 0).any():
        raise KopiresearchError("durations must be non-negative numbers")
    cols = ["time_hours", "survival"] + (["ci_low", "ci_high"] if ci else [])
    if not o.any():
        data = [[0.0, 1.0] + ([1.0, 1.0] if ci else [])]
        return {"curve": pd.DataFrame(data, columns=cols), "median": np.nan,
                "plateau": 0.0 if len(d) else np.nan, "conditional_median": np.nan}
    import scipy.stats as st  # here, not at import: scipy.stats takes ~0.7 s to import

    res = st.ecdf(st.CensoredData(uncensored=d[o], right=d[~o]))
    t = res.sf.quantiles
    s = res.sf.probabilities
    curve = {"time_hours": np.r_[0.0, t], "survival": np.r_[1.0, s]}
    if ci:
        with np.errstate(divide="ignore", invalid="ignore"):
            band = res.sf.confidence_interval(confidence_level=0.95)
        curve["ci_low"] = np.r_[1.0, band.low.probabilities]
        curve["ci_high"] = np.r_[1.0, band.high.probabilities]
    below = np.flatnonzero(s <= 0.5 + 1e-12)
    median = float(t[below[0]]) if len(below) else np.nan
    last_event = d[o].max()
    plateau = float(1.0 - s[np.searchsorted(t, last_event)])
    half = np.flatnonzero(1.0 - s >= plateau / 2 - 1e-12)
    cond = float(t[half[0]]) if len(half) else np.nan
    return {"curve": pd.DataFrame(curve)[cols], "median": median, "plateau": plateau,
            "conditional_median": cond}


_COLUMNS = ["addressed", "answered", "reply_rate", "naive_median_hours", "km_median_hours",
            "km_reply_rate", "km_conditional_median_hours", "censored",
            "median_followup_hours"]


def _summarise(sub: pd.DataFrame) -> tuple:
    n = len(sub)
    answered = int(sub["answered"].sum())
    naive = float(sub.loc[sub["answered"], "duration_hours"].median()) if answered else np.nan
    km = kaplan_meier(sub["duration_hours"], sub["answered"])
    waited = sub.loc[~sub["answered"], "duration_hours"]
    followup = float(waited.median()) if len(waited) else np.nan
    return (n, answered, answered / n if n else np.nan, naive, km["median"], km["plateau"],
            km["conditional_median"], n - answered, followup)


def _office_ids(corpus: Corpus, offices) -> pd.Index:
    """The account ids of ``offices`` (ids or handles), or of every government account."""
    accounts = corpus.accounts
    if offices is None:
        return accounts.index[accounts["actor_type"].astype(str).isin(GOVERNMENT_TYPES)]
    if isinstance(offices, str):
        offices = [offices]
    handles = accounts["handle"].astype(object)
    ids = []
    for office in offices:
        if office in accounts.index:
            ids.append(office)
            continue
        named = accounts.index[handles == office]
        if len(named) == 1:
            ids.append(named[0])
        elif len(named) > 1:
            raise KopiresearchError(f"offices: the handle {office!r} belongs to {len(named)} "
                                    f"accounts ({', '.join(map(str, named))}); give the "
                                    "account id")
        else:
            raise KopiresearchError(f"offices: {office!r} is neither an account id nor a "
                                    "handle in corpus.accounts")
    return pd.Index(ids, dtype=object).unique()


def _asker_group(posts, accounts, by):
    region = posts["asker_region"]
    if by == "region_code":
        return region.fillna("unknown")
    if by == "bakorwil":
        return region.map(lambda c: region_group(c, "bakorwil"))
    office_region = posts["office_id"].map(accounts["region_code"].astype(object))
    return np.where(region.isna(), "unknown", np.where(region == office_region, "own", "other"))


def mantel_haenszel(tables) -> dict:
    """Mantel-Haenszel common odds ratio and Cochran-Mantel-Haenszel test over 2x2 strata.

    Parameters
    ----------
    tables : iterable of 2x2 array-likes
        One table ``[[a, b], [c, d]]`` per stratum (e.g. per office): rows the two groups
        compared (own region, other region), columns the outcome (answered, unanswered).

    Returns
    -------
    dict
        ``strata`` (tables used: those with at least two observations), ``odds_ratio``
        (the Mantel-Haenszel common odds ratio), ``chi2`` (the CMH statistic, 1 degree of
        freedom, no continuity correction) and ``p`` (its upper tail). ``odds_ratio`` is
        ``inf`` when no stratum has a discordant ``b * c`` and ``NaN`` when neither
        ``a * d`` nor ``b * c`` occurs; ``chi2`` and ``p`` are ``NaN`` when the statistic's
        variance is 0 (every stratum one-sided) or no stratum is usable.

    Raises
    ------
    KopiresearchError
        A table is not 2x2 or has a negative or missing count.

    Notes
    -----
    For stratum ``k`` with ``n_k = a_k + b_k + c_k + d_k``, the common odds ratio is
    ``sum(a_k d_k / n_k) / sum(b_k c_k / n_k)`` [1]_. The test compares ``sum(a_k)`` with its
    expectation ``sum((a_k + b_k)(a_k + c_k) / n_k)`` under no association in any stratum,
    with the hypergeometric variance
    ``sum((a_k + b_k)(c_k + d_k)(a_k + c_k)(b_k + d_k) / (n_k^2 (n_k - 1)))``; the squared
    standardised difference is chi-square with one degree of freedom [1]_. Comparing within
    strata avoids Simpson's paradox: a pooled table mixes strata of different base rates.

    References
    ----------
    .. [1] Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data
       from retrospective studies of disease. Journal of the National Cancer Institute
       22(4):719-748. doi:10.1093/jnci/22.4.719

    Examples
    --------
    Two strata; the common odds ratio is (1/4 + 9/8) / (1/4 + 1/8) = 11/3 and the
    statistic (4 - 3)^2 / (1/3 + 4/7) = 21/19:

    >>> r = mantel_haenszel([[[1, 1], [1, 1]], [[3, 1], [1, 3]]])
    >>> r["strata"], round(r["odds_ratio"], 4), round(r["chi2"], 4)
    (2, 3.6667, 1.1053)
    """
    a_sum = e_sum = v_sum = num = den = 0.0
    strata = 0
    for i, table in enumerate(tables):
        t = np.asarray(table, dtype=float)
        if t.shape != (2, 2):
            raise KopiresearchError(f"tables: stratum {i} is not a 2x2 table (shape {t.shape})")
        if np.isnan(t).any() or (t < 0).any():
            raise KopiresearchError(f"tables: stratum {i} has a negative or missing count")
        (a, b), (c, d) = t
        n = t.sum()
        if n < 2:
            continue
        strata += 1
        a_sum += a
        e_sum += (a + b) * (a + c) / n
        v_sum += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1))
        num += a * d / n
        den += b * c / n
    if den > 0:
        odds = num / den
    else:
        odds = np.inf if num > 0 else np.nan
    if v_sum > 0:
        from scipy.stats import chi2 as chi2_dist

        chi2 = (a_sum - e_sum) ** 2 / v_sum
        p = float(chi2_dist.sf(chi2, 1))
    else:
        chi2 = p = np.nan
    return {"strata": strata, "odds_ratio": float(odds), "chi2": float(chi2), "p": p}


def own_region_effect(table: pd.DataFrame) -> dict:
    """Are citizens of an office's own region answered more often? Compared within offices.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`responsiveness` with ``by="own_region"`` (rows ``(office_id, own_region)``
        with ``addressed`` and ``answered``); filter its rows first to compare, e.g., only
        the kabupaten/kota offices.

    Returns
    -------
    dict
        As :func:`mantel_haenszel` over one stratum per office that was addressed by both
        its own region's citizens and others (``strata`` counts them; offices without both,
        such as the provincial account, whose region is the whole province, are left out),
        plus ``own_rate`` and ``other_rate``: the answered shares of own- and other-region
        posts pooled over those offices (``NaN`` when there is none). An odds ratio above 1
        means own-region citizens are answered more often within the same office.

    Raises
    ------
    KopiresearchError
        The table has no ``own_region`` level or lacks ``addressed``/``answered``.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> t = responsiveness(kr.load_bundled(), by="own_region")
    >>> regency = t[t["actor_type"] == "government_regency"]
    >>> r = own_region_effect(regency)
    >>> r["strata"], 0.8 < r["odds_ratio"] < 1.25, r["p"] > 0.05
    (38, True, True)
    """
    if "own_region" not in (table.index.names or []):
        raise KopiresearchError("own_region_effect needs responsiveness(..., by='own_region')")
    missing = {"addressed", "answered"} - set(table.columns)
    if missing:
        raise KopiresearchError(f"own_region_effect: the table lacks {sorted(missing)}")
    counts = table[["addressed", "answered"]].astype(float)
    tables, own, other = [], [0.0, 0.0], [0.0, 0.0]
    for _, rows in counts.groupby(level="office_id", sort=True):
        rows = rows.droplevel("office_id")
        if not {"own", "other"} <= set(rows.index) or (rows["addressed"] <= 0).any():
            continue
        a, n1 = rows.loc["own", "answered"], rows.loc["own", "addressed"]
        c, n2 = rows.loc["other", "answered"], rows.loc["other", "addressed"]
        tables.append([[a, n1 - a], [c, n2 - c]])
        own = [own[0] + a, own[1] + n1]
        other = [other[0] + c, other[1] + n2]
    out = mantel_haenszel(tables)
    out["own_rate"] = own[0] / own[1] if own[1] else np.nan
    out["other_rate"] = other[0] / other[1] if other[1] else np.nan
    return out
