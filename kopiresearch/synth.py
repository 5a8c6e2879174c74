"""The seeded generator of the bundled synthetic East Java data set.

There is no network at run time and no real crawl may be committed (private citizens'
handles are personal data), so the bundled default is a synthetic, seeded, realistic East
Java: Diskominfo Jatim, one Diskominfo office per kabupaten/kota, provincial agencies, media,
influencers, community accounts, academics and citizens, each with a region; eight weeks of
announcements, questions, answers, reposts and quotes that spread through follower-like ties
that are denser within a region and a Bakorwil; and a **Kopilaborasi** event after which
partnered influencers amplify government posts more.

The planted effects are recorded as ground truth (:func:`load_ground_truth`), so that
analyses can be checked against what was put in. ``python -m kopiresearch.synth --out DIR``
regenerates the committed files byte for byte.
"""

from __future__ import annotations

import argparse
import heapq
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._paths import data_path
from .corpus import Corpus, LoadReport
from .regions import PROVINCE_CODE, region_table

__all__ = ["SynthParams", "generate", "load_bundled", "load_ground_truth", "load_follows",
           "load_cascade_truth", "write_bundle", "BUNDLED_SEED"]

BUNDLED_SEED = 20241028
_WIB = pd.Timedelta(hours=7)


@dataclass(frozen=True)
class SynthParams:
    """Parameters of the generator (all counts are multiplied by ``scale``).

    Rates are per account per day; probabilities are per exposure (a followee reposting).
    """

    start: str = "2024-09-30T00:00:00Z"
    weeks: int = 8
    kopilaborasi: str = "2024-10-28T02:00:00Z"  # Monday 28 October 2024, 09:00 WIB
    n_influencers: int = 150
    n_partnered: int = 30
    n_media_local: int = 30
    n_media_province: int = 6
    n_community: int = 60
    n_academic: int = 12
    n_citizens: int = 4000
    share_unknown_region: float = 0.12
    # follower-like ties: where a followee is drawn from
    p_same_region: float = 0.55
    p_same_bakorwil: float = 0.20
    # posting rates per day
    rate_province: float = 2.0
    rate_regency: tuple = (0.2, 0.8)
    rate_gov_other: float = 0.5
    rate_media: float = 0.3
    rate_influencer: float = 0.15
    rate_citizen: float = 0.01
    # citizen posts that address an office (questions by mention, comments by reply)
    address_rate_province: float = 2.0
    address_rate_regency: tuple = (0.2, 0.8)
    reply_prob_regency: tuple = (0.10, 0.90)
    reply_prob_province: float = 0.80
    median_delay_hours: tuple = (1.0, 48.0)
    delay_sigma: float = 0.8
    # adoption (repost/quote) probability per exposure, by actor type of the exposed account
    adopt_prob: dict = field(default_factory=lambda: {
        "citizen": 0.006, "community": 0.015, "influencer": 0.011, "media": 0.008,
        "academic": 0.006, "government_regency": 0.03, "government_province": 0.004,
        "government_other": 0.01})
    partnered_adopt_before: float = 0.011
    partnered_adopt_after: float = 0.07
    quote_share: float = 0.15
    cascade_window_days: float = 5.0


# ----------------------------------------------------------------------------------------
# public API


def load_bundled() -> Corpus:
    """The bundled synthetic East Java corpus (``data/synthetic/``).

    Returns
    -------
    Corpus
        About 4,300 accounts, 8 weeks of posts and interactions (see the data card,
        ``data/synthetic/DATACARD.md``).

    Examples
    --------
    >>> import kopiresearch as kr
    >>> c = kr.load_bundled()
    >>> c.accounts["actor_type"].value_counts()["government_regency"]
    np.int64(38)
    """
    from .io.tables import read_corpus

    folder = data_path("synthetic")
    corpus = read_corpus(folder)
    corpus.meta.update({"source": "bundled synthetic East Java data set",
                        "kopilaborasi": load_ground_truth()["kopilaborasi"]["time"]})
    return corpus


def load_ground_truth() -> dict:
    """The planted effects of the bundled data set (``data/synthetic/ground_truth.json``).

    Keys: ``params``, ``kopilaborasi`` (time, partnered accounts, adoption probabilities
    before/after, realised amplification), ``offices`` (per government account: planted
    reply probability and median delay, realised counts), ``ties`` (planted and realised
    regional tie structure).

    Examples
    --------
    >>> gt = load_ground_truth()
    >>> gt["kopilaborasi"]["time"]
    '2024-10-28T02:00:00Z'
    >>> len(gt["kopilaborasi"]["partnered"])
    30
    """
    return json.loads(data_path("synthetic", "ground_truth.json").read_text(encoding="utf-8"))


def load_follows() -> pd.DataFrame:
    """The follower-like ties of the bundled data set: columns ``follower_id``, ``followee_id``
    (information flows from followee to follower).

    Examples
    --------
    >>> list(load_follows().columns)
    ['follower_id', 'followee_id']
    """
    return pd.read_csv(data_path("synthetic", "follows.csv.gz"), dtype=str)


def load_cascade_truth() -> pd.DataFrame:
    """For every repost and quote of the bundled data set, the post it was really adopted
    from (``true_parent_post_id``) and its cascade root (``root_post_id``). Twitter-like
    reposts in ``posts`` name only the root, as real retweets do; this is what cascade
    reconstruction tries to recover.

    Examples
    --------
    >>> list(load_cascade_truth().columns)
    ['post_id', 'true_parent_post_id', 'root_post_id']
    """
    return pd.read_csv(data_path("synthetic", "cascade_truth.csv.gz"), dtype=str)


