"""Tests of the feedback framework of the labs (kopiresearch.teaching._feedback): the one
check wrapper and its settings, numbers typed the way students type them, silent checks."""

import inspect

import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import teaching as t


def _lab3_like_tree():
    # a tree whose structural virality is not round: 3.5047...
    return nx.bfs_tree(nx.balanced_tree(2, 3), 0)


def _virality(T):
    U = T.to_undirected()
    n = U.number_of_nodes()
    return sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(U)) / (n * (n - 1))


def test_rounded_scalars_are_right_and_say_so(expect, teaching_graph):
    T = _lab3_like_tree()
    v = _virality(T)
    assert v == pytest.approx(3.5047619)
    # 2 decimals (what the success message prints), 3 decimals, cut off after 3 decimals,
    # and 3.5 typed for 3.50
    for typed in (3.50, 3.505, 3.504, 3.5, round(v, 4)):
        expect(t.cek_viralitas(typed, T), "benar", "Dibulatkan", "diterima")
    expect(t.cek_viralitas(v, T), "benar")
    assert "Dibulatkan" not in t.cek_viralitas(v, T).pesan
    G = teaching_graph  # reciprocity 0.4 exactly; a graph with reciprocity 4/7 = 0.5714...
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    assert nx.reciprocity(H) == pytest.approx(4 / 7)
    for typed in (0.57, 0.571, 0.5714):
        expect(t.cek_resiprositas(typed, H), "benar", "4 dari 7")
    expect(t.cek_resiprositas(0.4, G), "benar")


def test_only_rounding_differs_gives_a_rounding_hint_not_a_direction(expect):
    T = _lab3_like_tree()
    for typed in (3.0, 4, 3.5 + 0.0):  # 3.5 is accepted (see above); 3 and 4 are coarse
        if typed == 3.5:
            continue
        h = t.cek_viralitas(typed, T)
        expect(h, "salah", "pembulatan", "2 angka desimal")
        assert "terlalu" not in h.pesan
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    h = t.cek_resiprositas(0.6, H)  # 0.5714 rounded to one decimal
    expect(h, "salah", "pembulatan", "1 desimal")
    assert "terlalu" not in h.pesan
    # a wrong value is still wrong, with its direction
    expect(t.cek_resiprositas(0.3, H), "salah", "terlalu kecil")
    expect(t.cek_viralitas(3.6, T), "salah", "terlalu besar")


def test_rounded_mistakes_are_still_recognised(expect):
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    expect(t.cek_resiprositas(57.14, H), "salah", "persen")
    expect(t.cek_resiprositas(57, H), "salah", "persen")
    T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
    expect(t.cek_viralitas(1.25, T), "salah", "n²")      # 20/16 exactly
    expect(t.cek_viralitas(1.33, T), "salah", "dari akar")  # 4/3 rounded


def test_decimal_comma_and_text_answers_get_a_hint(expect):
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    r = 0,67  # noqa: E231 - what a student used to a decimal comma types
    expect(t.cek_resiprositas(r, H), "salah", "titik sebagai tanda desimal", "0.67")
    expect(t.cek_resiprositas("0,67", H), "salah", "tanpa tanda kutip")
    expect(t.cek_viralitas((8, 76), _lab3_like_tree()), "salah", "8.76")
    expect(t.cek_kedalaman("14", _lab3_like_tree()), "salah", "tanpa tanda kutip")
    expect(t.cek_resiprositas(float("nan"), H), "salah", "NaN")


def test_rounded_series_answers(expect):
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 10), ("a", "c", 1), ("c", "a", 1), ("b", "c", 1),
                               ("d", "a", 1)])
    pr = pd.Series(nx.pagerank(G, weight="weight"))
    expect(t.cek_pagerank(pr.round(4), G), "benar")
    expect(t.cek_pagerank(pr.round(5), G), "benar")
    expect(t.cek_pagerank(pr.round(2), G), "salah", "pembulatan", "4 angka desimal")
    expect(t.cek_pagerank((100 * pr).round(2), G), "salah", "persen")
    ref = t.responsivitas_kantor(kr.load_bundled())["tingkat_balas"]
    expect(t.cek_responsivitas(ref.round(2)), "benar", "Dibulatkan ke 2 desimal")
    expect(t.cek_responsivitas(ref.round(1)), "salah", "pembulatan")
    expect(t.cek_responsivitas((100 * ref).round(1)), "salah", "persen")
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:20",
                                      "2024-10-01 06:10"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    expect(t.cek_waktu_wilayah({"3578": 2.33, "3506": 6.17}, s), "benar", "Dibulatkan")
    expect(t.cek_waktu_wilayah({"3578": 2.3, "3506": 6.2}, s), "salah", "pembulatan")


