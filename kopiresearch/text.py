"""What is said and by whom: tokens, top items per group, distinctive items, volume and peaks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ._compat import renamed_keyword
from ._paths import data_path
from .errors import KopiresearchError
from .regions import region_table

__all__ = [
    "ITEM_TYPES",
    "tokenize",
    "stopword_set",
    "normalisation_table",
    "post_items",
    "post_groups",
    "weighted_log_odds",
    "top_items",
    "Volume",
    "volume",
    "detect_peaks",
    "peak_drivers",
]

#: Item types that :func:`post_items` extracts, in the order they are reported.
ITEM_TYPES = ("hashtag", "url", "domain", "mention", "emoji", "word", "bigram")

#: Post kinds whose text is the author's own words (reposts repeat someone else's).
_OWN_TEXT_KINDS = ("original", "reply", "quote", "comment")
#: The default of a former keyword name whose value may be None ("every kind").
_NOT_GIVEN = object()

_WIB = "Asia/Jakarta"

# Order matters: a URL is taken before a mention inside it, a mention before a word.
_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_MENTION = r"@\w{1,50}"
_HASHTAG = r"#\w+"
_EMOJI = ("[\U0001F1E6-\U0001F1FF\U0001F300-\U0001F5FF\U0001F600-\U0001F64F"
          "\U0001F680-\U0001F6FF\U0001F900-\U0001F9FF\U0001FA70-\U0001FAFF"
          "\u2600-\u26FF\u2700-\u27BF]")
_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*"
_TOKEN_RE = re.compile(
    f"(?P<url>{_URL})|(?P<mention>{_MENTION})|(?P<hashtag>{_HASHTAG})|(?P<emoji>{_EMOJI})"
    f"|(?P<word>{_WORD})")
_URL_RE = re.compile(_URL)
_STRIP_RE = re.compile(f"{_URL}|{_MENTION}|{_HASHTAG}")
_WORD_RE = re.compile(_WORD)
_DOMAIN_RE = r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/:?#\s]+)"
_TRAILING = ".,;:!?)]}'\"…"
# "RT @handle:" at the start of a repost's text names the reposted account, not a mention
_RT_PREFIX = re.compile(r"^rt @\w+:\s*")


def tokenize(text: str, *, normalize: bool = True, drop_stopwords: bool = True,
             min_length: int = 2) -> list[tuple[str, str]]:
    """Split one post into typed tokens, Indonesian-aware.

    Parameters
    ----------
    text : str
        The post's text.
    normalize : bool
        Replace informal spellings and abbreviations (``yg`` -> ``yang``, ``gak`` ->
        ``tidak``; :func:`normalisation_table`) before stopwords are removed.
    drop_stopwords : bool
        Remove Indonesian, English and Javanese function words (:func:`stopword_set`)
        from the words; hashtags, mentions, URLs and emoji are never removed.
    min_length : int
        Shortest word kept (in characters, after normalisation).

    Returns
    -------
    list of (type, token)
        ``type`` is ``"url"``, ``"mention"``, ``"hashtag"``, ``"emoji"`` or ``"word"``, in
        the order they occur. Everything is lower-cased; a URL loses trailing punctuation;
        a mention keeps its ``@`` and a hashtag its ``#``. A normalisation that gives two
        words (``pemprov`` -> ``pemerintah provinsi``) gives two word tokens.

    See Also
    --------
    post_items : the same rules, vectorised over a posts table.

    Notes
    -----
    Numbers and punctuation are not tokens. A word is a run of letters, with inner hyphens
    (``kerja-sama``); ``kata2`` (Indonesian reduplication written with a digit) gives
    ``kata``. A repost's leading ``RT @handle:`` is dropped (it names the reposted account,
    which is not a mention by the reposter).

    Examples
    --------
    >>> tokenize("Yg penting jln di #Kediri sdh diperbaiki @kominfo_kediri_demo 👍 "
    ...          "https://jatimprov.go.id/berita.")
    ... # doctest: +NORMALIZE_WHITESPACE
    [('word', 'jalan'), ('hashtag', '#kediri'), ('word', 'diperbaiki'),
     ('mention', '@kominfo_kediri_demo'), ('emoji', '👍'),
     ('url', 'https://jatimprov.go.id/berita')]
    >>> tokenize("Gak ono sing ngerti", drop_stopwords=False)
    [('word', 'tidak'), ('word', 'ono'), ('word', 'sing'), ('word', 'ngerti')]
    """
    if not isinstance(text, str):
        raise KopiresearchError(f"text must be a str, not {type(text).__name__}")
    norm = normalisation_table() if normalize else {}
    stop = stopword_set() if drop_stopwords else frozenset()
    out = []
    for m in _TOKEN_RE.finditer(_RT_PREFIX.sub("", text.lower())):
        kind = m.lastgroup
        tok = m.group()
        if kind == "url":
            out.append(("url", tok.rstrip(_TRAILING)))
        elif kind != "word":
            out.append((kind, tok))
        else:
            for w in norm.get(tok, tok).split(" "):
                if len(w) >= min_length and w not in stop:
                    out.append(("word", w))
    return out


@lru_cache(maxsize=1)
def normalisation_table() -> dict[str, str]:
    """Informal Indonesian spellings and abbreviations and the form they are counted as.

    Read from ``data/text/informal_id.tsv``; its header says where the entries come from
    (the Colloquial Indonesian Lexicon of Salsabila et al. 2018, with the negations merged).

    Returns
    -------
    dict
        informal -> normalised (lower case; a value may be two words).

    References
    ----------
    .. [1] Salsabila, Ali, Yosef & Adi (2018), "Colloquial Indonesian Lexicon", International
       Conference on Asian Language Processing (IALP), pp. 226-229.

    Examples
    --------
    >>> t = normalisation_table()
    >>> t["yg"], t["nggak"], t["dgn"], t["utk"]
    ('yang', 'tidak', 'dengan', 'untuk')
    """
    table = {}
    path = data_path("text", "informal_id.tsv")
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            from .errors import InputFormatError
            raise InputFormatError("expected 'informal<TAB>normalised'", file=str(path),
                                   line=lineno)
        table[parts[0].strip()] = parts[1].strip()
    return table


@lru_cache(maxsize=1)
def stopword_set() -> frozenset[str]:
    """Indonesian, English and Javanese function words that are not counted as words.

    Indonesian and English come from stopwords-iso (the ``stopwordsiso`` package);
    Javanese from ``data/text/javanese_function_words.txt`` (stopwords-iso has none).

    Returns
    -------
    frozenset of str

    References
    ----------
    .. [1] Diaz, G. et al., stopwords-iso: the most comprehensive collection of stopwords
       for multiple languages, https://github.com/stopwords-iso (packaged as
       ``stopwordsiso``).

    Examples
    --------
    >>> s = stopword_set()
    >>> {"yang", "dan", "the", "ing", "mboten"} <= s, "jalan" in s
    (True, False)
    """
    import stopwordsiso

    words = set(stopwordsiso.stopwords("id")) | set(stopwordsiso.stopwords("en"))
    jv = data_path("text", "javanese_function_words.txt").read_text(encoding="utf-8")
    words |= {w.strip() for w in jv.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(w.lower() for w in words)


def post_items(posts: pd.DataFrame, *, items: Sequence[str] = ITEM_TYPES,
               normalize: bool = True, drop_stopwords: bool = True, min_length: int = 2,
               expanded_urls: str = "expanded_urls") -> pd.DataFrame:
    """Every hashtag, URL, domain, mention, emoji, word and word pair of every post.

    Parameters
    ----------
    posts : DataFrame
        A posts table (``Corpus.posts``): index ``post_id``, columns ``author_id`` and
        ``text``.
    items : sequence of str
        Which of :data:`ITEM_TYPES` to extract.
    normalize, drop_stopwords, min_length
        As in :func:`tokenize` (words and word pairs only).
    expanded_urls : str
        Name of a column of space-separated expanded URLs. Where a post has it, its URLs
        and domains come from there instead of the text (the text's ``t.co`` links say
        nothing about where they lead); where the column is absent or empty, from the text.

    Returns
    -------
    DataFrame
        Long table, one row per occurrence: ``post_id``, ``author_id``, ``item_type``,
        ``item``. A word pair (``bigram``) is two consecutive kept words of one post,
        joined by a space.

    Raises
    ------
    KopiresearchError
        An unknown item type or a missing column.

    See Also
    --------
    tokenize : the rules, for one text.

    Examples
    --------
    >>> posts = pd.DataFrame({"author_id": ["a", "b"],
    ...                       "text": ["Banjir di jalan raya #Kediri", "Jalan raya ditutup"]},
    ...                      index=pd.Index(["p1", "p2"], name="post_id"))
    >>> t = post_items(posts, items=["hashtag", "word", "bigram"])
    >>> t[t["item_type"] == "bigram"]["item"].tolist()
    ['banjir jalan', 'jalan raya', 'jalan raya', 'raya ditutup']
    """
    bad = [i for i in items if i not in ITEM_TYPES]
    if bad:
        raise KopiresearchError(f"unknown item types {bad}; known: {', '.join(ITEM_TYPES)}")
    for col in ("author_id", "text"):
        if col not in posts.columns:
            raise KopiresearchError(f"posts table: column {col!r} is missing")
    text = posts["text"].astype(object).where(posts["text"].notna(), "").astype(str)
    text = text.str.lower().str.replace(_RT_PREFIX, "", regex=True)
    post_id = posts.index.to_numpy()
    author = posts["author_id"].to_numpy()
    frames = []

    def add(kind, pos, values):
        frames.append(pd.DataFrame({"post_id": post_id[pos], "author_id": author[pos],
                                    "item_type": kind, "item": values}))

    def found(pattern, base=text):
        lists = base.str.findall(pattern)
        counts = lists.str.len().to_numpy()
        flat = [x for lst in lists for x in lst]
        return np.repeat(np.arange(len(lists)), counts), np.array(flat, dtype=object)

    if "hashtag" in items:
        add("hashtag", *found(_HASHTAG))
    if "url" in items or "domain" in items:
        pos, urls = found(_URL)
        urls = np.array([u.rstrip(_TRAILING) for u in urls], dtype=object)
        if expanded_urls in posts.columns:
            exp = posts[expanded_urls].astype(object).where(posts[expanded_urls].notna(), "")
            exp = exp.astype(str).str.lower().str.split()
            has = exp.str.len().to_numpy() > 0
            keep = ~has[pos]
            epos = np.repeat(np.arange(len(exp)), exp.str.len().to_numpy())
            eurls = np.array([u for lst in exp for u in lst], dtype=object)
            pos = np.concatenate([pos[keep], epos])
            urls = np.concatenate([urls[keep], eurls])
            order = np.argsort(pos, kind="stable")
            pos, urls = pos[order], urls[order]
        if "url" in items:
            add("url", pos, urls)
        if "domain" in items:
            dom = pd.Series(urls, dtype=object).str.extract(_DOMAIN_RE, expand=False)
            add("domain", pos, dom.to_numpy(dtype=object))
    if "mention" in items:
        add("mention", *found(_MENTION))
    if "emoji" in items:
        add("emoji", *found(_EMOJI))
    if "word" in items or "bigram" in items:
        pos, words = found(_WORD_RE, text.str.replace(_STRIP_RE, " ", regex=True))
        if normalize and len(words):
            w = pd.Series(words, dtype=object)
            mapped = w.map(normalisation_table()).fillna(w)
            multi = mapped.str.contains(" ", regex=False).to_numpy(dtype=bool)
            if multi.any():
                parts = mapped.str.split(" ").where(multi, None)
                lens = np.where(multi, parts.str.len().fillna(1).to_numpy(), 1).astype(np.int64)
                flat = [x for m, whole, split in zip(multi, mapped.to_numpy(), parts.to_numpy())
                        for x in (split if m else (whole,))]
                pos = np.repeat(pos, lens)
                words = np.array(flat, dtype=object)
            else:
                words = mapped.to_numpy(dtype=object)
        if len(words):
            w = pd.Series(words, dtype=object)
            keep = (w.str.len() >= min_length).to_numpy(dtype=bool, copy=True)
            if drop_stopwords:
                keep = keep & ~w.isin(stopword_set()).to_numpy(dtype=bool)
            pos, words = pos[keep], words[keep]
        if "word" in items:
            add("word", pos, words)
        if "bigram" in items:
            same = pos[1:] == pos[:-1]
            pairs = (pd.Series(words[:-1][same], dtype=object) + " "
                     + pd.Series(words[1:][same], dtype=object)).to_numpy(dtype=object)
            add("bigram", pos[:-1][same], pairs)
    if not frames:
        return pd.DataFrame({"post_id": [], "author_id": [], "item_type": [], "item": []})
    frames = [f[f["item"].notna().to_numpy()] if f["item"].isna().any() else f for f in frames]
    return pd.concat(frames, ignore_index=True)  # already in ITEM_TYPES order


def post_groups(corpus, by) -> pd.Series:
    """The group of each account, for grouping posts by their author.

    Parameters
    ----------
    corpus : Corpus
    by : str, Mapping or Series
        A column of ``corpus.accounts`` (``"actor_type"``, ``"region_code"``,
        ``"partnered"``, ...), ``"bakorwil"`` (from the region code), or a mapping or Series
        account_id -> group (for example communities from ``kopiresearch.metrics``).
        Accounts without a group are left out.

    Returns
    -------
    Series
        account_id -> group label (as strings).

    Raises
    ------
    KopiresearchError
        ``by`` is neither a column nor a mapping.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> g = post_groups(kr.load_bundled(), "bakorwil")
    >>> sorted(g.unique())[:2]
    ['I Madiun', 'II Bojonegoro']
    """
    acc = corpus.accounts
    if isinstance(by, pd.Series):
        groups = by
    elif isinstance(by, Mapping):
        groups = pd.Series(dict(by), dtype=object)
    elif by == "bakorwil":
        groups = acc["region_code"].map(region_table()["bakorwil"])
    elif isinstance(by, str) and by in acc.columns:
        groups = acc[by]
    else:
        raise KopiresearchError(f"by={by!r}: not a column of the accounts table "
                                f"({', '.join(acc.columns)}), 'bakorwil' or a mapping")
    groups = groups[groups.notna()]
    return groups.astype(str)


def weighted_log_odds(counts: pd.DataFrame, *, prior: pd.Series | None = None,
                      prior_strength: float | None = None) -> pd.DataFrame:
    """Weighted log-odds ratio of each item in each group against all other groups, with an
    informative Dirichlet prior, and its z-score (Monroe, Colaresi & Quinn 2008).

    Parameters
    ----------
    counts : DataFrame
        Item counts: index = items, columns = groups, non-negative integers.
    prior : Series, optional
        Background counts of the items (index = items) that set the prior's shape. Default:
        the counts pooled over all groups.
    prior_strength : float, optional
        alpha_0, the total pseudo-count of the prior. Default: the total of ``counts`` (the
        prior weighs as much as the data; tidylo's default).

    Returns
    -------
    DataFrame
        One row per (item, group) with ``count``, ``delta`` (the log-odds ratio),
        ``variance`` and ``z``.

    Raises
    ------
    KopiresearchError
        Negative counts, fewer than two groups, or a prior with missing or non-positive
        values.

    Notes
    -----
    For item w, group i with counts y_wi and total n_i, and the other groups pooled
    (y_wj = sum over j != i, n_j), with prior alpha_w = alpha_0 * pi_w (pi_w the prior's
    share of w):

    delta_w = log((y_wi + alpha_w) / (n_i + alpha_0 - y_wi - alpha_w))
              - log((y_wj + alpha_w) / (n_j + alpha_0 - y_wj - alpha_w))

    var(delta_w) ~ 1 / (y_wi + alpha_w) + 1 / (y_wj + alpha_w), z = delta_w / sqrt(var).

    This is Monroe et al.'s eqs. 16-22 with group i against the rest (not against the
    whole corpus, as some implementations do). A large positive z means the item is the
    group's own; raw counts instead rank the biggest group's common items first everywhere.

    References
    ----------
    .. [1] Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008), "Fightin' words: lexical
       feature selection and evaluation for identifying the content of political conflict",
       Political Analysis 16(4):372-403, doi:10.1093/pan/mpn018.

    Examples
    --------
    >>> c = pd.DataFrame({"gov": [10, 1], "citizen": [2, 8]}, index=["vaksin", "banjir"])
    >>> r = weighted_log_odds(c)
    >>> r.loc[r["group"] == "gov", ["item", "z"]].round(3).values.tolist()
    [['vaksin', 2.874], ['banjir', -2.466]]
    """
    if counts.shape[1] < 2:
        raise KopiresearchError("weighted_log_odds needs at least two groups (columns)")
    y = counts.to_numpy(dtype=float)
    if (y < 0).any() or not np.isfinite(y).all():
        raise KopiresearchError("counts must be finite and non-negative")
    total = y.sum()
    a0 = float(total if prior_strength is None else prior_strength)
    if a0 <= 0:
        raise KopiresearchError(f"prior_strength must be positive, not {a0}")
    if prior is None:
        bg = y.sum(axis=1)
    else:
        bg = pd.Series(prior).reindex(counts.index).to_numpy(dtype=float)
        if np.isnan(bg).any() or (bg <= 0).any():
            raise KopiresearchError("prior must give a positive count for every item")
    alpha = a0 * bg / bg.sum()
    yw = y.sum(axis=1, keepdims=True)
    n_i = y.sum(axis=0, keepdims=True)
    y_j = yw - y
    n_j = total - n_i
    a = alpha[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((y + a) / (n_i + a0 - y - a))
                 - np.log((y_j + a) / (n_j + a0 - y_j - a)))
        var = 1.0 / (y + a) + 1.0 / (y_j + a)
    z = delta / np.sqrt(var)
    n_items, n_groups = y.shape
    return pd.DataFrame({
        "item": np.tile(counts.index.to_numpy(), n_groups),
        "group": np.repeat(counts.columns.to_numpy(), n_items),
        "count": y.T.ravel().astype(np.int64),
        "delta": delta.T.ravel(),
        "variance": var.T.ravel(),
        "z": z.T.ravel(),
    })


def top_items(corpus, *, by="actor_type", items: Sequence[str] = ITEM_TYPES, n: int = 10,
              rank: str = "z", post_kinds: Sequence[str] | None = _OWN_TEXT_KINDS,
              min_count: int = 2, prior_strength: float | None = None,
              normalize: bool = True, drop_stopwords: bool = True,
              kinds=_NOT_GIVEN) -> pd.DataFrame:
    """Top hashtags, URLs, domains, mentions, emoji, words and word pairs of each group.

    Parameters
    ----------
    corpus : Corpus
    by : str, Mapping or Series
        The grouping of accounts (see :func:`post_groups`); a post belongs to its author's
        group.
    items : sequence of str
        Item types (:data:`ITEM_TYPES`).
    n : int
        Items kept per group and item type.
    rank : {"z", "count"}
        ``"z"``: distinctiveness, the z-score of the weighted log-odds ratio with an
        informative Dirichlet prior (:func:`weighted_log_odds`); ``"count"``: raw counts
        (NodeXL's top items).
    post_kinds : sequence of str or None
        Post kinds whose text is counted. Default: the author's own text (originals,
        replies, quotes, comments), not reposts; ``None`` counts every post.
        (``post_kinds`` names kinds of posts across the package, ``kinds`` kinds of
        interactions.)
    min_count : int
        An item must occur this often in a group to be listed for it.
    prior_strength : float, optional
        See :func:`weighted_log_odds`.
    normalize, drop_stopwords
        As in :func:`tokenize`.
    kinds : sequence of str or None, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.

    Returns
    -------
    DataFrame
        Columns ``group``, ``item_type``, ``rank`` (1 = top), ``item``, ``count``,
        ``share`` (of the group's items of that type), ``delta``, ``z``; sorted by group,
        item type and rank. With a single group, ``delta`` and ``z`` are missing.

    Raises
    ------
    KopiresearchError
        Unknown ``rank``, ``by`` or item type.

    See Also
    --------
    weighted_log_odds, post_items

    Notes
    -----
    Counts are occurrences (a hashtag used twice in a post counts twice). Ties in the
    ranking are broken by count (when ranking by z), then by the item in alphabetical
    order, so that the table is the same on every run.

    References
    ----------
    .. [1] Monroe, Colaresi & Quinn (2008), Political Analysis 16(4):372-403.
    .. [2] Smith, M. et al., NodeXL "top items" (Social Media Research Foundation).

    Examples
    --------
    >>> import kopiresearch as kr
    >>> t = top_items(kr.load_bundled(), by="actor_type", items=["hashtag"], n=1)
    >>> t.loc[t["group"] == "government_regency", ["item", "count"]].values.tolist()
    [['#jatimbangkit', 1106]]
    """
    if rank not in ("z", "count"):
        raise KopiresearchError(f"rank must be 'z' or 'count', not {rank!r}")
    post_kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds",
                                 default=_OWN_TEXT_KINDS, unset=_NOT_GIVEN)
    groups = post_groups(corpus, by)
    cols = [c for c in ("author_id", "kind", "text", "expanded_urls")
            if c in corpus.posts.columns]
    posts = corpus.posts[cols]
    keep = posts["author_id"].isin(groups.index).to_numpy()
    if post_kinds is not None:
        keep = keep & posts["kind"].isin(list(post_kinds)).to_numpy()
    posts = posts[keep]
    long = post_items(posts, items=items, normalize=normalize, drop_stopwords=drop_stopwords)
    long["group"] = long["author_id"].map(groups).to_numpy()
    by_type = dict(tuple(long[["item_type", "item", "group"]].groupby("item_type", sort=False)))
    out = []
    for kind in [i for i in ITEM_TYPES if i in items]:
        sub = by_type.get(kind)
        if sub is None or sub.empty:
            continue
        counts = sub.groupby(["item", "group"], sort=True).size().unstack(fill_value=0)
        if counts.shape[1] >= 2:
            lo = weighted_log_odds(counts, prior_strength=prior_strength)
        else:
            lo = counts.stack().rename("count").reset_index()
            lo.columns = ["item", "group", "count"]
            lo["delta"] = np.nan
            lo["z"] = np.nan
        totals = counts.sum(axis=0)
        lo = lo[lo["count"] >= max(1, min_count)].copy()
        lo["share"] = lo["count"] / lo["group"].map(totals).to_numpy()
        key = ["z", "count"] if rank == "z" and lo["z"].notna().any() else ["count"]
        lo = lo.sort_values(["group", *key, "item"],
                            ascending=[True, *[False] * len(key), True], kind="mergesort")
        lo = lo.groupby("group", sort=True).head(n).copy()
        lo["rank"] = lo.groupby("group").cumcount() + 1
        lo["item_type"] = kind
        out.append(lo)
    cols = ["group", "item_type", "rank", "item", "count", "share", "delta", "z"]
    if not out:
        return pd.DataFrame(columns=cols)
    res = pd.concat(out, ignore_index=True)[cols]
    res["_t"] = pd.Categorical(res["item_type"], categories=ITEM_TYPES).codes
    return (res.sort_values(["group", "_t", "rank"], kind="mergesort").drop(columns="_t")
            .reset_index(drop=True))


# ----------------------------------------------------------------------------------------
# volume over time and peaks


@dataclass(frozen=True)
class Volume:
    """Posts per time bin for each series, and the posts that were counted.

    Attributes
    ----------
    counts : DataFrame
        Index: the bins' start times in WIB (``Asia/Jakarta``), every bin of the span
        present; one column per series; values are post counts.
    posts : DataFrame
        The counted posts: ``post_id``, ``author_id``, ``series``, ``bin`` (WIB).
    freq : str
        The bin width.
    """

    counts: pd.DataFrame
    posts: pd.DataFrame
    freq: str


def volume(corpus, *, freq: str = "1D", hashtags: Sequence[str] | None = None,
           keywords: Sequence[str] | None = None, by=None,
           accounts: Sequence[str] | None = None, post_kinds: Sequence[str] | None = None,
           start=None, end=None, kinds=None) -> Volume:
    """Volume over time (WIB) of hashtags, keywords, groups of accounts or single accounts.

    Parameters
    ----------
    corpus : Corpus
    freq : str
        Bin width as a pandas offset (``"1h"``, ``"1D"``, ``"1W"``); bins start at
        midnight WIB.
    hashtags : sequence of str, optional
        One series per hashtag (with or without ``#``, case-insensitive): posts using it.
    keywords : sequence of str, optional
        One series per keyword: posts whose normalised words (:func:`tokenize`) include it.
        A keyword of two words matches them as a consecutive pair (of kept words).
    by : str, Mapping or Series, optional
        One series per group of authors (see :func:`post_groups`).
    accounts : sequence of str, optional
        One series per account id.
    post_kinds : sequence of str, optional
        Post kinds counted (default: all, reposts included: volume is attention).
    start, end : timestamp-like, optional
        The span of the bins (default: the first and last post of the corpus).
    kinds : sequence of str, optional
        The former name of ``post_kinds``: still accepted for one release, with a
        DeprecationWarning.

    Returns
    -------
    Volume
        With no series argument, one series ``"all"`` of every post.

    Raises
    ------
    KopiresearchError
        More than one of ``hashtags``, ``keywords``, ``by``, ``accounts``; an empty result
        span.

    See Also
    --------
    detect_peaks, peak_drivers

    Examples
    --------
    >>> import kopiresearch as kr
    >>> v = volume(kr.load_bundled(), freq="1W", hashtags=["JatimBangkit"])
    >>> v.counts.index[0].tz.key, int(v.counts["#jatimbangkit"].sum()) > 0
    ('Asia/Jakarta', True)
    """
    chosen = [x is not None for x in (hashtags, keywords, by, accounts)]
    if sum(chosen) > 1:
        raise KopiresearchError("give only one of hashtags, keywords, by, accounts")
    post_kinds = renamed_keyword(post_kinds, kinds, name="post_kinds", former="kinds")
    posts = corpus.posts
    if post_kinds is not None:
        posts = posts[posts["kind"].astype(str).isin(list(post_kinds))]
    t_all = corpus.posts["created_at"]
    if hashtags is not None:
        tags = ["#" + h.lower().lstrip("#") for h in hashtags]
        long = post_items(posts, items=["hashtag"])
        long = long[long["item"].isin(tags)]
        matched = long[["post_id", "author_id"]].assign(series=long["item"].to_numpy())
        names = tags
    elif keywords is not None:
        names = [" ".join(w for _, w in tokenize(k, drop_stopwords=False)) for k in keywords]
        stop = stopword_set()
        bad = [k for k, nm in zip(keywords, names) if not nm or set(nm.split()) & stop]
        if bad:
            raise KopiresearchError(f"keywords {bad}: empty or containing stopwords, which "
                                    "are not counted as words (see stopword_set)")
        long = post_items(posts, items=["word", "bigram"])
        long = long[long["item"].isin(names)]
        matched = long[["post_id", "author_id"]].assign(series=long["item"].to_numpy())
    elif by is not None:
        groups = post_groups(corpus, by)
        sub = posts[posts["author_id"].isin(groups.index)]
        matched = pd.DataFrame({"post_id": sub.index.to_numpy(),
                                "author_id": sub["author_id"].to_numpy(),
                                "series": sub["author_id"].map(groups).to_numpy()})
        names = sorted(groups.unique())
    elif accounts is not None:
        names = list(accounts)
        sub = posts[posts["author_id"].isin(names)]
        matched = pd.DataFrame({"post_id": sub.index.to_numpy(),
                                "author_id": sub["author_id"].to_numpy(),
                                "series": sub["author_id"].to_numpy()})
    else:
        names = ["all"]
        matched = pd.DataFrame({"post_id": posts.index.to_numpy(),
                                "author_id": posts["author_id"].to_numpy(), "series": "all"})
    matched = matched.drop_duplicates(["post_id", "series"]).reset_index(drop=True)
    t0 = pd.Timestamp(start) if start is not None else t_all.min()
    t1 = pd.Timestamp(end) if end is not None else t_all.max()
    if pd.isna(t0) or pd.isna(t1) or t1 < t0:
        raise KopiresearchError("volume: empty time span (no posts, or end before start)")
    t0, t1 = _wib(t0), _wib(t1)
    bins = pd.date_range(t0.floor("D"), t1, freq=freq)
    times = _wib(corpus.posts.loc[matched["post_id"], "created_at"]).reset_index(drop=True)
    inside = ((times >= bins[0]) & (times <= t1)).to_numpy()
    matched = matched[inside].reset_index(drop=True)
    idx = bins.searchsorted(times[inside], side="right") - 1
    matched["bin"] = bins[idx]
    counts = (pd.crosstab(matched["bin"], matched["series"]) if len(matched)
              else pd.DataFrame(index=pd.DatetimeIndex([], tz=_WIB)))
    counts = counts.reindex(index=bins, columns=names, fill_value=0).astype(np.int64)
    counts.index.name = "bin"
    counts.columns.name = "series"
    return Volume(counts=counts, posts=matched, freq=freq)


def _wib(t):
    if isinstance(t, pd.Series):
        return t.dt.tz_convert(_WIB) if t.dt.tz is not None else t.dt.tz_localize("UTC") \
            .dt.tz_convert(_WIB)
    t = pd.Timestamp(t)
    return t.tz_convert(_WIB) if t.tz is not None else t.tz_localize("UTC").tz_convert(_WIB)


def detect_peaks(counts, *, window: int = 7, threshold: float = 3.5,
                 min_count: int = 5) -> pd.DataFrame:
    """Peaks of volume against a trailing robust baseline (median and MAD).

    Parameters
    ----------
    counts : DataFrame or Series
        Counts per bin (e.g. ``volume(...).counts``), one column per series.
    window : int
        Bins in the trailing baseline (the ``window`` bins before each bin, not the bin
        itself). The first ``window`` bins cannot be peaks.
    threshold : float
        A bin is elevated when its robust score is at least this.
    min_count : int
        A bin is elevated only with at least this many posts.

    Returns
    -------
    DataFrame
        One row per peak: ``series``, ``start``, ``end`` (first and last bin of a run of
        consecutive elevated bins), ``peak`` (the bin with the most posts), ``count``
        (posts in the run), ``peak_count``, ``baseline`` (the trailing median at the peak
        bin), ``score`` (the peak bin's score). Sorted by series and start.

    Raises
    ------
    KopiresearchError
        ``window`` < 2 or counts that are not non-negative numbers.

    Notes
    -----
    score_t = (x_t - m_t) / s_t, where m_t is the median of x over the ``window`` bins
    before t and s_t = max(1.4826 * MAD_t, sqrt(max(m_t, 1))): the MAD scaled to a normal
    standard deviation (Hampel's outlier rule), floored at the Poisson standard deviation
    of the baseline so that a quiet, flat baseline (MAD = 0) does not make one extra post a
    peak. Consecutive elevated bins form one peak.

    References
    ----------
    .. [1] Hampel, F. R. (1974), "The influence curve and its role in robust estimation",
       Journal of the American Statistical Association 69(346):383-393.
    .. [2] Leys, C. et al. (2013), "Detecting outliers: Do not use standard deviation
       around the mean, use absolute deviation around the median", Journal of
       Experimental Social Psychology 49(4):764-766.

    Examples
    --------
    >>> s = pd.Series([3, 4, 3, 5, 4, 3, 4, 30, 25, 4, 3], name="x")
    >>> detect_peaks(s, window=5)[["series", "start", "end", "peak", "count"]].values.tolist()
    [['x', 7, 8, 7, 55]]
    """
    if window < 2:
        raise KopiresearchError(f"window must be at least 2 bins, not {window}")
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    x_all = frame.to_numpy(dtype=float)
    if x_all.size and ((x_all < 0).any() or not np.isfinite(x_all).all()):
        raise KopiresearchError("counts must be finite and non-negative")
    rows = []
    for j, name in enumerate(frame.columns):
        x = pd.Series(x_all[:, j])
        prev = x.shift(1).rolling(window, min_periods=window)
        med = prev.median()
        # MAD over the same trailing window: median of |x_k - median| for k in the window
        vals = np.lib.stride_tricks.sliding_window_view(x.to_numpy(), window) \
            if len(x) >= window else np.empty((0, window))
        mad = np.full(len(x), np.nan)
        if len(vals):
            m = np.median(vals, axis=1)
            mad_w = np.median(np.abs(vals - m[:, None]), axis=1)
            mad[window:] = mad_w[:len(x) - window]
        scale = np.maximum(1.4826 * mad, np.sqrt(np.maximum(med.to_numpy(), 1.0)))
        score = (x.to_numpy() - med.to_numpy()) / scale
        hot = (score >= threshold) & (x.to_numpy() >= min_count)
        hot = np.nan_to_num(hot, nan=False).astype(bool)
        if not hot.any():
            continue
        edges = np.diff(np.concatenate([[0], hot.astype(int), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
        for s, e in zip(starts, ends):
            k = s + int(np.argmax(x.to_numpy()[s:e + 1]))
            rows.append((name, frame.index[s], frame.index[e], frame.index[k],
                         int(x[s:e + 1].sum()), int(x[k]), float(med.iloc[k]),
                         float(score[k])))
    return pd.DataFrame(rows, columns=["series", "start", "end", "peak", "count",
                                       "peak_count", "baseline", "score"])


def peak_drivers(vol: Volume, peaks: pd.DataFrame, *, n: int = 5) -> pd.DataFrame:
    """The accounts that posted most in each peak.

    Parameters
    ----------
    vol : Volume
        The result of :func:`volume` that the peaks were found in.
    peaks : DataFrame
        The result of :func:`detect_peaks` on ``vol.counts``.
    n : int
        Accounts kept per peak.

    Returns
    -------
    DataFrame
        ``series``, ``peak``, ``rank``, ``author_id``, ``posts`` (the account's posts of
        that series in the peak's bins), ``share`` (of the peak's posts).

    Examples
    --------
    >>> import kopiresearch as kr
    >>> v = volume(kr.load_bundled(), freq="1D", by="actor_type")
    >>> d = peak_drivers(v, detect_peaks(v.counts, min_count=20), n=1)
    >>> list(d.columns)
    ['series', 'peak', 'rank', 'author_id', 'posts', 'share']
    """
    out = []
    p = vol.posts
    for row in peaks.itertuples(index=False):
        sel = p[(p["series"] == row.series) & (p["bin"] >= row.start) & (p["bin"] <= row.end)]
        c = sel["author_id"].value_counts()
        c = c.sort_index().sort_values(ascending=False, kind="mergesort").head(n)
        out.append(pd.DataFrame({"series": row.series, "peak": row.peak,
                                 "rank": np.arange(1, len(c) + 1), "author_id": c.index,
                                 "posts": c.to_numpy(), "share": c.to_numpy() / max(len(sel), 1)}))
    if not out:
        return pd.DataFrame(columns=["series", "peak", "rank", "author_id", "posts", "share"])
    return pd.concat(out, ignore_index=True)