def generate(seed: int = BUNDLED_SEED, scale: float = 1.0, params: SynthParams | None = None,
             *, return_extras: bool = False, coordinated: int = 0):
    """Generate a synthetic East Java corpus.

    Parameters
    ----------
    seed : int
        Seed of the only random generator used; the same seed gives byte-identical tables.
    scale : float
        Multiplies the number of influencers, media, community, academic and citizen
        accounts (the 39 government offices stay); ``scale=10`` gives about 43,000 accounts.
    params : SynthParams, optional
        All other parameters.
    return_extras : bool
        Also return a dict with ``follows``, ``cascade_truth`` and ``ground_truth``.
    coordinated : int
        Plant a coordinated group of this many extra accounts (default 0: none, and the
        tables are byte-identical to those without the option). The group reposts a fifth
        of the government posts within seconds of each other (each member 70% of those; a
        leader a few minutes after the post, the others within 20 seconds of the leader)
        and posts copy-paste slogans
        within a minute of each other, three times a week. Its accounts are recorded in
        ``ground_truth["coordinated"]``. The group draws from its own random stream, so
        the organic activity (who posts, reposts and replies, and when) is the same as
        without the option; post ids and like counts are drawn after it and differ.

    Returns
    -------
    Corpus, or (Corpus, dict) with ``return_extras``.

    Examples
    --------
    >>> c1 = generate(seed=7, scale=0.05)
    >>> c2 = generate(seed=7, scale=0.05)
    >>> c1.interactions.equals(c2.interactions) and c1.posts.equals(c2.posts)
    True
    """
    params = params or SynthParams()
    if not (isinstance(coordinated, (int, np.integer)) and coordinated >= 0) or coordinated == 1:
        raise ValueError("coordinated must be 0 (off) or a group size of at least 2")
    gen = _Generator(seed, scale, params, coordinated=int(coordinated))
    corpus, extras = gen.run()
    return (corpus, extras) if return_extras else corpus