def test_forms_students_hand_in(expect):
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
                                      "2024-10-01 06:00"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    as_timedelta = pd.Series({"3578": pd.Timedelta(hours=2), "3506": pd.Timedelta(hours=6)})
    expect(t.cek_waktu_wilayah(as_timedelta, s), "salah", "Timedelta", "total_seconds")
    # a one-column table instead of a Series
    table = pd.DataFrame({"jam": [2.0, 6.0]}, index=["3578", "3506"])
    expect(t.cek_waktu_wilayah(table, s), "benar")
    ref = t.responsivitas_kantor(kr.load_bundled())
    expect(t.cek_responsivitas(ref[["tingkat_balas"]]), "benar")
    expect(t.cek_kedalaman(2.0, nx.DiGraph([("r", "a"), ("a", "b")], root="r")), "benar")


def test_jawaban_benar_is_silent(capsys):
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    assert t.jawaban_benar(t.cek_resiprositas, 2 / 3, G) is True
    assert t.jawaban_benar(t.cek_resiprositas, 0.5, G) is False
    assert t.jawaban_benar(t.cek_resiprositas, ..., G) is False
    assert capsys.readouterr().out == ""


def test_a_wrong_setting_raises_instead_of_blaming_the_student(expect):
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(t.LabSetupError, match="arah='in' is not an option"):
        t.cek_derajat(dict(G.in_degree()), G, arah="in")
    with pytest.raises(t.LabSetupError, match="berbobot"):
        t.cek_derajat(dict(G.in_degree()), G, berbobot="ya")
    # a wrong answer with a right setting is still the student's "salah", never an exception
    expect(t.cek_derajat(["x"], G, arah="keluar"), "salah", "bukan list")


def test_every_check_shares_one_wrapper():
    from kopiresearch.teaching._feedback import pemeriksa

    checks = [getattr(t, n) for n in t.__all__ if n.startswith("cek_")]
    assert len(checks) == 14
    for cek in checks:
        assert cek.__wrapped__.__qualname__ == cek.__qualname__  # functools.wraps of pemeriksa
        assert cek.__code__ is pemeriksa(lambda j: j).__code__
        required = [name for name, par in list(inspect.signature(cek).parameters.items())[1:]
                    if par.default is inspect.Parameter.empty]
        if required:  # a blank answer still needs the lab's data: its absence is the notebook's
            with pytest.raises(t.LabSetupError, match="missing a required argument"):
                cek(...)
        else:
            assert cek(...).status == "belum"


def test_wrong_numeric_settings_raise_too(expect):
    G = nx.DiGraph([("a", "b")])
    nx.set_edge_attributes(G, 0.5, "p")
    with pytest.raises(t.LabSetupError, match="toleransi=0"):
        t.cek_monte_carlo(1.5, G, ["a"], toleransi=0)
    with pytest.raises(t.LabSetupError, match="k='2'"):
        t.cek_pilihan_mitra(["x"], {"x": {"3578"}}, "2")
    expect(t.cek_monte_carlo(1.5, G, ["a"], toleransi=0.1), "benar")


# ----------------------------------------------------------------------------------------
# every setting of every check is checked before the answer (issue 18 item 4)

_TOY = pd.DataFrame({"source_id": ["a", "a", "b"], "target_id": ["b", "b", "c"],
                     "kind": ["reply", "reply", "mention"]})
_G = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "b")])
_TREE = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
_POSTS = pd.DataFrame({"post_id": ["r", "p1"], "author_id": ["A", "B"]})
_TIMES = pd.DataFrame({"created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00"],
                                                    utc=True),
                       "region_code": ["35", "3578"]})
_IC = nx.DiGraph()
_IC.add_edge("s", "a", p=0.5)
_IC.add_edge("a", "b", p=0.5)
_COINS = {("s", "a"): 0.1, ("a", "b"): 0.9}
_BIG = nx.DiGraph()
_BIG.add_edges_from(((i, i + 1) for i in range(21)), p=0.5)
_REACH = {"a": {"3578"}, "b": {"3506", "3578"}}
_UNDIRECTED = nx.Graph([("a", "b")])
_MULTI = nx.MultiDiGraph([("a", "b"), ("a", "b")])
_NOT_A_GRAPH = [nx.DiGraph(), _UNDIRECTED, _MULTI, [("a", "b")], "G"]
_NOT_A_TREE = [nx.DiGraph(), nx.DiGraph([("a", "b"), ("b", "a")]), _TREE.reverse(),
               nx.Graph(_TREE.edges()), nx.DiGraph(list(_TREE.edges()), root="zz"),
               nx.DiGraph([("r", "a"), ("x", "a")]), "T"]
_NAIVE = _TIMES.assign(created_at=_TIMES["created_at"].dt.tz_localize(None))

