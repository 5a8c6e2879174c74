"""The bundled data set: determinism, the committed files, and the planted effects."""

import hashlib

import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import synth
from kopiresearch._paths import data_path
from kopiresearch.corpus import GOVERNMENT_TYPES


@pytest.fixture(scope="module")
def truth():
    return kr.load_ground_truth()


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    synth.write_bundle(a, seed=3, scale=0.1)
    synth.write_bundle(b, seed=3, scale=0.1)
    assert _digest(a) == _digest(b)
    synth.write_bundle(tmp_path / "c", seed=4, scale=0.1)
    assert _digest(a)["interactions.csv.gz"] != _digest(tmp_path / "c")["interactions.csv.gz"]


@pytest.mark.slow
def test_committed_bundle_is_what_the_generator_writes(tmp_path):
    synth.write_bundle(tmp_path, seed=synth.BUNDLED_SEED, scale=1.0)
    assert _digest(tmp_path) == _digest(data_path("synthetic"))  # data card included


def test_population_of_accounts(bundled):
    counts = bundled.accounts["actor_type"].value_counts()
    assert counts["government_province"] == 1
    assert counts["government_regency"] == 38
    assert 140 <= counts["influencer"] <= 160
    assert counts["citizen"] >= 3000
    regency = bundled.accounts[bundled.accounts["actor_type"] == "government_regency"]
    assert sorted(regency["region_code"]) == sorted(kr.regions.region_table().index)
    citizens = bundled.accounts[bundled.accounts["actor_type"] == "citizen"]
    unknown = citizens["region_code"].isna().mean()
    assert 0.05 < unknown < 0.2  # some citizens of unknown region, as in real data
    # invented handles only
    handles = bundled.accounts["handle"]
    assert (handles.str.endswith("_demo") | handles.str.match(r"^warga_\d{5}$")).all()


def test_influencers_follow_population_and_cities(bundled):
    acc = bundled.accounts_with_regions()
    inf = acc[acc["actor_type"] == "influencer"]
    per_bakorwil = inf["bakorwil"].value_counts()
    # Surabaya and Malang (III Malang) heavier, Madura (IV Pamekasan) lighter
    assert per_bakorwil.idxmax() == "III Malang"
    assert per_bakorwil.idxmin() == "IV Pamekasan"


def test_kopilaborasi_partnered_and_amplification(bundled, truth):
    k = truth["kopilaborasi"]
    partnered = set(bundled.accounts.index[bundled.accounts["partnered"]])
    assert partnered == set(k["partnered"])
    assert (bundled.accounts.loc[list(partnered), "actor_type"] == "influencer").all()
    # the planted effect is present: partnered influencers repost government posts far more
    # often after the event than before, per government post
    event = pd.Timestamp(k["time"])
    posts = bundled.posts
    gov = set(bundled.accounts.index[bundled.accounts["actor_type"].isin(GOVERNMENT_TYPES)])
    roots = posts[(posts["kind"] == "original") & posts["author_id"].isin(gov)]
    reposts = posts[(posts["kind"] == "repost") & posts["author_id"].isin(partnered)
                    & posts["parent_post_id"].isin(roots.index)]
    root_time = roots["created_at"]
    after_roots = (root_time >= event).sum()
    before_roots = (root_time < event).sum()
    after = (reposts["parent_post_id"].map(root_time) >= event).sum()
    before = len(reposts) - after
    rate_before, rate_after = before / before_roots, after / after_roots
    assert rate_after > 3 * rate_before
    assert k["realized_share_through_partnered_after"] > \
        2 * k["realized_share_through_partnered_before"]


def test_office_responsiveness_is_planted(bundled, truth):
    offices = truth["offices"]
    assert len(offices) == 39  # the province and 38 regency offices
    planted = pd.Series({a: o["reply_prob"] for a, o in offices.items()})
    realised = pd.Series({a: o["answered_in_window"] / o["addressed"]
                          for a, o in offices.items() if o["addressed"] >= 15})
    corr = np.corrcoef(planted[realised.index], realised)[0, 1]
    assert corr > 0.6
    # answers in the data are replies by the office to a citizen's post
    posts = bundled.posts
    answers = posts[(posts["kind"] == "reply") & posts["author_id"].isin(offices.keys())]
    parent_author = answers["parent_post_id"].map(posts["author_id"])
    assert (bundled.accounts.loc[parent_author, "actor_type"] == "citizen").all()
    assert len(answers) == sum(o["answered_in_window"] for o in offices.values())


def test_ties_are_regional(truth):
    ties = truth["ties"]
    assert ties["realized_same_region_share"] > 0.35
    assert ties["realized_same_bakorwil_share"] > ties["realized_same_region_share"]
    follows = synth.load_follows()
    assert len(follows) == ties["n_follows"]


def test_cascade_truth_consistent(bundled):
    ct = synth.load_cascade_truth().set_index("post_id")
    posts = bundled.posts
    adopted = posts[posts["kind"].isin(["repost", "quote"])]
    assert set(ct.index) == set(adopted.index)
    reposts = adopted[adopted["kind"] == "repost"]
    # Twitter semantics: a repost names the root, its true parent may be another repost
    assert (reposts["parent_post_id"] == ct.loc[reposts.index, "root_post_id"]).all()
    quotes = adopted[adopted["kind"] == "quote"]
    assert (quotes["parent_post_id"] == ct.loc[quotes.index, "true_parent_post_id"]).all()
    # a parent is always adopted before its child
    parent_time = posts.loc[ct["true_parent_post_id"], "created_at"].to_numpy()
    assert (posts.loc[ct.index, "created_at"].to_numpy() >= parent_time).all()
    assert (ct["true_parent_post_id"] != ct["root_post_id"]).mean() > 0.1


def test_bigger_scale_for_benchmarks():
    small = synth.generate(seed=1, scale=0.05)
    bigger = synth.generate(seed=1, scale=0.2)
    assert len(bigger.accounts) > 3 * len(small.accounts) - 150
    bigger.validate()


def test_bundle_is_small(bundled):
    total = sum(p.stat().st_size for p in data_path("synthetic").iterdir())
    assert total < 5 * 2**20
