"""checks.freshness_config: the shipped rule files load, and each bad file fails with its exact message."""

from __future__ import annotations

import pytest

from checks import freshness_config
from checks.freshness_config import RULES_DIR, RulesError, load_rules


def test_the_shipped_rules_load_with_the_documented_values():
    rules = load_rules()
    assert rules.freshness.age_days == {"low": 30, "medium": 90, "high": 180, "critical": 365}
    assert rules.freshness.stale_periodic_days == 183
    assert [c.id for c in rules.documents.categories] == [
        "apbd_p", "kua_ppas", "apbd", "rkpd", "rka", "dpa", "lkpd", "lkjip", "lppd", "renstra", "renja", "dip",
        "sop", "laporan_layanan_informasi", "perda_perbup"]
    assert [(r.category, r.fiscal_year, r.due) for r in rules.documents.required["opd"]] == [
        ("rka", 0, (1, 31)), ("dpa", 0, (1, 31)), ("renja", 0, (1, 31)), ("renstra", 0, (1, 31)),
        ("dpa", -1, (1, 1)), ("lkjip", -1, (3, 31))]
    assert rules.documents.required["ppid"] == ()
    assert rules.ppid.roles == ("ppid",)
    assert [(b.label, b.min) for b in rules.ppid.categories] == [
        ("Informatif", 90), ("Menuju Informatif", 80), ("Cukup Informatif", 60), ("Kurang Informatif", 40),
        ("Tidak Informatif", 0)]
    assert [rules.ppid.band(s).id for s in (100, 90, 89.9, 60, 59.9, 40, 39.9, 0)] == [
        "informatif", "informatif", "menuju_informatif", "cukup_informatif", "kurang_informatif",
        "kurang_informatif", "tidak_informatif", "tidak_informatif"]


def _copy(tmp_path):
    for name in freshness_config.FILES:
        (tmp_path / name).write_text((RULES_DIR / name).read_text())
    return tmp_path


