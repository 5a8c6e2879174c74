"""kopiresearch.study: one corpus and the conventions that let a notebook run on any corpus."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kopiresearch.claims import ClaimError  # noqa: E402
from kopiresearch.errors import KopiresearchError  # noqa: E402
from kopiresearch.io import example_path, load_any, write_corpus  # noqa: E402
from kopiresearch.study import compare_words, listing, open_study, plural, share_words  # noqa: E402,E501


@pytest.fixture(scope="module")
def bundled_study():
    return open_study()


def test_bundled_study_has_its_truth_event_and_follows(bundled_study):
    assert bundled_study.bundled and bundled_study.has_truth
    assert bundled_study.event == pd.Timestamp("2024-10-28T02:00:00Z")
    assert bundled_study.event_name == "Kopilaborasi"
    assert bundled_study.has_follows and bundled_study.has_regions and bundled_study.has_government
    assert bundled_study.has_replies and bundled_study.has_reposts
    assert "ground truth: planted effects known" in bundled_study.describe()


def test_a_crawl_knows_only_what_it_holds():
    s = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert not s.bundled and not s.has_truth and not s.has_event and not s.has_follows
    assert not s.has_government and not s.has_regions and not s.has_actor_types
    assert s.platforms == ["twitter"]
    assert s.has_replies
    text = s.describe()
    assert "event: none given" in text and "follower lists: none given" in text


def test_labels_give_government_and_regions():
    s = open_study(example_path("twarc2_search.jsonl"), labels=example_path("labels.csv"))
    assert s.has_government and s.has_regions and s.has_actor_types
    assert s.labels.endswith("labels.csv")


def test_a_corpus_folder_is_read_as_tables(tmp_path):
    corpus = load_any([example_path("instaloader")])
    write_corpus(corpus, tmp_path / "c")
    s = open_study(tmp_path / "c")
    assert s.platforms == ["instagram"]
    assert len(s.corpus.accounts) == len(corpus.accounts)
    assert s.corpus.report.rows_read == corpus.report.rows_read


def test_event_date_in_any_zone_becomes_utc():
    s = open_study(example_path("twarc2_search.jsonl"), event_date="2024-11-27 12:00+07:00",
                   event_name="Kopdar")
    assert s.event == pd.Timestamp("2024-11-27T05:00:00Z") and s.event_name == "Kopdar"
    naive = open_study(example_path("twarc2_search.jsonl"), event_date="2024-11-27 05:00")
    assert naive.event == s.event and naive.event_name == "the event"


@pytest.mark.parametrize("date, words", [("2020-01-01", "outside the corpus's period"),
                                          ("not a date", "is not a date")])
def test_bad_event_dates_are_refused(date, words):
    with pytest.raises(KopiresearchError, match=words):
        open_study(example_path("twarc2_search.jsonl"), event_date=date)


def test_a_missing_corpus_is_refused(tmp_path):
    with pytest.raises(KopiresearchError, match="no such corpus"):
        open_study(tmp_path / "nothing-here")


def test_expect_checks_only_the_bundled_data(bundled_study):
    own = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert own.expect("about 150 influencers", False, influencers=0) is None
    shown = bundled_study.expect("38 offices", True, offices=38)
    assert str(shown) == "✓ 38 offices (offices = 38)"
    with pytest.raises(ClaimError, match="about 150 influencers"):
        bundled_study.expect("about 150 influencers", False, influencers=0)


def test_missing_records_the_gap_and_writes_it(tmp_path):
    s = open_study(example_path("tweet_harvest_2.6.1.csv"), out=tmp_path)
    text = s.missing("Offices", "No account is labelled as government.",
                     "Pass LABELS (draft them with `kopiresearch labels draft`).")
    assert text.startswith("**Offices: not in these data.** No account")
    assert not hasattr(text, "_repr_markdown_")  # shown once by missing(), not echoed
    rows = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    assert rows == [{"section": "Offices", "sentence": "No account is labelled as government. "
                     "Pass LABELS (draft them with `kopiresearch labels draft`)."}]


def test_conclusions_repeat_each_finding_then_the_gaps(capsys):
    s = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert s.conclusions(none="No step could be answered.") == "No step could be answered."
    s.finding("Speed", "Half of the regions are reached within a day.")
    s.finding("Flows", "Most flows stay inside a Bakorwil.")
    s.finding("Speed", "Most regions are reached within a day.")  # said again: replaces
    s.missing("Offices", "No account is labelled as government.", "Pass LABELS.")
    capsys.readouterr()
    text = s.conclusions()
    assert text == ("- **Speed.** Most regions are reached within a day.\n"
                    "- **Flows.** Most flows stay inside a Bakorwil.")
    shown = capsys.readouterr().out
    assert shown.endswith("Not answered from these data: Offices.\n")
    assert open_study(example_path("tweet_harvest_2.6.1.csv")).findings == {}  # not shared


def test_sentence_helpers_count_and_join():
    assert plural(1, "cascade") == "1 cascade" and plural(3, "cascade") == "3 cascades"
    assert plural(2, "repost or quote", "reposts and quotes") == "2 reposts and quotes"
    assert listing(["a", "b", "c"]) == "a, b and c" and listing(["a", "b"], last="or") == "a or b"
    assert listing(iter(["only"])) == "only" and listing([]) == ""


def test_figures_and_tables_are_saved_and_svg_is_byte_stable(tmp_path):
    s = open_study(example_path("tweet_harvest_2.6.1.csv"), out=tmp_path)

    def draw():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0], label="a line")
        ax.legend()
        return fig

    fig = draw()
    assert s.figure(fig, "line") is fig
    first = (tmp_path / "figures" / "line.svg").read_bytes()
    assert (tmp_path / "figures" / "line.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(fig)
    fig = draw()
    s.figure(fig, "line")
    plt.close(fig)
    assert (tmp_path / "figures" / "line.svg").read_bytes() == first
    assert b"<dc:date>" not in first
    frame = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["x", "y"], name="k"))
    assert s.table(frame, "t") is frame
    assert (tmp_path / "tables" / "t.csv").read_text(encoding="utf-8") == "k,a\nx,1\ny,2\n"
    with pytest.raises(KopiresearchError, match="plain file name"):
        s.table(frame, "../escape")


def test_without_an_output_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = open_study(example_path("tweet_harvest_2.6.1.csv"))
    fig, _ = plt.subplots()
    s.figure(fig, "x")
    plt.close(fig)
    s.table(pd.DataFrame({"a": [1]}), "y")
    s.missing("S", "Nothing.", "Nothing to do.")
    assert list(tmp_path.iterdir()) == []


def test_words_follow_the_numbers():
    assert share_words(0.5) == "about half" and share_words(0.56) == "most"
    assert share_words(0.44) == "a minority" and share_words(float("nan")) == "an unknown share"
    assert compare_words(1.0, 1.04) == "about as much as" and compare_words(1, 2) == "less than"


def test_expect_evaluates_callables_only_on_the_bundled_data(bundled_study):
    own = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert own.expect("x", lambda: 1 / 0, v=lambda: [][1]) is None
    assert str(bundled_study.expect("x", lambda: True, v=lambda: 3)) == "✓ x (v = 3)"


def test_the_window_is_the_planted_period_or_the_posts(bundled_study):
    assert bundled_study.window == (pd.Timestamp("2024-09-30T00:00:00Z"),
                              pd.Timestamp("2024-11-25T00:00:00Z"))
    own = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert own.window == (own.corpus.posts["created_at"].min(),
                          own.corpus.posts["created_at"].max())


def test_missing_labels_says_how_to_label(tmp_path):
    own = open_study(example_path("tweet_harvest_2.6.1.csv"))
    assert "kopiresearch labels draft" in own.missing_labels("Offices", "No office.")
