import pandas as pd
import pytest

from kopiresearch import Corpus, LoadReport
from kopiresearch.corpus import coerce_table, empty_table, validate_table
from kopiresearch.errors import (
    CategoryError,
    DanglingReferenceError,
    DtypeError,
    DuplicateIdError,
    KopiresearchError,
    MissingColumnError,
    SchemaError,
    TimezoneError,
)


def frames(c):
    return tuple(f.astype(object) for f in (c.accounts.reset_index(), c.posts.reset_index(),
                                             c.interactions))


def test_dtypes_are_canonical(tiny_corpus):
    c = tiny_corpus
    assert str(c.posts["created_at"].dtype) == "datetime64[ns, UTC]"
    assert str(c.interactions["created_at"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(c.accounts["actor_type"].dtype, pd.CategoricalDtype)
    assert c.accounts.index.name == "account_id" and c.posts.index.name == "post_id"
    assert str(c.accounts["followers"].dtype) == "Int64"
    assert c.accounts.loc["x:c2", "region_code"] is pd.NA
    assert c.report.is_consistent


def test_missing_column_names_table_and_column(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    with pytest.raises(MissingColumnError) as err:
        Corpus.from_frames(a, p, i.drop(columns="kind"))
    assert "table 'interactions'" in str(err.value) and "column 'kind'" in str(err.value)


def test_unknown_actor_type_names_row(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    a.loc[1, "actor_type"] = "buzzer"
    with pytest.raises(CategoryError) as err:
        Corpus.from_frames(a, p, i)
    msg = str(err.value)
    assert "'buzzer'" in msg and "row 'x:i'" in msg and "column 'actor_type'" in msg
    assert "influencer" in msg  # says what was expected


def test_unknown_interaction_kind(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i.loc[0, "kind"] = "like"
    with pytest.raises(CategoryError, match="column 'kind'"):
        Corpus.from_frames(a, p, i)


def test_dangling_interaction_target(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i.loc[2, "target_id"] = "x:nobody"
    with pytest.raises(DanglingReferenceError) as err:
        Corpus.from_frames(a, p, i)
    msg = str(err.value)
    assert "'x:nobody' is not in accounts" in msg and "column 'target_id'" in msg
    assert "row 2" in msg


def test_dangling_post_author(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    p.loc[0, "author_id"] = "x:ghost"
    with pytest.raises(DanglingReferenceError, match="column 'author_id'"):
        Corpus.from_frames(a, p, i)


def test_dangling_interaction_post(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i.loc[0, "post_id"] = "x:p99"
    with pytest.raises(DanglingReferenceError, match="'x:p99' is not in posts"):
        Corpus.from_frames(a, p, i)


def test_missing_parent_is_marked_not_rejected(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    p.loc[1, "parent_post_id"] = "x:deleted"
    c = Corpus.from_frames(a, p, i)
    assert bool(c.posts.loc["x:p2", "parent_missing"]) is True
    assert bool(c.posts.loc["x:p4", "parent_missing"]) is False
    # without marking, an unknown parent is an error naming the row
    with pytest.raises(DanglingReferenceError, match="row 'x:p2'.*parent_post_id"):
        Corpus.from_frames(a, p, i, mark_missing_parents=False)


def test_parent_missing_without_parent_is_an_error(tiny_corpus):
    c = tiny_corpus.copy()
    c.posts.loc["x:p1", "parent_missing"] = True
    with pytest.raises(SchemaError, match="names no parent"):
        c.validate()


def test_naive_timestamps_rejected(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i["created_at"] = pd.to_datetime(i["created_at"]).dt.tz_localize(None)
    with pytest.raises(TimezoneError, match="naive"):
        Corpus.from_frames(a, p, i)
    p["created_at"] = "2024-10-01 08:00:00"  # a string without offset
    with pytest.raises(TimezoneError, match="no UTC offset"):
        coerce_table("posts", p)


def test_other_timezones_are_converted_to_utc(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i["created_at"] = pd.to_datetime(i["created_at"]).dt.tz_convert("Asia/Jakarta")
    c = Corpus.from_frames(a, p, i)
    assert str(c.interactions["created_at"].dt.tz) == "UTC"
    assert c.interactions["created_at"].equals(tiny_corpus.interactions["created_at"])


def test_unparseable_timestamp_names_row(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    p.loc[3, "created_at"] = "kemarin sore"
    with pytest.raises(DtypeError) as err:
        Corpus.from_frames(a, p, i)
    msg = str(err.value)
    assert "row 'x:p4'" in msg and "column 'created_at'" in msg and "'kemarin sore'" in msg


def test_validate_catches_wrong_timezone_after_construction(tiny_corpus):
    c = tiny_corpus.copy()
    c.posts["created_at"] = c.posts["created_at"].dt.tz_convert("Asia/Jakarta")
    with pytest.raises(TimezoneError, match="Asia/Jakarta"):
        c.validate()


def test_duplicate_ids(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    a.loc[3, "account_id"] = "x:c1"
    with pytest.raises(DuplicateIdError, match="row 'x:c1'"):
        Corpus.from_frames(a, p, i)


def test_float_ids_rejected(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    a["account_id"] = [1.8615e18, 2.0, 3.0, 4.0]
    with pytest.raises(DtypeError, match="float"):
        Corpus.from_frames(a, p, i)


def test_unknown_region_code(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    a.loc[0, "region_code"] = "3599"
    with pytest.raises(CategoryError, match="region code '3599'"):
        Corpus.from_frames(a, p, i)


def test_required_null(tiny_corpus):
    a, p, i = frames(tiny_corpus)
    i.loc[4, "source_id"] = None
    with pytest.raises(SchemaError, match="missing value"):
        Corpus.from_frames(a, p, i)


def test_every_schema_error_is_a_kopiresearch_error():
    for cls in (MissingColumnError, DtypeError, CategoryError, DuplicateIdError,
                TimezoneError, DanglingReferenceError):
        assert issubclass(cls, KopiresearchError)


def test_empty_tables_validate():
    for name in ("accounts", "posts", "interactions"):
        validate_table(name, empty_table(name))
    assert repr(Corpus.from_frames()) == "Corpus(accounts=0, posts=0, interactions=0)"


def test_load_report_adds_up_and_merges():
    a = LoadReport()
    a.add_loaded(5)
    a.add_duplicate(2)
    a.add_malformed("f.csv", 9, "unparseable created_at")
    a.blank_lines += 1
    b = LoadReport()
    b.add_loaded(1)
    total = a + b
    assert (total.rows_read, total.loaded, total.duplicates, len(total.malformed)) == (9, 6, 2, 1)
    assert total.is_consistent
    assert total.malformed_frame().to_dict("records") == [
        {"file": "f.csv", "line": 9, "reason": "unparseable created_at"}]
    broken = LoadReport(rows_read=3, loaded=1)
    assert not broken.is_consistent
    with pytest.raises(KopiresearchError, match="does not add up"):
        broken.check()


def test_corpus_validate_checks_report(tiny_corpus):
    c = tiny_corpus.copy()
    c.report.rows_read = 10
    with pytest.raises(KopiresearchError, match="does not add up"):
        c.validate()


def test_between_and_accounts_with_regions(tiny_corpus):
    sub = tiny_corpus.between(start="2024-10-01T04:00:00Z")
    assert sorted(sub.posts.index) == ["x:p3", "x:p4", "x:p5", "x:p6"]
    assert len(sub.interactions) == 5  # the reply at 03:00 is outside
    assert sub.posts.loc["x:p4", "parent_missing"]  # p1 is before the window
    sub.validate()
    joined = tiny_corpus.accounts_with_regions()
    assert joined.loc["x:g", "bakorwil"] == "I Madiun"
    assert joined.loc["x:c1", "region_name"] == "Kota Surabaya"
    assert pd.isna(joined.loc["x:c2", "region_name"])
