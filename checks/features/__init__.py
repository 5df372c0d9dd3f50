"""Feature detectors: what a visitor can do on a site, each proven by a URL and a snippet.

Every detector is a pure function ``(SiteEvidence | SiteView) -> FeatureResult`` over the
crawled pages of one site, registered in ``DETECTORS`` below. ``detect_all`` parses the
pages once and runs them all; ``checks.stages`` turns the results into the Inpres 3/2003
stage and the interaction score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checks.base import SiteEvidence
from checks.features import channels, contact, forms, services, widgets
from checks.features.base import Clue, FeatureResult, SiteView


@dataclass(frozen=True)
class Detector:
    key: str
    func: Callable[[SiteEvidence | SiteView], FeatureResult]
    name_id: str  # Indonesian, for reports
    name_en: str


DETECTORS: dict[str, Detector] = {d.key: d for d in (
    Detector("email", contact.email, "alamat email", "email address"),
    Detector("telephone", contact.telephone, "nomor telepon", "telephone number"),
    Detector("sms", contact.sms, "layanan SMS", "SMS number"),
    Detector("whatsapp", contact.whatsapp, "WhatsApp", "WhatsApp"),
    Detector("feedback_form", forms.feedback_form, "formulir kontak/umpan balik", "feedback or contact form"),
    Detector("polling", forms.polling, "polling/survei (IKM/SKM)", "polling or survey"),
    Detector("forum", forms.forum, "forum diskusi/komentar", "discussion forum or comments"),
    Detector("live_chat", widgets.live_chat, "obrolan langsung (live chat)", "live chat widget"),
    Detector("complaint", channels.complaint, "kanal pengaduan (SP4N-LAPOR!)", "complaint channel"),
    Detector("social_media", channels.social_media, "akun media sosial", "social media accounts"),
    Detector("gov_links", channels.gov_links, "tautan ke instansi pemerintah lain",
             "links to other government institutions"),
    Detector("e_services", services.e_services, "layanan publik elektronik", "electronic public services"),
    Detector("integration", services.integration, "layanan terintegrasi (satu akun/SSO)",
             "integrated services (single sign-on)"),
)}


def detect_all(evidence: SiteEvidence | SiteView,
               detectors: dict[str, Detector] = DETECTORS) -> dict[str, FeatureResult]:
    """Every detector's result for one site, its pages parsed once."""
    view = SiteView.of(evidence)
    return {key: detector.func(view) for key, detector in detectors.items()}


__all__ = ["DETECTORS", "Clue", "Detector", "FeatureResult", "SiteView", "detect_all"]
