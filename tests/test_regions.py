import pytest

from kopiresearch.errors import AmbiguousRegionError, KopiresearchError, UnknownRegionError
from kopiresearch.regions import (
    BAKORWIL,
    bakorwil_members,
    bakorwil_of,
    lookup_region,
    region_boundaries,
    region_by_code,
    region_table,
    resolve_region,
)


def test_table_shape_and_totals():
    t = region_table()
    assert len(t) == 38
    assert (t["kind"] == "kabupaten").sum() == 29 and (t["kind"] == "kota").sum() == 9
    assert t["population"].sum() == 41_919_906
    assert set(t["bakorwil"]) == set(BAKORWIL)
    assert all(code.startswith("35") and len(code) == 4 for code in t.index)


@pytest.mark.parametrize("name, code", [
    ("Kab. Kediri", "3506"), ("Kabupaten Kediri", "3506"), ("kab kediri", "3506"),
    ("KAB.KEDIRI", "3506"), ("Kota Kediri", "3571"), ("kota  kediri", "3571"),
    ("Surabaya", "3578"), ("Kota Surabaya", "3578"), ("KOTA BATU", "3579"), ("Batu", "3579"),
    ("Kab. Malang", "3507"), ("Kota Malang", "3573"), ("Kotamadya Malang", "3573"),
    ("Sumenep", "3529"), ("kab. sumenep", "3529"), ("3506", "3506"), ("35.71", "3571"),
    (3578, "3578"), ("Kab Banyuwangi", "3510"),
])
def test_lookup_spellings(name, code):
    assert lookup_region(name) == code


@pytest.mark.parametrize("name", ["Kediri", "Malang", "Blitar", "Madiun", "Mojokerto",
                                  "Pasuruan", "Probolinggo", "  kediri "])
def test_ambiguous_names_raise_and_list_both(name):
    with pytest.raises(AmbiguousRegionError) as err:
        lookup_region(name)
    table = region_table()
    assert len(err.value.candidates) == 2
    kinds = {table.loc[c, "kind"] for c in err.value.candidates}
    assert kinds == {"kabupaten", "kota"}
    for c in err.value.candidates:
        assert table.loc[c, "name"] in str(err.value)


@pytest.mark.parametrize("name", ["Jakarta", "Kota Sumenep", "Kab. Surabaya", "3599", "",
                                  "Kabupaten"])
def test_unknown(name):
    with pytest.raises(UnknownRegionError):
        lookup_region(name)


def test_errors_are_kopiresearch_errors():
    assert issubclass(AmbiguousRegionError, KopiresearchError)


def test_resolve_region_and_bakorwil():
    assert resolve_region(None) is None and resolve_region("") is None
    assert resolve_region("Jawa Timur") == "35"
    assert resolve_region("Kab. Madiun") == "3519"
    assert bakorwil_of("3506") == "I Madiun" and bakorwil_of("3571") == "I Madiun"
    assert bakorwil_of("3528") == "IV Pamekasan"
    assert bakorwil_of(None) is None and bakorwil_of("35") is None
    assert bakorwil_members("Madiun") == ["3501", "3502", "3503", "3504", "3506", "3519",
                                          "3520", "3521", "3571", "3577"]
    assert len(bakorwil_members("II Bojonegoro")) == 8
    assert sum(len(bakorwil_members(b)) for b in BAKORWIL) == 38
    with pytest.raises(UnknownRegionError):
        bakorwil_members("VI Kediri")


def test_region_by_code():
    row = region_by_code("3578")
    assert row["short_name"] == "Surabaya" and row["bakorwil"] == "III Malang"
    with pytest.raises(UnknownRegionError):
        region_by_code("9999")


def test_boundaries_match_table_and_contain_centroids():
    from matplotlib.path import Path

    b = region_boundaries()
    t = region_table()
    assert set(b) == set(t.index)
    for code, row in t.iterrows():
        exterior_rings = [poly[0] for poly in b[code]]
        inside = any(Path(r).contains_point((row["lon"], row["lat"])) for r in exterior_rings)
        assert inside, code


def test_one_province_code_for_the_package():
    import kopiresearch.corpus as corpus
    from kopiresearch.regions import PROVINCE_CODE

    assert corpus.PROVINCE_CODE is PROVINCE_CODE == "35"


def test_is_kabkota_is_the_one_region_predicate():
    import numpy as np
    import pandas as pd

    from kopiresearch.regions import is_kabkota

    assert all(is_kabkota(c) for c in region_table().index)
    assert not any(is_kabkota(v) for v in ("35", "unknown", None, np.nan, pd.NA))
    assert is_kabkota("A")  # a user's own region label is a region


def test_only_kabkota_keeps_the_rows_is_kabkota_accepts():
    import numpy as np
    import pandas as pd

    from kopiresearch.regions import only_kabkota

    labels = ["3578", "35", "unknown", None, np.nan, "A", "3507"]
    s = pd.Series(range(len(labels)), index=pd.Index(labels, dtype=object))
    assert only_kabkota(s).tolist() == [0, 5, 6]
    df = pd.DataFrame({"region_code": labels, "n": range(len(labels))}, index=list("abcdefg"))
    assert only_kabkota(df, "region_code").index.tolist() == ["a", "f", "g"]
    assert only_kabkota(df.iloc[:0], "region_code").empty


def test_region_group_labels_every_level():
    from kopiresearch.regions import PROVINCE_GROUP, UNKNOWN_REGION, region_group

    t = region_table()
    for code, row in t.iterrows():
        assert region_group(code) == code
        assert region_group(code, "bakorwil") == row["bakorwil"]
    assert region_group("35") == "35" and region_group("35", "bakorwil") == PROVINCE_GROUP
    for missing in (None, float("nan"), "unknown"):
        assert region_group(missing) == region_group(missing, "bakorwil") == UNKNOWN_REGION
    with pytest.raises(KopiresearchError, match="level must be"):
        region_group("3578", "province")
