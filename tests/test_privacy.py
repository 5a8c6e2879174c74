"""No original private handle, id or display name in any output format (issue 14, items 1-5).

The inputs are built to hold every way a private person leaked before: display names with
spaces, hyphens and accents as Facebook handles, a private Twitter ``budi`` beside a public
Facebook page ``budi``, links to private users who are not accounts of the corpus, and a
person known by handle in one crawl and by id in another.
"""

import gzip
import json
import re

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kopiresearch as kr
from kopiresearch.cli import main
from kopiresearch.export import write_gexf, write_graphml
from kopiresearch.io import merge, pseudonymize, read_corpus, read_interactions_csv, read_twarc2
from kopiresearch.io.parquet import read_partitioned

KEY = "test-key-0123456789-not-secret"
GOV = "1141900000000000001"
PRIVATE = [  # lower case, as the dumps are searched
    "budi santoso", "rené wijaya", "siti-aminah", "siti aminah", "siti.aminah.777",
    "warga_luar99", "warga_902", "warga_903",
    "1500000000000000901", "1500000000000000902", "1500000000000000903",
    "1861799999999999999", "1861700000000000002", "1861700000000000003",
    "1861700000000000004", "100077777777777", "fb-c-0001", "fb-c-0002", "fb-c-0003",
    "gang mawar 7",  # a private person's profile location
]


def _user(uid, name, location=None):
    return {"id": uid, "username": name, "name": name.replace("_", " "),
            **({"location": location} if location else {}),
            "public_metrics": {"followers_count": 10, "following_count": 1, "tweet_count": 1,
                               "listed_count": 0}}


def _tweet(tid, author, text, when, ref=None, reply_to=None):
    t = {"id": tid, "author_id": author, "conversation_id": tid, "text": text,
         "created_at": when, "lang": "in", "edit_history_tweet_ids": [tid]}
    if ref:
        t["referenced_tweets"] = [{"type": ref[0], "id": ref[1]}]
    if reply_to:
        t["in_reply_to_user_id"] = reply_to
    return t


def write_inputs(folder):
    """A twarc2 page, a Facebook generic CSV and labels holding every leak of issue 14."""
    folder.mkdir(parents=True, exist_ok=True)
    tweets = [
        _tweet("1861700000000000001", GOV, "Info Kopilaborasi "
               "https://x.com/KominfoKdr_Demo/status/1861700000000000001",
               "2024-11-27T01:00:00.000Z"),
        _tweet("1861700000000000002", "1500000000000000901",
               "@KominfoKdr_Demo siap, ajak @warga_luar99 juga "
               "x.com/warga_luar99/status/1861799999999999999", "2024-11-27T01:05:00.000Z",
               ref=("replied_to", "1861700000000000001"), reply_to=GOV),
        _tweet("1861700000000000003", "1500000000000000902",
               "@budi setuju! https://twitter.com/budi/status/1861700000000000002 dan "
               "https://www.facebook.com/profile.php?id=100077777777777 @Warga_903",
               "2024-11-27T01:10:00.000Z"),
        _tweet("1861700000000000004", "1500000000000000903", "hadir @KominfoKdr_Demo",
               "2024-11-27T01:20:00.000Z"),
    ]
    users = [_user(GOV, "KominfoKdr_Demo", "Kabupaten Kediri"),
             _user("1500000000000000901", "budi"),
             _user("1500000000000000902", "warga_902", "Gang Mawar 7, Pare"),
             _user("1500000000000000903", "warga_903")]
    page = {"data": tweets, "includes": {"users": users}, "meta": {"result_count": len(tweets)},
            "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=x",
                        "version": "2.14.0", "retrieved_at": "2024-11-28T04:00:00+00:00"}}
    tw = folder / "search.jsonl"
    tw.write_text(json.dumps(page) + "\n", encoding="utf-8")
    fb = folder / "facebook.csv"
    fb.write_text(
        "source,target,kind,created_at,post_id,text\n"
        '"Budi Santoso",budi,comment,2024-11-27T10:15:00+07:00,fb-c-0001,'
        '"saya Budi Santoso, teman René Wijaya"\n'
        '"René Wijaya",budi,comment,2024-11-27T10:20:00+07:00,fb-c-0002,'
        '"Siti-Aminah setuju dengan budi santoso"\n'
        '"Siti-Aminah","René Wijaya",mention,2024-11-27T10:30:00+07:00,fb-c-0003,'
        '"@René Wijaya lihat facebook.com/siti.aminah.777/posts/123456789 (Siti Aminah)"\n'
        'budi,"Budi Santoso",reply,2024-11-27T11:00:00+07:00,fb-p-0004,'
        '"Terima kasih Budi Santoso dan @Siti-Aminah"\n', encoding="utf-8")
    labels = folder / "labels.csv"
    labels.write_text("handle,actor_type,region,partnered,platform\n"
                      "KominfoKdr_Demo,government_regency,Kab. Kediri,false,twitter\n"
                      "budi,government_regency,Kab. Kediri,false,facebook\n", encoding="utf-8")
    key = folder / "key.txt"
    key.write_text(KEY + "\n", encoding="utf-8")
    return tw, fb, labels, key