#: For each check: the settings of a valid call (keywords), a filled answer, and for each
#: setting the wrong values a lecturer might pass. The values of a setting that another one
#: depends on (``interaksi`` for ``jenis``, ``G`` for ``benih``) are wrong with the others
#: of the valid call.
SETTINGS = {
    "cek_graf": (
        {"jenis": "reply", "interaksi": _TOY}, _G,
        {"jenis": ["xyz", ["reply", "xyz"], [], 3, "comment"],  # comment: none in _TOY
         "interaksi": ["xyz", _TOY.drop(columns="kind"), _TOY.iloc[:0],
                       _TOY.drop(columns="source_id"), [("a", "b")]]}),
    "cek_derajat": (
        {"G": _G, "arah": "masuk", "berbobot": True}, {"a": 1.0},
        {"G": _NOT_A_GRAPH, "arah": ["in", "Masuk", None, ["masuk"]],
         "berbobot": ["ya", 1, None, "True"]}),
    "cek_baca_gambar": ({"H": _G}, "a", {"H": _NOT_A_GRAPH}),
    "cek_pagerank": ({"G": _G}, {"a": 1.0}, {"G": _NOT_A_GRAPH}),
    "cek_betweenness": ({"G": _G}, {"a": 1.0}, {"G": _NOT_A_GRAPH}),
    "cek_resiprositas": ({"G": _G}, 0.5, {"G": _NOT_A_GRAPH}),
    "cek_responsivitas": ({"corpus": None}, {"x": 0.5},
                          {"corpus": ["corpus", _TOY, _G]}),
    "cek_induk": (
        {"simpul": _POSTS, "mengikuti": {("B", "A")}}, {"p1": "r"},
        {"simpul": ["s", _POSTS.iloc[:0], _POSTS.drop(columns="author_id"), _TIMES],
         "mengikuti": ["BA", {"B": "A"}, [("B", "A", "x")], None, 3]}),
    "cek_kedalaman": ({"pohon": _TREE}, 2, {"pohon": _NOT_A_TREE}),
    "cek_viralitas": ({"pohon": _TREE}, 1.5,
                      {"pohon": [*_NOT_A_TREE, nx.DiGraph(nx.empty_graph(["r"]))]}),
    "cek_waktu_wilayah": (
        {"simpul": _TIMES}, {"3578": 2.0},
        {"simpul": ["s", _TIMES.iloc[:0], _TIMES.drop(columns="region_code"), _NAIVE,
                    _TIMES.assign(created_at=["2024-10-01", "2024-10-02"])]}),
    "cek_ic_manual": (
        {"G": _IC, "benih": ["s"], "koin": _COINS, "p": "p"}, {"s", "a"},
        {"G": _NOT_A_GRAPH, "p": ["nope", "weight", 1, None],
         "benih": [["zz"], [], "s", {"s": 1}, None, [["s"]]],
         "koin": [{}, {("s", "a"): 0.1}, {("s", "a"): 0.1, ("a", "b"): 1.5},
                  {("s", "a"): "0.1", ("a", "b"): 0.9}, "koin", None]}),
    "cek_monte_carlo": (
        {"G": _IC, "benih": ["s"], "p": "p", "toleransi": 0.1}, 1.5,
        {"G": [*_NOT_A_GRAPH, _BIG], "p": ["nope", "weight", 1],
         "benih": [["zz"], [], "s", None], "toleransi": [0, -0.1, "0.1", True, None]}),
    "cek_pilihan_mitra": (
        {"jangkauan": _REACH, "k": 1}, ["b"],
        {"jangkauan": [{}, {"a": "3578"}, ["a", "b"], None],
         "k": ["2", 0, 3, 1.0, True, None]}),  # 3: more than the 2 candidates
}

_CHECKS = [n for n in t.__all__ if n.startswith("cek_")]
_WRONG = [(cek, nama, i, salah) for cek, (_, _, wrong) in SETTINGS.items()
          for nama, values in wrong.items() for i, salah in enumerate(values)]


def test_every_setting_of_every_check_is_declared_and_tested():
    assert sorted(SETTINGS) == sorted(_CHECKS)
    for cek in _CHECKS:
        check = getattr(t, cek)
        declared = list(check.setelan)
        assert sorted(declared) == sorted(SETTINGS[cek][0]), cek
        assert sorted(SETTINGS[cek][2]) == sorted(declared), cek


@pytest.mark.parametrize("cek", _CHECKS)
def test_valid_settings_pass_and_a_blank_answer_is_not_done(cek):
    valid, filled, _ = SETTINGS[cek]
    check = getattr(t, cek)
    assert check(..., **valid).status == "belum"
    assert check(None, **valid).status == "belum"
    assert check(filled, **valid).status in ("benar", "salah")


