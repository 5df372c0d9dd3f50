"""Live chat: a chat widget loaded by the page, or a Messenger chat link."""

from __future__ import annotations

from checks.features.base import Clues, FeatureResult, SiteView

# vendor, then the markers its embed code leaves in script addresses, inline code or markup.
CHAT_WIDGETS = (
    ("tawk.to", ("embed.tawk.to", "tawk.to/chat", "Tawk_API")),
    ("Tidio", ("code.tidio.co", "tidioChatApi")),
    ("Crisp", ("client.crisp.chat", "CRISP_WEBSITE_ID", "$crisp")),
    ("LiveChat", ("cdn.livechatinc.com", "__lc.license")),
    ("Facebook Messenger", ("xfbml.customerchat", "fb-customerchat", "customerchat.js")),
    ("Zendesk", ("static.zdassets.com", "zopim.com", "$zopim")),
    ("JivoChat", ("code.jivosite.com", "code.jivo.ru")),
    ("Smartsupp", ("smartsuppchat.com", "_smartsupp")),
    ("Chatra", ("call.chatra.io", "ChatraID")),
    ("Olark", ("static.olark.com",)),
    ("Freshchat", ("wchat.freshchat.com", "fcWidget")),
    ("Intercom", ("widget.intercom.io",)),
)
CHAT_CLASSES = ("fb-customerchat", "tawk-", "tidio-", "crisp-client", "livechat", "chat-widget", "jivo-")
MESSENGER_HOSTS = ("m.me", "www.m.me")


def _vendor(code: str) -> str | None:
    for vendor, markers in CHAT_WIDGETS:
        if any(marker in code for marker in markers):
            return vendor
    return None


def live_chat(site) -> FeatureResult:
    """A live chat widget (tawk.to, Tidio, Crisp, LiveChat, Facebook Messenger and others) in the
    page's scripts or markup, or an m.me Messenger chat link; commented-out embeds and articles
    that merely name a vendor do not count, nor do "send to Messenger" share buttons."""
    site = SiteView.of(site)
    clues = Clues("live_chat")
    for view in site.pages:
        for code in view.scripts + view.frames:
            vendor = _vendor(code)
            if vendor:
                clues.add(view.url, f"widget obrolan {vendor}", vendor, "script")
        for tag in view.all("@class"):
            classes = " ".join(tag.get("class") or [])
            if any(marker in classes for marker in CHAT_CLASSES):
                vendor = _vendor(classes) or classes.split()[0]
                clues.add(view.url, f"widget obrolan {vendor}", vendor, "markup")
                break
    for a in site.anchors:
        if a.host in MESSENGER_HOSTS and a.path.strip("/"):
            clues.add(a.page_url, a.snippet(), "Facebook Messenger", "link")
    return clues.result()