def dump(root) -> str:
    """Every byte and every decoded value of every file under ``root``, lower-cased:
    raw bytes, gzip contents, and for Parquet every cell, the schema and key-value metadata
    and the row-group statistics."""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts.append(str(path.relative_to(root)))
        data = path.read_bytes()
        parts.append(data.decode("utf-8", "replace"))
        if path.name.endswith(".gz"):
            parts.append(gzip.decompress(data).decode("utf-8", "replace"))
        if path.name.endswith(".parquet"):
            f = pq.ParquetFile(path)
            meta = f.metadata
            parts.append(repr(f.schema_arrow.metadata))
            parts.append(repr(meta.metadata))
            for rg in range(meta.num_row_groups):
                for col in range(meta.num_columns):
                    stats = meta.row_group(rg).column(col).statistics
                    if stats is not None and stats.has_min_max:
                        parts.append(f"{stats.min!r} {stats.max!r}")
            parts.append(json.dumps(f.read().to_pylist(), default=str, ensure_ascii=False))
    return "\n".join(parts).lower()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    tw, fb, labels, key = write_inputs(root / "in")
    out = root / "out"
    common = [str(tw), str(fb), "--labels", str(labels), "--pseudonymize", "--key-file",
              str(key)]
    assert main(["load", *common, "--csv", "--out", str(out / "tables")]) == 0
    assert main(["load", *common, "--partitioned", "--out", str(out / "partitioned")]) == 0
    graphs = out / "graphs"
    graphs.mkdir()
    for name, corpus in (("tables", read_corpus(out / "tables")),
                         ("partitioned", read_partitioned(out / "partitioned"))):
        G = kr.build_interaction_graph(corpus)
        write_gexf(G, graphs / f"{name}.gexf")
        write_graphml(G, graphs / f"{name}.graphml")
    return root, out


def test_inputs_hold_every_private_value(outputs):
    root, _ = outputs
    raw = dump(root / "in")
    for value in PRIVATE:
        if value not in ("siti.aminah.777", "100077777777777", "1861799999999999999"):
            assert value in raw or value.replace(" ", "-") in raw, value


@pytest.mark.parametrize("fmt", ["tables", "partitioned", "graphs"])
def test_no_private_value_in_any_output(outputs, fmt):
    _, out = outputs
    text = dump(out / fmt)
    assert text  # something was written
    for value in PRIVATE:
        assert value not in text, value
    assert KEY.lower() not in text
    # the private Twitter 'budi': never readable, though the Facebook page 'budi' is kept
    assert not re.search(r"(?<![:\w])@budi\b", text)  # facebook:@budi is the page's id
    for leak in ("twitter.com/budi", "x.com/budi", "twitter:@budi", "twitter:1500"):
        assert leak not in text, leak
    assert "facebook:@budi" in text and "kominfokdr_demo" in text  # public actors stay


def test_text_pseudonyms_equal_the_account_table(outputs):
    _, out = outputs
    c = read_corpus(out / "tables")
    handles = set(c.accounts["handle"].dropna())
    text = " ".join(c.posts["text"].dropna())
    mentioned = set(re.findall(r"@(anon_[0-9a-f]{12})", text))
    assert mentioned  # @budi, @warga_903, @René Wijaya, @Siti-Aminah...
    in_corpus = mentioned & handles
    # every mention of an account of the corpus carries that account's pseudonym
    assert len(in_corpus) >= 3, (mentioned, handles)
    # warga_luar99 is no account: its pseudonym is its handle's, on Twitter
    assert "@anon_" in text and "x.com/anon_" in text and "/status/anon-" in text


