"""The four e-government stages of Inpres 3/2003, as seed 000 measures a website, and the
interaction score.

Everything that decides a stage is data in this module: ``STAGES`` (the rule table) and
``INTERACTION_WEIGHTS`` (the score). A site reaches a stage when it meets every requirement
of that stage and of every stage below it; a site whose pages could be read is at least at
stage 1 (Persiapan). The features themselves come from ``checks.features``.

The ``interaction.stage`` check stores one finding per site whose detail carries the stage,
the score, the requirements met and missing, and every feature with its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.base import Finding, SiteEvidence
from checks.features import DETECTORS, FeatureResult, detect_all
from checks.features.services import audiences

CHECK_ID = "interaction.stage"
DIMENSION = "interaction"

# Media of interaction between government and visitors (primer: email, telephone, feedback form,
# polling, discussion forum, SMS, chat; the seeds also name social media and SP4N-LAPOR).
INTERACTION_MEDIA = ("email", "telephone", "sms", "whatsapp", "feedback_form", "polling", "forum", "live_chat",
                     "complaint", "social_media")


@dataclass(frozen=True)
class Requirement:
    key: str
    label_id: str  # short Indonesian label, for tables
    text_id: str  # Indonesian, for reports and `pantau explain`
    text_en: str
    any_of: tuple[str, ...] = ()  # met when at least one of these features is found
    audiences: tuple[str, ...] = ()  # met when the e-services found serve every one of these kinds

    def check(self, features: dict[str, FeatureResult]) -> tuple[bool, list[str]]:
        """Whether ``features`` meet this requirement, and what meets it (feature keys or kinds)."""
        if self.audiences:
            served = audiences(features["e_services"]) if "e_services" in features else set()
            return set(self.audiences) <= served, sorted(served & set(self.audiences))
        found = [key for key in self.any_of if key in features and features[key].found]
        return bool(found), found


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    name: str  # Indonesian name as the Inpres uses it
    meaning_id: str
    meaning_en: str
    requires: tuple[Requirement, ...] = field(default_factory=tuple)


STAGES: tuple[Stage, ...] = (
    Stage(1, "persiapan", "Persiapan",
          "situs informasi: dapat dibuka dan memuat informasi",
          "an informational website that can be opened"),
    Stage(2, "pematangan", "Pematangan",
          "ada sarana interaksi dengan pengunjung dan tautan ke instansi lain",
          "a medium of interaction with visitors and links to other institutions",
          (Requirement("interaction_medium", "sarana interaksi",
                       "sarana interaksi (email, telepon, SMS, WhatsApp, formulir, polling, forum, obrolan, "
                       "kanal pengaduan atau media sosial)",
                       "a medium of interaction (email, telephone, SMS, WhatsApp, form, poll, forum, chat, "
                       "complaint channel or social media)",
                       any_of=INTERACTION_MEDIA),
           Requirement("institution_links", "tautan ke instansi lain", "tautan ke instansi pemerintah lain",
                       "links to other government institutions", any_of=("gov_links",)))),
    Stage(3, "pemantapan", "Pemantapan",
          "ada layanan publik elektronik yang dapat diakses warga (belum harus terintegrasi)",
          "at least one accessible electronic public service (integration not required)",
          (Requirement("e_service", "layanan publik elektronik",
                       "layanan publik elektronik (LPSE, perizinan daring, SIAK, e-planning, e-budgeting, JDIH, "
                       "Satu Data, atau aplikasi layanan daring)",
                       "an electronic public service (LPSE, online licensing, SIAK, e-planning, e-budgeting, "
                       "JDIH, open data, or an online application)",
                       any_of=("e_services",)),)),
    Stage(4, "pemanfaatan", "Pemanfaatan",
          "layanan transaksional terintegrasi untuk warga, dunia usaha dan antarinstansi (G2C, G2B, G2G)",
          "integrated transactional services (G2C, G2B, G2G)",
          (Requirement("all_audiences", "layanan G2C, G2B dan G2G",
                       "layanan elektronik untuk warga, dunia usaha dan antarinstansi (G2C, G2B dan G2G)",
                       "electronic services for citizens, business and government (G2C, G2B and G2G)",
                       audiences=("G2C", "G2B", "G2G")),
           Requirement("integrated", "integrasi (satu akun/SSO)", "layanan terintegrasi (satu akun/single sign-on)",
                       "integrated services (one account / single sign-on)", any_of=("integration",)))),
)
STAGE_BY_NUMBER = {s.number: s for s in STAGES}
STAGE_BY_KEY = {s.key: s for s in STAGES}
REQUIREMENTS = {r.key: r for s in STAGES for r in s.requires}

# Points of the interaction score (0-100) for each feature found. They add up to 100.
INTERACTION_WEIGHTS: dict[str, int] = {
    "email": 10,
    "telephone": 10,
    "whatsapp": 8,
    "sms": 4,
    "feedback_form": 12,
    "complaint": 12,
    "polling": 8,
    "forum": 6,
    "live_chat": 6,
    "social_media": 8,
    "gov_links": 6,
    "e_services": 10,
}
assert sum(INTERACTION_WEIGHTS.values()) == 100, "interaction weights must add up to 100"
assert set(INTERACTION_WEIGHTS) <= set(DETECTORS), "every weighted feature needs a detector"


@dataclass
class StageVerdict:
    stage: Stage | None  # None: no page could be read
    met: dict[str, tuple[bool, list[str]]]  # requirement key -> (met, what meets it), for every stage
    score: int

    @property
    def number(self) -> int | None:
        return self.stage.number if self.stage else None

    @property
    def next_stage(self) -> Stage | None:
        return STAGE_BY_NUMBER.get((self.number or 0) + 1)

    def missing(self) -> list[Requirement]:
        """The requirements the next stage still needs (empty at the top stage)."""
        nxt = self.next_stage
        if nxt is None:
            return []
        return [r for r in nxt.requires if not self.met[r.key][0]]


def interaction_score(features: dict[str, FeatureResult], weights: dict[str, int] = INTERACTION_WEIGHTS) -> int:
    """0-100: the weights of the features found."""
    return sum(weight for key, weight in weights.items() if key in features and features[key].found)


def classify(features: dict[str, FeatureResult], readable: bool = True) -> StageVerdict:
    """The stage ``features`` earn: every requirement of a stage and of all stages below it."""
    met = {r.key: r.check(features) for s in STAGES for r in s.requires}
    if not readable:
        return StageVerdict(None, met, 0)
    reached = STAGES[0]
    for stage in STAGES[1:]:
        if not all(met[r.key][0] for r in stage.requires):
            break
        reached = stage
    return StageVerdict(reached, met, interaction_score(features))


def _feature_names(keys: list[str]) -> str:
    return ", ".join(DETECTORS[k].name_id if k in DETECTORS else k for k in keys)


def stage(evidence: SiteEvidence) -> list[Finding]:
    """The Inpres 3/2003 stage and the interaction score of one site, with every feature's evidence."""
    pages = evidence.html_pages
    home = evidence.home
    url = home.url if home else evidence.site.get("url")
    if not pages:
        return [Finding(CHECK_ID, DIMENSION, False, "info",
                        "Tahap e-government tidak dapat dinilai: tidak ada halaman HTML yang dapat dibaca",
                        "e-government stage not assessable: no readable HTML page", url,
                        {"no_evidence": True, "stage": None, "score": None})]
    features = detect_all(evidence)
    verdict = classify(features)
    reached, nxt = verdict.stage, verdict.next_stage
    missing = verdict.missing()
    detail = {
        "stage": reached.number,
        "stage_key": reached.key,
        "stage_name": reached.name,
        "score": verdict.score,
        "requirements": {key: {"met": ok, "by": by} for key, (ok, by) in verdict.met.items()},
        "next": ({"stage": nxt.number, "stage_name": nxt.name, "missing": [r.key for r in missing]}
                 if nxt else None),
        "service_kinds": sorted(audiences(features["e_services"])),
        "features": {key: result.as_dict() for key, result in features.items()},
        "pages_checked": len(pages),
    }
    message_id = f"Tahap {reached.number} {reached.name} (Inpres 3/2003), skor interaksi {verdict.score}/100"
    message_en = f"stage {reached.number} {reached.key}, interaction score {verdict.score}/100"
    media = [k for k in INTERACTION_MEDIA if features[k].found]
    if media:
        message_id += f"; sarana interaksi: {_feature_names(media)}"
    if nxt:
        message_id += f"; untuk tahap {nxt.name} belum ada " + "; ".join(r.text_id for r in missing)
        message_en += f"; {nxt.key} still needs " + "; ".join(r.text_en for r in missing)
    # A classification, not a penalty: what a site lacks is scored by interaction.contact and listed
    # by `pantau explain`; a persiapan site still shows up among the lag list's reasons.
    return [Finding(CHECK_ID, DIMENSION, reached.number >= 2, "info", message_id, message_en, url, detail)]