@pytest.mark.parametrize("blank", [True, False], ids=["blank", "filled"])
@pytest.mark.parametrize("cek, nama, i, salah", _WRONG,
                         ids=[f"{c}-{n}-{i}" for c, n, i, _ in _WRONG])
def test_a_wrong_setting_raises_with_a_blank_and_a_filled_answer(cek, nama, i, salah, blank,
                                                                 capsys):
    valid, filled, _ = SETTINGS[cek]
    settings = {**valid, nama: salah}
    with pytest.raises(t.LabSetupError) as err:
        getattr(t, cek)(... if blank else filled, **settings)
    message = str(err.value)
    # the check, the argument and its value, and what it must be
    assert message.startswith(f"{cek}: {nama}=")
    assert " is not " in message and "wrong setting" in message
    assert capsys.readouterr().out == ""  # nothing told to the student


def test_the_error_names_the_value_and_the_options():
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(t.LabSetupError, match=r"cek_derajat: arah='in' is not .*'masuk', "
                                              r"'keluar'"):
        t.cek_derajat(..., G, arah="in")
    with pytest.raises(t.LabSetupError, match=r"jenis='xyz' is not .*mention, reply"):
        t.cek_graf(..., jenis="xyz")
    with pytest.raises(t.LabSetupError, match=r"jenis='xyz' is not .*occurs in interaksi"):
        t.cek_graf(..., jenis="xyz", interaksi=_TOY.assign(kind="xyz"))  # not a package kind
    with pytest.raises(t.LabSetupError, match=r"G=<Graph with 2 nodes and 1 edges>"):
        t.cek_pagerank({"a": 1}, nx.Graph(G))
    with pytest.raises(t.LabSetupError, match=r"k=3 is not .*from 1 to .* \(2\)"):
        t.cek_pilihan_mitra(["a"], _REACH, 3)
    with pytest.raises(t.LabSetupError, match=r"p='nope' is not the name of an edge "
                                              r"attribute of G"):
        t.cek_ic_manual({"s"}, _IC, ["s"], _COINS, p="nope")


def test_a_call_that_does_not_fit_the_check_raises():
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(t.LabSetupError, match="cek_derajat: .*unexpected keyword.*'arh'"):
        t.cek_derajat(..., G, arh="masuk")
    with pytest.raises(t.LabSetupError, match="cek_derajat: .*unexpected keyword"):
        t.cek_derajat({"a": 1}, G, arh="masuk")
    with pytest.raises(t.LabSetupError, match="cek_derajat: missing .*'G'"):
        t.cek_derajat({"a": 1})
    with pytest.raises(t.LabSetupError, match="too many"):
        t.cek_resiprositas(0.5, G, G)


@pytest.mark.parametrize("cek", _CHECKS)
@pytest.mark.parametrize("odd", [[1, 2], "teks", 3.5, {"a": "x"}, object(), (0, 48)],
                         ids=["list", "str", "float", "dict", "object", "decimal-comma"])
def test_an_odd_answer_with_valid_settings_is_the_students_salah(cek, odd, capsys):
    valid, _, _ = SETTINGS[cek]
    hasil = getattr(t, cek)(odd, **valid)
    assert hasil.status == "salah" and hasil.pesan.startswith(t.PESAN_SALAH)
    assert hasil.pesan in capsys.readouterr().out
    # an answer the check could not even compare keeps its exception, and says to report it
    assert (hasil.sebab is None) == ("laporkan ke dosen" not in hasil.pesan)


def test_the_safety_net_keeps_the_exception_of_a_bug_in_a_check(capsys):
    from kopiresearch.teaching._feedback import pemeriksa

    @pemeriksa
    def cek_bug(jawaban):
        return {}["a bug in the check, not in the answer"]

    hasil = cek_bug(1)
    assert hasil.status == "salah" and isinstance(hasil.sebab, KeyError)
    assert "laporkan ke dosen" in hasil.pesan
    assert t.cek_resiprositas(0.5, nx.DiGraph([("a", "b")])).sebab is None


def test_a_check_must_declare_every_setting():
    from kopiresearch.teaching._feedback import pemeriksa, pilihan

    with pytest.raises(TypeError, match="declare what every setting must be"):
        pemeriksa(lambda jawaban, G: None)
    with pytest.raises(TypeError, match="declare"):
        pemeriksa(arah=pilihan("masuk"), G=pilihan(1))(lambda jawaban, arah="masuk": None)
    cek = pemeriksa(arah=pilihan("masuk", "keluar"))(lambda jawaban, arah="masuk": t.Hasil(
        "benar", ""))
    assert cek(1, arah="keluar").status == "benar"
    with pytest.raises(t.LabSetupError, match="<lambda>: arah='x'"):
        cek(..., arah="x")