def write_bundle(folder, seed: int = BUNDLED_SEED, scale: float = 1.0, *,
                 coordinated: int = 0) -> list[Path]:
    """Generate and write the bundled data set (tables, follows, cascade truth, ground truth).

    ``coordinated`` plants a coordinated group (see :func:`generate`; default 0, the
    committed bundle).
    """
    from .io._output import output_folder
    from .io.tables import write_gzip_text, write_tables

    folder = Path(folder)
    corpus, extras = generate(seed=seed, scale=scale, return_extras=True,
                              coordinated=coordinated)
    # one folder, replaced as a whole once every file is written (complete or absent)
    with output_folder(folder, overwrite=True) as tmp:
        names = write_tables(corpus, tmp, ["csv.gz"])
        for name in ("follows", "cascade_truth"):
            write_gzip_text(extras[name].to_csv(index=False, lineterminator="\n"),
                            tmp / f"{name}.csv.gz")
            names.append(f"{name}.csv.gz")
        (tmp / "DATACARD.md").write_text(_datacard(corpus, extras["ground_truth"]),
                                         encoding="utf-8")
        (tmp / "ground_truth.json").write_text(
            json.dumps(extras["ground_truth"], indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        names += ["DATACARD.md", "ground_truth.json"]
    written = [folder / n for n in names]
    return written


def _datacard(corpus, gt) -> str:
    """The data card, written from the generated tables and ground truth (never by hand)."""
    acc = corpus.accounts
    types = acc["actor_type"].value_counts()
    kinds = corpus.posts["kind"].value_counts()
    acts = corpus.interactions["kind"].value_counts()
    k = gt["kopilaborasi"]
    p = gt["params"]
    offices = gt["offices"]
    rp = sorted(o["reply_prob"] for o in offices.values())
    md = sorted(o["median_delay_hours"] for o in offices.values())
    type_rows = "\n".join(f"| {t} | {int(types.get(t, 0))} |" for t in
                          ("government_province", "government_regency", "government_other",
                           "media", "influencer", "academic", "community", "citizen"))
    kind_rows = "\n".join(f"| {t} | {int(kinds.get(t, 0))} |" for t in
                          ("original", "reply", "repost", "quote"))
    act_rows = "\n".join(f"| {t} | {int(acts.get(t, 0))} |" for t in
                         ("mention", "reply", "repost", "quote"))
    unknown = acc.loc[acc["actor_type"] == "citizen", "region_code"].isna().mean()
    return f"""# Data card: the bundled synthetic East Java data set

## What it is
A **synthetic** (generated, not crawled) data set of government social media in East Java
(Provinsi Jawa Timur): {len(acc):,} accounts, {len(corpus.posts):,} posts and
{len(corpus.interactions):,} interactions over {p["weeks"]} weeks
({gt["period"]["start"]} to {gt["period"]["end"]}, UTC). It exists so that every notebook,
test and lesson runs offline, and so that analyses can be checked against effects that were
planted on purpose.

## What it is not
No real account or person is in it. Every handle is invented (`*_demo`, or `warga_NNNNN` for
citizens); ids are `synthetic:...`; texts come from a handful of templates. Counts, rates and
effects are plausible orders of magnitude chosen by the developers, not estimates of real
behaviour: do not cite them as findings about East Java.

## How it was generated
`{gt["generator"]["command"]}` (or `make data`), by `kopiresearch/synth.py` with one seeded
NumPy generator: the same seed and scale give byte-identical files (a test checks the
committed files against a fresh run). Region names, Bakorwil, population and boundaries come
from `data/regions/` (see its `SOURCES.md`).

Files: `accounts.csv.gz`, `posts.csv.gz`, `interactions.csv.gz` (the canonical tables,
read by `kopiresearch.load_bundled()`), `follows.csv.gz` (follower-like ties,
`kopiresearch.synth.load_follows()`), `cascade_truth.csv.gz` (the true parent of every
repost and quote, `load_cascade_truth()`), `ground_truth.json` (`load_ground_truth()`),
`load_report.json`.

### Accounts
| actor type | accounts |
|---|---|
{type_rows}

Offices: Diskominfo Jatim (province-wide, region `35`) and one Diskominfo office per
kabupaten/kota. Influencers are placed by population with Surabaya and Kota Malang weighted
3x and Madura (Bakorwil IV Pamekasan) 0.5x; {_pct(unknown)} of citizens have no known region.

### Activity
| post kind | posts |
|---|---|
{kind_rows}

| interaction kind | acts |
|---|---|
{act_rows}

1. Offices post announcements in WIB office hours (07:00-21:00); 20% ask for opinions
   ("Bagaimana pendapat Sobat?"), 15% mention another office or an influencer.
2. Media, influencers and citizens post too; citizens mention accounts they follow.
3. **Cascades**: every non-citizen original spreads by a time-respecting independent cascade
   over follower-like ties (each exposure adopts with a probability by actor type, delays
   exponential). Adopters repost ({1 - p["quote_share"]:.0%}; `parent_post_id` names the
   root, as Twitter retweets do) or quote ({p["quote_share"]:.0%}; names the real parent).
4. **Questions and answers**: citizens address offices by mention or by replying to an office
   post; each office answers with its own probability after a log-normal delay.

## Planted ground truth (`ground_truth.json`)
- **Regional ties.** A followee is drawn from the follower's own kabupaten/kota with
  probability {p["p_same_region"]}, from another region of the same Bakorwil with
  {p["p_same_bakorwil"]}, else from anywhere (weighted by popularity). Realised among ties with
  known regions: {gt["ties"]["realized_same_region_share"]:.1%} within a region,
  {gt["ties"]["realized_same_bakorwil_share"]:.1%} within a Bakorwil.
- **Responsiveness per office** (`offices`): reply probability from {rp[0]:.2f} to
  {rp[-1]:.2f} (Diskominfo Jatim {p["reply_prob_province"]}), median delay from {md[0]:.1f} h
  to {md[-1]:.1f} h (log-normal, sigma {p["delay_sigma"]}); answers that would fall after the
  end of the data are not in it (censored), so naive reply rates are slightly lower than the
  planted probabilities.
- **Kopilaborasi** on {k["time"]} (09:00 WIB): {len(k["partnered"])} influencers (six per
  Bakorwil, the most followed) are `partnered`. Before the event they adopt a government post
  on exposure with probability {k["adopt_prob_before"]}, after it with
  {k["adopt_prob_after"]}. On the true cascade trees, the share of adopters of government posts
  whose path from the root passes through a partnered influencer is
  {k["realized_share_through_partnered_before"]:.3f} before and
  {k["realized_share_through_partnered_after"]:.3f} after
  ({k["government_cascades_before"]} and {k["government_cascades_after"]} government cascades).
"""


def _pct(x):
    return f"{x:.0%}"


# ----------------------------------------------------------------------------------------
# the generator

_INFLUENCER_PREFIX = ("info", "kuliner", "jelajah", "kabar", "seputar", "wisata", "cerita",
                      "dolan", "arek", "explore", "warta", "pesona", "jajan", "lensa")
_TOPICS = (
    ("vaksinasi", "Vaksinasi gratis", "di puskesmas terdekat mulai pukul 08.00 WIB"),
    ("banjir", "Siaga banjir", "warga di bantaran sungai diminta waspada"),
    ("pajak", "Pemutihan pajak kendaraan", "berlaku sampai akhir bulan"),
    ("loker", "Bursa kerja", "ratusan lowongan dari perusahaan lokal"),
    ("budaya", "Festival budaya", "pertunjukan reog, jaranan dan ludruk"),
    ("jalan", "Perbaikan jalan", "jalur alternatif disiapkan"),
    ("bansos", "Penyaluran bansos", "cek penerima lewat aplikasi resmi"),
    ("umkm", "Pelatihan UMKM", "pendaftaran gratis untuk pelaku usaha"),
    ("sehat", "Posyandu dan cek kesehatan", "gratis untuk lansia dan balita"),
    ("sekolah", "Beasiswa pendidikan", "pendaftaran dibuka hingga pekan depan"),
)
_COMPLAINTS = ("jalan berlubang di dekat pasar belum diperbaiki",
               "lampu PJU mati sejak minggu lalu", "jadwal vaksinasi di desa kami kapan",
               "pendaftaran bansos lewat mana", "sampah menumpuk di pinggir jalan",
               "air PDAM keruh sejak kemarin", "info lowongan kerja terbaru ada",
               "syarat pemutihan pajak apa saja", "banjir masuk rumah warga, mohon bantuan",
               "izin usaha mikro prosesnya berapa lama")


def _slug(short_name, kind, ambiguous):
    base = re.sub(r"[^a-z0-9]", "", short_name.lower())
    if ambiguous:
        base = ("kab" if kind == "kabupaten" else "kota") + base
    return base


class _Generator:
    def __init__(self, seed, scale, params, coordinated=0):
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.seed, self.scale, self.p = int(seed), float(scale), params
        self.n_coordinated = coordinated
        self.coordinated_truth = None
        self.rng = np.random.default_rng(self.seed)
        self.start = pd.Timestamp(params.start)
        self.end = self.start + pd.Timedelta(weeks=params.weeks)
        self.event = pd.Timestamp(params.kopilaborasi)
        self.days = params.weeks * 7
        self.regions = region_table()
        # seconds since start, as float arrays, for speed
        self.T = self.days * 86400.0
        self.t_event = (self.event - self.start).total_seconds()

    # -- accounts ------------------------------------------------------------------------
    def _n(self, base):
        return max(1, int(round(base * self.scale)))

    def _accounts(self):
        p, rng, reg = self.p, self.rng, self.regions
        codes = reg.index.to_numpy()
        counts = reg["short_name"].value_counts()
        slugs = {c: _slug(r["short_name"], r["kind"], counts[r["short_name"]] > 1)
                 for c, r in reg.iterrows()}
        pop = reg["population"].to_numpy(float)
        rows = []

        def add(handle, actor_type, region, followers, partnered=False):
            rows.append((handle, actor_type, region, int(followers), partnered))

        add("diskominfojatim_demo", "government_province", PROVINCE_CODE, 250_000)
        for code in codes:
            f = 8000 * (reg.loc[code, "population"] / 1e6) * rng.lognormal(0, 0.4)
            add(f"kominfo_{slugs[code]}_demo", "government_regency", code, f)
        for name in ("bpbdjatim", "dinkesjatim", "dishubjatim", "humaspemprovjatim"):
            add(f"{name}_demo", "government_other", PROVINCE_CODE, 30_000 * rng.lognormal(0, 0.5))
        for i in range(self._n(p.n_media_province)):
            add(f"beritajatim{i + 1:02d}_demo", "media", PROVINCE_CODE,
                60_000 * rng.lognormal(0, 0.6))
        used = set()

        def unique(h):
            k, cand = 1, h
            while cand in used:
                k += 1
                cand = f"{h[:-5]}{k}_demo"
            used.add(cand)
            return cand

        for code in rng.choice(codes, size=self._n(p.n_media_local), p=pop / pop.sum()):
            add(unique(f"radar{slugs[code]}_demo"), "media", code, 9000 * rng.lognormal(0, 0.6))
        # influencers: urban-heavy (Surabaya, Malang city), Madura lighter
        w = pop ** 1.2
        w = w * np.where(np.isin(codes, ["3578", "3573"]), 3.0, 1.0)
        w = w * np.where(reg["bakorwil"].to_numpy() == "IV Pamekasan", 0.5, 1.0)
        inf_regions = rng.choice(codes, size=self._n(p.n_influencers), p=w / w.sum())
        inf_followers = 15_000 * rng.lognormal(0, 1.0, size=len(inf_regions))
        first_inf = len(rows)
        for code, f in zip(inf_regions, inf_followers):
            prefix = _INFLUENCER_PREFIX[rng.integers(len(_INFLUENCER_PREFIX))]
            add(unique(f"{prefix}{slugs[code]}_demo"), "influencer", code, f)
        for code in rng.choice(codes, size=self._n(p.n_community), p=pop / pop.sum()):
            add(unique(f"komunitas{slugs[code]}_demo"), "community", code,
                2000 * rng.lognormal(0, 0.7))
        campus = ["3578", "3573", "3509", "3578", "3573"]
        for i in range(self._n(p.n_academic)):
            add(f"peneliti{i + 1:02d}_demo", "academic", campus[i % len(campus)],
                1500 * rng.lognormal(0, 0.6))
        n_cit = self._n(p.n_citizens)
        cit_regions = rng.choice(codes, size=n_cit, p=pop / pop.sum()).astype(object)
        cit_regions[rng.random(n_cit) < p.share_unknown_region] = None
        cit_followers = np.floor(rng.lognormal(4.5, 1.2, size=n_cit))
        for i, (code, f) in enumerate(zip(cit_regions, cit_followers)):
            add(f"warga_{i + 1:05d}", "citizen", code, f)

        acc = pd.DataFrame(rows, columns=["handle", "actor_type", "region_code", "followers",
                                          "partnered"])
        acc.index = pd.Index([f"synthetic:a{i + 1:06d}" for i in range(len(acc))],
                             name="account_id")
        # partnered influencers: the most-followed in each Bakorwil, spread evenly
        infl = acc.iloc[first_inf:first_inf + len(inf_regions)].copy()
        infl["bakorwil"] = reg.loc[infl["region_code"], "bakorwil"].to_numpy()
        per = max(1, int(round(self._n(p.n_partnered) / 5)))
        chosen = (infl.sort_values(["bakorwil", "followers"], ascending=[True, False])
                  .groupby("bakorwil").head(per).index)
        acc.loc[chosen, "partnered"] = True
        acc["platform"] = "synthetic"
        return acc

    # -- follower-like ties --------------------------------------------------------------
    def _follows(self, acc):
        p, rng = self.p, self.rng
        n = len(acc)
        types = acc["actor_type"].to_numpy()
        region = _regions_array(acc)
        bak_of = self.regions["bakorwil"].to_dict()
        bakor = np.array([bak_of.get(r) for r in region], dtype=object)
        followers = acc["followers"].to_numpy(float)
        attract = np.maximum(followers, 10.0) ** 0.6
        # how many accounts each account follows
        out_median = {"citizen": 30, "influencer": 60, "community": 50, "media": 40,
                      "academic": 40, "government_regency": 25, "government_province": 40,
                      "government_other": 20}
        k = np.array([out_median[t] for t in types]) * rng.lognormal(0, 0.5, size=n)
        k = np.clip(np.round(k), 3, n - 1).astype(int)

        idx_all = np.arange(n)

        def sampler(members):
            if len(members) == 0:
                return None
            cw = np.cumsum(attract[members])
            return members, cw

        samplers = {}
        for key in set(region):
            if key is None or key == PROVINCE_CODE:
                continue
            same = idx_all[region == key]
            b = bak_of[key]
            bak = idx_all[(bakor == b) & (region != key)]
            samplers[key] = (sampler(same), sampler(bak))
        everyone = sampler(idx_all)
        src, dst = [], []
        # group followers by region so that draws are vectorised per group
        group_keys = np.array([r if r in samplers else "__any__" for r in region], dtype=object)
        for key in sorted(set(group_keys)):
            members = idx_all[group_keys == key]
            total = int(k[members].sum())
            owners = np.repeat(members, k[members])
            if key == "__any__":
                cls = np.full(total, 2)
            else:
                cls = rng.choice(3, size=total, p=[p.p_same_region, p.p_same_bakorwil,
                                                   1 - p.p_same_region - p.p_same_bakorwil])
            picks = np.empty(total, dtype=np.int64)
            for c in (0, 1, 2):
                m = cls == c
                if not m.any():
                    continue
                s = everyone if c == 2 else samplers[key][c]
                if s is None:
                    s = everyone
                mem, cw = s
                u = rng.random(int(m.sum())) * cw[-1]
                picks[m] = mem[np.searchsorted(cw, u, side="right").clip(0, len(mem) - 1)]
            src.append(owners)
            dst.append(picks)
        src, dst = np.concatenate(src), np.concatenate(dst)
        # every citizen of a known region follows its own regency office with prob 0.6
        office = {r: i for i, (t, r) in enumerate(zip(types, region)) if t == "government_regency"}
        cit = idx_all[(types == "citizen") & np.array([r in office for r in region])]
        cit = cit[rng.random(len(cit)) < 0.6]
        # influencers follow their own office and Diskominfo Jatim: all partnered ones (the
        # Kopilaborasi invitation), half of the others
        partnered = acc["partnered"].to_numpy(bool)
        inf = idx_all[(types == "influencer") & (partnered | (rng.random(n) < 0.5))]
        province = int(np.flatnonzero(types == "government_province")[0])
        src = np.concatenate([src, cit, inf, inf])
        dst = np.concatenate([dst, [office[region[i]] for i in cit],
                              [office[region[i]] for i in inf],
                              np.full(len(inf), province)]).astype(np.int64)
        keep = src != dst
        pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
        return pairs  # (follower, followee)

    # -- activity ------------------------------------------------------------------------
    def _times(self, n, hours=(7, 21)):
        """n posting times (seconds since start), days uniform, hours in WIB daytime."""
        rng = self.rng
        day = rng.integers(0, self.days, size=n)
        hour_wib = rng.uniform(hours[0], hours[1], size=n)
        return np.sort(day * 86400.0 + (hour_wib - 7.0) * 3600.0 + 7 * 3600.0 - 7 * 3600.0)

    def run(self):
        acc = self._accounts()
        pairs = self._follows(acc)
        w = _World.of(acc, pairs, self.regions["name"].to_dict())
        types = w.types
        gov = np.flatnonzero(np.isin(types, ["government_province", "government_regency",
                                             "government_other"]))
        infl = np.flatnonzero(types == "influencer")
        gov_posts = self._government_originals(w, gov, np.concatenate([gov, infl]))
        other_roots = self._other_originals(w, gov, infl)
        self._spread(w, sorted(gov_posts + other_roots))
        office_truth = self._office_answers(w, gov, gov_posts)
        posts, inter, truth, new_post = w.posts, w.inter, w.truth, w.new_post
        if self.n_coordinated:
            acc = self._plant_coordinated(acc, posts, inter, gov_posts, new_post)
        return self._assemble(acc, posts, inter, truth, pairs, office_truth, gov_posts)

    # -- the four steps of run, in the order they draw from the random generator -----------
    def _government_originals(self, w, gov, netw_targets):
        """1. Government originals (some ask for comments, some mention a partner)."""
        p, rng = self.p, self.rng
        handles, region, reg_names = w.handles, w.region, w.reg_names
        types, new_post, inter = w.types, w.new_post, w.inter
        rates = np.where(types[gov] == "government_province", p.rate_province,
                         np.where(types[gov] == "government_regency",
                                  rng.uniform(*p.rate_regency, size=len(gov)), p.rate_gov_other))
        gov_posts = []
        for g, rate in zip(gov, rates):
            for t in self._times(rng.poisson(rate * self.days)):
                topic = _TOPICS[rng.integers(len(_TOPICS))]
                place = reg_names.get(region[g], "Jawa Timur")
                text = f"[INFO] {topic[1]} di {place}: {topic[2]}. #JatimBangkit"
                u = rng.random()
                mention = None
                if u < 0.20:
                    text += " Bagaimana pendapat Sobat? Sampaikan di kolom komentar ya."
                elif u < 0.35:
                    mention = netw_targets[rng.integers(len(netw_targets))]
                    if mention == g:
                        mention = None
                    else:
                        text += f" Bersama @{handles[mention]}."
                pid = new_post(g, t, "original", -1, text)
                if mention is not None:
                    inter.append((g, mention, "mention", t, pid))
                gov_posts.append(pid)
        return gov_posts

    def _other_originals(self, w, gov, infl):
        """2. Media, influencer and citizen originals (some mention others)."""
        p, rng = self.p, self.rng
        types, handles, region, reg_names = w.types, w.handles, w.region, w.reg_names
        partnered, fol_of, ptr, new_post, inter = (w.partnered, w.fol_of, w.ptr, w.new_post,
                                                   w.inter)
        other_roots = []
        for kind_rate, who in ((p.rate_media, np.flatnonzero(types == "media")),
                               (p.rate_influencer, infl),
                               (p.rate_citizen, np.flatnonzero(types == "citizen"))):
            counts = rng.poisson(kind_rate * self.days, size=len(who))
            for a, c in zip(who, counts):
                for t in self._times(c):
                    text = "Kabar terbaru dari " + reg_names.get(region[a], "Jawa Timur")
                    mention = None
                    boost = 0.30 if (partnered[a] and t >= self.t_event) else 0.05
                    if rng.random() < (0.25 if types[a] == "citizen" else boost):
                        lo, hi = ptr[a], ptr[a + 1]  # mention someone who follows them
                        pool = fol_of[lo:hi] if types[a] == "citizen" and hi > lo else gov
                        mention = pool[rng.integers(len(pool))]
                        if mention == a:
                            mention = None
                        else:
                            text += f" @{handles[mention]}"
                    pid = new_post(a, t, "original", -1, text + ".")
                    if mention is not None:
                        inter.append((a, mention, "mention", t, pid))
                    if types[a] != "citizen":
                        other_roots.append(pid)
        return other_roots

    def _spread(self, w, roots):
        """3. Cascades: time-respecting independent cascade over follower ties."""
        p, rng = self.p, self.rng
        types, handles, region, reg_names = w.types, w.handles, w.region, w.reg_names
        partnered, fol_of, ptr = w.partnered, w.fol_of, w.ptr
        posts, inter, truth, new_post = w.posts, w.inter, w.truth, w.new_post
        adopt_base = np.array([p.adopt_prob.get(t, 0.03) for t in types])
        delay_mean_h = np.where(types == "citizen", 6.0,
                                np.where(types == "influencer", 2.0, 3.0))
        window = p.cascade_window_days * 86400.0
        for root in roots:
            _, author, t0, _, _, text0 = posts[root]
            gov_root = types[author].startswith("government")
            prob = adopt_base.copy()
            if gov_root:
                prob[partnered] = (p.partnered_adopt_after if t0 >= self.t_event
                                   else p.partnered_adopt_before)
            else:
                prob[types == "government_regency"] = 0.0
            adopted = {author: root}
            heap = []

            def expose(u, tu, upost, prob=prob, heap=heap):
                fl = fol_of[ptr[u]:ptr[u + 1]]
                if len(fl) == 0:
                    return
                hit = fl[rng.random(len(fl)) < prob[fl]]
                if len(hit) == 0:
                    return
                delays = rng.exponential(delay_mean_h[hit] * 3600.0) + 60.0
                for v, d in zip(hit, delays):
                    heapq.heappush(heap, (tu + d, int(v), int(u), upost))

            expose(author, t0, root)
            while heap:
                tv, v, u, upost = heapq.heappop(heap)
                if v in adopted or tv >= self.T or tv - t0 > window:
                    continue
                if rng.random() < p.quote_share:
                    qtext = f"Penting untuk warga {reg_names.get(region[v], 'Jatim')}!"
                    pid = new_post(v, tv, "quote", upost, qtext)
                    inter.append((v, posts[upost][1], "quote", tv, pid))
                else:
                    pid = new_post(v, tv, "repost", root, f"RT @{handles[author]}: {text0}")
                    inter.append((v, author, "repost", tv, pid))
                truth.append((pid, upost, root))
                adopted[v] = pid
                expose(v, tv, pid)


    def _office_answers(self, w, gov, gov_posts):
        """4. Citizen posts addressing an office, and the offices' answers; the planted
        reply probability and delay of each office."""
        p, rng = self.p, self.rng
        ids, types, handles, region = w.ids, w.types, w.handles, w.region
        posts, inter, new_post = w.posts, w.inter, w.new_post
        office_truth = {}
        cit_by_region = {}
        citizens = np.flatnonzero(types == "citizen")
        for c in citizens:
            cit_by_region.setdefault(region[c], []).append(c)
        gov_posts_by_author = {}
        for pid in gov_posts:
            gov_posts_by_author.setdefault(posts[pid][1], []).append(pid)
        lo_d, hi_d = np.log(p.median_delay_hours[0]), np.log(p.median_delay_hours[1])
        for g in gov:
            if types[g] == "government_other":
                continue
            if types[g] == "government_province":
                rate, rp = p.address_rate_province, p.reply_prob_province
                med = 2.0
            else:
                rate = rng.uniform(*p.address_rate_regency)
                rp = rng.uniform(*p.reply_prob_regency)
                med = float(np.exp(rng.uniform(lo_d, hi_d)))
            own = cit_by_region.get(region[g], [])
            addressed = answered_in_window = 0
            own_posts = np.array(sorted(gov_posts_by_author.get(g, [])))
            own_times = np.array([posts[i][2] for i in own_posts]) if len(own_posts) else None
            for t in self._times(rng.poisson(rate * self.days)):
                asker = (own[rng.integers(len(own))] if own and rng.random() < 0.7
                         else citizens[rng.integers(len(citizens))])
                complaint = _COMPLAINTS[rng.integers(len(_COMPLAINTS))]
                earlier = (np.flatnonzero(own_times < t) if own_times is not None
                           else np.array([], int))
                if len(earlier) and rng.random() < 0.4:
                    parent = int(own_posts[earlier[-1 - rng.integers(min(3, len(earlier)))]])
                    q = new_post(asker, t, "reply", parent, f"@{handles[g]} {complaint}?")
                    inter.append((asker, g, "reply", t, q))
                else:
                    q = new_post(asker, t, "original", -1, f"@{handles[g]} min, {complaint}?")
                    inter.append((asker, g, "mention", t, q))
                addressed += 1
                if rng.random() < rp:
                    ta = t + 60.0 + 3600.0 * med * np.exp(p.delay_sigma * rng.standard_normal())
                    if ta < self.T:
                        a = new_post(g, ta, "reply", q,
                                     f"@{handles[asker]} Terima kasih laporannya, "
                                     "sudah kami teruskan ke dinas terkait.")
                        inter.append((g, asker, "reply", ta, a))
                        answered_in_window += 1
            office_truth[ids[g]] = {
                "handle": handles[g], "reply_prob": round(float(rp), 4),
                "median_delay_hours": round(float(med), 4), "delay_sigma": p.delay_sigma,
                "addressed": addressed, "answered_in_window": answered_in_window,
            }
        return office_truth

    # -- planted coordinated group (off by default) -----------------------------------------
    def _plant_coordinated(self, acc, posts, inter, gov_posts, new_post):
        """Append the coordinated group's accounts, reposts and copy-paste posts.

        Uses its own generator (seeded from the corpus seed), so that turning the option on
        changes nothing else in the corpus.
        """
        rng = np.random.default_rng([self.seed, 15])
        k = self.n_coordinated
        first = len(acc)
        codes = self.regions.index.to_numpy()
        regions = rng.choice(codes, size=k)
        rows = pd.DataFrame({
            "handle": [f"relawan_{i + 1:03d}_demo" for i in range(k)],
            "actor_type": "citizen", "region_code": regions,
            "followers": np.floor(rng.lognormal(5.0, 0.8, size=k)).astype(int),
            "partnered": False, "platform": "synthetic"},
            index=pd.Index([f"synthetic:a{first + i + 1:06d}" for i in range(k)],
                           name="account_id"))
        acc = pd.concat([acc, rows[acc.columns]])
        members = np.arange(first, first + k)
        handles = acc["handle"].to_numpy()
        share, spread, n_texts = 0.2, 20.0, 3 * self.p.weeks
        n_reposts = 0
        for root in sorted(gov_posts):
            _, author, t0, _, _, text0 = posts[root]
            if rng.random() >= share:
                continue
            lead = t0 + 30.0 + rng.exponential(300.0)
            who = members[rng.random(k) < 0.7]
            times = lead + rng.uniform(0.0, spread, size=len(who))
            for v, tv in zip(who, times):
                if tv >= self.T:
                    continue
                pid = new_post(int(v), tv, "repost", root, f"RT @{handles[author]}: {text0}")
                inter.append((int(v), author, "repost", tv, pid))
                n_reposts += 1
        slogans = ("Dukung terus program Pemprov Jatim untuk warga",
                   "Jatim makin maju, pelayanan publik makin cepat",
                   "Terima kasih Pemprov Jatim, program ini sangat membantu warga",
                   "Ayo dukung kebijakan Pemprov Jatim demi Jawa Timur yang sejahtera")
        endings = ("", " 👍", "!", " #JatimBangkit")
        n_copies = 0
        for t in np.sort(rng.uniform(0.0, self.T - 3600.0, size=n_texts)):
            slogan = slogans[rng.integers(len(slogans))]
            who = members[rng.random(k) < 0.8]
            times = t + rng.uniform(0.0, 60.0, size=len(who))
            for v, tv in zip(who, times):
                text = slogan + endings[rng.integers(len(endings))] + " #JatimBangkit"
                new_post(int(v), tv, "original", -1, text)
                n_copies += 1
        self.coordinated_truth = {
            "accounts": acc.index[members].tolist(),
            "handles": handles[members].tolist(),
            "share_of_government_posts": share,
            "repost_spread_seconds": spread,
            "copy_paste_texts": n_texts,
            "copy_paste_window_seconds": 60.0,
            "reposts": n_reposts,
            "copy_paste_posts": n_copies,
        }
        return acc

    # -- tables and ground truth ---------------------------------------------------------
    def _assemble(self, acc, posts, inter, truth, pairs, office_truth, gov_posts):
        rng = self.rng
        ids = acc.index.to_numpy()
        P = pd.DataFrame(posts, columns=["tmp", "author", "t", "kind", "parent", "text"])
        P["t"] = np.floor(P["t"].to_numpy())
        P = P.sort_values(["t", "tmp"], kind="stable").reset_index(drop=True)
        new_id = np.empty(len(P), dtype=object)
        new_id[P["tmp"].to_numpy()] = [f"synthetic:p{i + 1:07d}" for i in range(len(P))]
        created = self.start + pd.to_timedelta(P["t"], unit="s")
        # engagement counts: observed reposts/quotes/replies plus unobserved likes
        for kind in ("repost", "quote", "reply"):
            sub = P[P["kind"] == kind]
            parents = sub["parent"].value_counts()
            P[f"_{kind}"] = P["tmp"].map(parents).fillna(0).astype(int)
        followers = acc["followers"].to_numpy(float)
        author_f = followers[P["author"].to_numpy()]
        likes = rng.poisson(0.002 * author_f * (1 + P["_repost"].to_numpy()) + 0.5)
        posts_df = pd.DataFrame({
            "post_id": new_id[P["tmp"].to_numpy()],
            "platform": "synthetic",
            "author_id": ids[P["author"].to_numpy()],
            "created_at": created,
            "kind": P["kind"].to_numpy(),
            "parent_post_id": np.where(P["parent"].to_numpy() < 0, None,
                                       new_id[P["parent"].to_numpy().clip(0)]),
            "parent_missing": False,
            "text": P["text"].to_numpy(),
            "url": None,
            "like_count": likes,
            "reply_count": P["_reply"].to_numpy(),
            "repost_count": P["_repost"].to_numpy(),
            "quote_count": P["_quote"].to_numpy(),
        })
        posts_df.loc[posts_df["kind"] != "original", ["like_count"]] = rng.poisson(
            0.5, size=int((posts_df["kind"] != "original").sum()))
        acts = pd.DataFrame(inter, columns=["s", "d", "kind", "t", "post"])
        acts["t"] = np.floor(acts["t"].to_numpy())
        acts["post_id"] = new_id[acts["post"].to_numpy()]
        acts = acts.sort_values(["t", "post_id", "kind", "d"], kind="stable").reset_index(drop=True)
        inter_df = pd.DataFrame({
            "source_id": ids[acts["s"].to_numpy()],
            "target_id": ids[acts["d"].to_numpy()],
            "kind": acts["kind"].to_numpy(),
            "created_at": self.start + pd.to_timedelta(acts["t"], unit="s"),
            "post_id": acts["post_id"].to_numpy(),
        })
        acc_df = acc.reset_index()[["account_id", "platform", "handle", "actor_type",
                                    "region_code", "followers", "partnered"]]
        meta = {"source": "kopiresearch.synth.generate", "seed": self.seed, "scale": self.scale}
        report = LoadReport()
        corpus = Corpus.from_frames(acc_df, posts_df, inter_df, report=report, meta=meta)
        report.add_loaded(len(corpus.posts))

        follows = pd.DataFrame({"follower_id": ids[pairs[:, 0]], "followee_id": ids[pairs[:, 1]]})
        T = pd.DataFrame(truth, columns=["post", "parent", "root"])
        cascade_truth = pd.DataFrame({
            "post_id": new_id[T["post"].to_numpy(int)],
            "true_parent_post_id": new_id[T["parent"].to_numpy(int)],
            "root_post_id": new_id[T["root"].to_numpy(int)],
        }).sort_values("post_id").reset_index(drop=True)
        gt = self._ground_truth(acc, corpus, follows, cascade_truth, office_truth)
        return corpus, {"follows": follows, "cascade_truth": cascade_truth, "ground_truth": gt}

    def _ground_truth(self, acc, corpus, follows, cascade_truth, office_truth):
        p = self.p
        reg = self.regions
        region = acc["region_code"]
        known = follows["follower_id"].map(region).notna() & follows["followee_id"].map(
            region).notna()
        f = follows[known]
        fr, fe = f["follower_id"].map(region), f["followee_id"].map(region)
        not_prov = (fr != PROVINCE_CODE) & (fe != PROVINCE_CODE)
        fr, fe = fr[not_prov], fe[not_prov]
        same_region = float((fr == fe).mean())
        same_bakorwil = float((fr.map(reg["bakorwil"]) == fe.map(reg["bakorwil"])).mean())

        # realised amplification: share of adopters of government cascades whose true path
        # from the root passes through a partnered influencer, before and after the event
        amp = _true_amplification(corpus, cascade_truth, acc, self.event)
        return {
            "generator": {"seed": self.seed, "scale": self.scale,
                          "command": f"python -m kopiresearch.synth --out data/synthetic "
                                     f"--seed {self.seed} --scale {self.scale:g}"},
            "params": _jsonable(asdict(p)),
            "period": {"start": self.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "end": self.end.strftime("%Y-%m-%dT%H:%M:%SZ")},
            "kopilaborasi": {
                "time": self.event.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "partnered": sorted(acc.index[acc["partnered"]].tolist()),
                "adopt_prob_before": p.partnered_adopt_before,
                "adopt_prob_after": p.partnered_adopt_after,
                **amp,
            },
            "offices": office_truth,
            "ties": {"p_same_region": p.p_same_region, "p_same_bakorwil": p.p_same_bakorwil,
                     "realized_same_region_share": round(same_region, 4),
                     "realized_same_bakorwil_share": round(same_bakorwil, 4),
                     "n_follows": int(len(follows))},
            **({"coordinated": self.coordinated_truth} if self.coordinated_truth else {}),
        }


def _true_amplification(corpus, cascade_truth, acc, event):
    posts = corpus.posts
    author = posts["author_id"].to_dict()
    created = posts["created_at"].to_dict()
    partnered = set(acc.index[acc["partnered"]])
    gov = set(acc.index[acc["actor_type"].astype(str).str.startswith("government")])
    parent = dict(zip(cascade_truth["post_id"], cascade_truth["true_parent_post_id"]))
    root_of = dict(zip(cascade_truth["post_id"], cascade_truth["root_post_id"]))
    through = {}
    # adopters in time order, so that a parent is always decided before its children
    for pid in sorted(parent, key=lambda x: (created[x], x)):
        par = parent[pid]
        through[pid] = par != root_of[pid] and (author[par] in partnered or through[par])
    rows = [(created[root_of[pid]] >= event, through[pid], author[pid] in partnered)
            for pid in parent if author[root_of[pid]] in gov]
    frame = pd.DataFrame(rows, columns=["after", "through_partnered", "by_partnered"])
    gov_roots = {r for r in root_of.values() if author[r] in gov}
    out = {}
    for after, name in ((False, "before"), (True, "after")):
        sub = frame[frame["after"] == after]
        out[f"realized_share_through_partnered_{name}"] = round(
            float(sub["through_partnered"].mean()), 4)
        out[f"realized_adopters_by_partnered_{name}"] = int(sub["by_partnered"].sum())
        out[f"government_cascades_{name}"] = sum((created[r] >= event) == after
                                                 for r in gov_roots)
    return out


@dataclass
class _World:
    """What the steps of :meth:`_Generator.run` share: the accounts as arrays, the follower
    ties as CSR over the followee, and the posts, acts and cascade truth made so far."""

    ids: np.ndarray
    types: np.ndarray
    handles: np.ndarray
    region: np.ndarray
    partnered: np.ndarray
    fol_of: np.ndarray  # followers of account a: fol_of[ptr[a]:ptr[a + 1]]
    ptr: np.ndarray
    reg_names: dict
    posts: list = field(default_factory=list)  # (tmp_id, author, t, kind, parent_tmp, text)
    inter: list = field(default_factory=list)  # (source, target, kind, t, post_tmp)
    truth: list = field(default_factory=list)  # (tmp_id, true_parent_tmp, root_tmp)

    @classmethod
    def of(cls, acc, pairs, reg_names):
        order = np.argsort(pairs[:, 1], kind="stable")
        return cls(ids=acc.index.to_numpy(), types=acc["actor_type"].to_numpy(),
                   handles=acc["handle"].to_numpy(), region=_regions_array(acc),
                   partnered=acc["partnered"].to_numpy(bool), fol_of=pairs[order, 0],
                   ptr=np.searchsorted(pairs[order, 1], np.arange(len(acc) + 1)),
                   reg_names=reg_names)

    def new_post(self, author, t, kind, parent, text):
        self.posts.append((len(self.posts), author, t, kind, parent, text))
        return len(self.posts) - 1


def _regions_array(acc):
    return np.array([None if pd.isna(r) else r for r in acc["region_code"]], dtype=object)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the synthetic East Java data set.")
    parser.add_argument("--out", required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=BUNDLED_SEED)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    for path in write_bundle(args.out, seed=args.seed, scale=args.scale):
        print(path)


if __name__ == "__main__":
    main()