def test_crawls_pseudonymised_separately_still_merge(tmp_path):
    tw, *_ = write_inputs(tmp_path)
    by_id = read_twarc2(tw)  # warga_903 with its id
    handles = tmp_path / "handles.csv"
    handles.write_text("source,target,kind,created_at,post_id\n"
                       "warga_904,warga_903,mention,2024-11-28T10:00:00Z,x1\n",
                       encoding="utf-8")
    by_handle = read_interactions_csv(handles, platform="twitter")  # twitter:@warga_903
    assert "twitter:@warga_903" in by_handle.accounts.index
    together = merge(by_id, by_handle)
    apart = merge(pseudonymize(by_id, KEY), pseudonymize(by_handle, KEY))
    assert len(apart.accounts) == len(together.accounts)
    assert sorted(apart.accounts.index) == sorted(pseudonymize(together, KEY).accounts.index)
    assert len(apart.interactions) == len(together.interactions)


def test_key_file_without_pseudonymize_is_refused(tmp_path, capsys, monkeypatch):
    tw, _, _, key = write_inputs(tmp_path / "in")
    assert main(["load", str(tw), "--key-file", str(key), "--out", str(tmp_path / "o")]) == 2
    assert "--pseudonymize" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    # an explicit --key-file wins over the environment, and says so
    monkeypatch.setenv("KOPIRESEARCH_PSEUDONYM_KEY", "another-key-0123456789")
    assert main(["load", str(tw), "--pseudonymize", "--key-file", str(key), "--out",
                 str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out
    assert f"--key-file {key}" in printed and "ignored" in printed
    expected = pseudonymize(read_twarc2(tw), KEY)
    assert sorted(read_corpus(tmp_path / "o").accounts.index) == sorted(expected.accounts.index)


def _scrubber():
    import hashlib

    from kopiresearch.io.pseudonymize import TextScrubber

    s = TextScrubber(lambda kind, v: hashlib.sha256(f"{kind}:{v}".encode()).hexdigest())
    s.keep("twitter", "kominfo_demo")
    for platform, name in (("facebook", "Budi Santoso"), ("facebook", "René Wijaya"),
                           ("twitter", "warga_001"), ("facebook", "Siti-Aminah")):
        s.private_handle(platform, name, "anon_" + name[:2].lower())
    return s


NAMES = ["Budi Santoso", "budi  santoso", "RENÉ WIJAYA", "René-Wijaya", "warga_001",
         "Siti-Aminah", "siti aminah"]
_TOKENS = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(lambda n: "@" + n),
                    st.sampled_from(NAMES).map(lambda n: f"https://x.com/{n.replace(' ', '')}"
                                               "/status/1861700000000000009"),
                    st.sampled_from(["kata", "kominfo_demo", "@kominfo_demo", "Kediri", "12",
                                     "budi", "santoso!", "😀"]))


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=8), seps=st.lists(
    st.sampled_from([" ", ", ", "\n", " - ", ". ", "("]), min_size=8, max_size=8))
def test_scrubbed_text_holds_no_private_name(tokens, seps):
    from kopiresearch.io.pseudonymize import TextScrubber

    text = "".join(t + s for t, s in zip(tokens, seps))
    out = _scrubber().scrub(text, "twitter")
    for name in ("budi santoso", "rené wijaya", "warga_001", "siti aminah"):
        # the name's words separated as a name's are (blanks, or one - . ')
        pattern = r"(?<!\w)" + r"(?:[ \t\u00a0]+|[-.'\u2019])".join(
            map(re.escape, TextScrubber.key(name).split(" "))) + r"(?!\w)"
        assert not re.search(pattern, out, re.IGNORECASE), (text, out)
    assert "1861700000000000009" not in out  # the private users' status ids
    assert out.count("kominfo_demo") == text.count("kominfo_demo")  # public stays


def test_public_accounts_keep_their_location(outputs):
    _, out = outputs
    acc = read_corpus(out / "tables").accounts
    assert acc.loc[f"twitter:{GOV}", "location"] == "Kabupaten Kediri"
    assert acc["location"].dropna().tolist() == ["Kabupaten Kediri"]