BAD = [
    ("freshness.yaml", "age_days: {low: 30,", "age_days: {lower: 30,",
     "freshness.yaml: age_days.lower: unknown key (expected one of: low, medium, high, critical)"),
    ("freshness.yaml", "medium: 90", "medium: 20",
     "freshness.yaml: age_days: days must grow with severity (low < medium < high < critical)"),
    ("freshness.yaml", "stale_periodic_days: 183", "stale_periodic_days: enam bulan",
     "freshness.yaml: stale_periodic_days: must be an integer, got string 'enam bulan'"),
    ("freshness.yaml", "[90, 75]", "[20, 75]", "freshness.yaml: score.age_points: days must be strictly increasing"),
    ("freshness.yaml", "[180, 50]", "[180, 150]", "freshness.yaml: score.age_points[3][1]: must be between 0 and 100, got 150"),
    ("freshness.yaml", "[365, 20]", "[365]", "freshness.yaml: score.age_points[4]: must be a [days, points] pair, got a list"),
    ("freshness.yaml", "stale_weight: 0.5", "stale_weight: 2", "freshness.yaml: score.stale_weight: must be between 0 and 1, got 2"),
    ("freshness.yaml", "weights: {age: 0.6", "weights: {age: 0", "freshness.yaml: score.weights.age: must be above 0"),
    ("freshness.yaml", "  pass_at: 60\n", "", "freshness.yaml: score: missing required key 'pass_at'"),
    ("freshness.yaml", "stale_periodic_days: 183", "stale_periodic_days: [183",
     "freshness.yaml: line 12 invalid YAML: expected ',' or ']', but got '?'"),
    ("documents.yaml", "'\\brkpd\\b'", "'\\brkpd(\\b'",
     "documents.yaml: categories[3].patterns[0]: invalid regular expression '\\\\brkpd(\\\\b': "
     "missing ), unterminated subpattern at position 6"),
    ("documents.yaml", "  - id: dip\n", "  - id: sop\n", "documents.yaml: categories[12].id: duplicate id 'sop'"),
    ("documents.yaml", "  - id: dip\n", "  - id: other\n",
     "documents.yaml: categories: 'other' is what no pattern matches; it cannot be defined"),
    ("documents.yaml", "{category: dpa, fiscal_year: -1", "{category: dipa, fiscal_year: -1",
     "documents.yaml: required.opd[4].category: unknown category 'dipa'"),
    ("documents.yaml", "{category: lkjip, fiscal_year: -1, due: \"03-31\"}\n  ppid",
     "{category: lkjip, fiscal_year: -2, due: \"03-31\"}\n  ppid",
     "documents.yaml: required.opd[5].fiscal_year: must be between -1 and 0, got -2"),
    ("documents.yaml", "{category: lppd, fiscal_year: -1, due: \"03-31\"}", "{category: lppd, fiscal_year: -1, due: \"02-30\"}",
     "documents.yaml: required.portal[8].due: '02-30' is not a month and day like \"03-31\""),
    ("documents.yaml", "{category: renja, fiscal_year: 0, due: \"01-31\"}", "{category: rka, fiscal_year: 0, due: \"01-31\"}",
     "documents.yaml: required.opd: a category is required twice for the same fiscal year"),
    ("documents.yaml", "  ppid: []", "  kelurahan: []",
     "documents.yaml: required.kelurahan: unknown key (expected one of: portal, opd, ppid)"),
    ("documents.yaml", "current: medium", "current: penting",
     "documents.yaml: severity.current: 'penting' is not one of: low, medium, high, critical"),
    ("documents.yaml", "broken_links: {low: 1, medium: 3", "broken_links: {low: 5, medium: 3",
     "documents.yaml: broken_links: counts must grow with severity (low < medium < high < critical)"),
    ("ppid.yaml", "roles: [ppid]", "roles: [kecamatan]", "ppid.yaml: roles[0]: 'kecamatan' is not one of: portal, opd, ppid"),
    ("ppid.yaml", "group: berkala, periodic: true, weight: 1,\n     patterns: ['\\bprofil\\b'",
     "group: berkala, periodic: ya, weight: 1,\n     patterns: ['\\bprofil\\b'",
     "ppid.yaml: items[0].periodic: must be true or false, got string 'ya'"),
    ("ppid.yaml", "{id: maklumat, label: \"Maklumat pelayanan informasi\", group: layanan, periodic: false, weight: 2,\n     patterns: ['\\bmaklumat\\b']}",
     "{id: maklumat, label: \"Maklumat pelayanan informasi\", group: layanan, periodic: false, weight: 2,\n     patterns: []}",
     "ppid.yaml: items[18].patterns: must not be empty"),
    ("ppid.yaml", "min: 80, severity: low", "min: 95, severity: low",
     "ppid.yaml: categories: min must fall strictly from the first band to the last, which starts at 0"),
    ("ppid.yaml", "min: 0, severity: medium", "min: 10, severity: medium",
     "ppid.yaml: categories: min must fall strictly from the first band to the last, which starts at 0"),
]


@pytest.mark.parametrize("name, old, new, message", BAD, ids=[m.split(":")[0] + ":" + m.split(":")[1] for *_, m in BAD])
def test_a_bad_rules_file_is_refused_with_its_exact_message(tmp_path, name, old, new, message):
    directory = _copy(tmp_path)
    text = (directory / name).read_text()
    assert old in text, f"the shipped {name} no longer contains {old!r}"
    (directory / name).write_text(text.replace(old, new, 1))
    with pytest.raises(RulesError) as error:
        load_rules(directory)
    assert str(error.value) == message


def test_a_missing_file_is_named(tmp_path):
    directory = _copy(tmp_path)
    (directory / "ppid.yaml").unlink()
    with pytest.raises(RulesError, match=r"^ppid.yaml: cannot read .*ppid.yaml: No such file or directory$"):
        load_rules(directory)


def test_pantau_rules_dir_switches_the_rules_the_checks_use(tmp_path, monkeypatch):
    directory = _copy(tmp_path)
    (directory / "documents.yaml").write_text(
        (directory / "documents.yaml").read_text().replace("stale_site_days: 180", "stale_site_days: 7"))
    monkeypatch.setenv(freshness_config.RULES_DIR_ENV, str(directory))
    assert freshness_config.rules().documents.stale_site_days == 7
    monkeypatch.delenv(freshness_config.RULES_DIR_ENV)
    assert freshness_config.rules().documents.stale_site_days == 180
