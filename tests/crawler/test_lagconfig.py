"""The weekly configuration: shipped defaults, user files merged on top, and exact errors."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.lagconfig import DEFAULT_PATH, ConfigError, load_config, rule_criteria_id


def test_the_shipped_defaults_load_and_say_what_lagging_means():
    config = load_config()
    assert config.sources == (str(DEFAULT_PATH),)
    assert config.units == ("opd", "ppid", "portal") and config.timezone_hours == 7
    assert config.rules["stale_content"] == {"enabled": True, "max_age_days": 90,
                                              "check_ids": ["freshness.newest_content"], "undated_is_stale": True}
    assert config.ladder.escalate_after_weeks == (1, 2, 3) and config.ladder.levels == 3
    assert (config.ladder.when_fixed, config.ladder.fixed_weeks, config.ladder.deadline_days) == ("step_down", 1,
                                                                                                  (14, 7, 7))
    assert config.schedule["crawl"].daily_at == dt.time(1, 0)
    assert config.schedule["weekly_report"].weekly_at == (0, dt.time(6, 0))
    assert rule_criteria_id(config) == [
        "situs tidak dapat dibuka lebih dari 20% waktu pemantauan dalam seminggu",
        "konten terbaru lebih tua dari 90 hari",
        "ada dokumen wajib tahun anggaran berjalan atau sebelumnya yang belum dipublikasikan",
        "informasi publik yang wajib disediakan PPID belum lengkap",
        "skor gabungan di bawah 50",
        "skor gabungan turun lebih dari 15 poin dari minggu sebelumnya",
    ]


def test_a_user_file_changes_only_what_it_names(tmp_path):
    path = tmp_path / "pemda.yaml"
    path.write_text(
        "rules:\n"
        "  stale_content: {max_age_days: 30}\n"
        "  ppid_incomplete: {enabled: false}\n"
        "ladder: {when_fixed: reset, escalate_after_weeks: [2, 4, 6]}\n"
        "delivery:\n"
        "  recipients: {'15': [sekda@jambiprov.go.id], '*': [pantau@kominfo.go.id]}\n"
        "schedule:\n"
        "  crawl: {every_minutes: 720}\n", encoding="utf-8")
    config = load_config(path)
    default = load_config()
    assert config.rules["stale_content"]["max_age_days"] == 30
    assert config.rules["stale_content"]["check_ids"] == ["freshness.newest_content"]
    assert config.rules["ppid_incomplete"]["enabled"] is False
    assert config.ladder.escalate_after_weeks == (2, 4, 6) and config.ladder.when_fixed == "reset"
    assert config.ladder.deadline_days == (14, 7, 7)
    assert config.delivery.recipients_for("15") == ["sekda@jambiprov.go.id", "pantau@kominfo.go.id"]
    assert config.delivery.recipients_for(None) == ["pantau@kominfo.go.id"]
    # a job names one cadence: the user's replaces the default whole
    assert (config.schedule["crawl"].every_minutes, config.schedule["crawl"].daily_at) == (720, None)
    assert config.digest != default.digest and load_config(path).digest == config.digest


def test_the_environment_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "env.yaml"
    path.write_text("rules: {low_score: {min_composite: 65}}\n", encoding="utf-8")
    monkeypatch.setenv("PANTAU_LAG_RULES", str(path))
    assert load_config().rules["low_score"]["min_composite"] == 65


BAD = [
    ("rules:\n  stale_content:\n    max_age_days: soon\n",
     "{f}:3: rules.stale_content.max_age_days: must be an integer, got string 'soon'"),
    ("rules:\n  downtime: {max_down_percent: 120}\n",
     "{f}:2: rules.downtime.max_down_percent: must be between 0 and 100, got 120"),
    ("rules:\n  stale:\n    max_age_days: 3\n",
     "{f}:2: rules.stale: unknown key (expected one of: downtime, stale_content, missing_documents, "
     "ppid_incomplete, low_score, score_drop)"),
    ("rules:\n  low_score: {minimum: 40}\n",
     "{f}:2: rules.low_score.minimum: unknown key (expected one of: enabled, min_composite)"),
    ("rules:\n  ppid_incomplete: {min_severity: serious}\n",
     "{f}:2: rules.ppid_incomplete.min_severity: 'serious' is not one of: info, low, medium, high, critical"),
    ("rules:\n  missing_documents: {check_prefixes: []}\n",
     "{f}:2: rules.missing_documents.check_prefixes: must not be empty"),
    ("rules:\n  downtime: {enabled: 'yes'}\n",
     "{f}:2: rules.downtime.enabled: must be true or false, got string 'yes'"),
    ("ladder:\n  escalate_after_weeks:\n    - 2\n    - 2\n",
     "{f}:4: ladder.escalate_after_weeks[1]: must be greater than the level before (2), got 2"),
    ("ladder: {escalate_after_weeks: [1, 2]}\n",
     "{f}:1: ladder.deadline_days: needs one entry per level (2), got 3 (the default); set it with the levels"),
    ("ladder:\n  escalate_after_weeks: [1, 2]\n  deadline_days: [7]\n",
     "{f}:3: ladder.deadline_days: needs one entry per level (2), got 1"),
    ("ladder: {when_fixed: forgive}\n",
     "{f}:1: ladder.when_fixed: 'forgive' is not one of: step_down, reset"),
    ("units: [opd, dinas]\n", "{f}:1: units[1]: 'dinas' is not one of: portal, opd, ppid"),
    ("timezone_hours: 7.5\n", "{f}:1: timezone_hours: must be an integer, got number 7.5"),
    ("report: {trend_weeks: 1}\n", "{f}:1: report.trend_weeks: must be between 2 and 104, got 1"),
    ("delivery:\n  recipients:\n    '15': [sekda-at-jambiprov]\n",
     "{f}:3: delivery.recipients.15[0]: 'sekda-at-jambiprov' is not valid (an email address)"),
    ("delivery:\n  recipients:\n    Jambi: [a@b.go.id]\n",
     '{f}:3: delivery.recipients.Jambi: must be a quoted region code like "15" or "*"'),
    ("schedule:\n  crawl: {daily_at: '25:00'}\n",
     "{f}:2: schedule.crawl.daily_at: '25:00' is not valid (a time like \"06:00\")"),
    ("schedule:\n  weekly_report: {weekly_at: 'someday 06:00'}\n",
     "{f}:2: schedule.weekly_report.weekly_at: 'someday 06:00' must start with a weekday "
     "(mon, tue, wed, thu, fri, sat, sun)"),
    ("schedule:\n  probe: {enabled: true}\n",
     "{f}:2: schedule.probe: needs exactly one of every_minutes, daily_at, weekly_at"),
    ("schedule:\n  crawl: {daily_at: '01:00', send: true}\n",
     "{f}:2: schedule.crawl.send: unknown key (expected one of: enabled, every_minutes, daily_at, weekly_at, args)"),
    ("colour: red\n", "{f}:1: colour: unknown key (expected one of: units, timezone_hours, rules, ladder, report, "
     "delivery, schedule)"),
    ("rules:\n  downtime: {max_down_percent: 10}\n  downtime: {max_down_percent: 20}\n",
     "{f}:3: duplicate key 'downtime'"),
    ("rules: [downtime]\n", "{f}:1: rules: must be a mapping, got a list"),
    ("rules: {downtime: {max_down_percent: 10}\n", "{f}:2: invalid YAML: expected ',' or '}', but got '<stream end>'"),
    ("- just a list\n", "{f}:1: the configuration must be a mapping, got a list"),
]


@pytest.mark.parametrize("text,message", BAD, ids=[m.split(": ", 1)[1][:40] for _, m in BAD])
def test_a_bad_file_is_refused_with_its_file_line_and_problem(tmp_path, text, message):
    path = tmp_path / "aturan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == message.replace("{f}", str(path)).replace("{default}", str(DEFAULT_PATH))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.yaml: cannot read configuration: No such file or directory"):
        load_config(tmp_path / "nope.yaml")
