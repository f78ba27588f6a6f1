"""Government web pages as saved from a site, filled with invented text.

Three site templates (a GOV.UK-style page, a gov.cn-style page, a ministry page) carry the
same kinds of site chrome around their article: cookie banner, mega-menu, breadcrumbs,
feedback form, "share this page", related links / latest news and a footer. Each page is
also written as Markdown the way an html-to-markdown browser extension saves it (every
link as ``[text](url)``, menus as link lists, images as ``![alt](src)``).

:func:`site_pages` returns ``SitePage`` records that know which words are article and
which are chrome, so that a reader or an extraction library can be scored on them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

_EN_WORDS = ["marmalade", "orbit", "tortoise", "whistle", "copper", "kite", "velvet", "tunnel", "lantern", "gravel", "moonlight", "harbour", "meadow", "quartz", "pebble", "saffron", "thimble", "walrus", "zephyr", "bramble", "cobalt", "dune", "ember", "fjord", "glacier", "hazel", "indigo", "juniper", "kelp", "lagoon", "mosaic", "nectar", "opal", "parsnip", "quill", "rhubarb", "sorrel", "tinsel", "umber", "vellum", "wicker", "yarrow", "acorn", "basalt", "cinder", "drizzle", "fennel", "garnet", "heron", "ivy", "jasper", "kestrel", "lichen", "mango", "nutmeg", "oyster", "pumice", "quince", "rosin", "sleet", "thistle"]
_ZH_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥山川河湖海松柏梅兰竹菊桃李杏梨橙柚瓜豆麦稻粟禾苗叶根茎花果"
_EN_GLUE = ["the", "of", "and", "to", "in", "for", "with", "will", "is", "are", "we", "that", "by", "on", "as", "our"]  # prose has function words
URL_WORDS = ("zebrafinch", "quokkapath")  # words that occur only inside link targets, never as text


def _en_sentence(rng: random.Random, lo: int = 12, hi: int = 20) -> str:
    words = [rng.choice(_EN_GLUE) if rng.random() < 0.5 else rng.choice(_EN_WORDS)
             for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _en_heading(rng: random.Random) -> str:
    return " ".join(rng.choices(_EN_WORDS, k=rng.randint(2, 4))).capitalize()


def _zh_sentence(rng: random.Random, lo: int = 18, hi: int = 36) -> str:
    return "".join(rng.choices(_ZH_CHARS, k=rng.randint(lo, hi))) + "。"


def _zh_heading(rng: random.Random) -> str:
    return "".join(rng.choices(_ZH_CHARS, k=rng.randint(4, 8)))


@dataclass
class Article:
    """An article's content as (kind, payload) blocks: h1..h3, p, ul, ol, table, link_p, img."""

    blocks: list[tuple[str, object]] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every piece of visible article text."""
        out = []
        for kind, payload in self.blocks:
            if kind in ("ul", "ol"):
                out += list(payload)
            elif kind == "table":
                out += [cell for row in payload for cell in row]
            elif kind == "link_p":
                out.append("".join(text for text, _ in payload))
            elif kind != "img":
                out.append(payload)
        return out


def article(rng: random.Random, *, chinese: bool = False, numbered: bool = False) -> Article:
    """A title, an opening paragraph, two sections with a sub-section, lists, a table, a link and an image.

    ``numbered``: headings print their numbers ("1.", "1.1") instead of relying on levels alone.
    """
    sentence, heading = (_zh_sentence, _zh_heading) if chinese else (_en_sentence, _en_heading)
    blocks: list[tuple[str, object]] = [("h1", heading(rng)), ("p", sentence(rng) + " " + sentence(rng))]
    for s in (1, 2):
        blocks.append(("h2", f"{s}. {heading(rng)}" if numbered else heading(rng)))
        blocks.append(("p", " ".join(sentence(rng) for _ in range(3))))
        blocks.append(("link_p", [(sentence(rng, 6, 9)[:-1] + " ", None), (heading(rng), f"/guidance/{URL_WORDS[0]}-{s}"),
                                  (" " + sentence(rng, 5, 8), None)]))
        blocks.append(("h3", f"{s}.1 {heading(rng)}" if numbered else heading(rng)))
        blocks.append(("p", " ".join(sentence(rng) for _ in range(2))))
        blocks.append(("ul" if s == 1 else "ol", [sentence(rng, 8, 12) for _ in range(3)]))
        if s == 1:
            blocks.append(("img", (heading(rng), f"/media/{URL_WORDS[1]}.png")))
            blocks.append(("table", [[heading(rng), heading(rng)], [sentence(rng, 4, 6), sentence(rng, 4, 6)]]))
    return Article(blocks)


@dataclass
class SitePage:
    """One saved page: its HTML and Markdown, the article's texts and the chrome's texts."""

    name: str
    html: str
    markdown: str
    content: list[str]
    chrome: list[str]
    language: str = "en"


# ---- chrome shared by the templates, as (text, href) links and plain lines --------------------------------

_GOVUK_MENU = [("Benefits", "/browse/benefits"), ("Births, death, marriages and care", "/browse/births"),
               ("Business and self-employed", "/browse/business"), ("Childcare and parenting", "/browse/childcare"),
               ("Citizenship and living in the UK", "/browse/citizenship"), ("Crime, justice and the law", "/browse/justice"),
               ("Disabled people", "/browse/disabilities"), ("Driving and transport", "/browse/driving"),
               ("Education and learning", "/browse/education"), ("Employing people", "/browse/employing"),
               ("Environment and countryside", "/browse/environment"), ("Housing and local services", "/browse/housing"),
               ("Money and tax", "/browse/tax"), ("Passports, travel and living abroad", "/browse/abroad"),
               ("Visas and immigration", "/browse/visas"), ("Working, jobs and pensions", "/browse/working")]
_GOVUK_ACTIVITY = [("Departments", "/government/organisations"), ("News", "/search/news-and-communications"),
                   ("Guidance and regulation", "/search/guidance"), ("Research and statistics", "/search/research"),
                   ("Policy papers and consultations", "/search/policy"), ("Transparency", "/search/transparency"),
                   ("How government works", "/government/how-government-works"), ("Get involved", "/government/get-involved")]
_GOVUK_SUPPORT = [("Help", "/help"), ("Privacy", "/help/privacy-notice"), ("Cookies", "/help/cookies"),
                  ("Accessibility statement", "/help/accessibility"), ("Contact", "/contact"),
                  ("Terms and conditions", "/help/terms-conditions"), ("Rhestr o Wasanaethau Cymraeg", "/cymraeg"),
                  ("Government Digital Service", "/government/organisations/gds")]
_COOKIE_LINES = ["Cookies on GOV.UK",
                 "We use some essential cookies to make this website work.",
                 ("We would like to set additional cookies to understand how you use GOV.UK, remember your "
                 "settings and improve government services."),
                 "We also use cookies set by other sites to help us deliver content from their services."]
_FEEDBACK_LINES = ["Is this page useful?", "Maybe", "Yes this page is useful", "No this page is not useful",
                   "Thank you for your feedback", "Report a problem with this page", "Help us improve GOV.UK",
                   ("Do not include personal or financial information like your National Insurance number "
                   "or credit card details."), "What were you doing?", "What went wrong?", "Send",
                   "Cancel"]
_RELATED = [("Automated transport consultation response", "/government/consultations/transport"),
            ("Regulation and innovation review", "/government/publications/review"),
            ("National data strategy update", "/government/publications/data")]
_SHARE = [("Facebook", "https://www.facebook.com/sharer"), ("Twitter", "https://twitter.com/share"),
          ("Email", "mailto:?subject=page")]
_FOOTER_LINES = ["All content is available under the Open Government Licence v3.0, except where otherwise stated",
                 "© Crown copyright"]


def _a(text: str, href: str | None) -> str:
    return f'<a href="{href}">{text}</a>' if href else text


def _html_article(art: Article, *, wrapper: str) -> str:
    """The article's blocks as HTML inside ``wrapper`` (an opening tag; its closing tag is added)."""
    out = []
    for kind, payload in art.blocks:
        if kind in ("h1", "h2", "h3", "p"):
            out.append(f"<{kind}>{payload}</{kind}>")
        elif kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{item}</li>" for item in payload) + f"</{kind}>")
        elif kind == "table":
            head, *rows = payload
            out.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
                       + "</tbody></table>")
        elif kind == "link_p":
            out.append("<p>" + "".join(_a(text, href) for text, href in payload) + "</p>")
        elif kind == "img":
            alt, src = payload
            out.append(f'<figure><img src="{src}" alt="{alt}"></figure>')
    tag = re.match(r"<(\w+)", wrapper).group(1)
    return wrapper + "\n".join(out) + f"</{tag}>"


def _md_article(art: Article, *, site: str) -> list[str]:
    """The article's blocks as Markdown, links absolute as a browser extension writes them."""
    out = []
    for kind, payload in art.blocks:
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + payload)
        elif kind == "p":
            out.append(payload)
        elif kind == "ul":
            out.append("\n".join(f"-   {item}" for item in payload))
        elif kind == "ol":
            out.append("\n".join(f"{i}.  {item}" for i, item in enumerate(payload, 1)))
        elif kind == "table":
            head, *rows = payload
            lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "link_p":
            out.append("".join(f"[{text}]({site}{href})" if href else text for text, href in payload))
        elif kind == "img":
            alt, src = payload
            out.append(f"![{alt}]({site}{src})")
    return out


def _md_links(links, site: str, marker: str = "-   ") -> str:
    return "\n".join(f"{marker}[{text}]({href if href.startswith(('http', 'mailto')) else site + href})"
                     for text, href in links)


def _html_links(links, cls: str = "") -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{_a(t, h)}</li>" for t, h in links) + "</ul>"


def _texts(links) -> list[str]:
    return [text for text, _ in links]


def govuk_page(rng: random.Random) -> SitePage:
    """A GOV.UK-style detailed guide (no govspeak markup), with the site's header, menus and footer."""
    art = article(rng)
    org, published = "Department for Invented Affairs", "Published 3 March 2025"
    breadcrumbs = [("Home", "/"), ("Business and industry", "/business-and-industry"), ("Science and innovation", "/science")]
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{art.blocks[0][1]} - GOV.UK</title></head>
<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div class="govuk-cookie-banner" role="region" aria-label="Cookies on GOV.UK"><h2>{_COOKIE_LINES[0]}</h2>
{''.join(f'<p>{line}</p>' for line in _COOKIE_LINES[1:])}
<button>Accept additional cookies</button><button>Reject additional cookies</button><a href="/help/cookies">View cookies</a></div>
<header class="gem-c-layout-super-navigation-header"><a href="/">GOV.UK</a>
<nav aria-label="Menu"><button>Menu</button><div class="menu"><h3>Services and information</h3>{_html_links(_GOVUK_MENU)}
<h3>Government activity</h3>{_html_links(_GOVUK_ACTIVITY)}</div>
<form action="/search"><label>Search GOV.UK</label><input name="q"><button>Search</button></form></nav></header>
<div class="govuk-width-container"><nav class="govuk-breadcrumbs"><ol>{''.join(f'<li>{_a(t, h)}</li>' for t, h in breadcrumbs)}</ol></nav>
<main class="govuk-main-wrapper" id="main-content" role="main"><div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<span class="govuk-caption-xl">Guidance</span>
<div class="gem-c-metadata"><dl><dt>From:</dt><dd><a href="/government/organisations/dia">{org}</a></dd>
<dt>Published</dt><dd>{published}</dd></dl></div>
<div class="gem-c-share-links"><h2>Share this page</h2>{_html_links(_SHARE)}</div>
{_html_article(art, wrapper='<div class="gem-c-guide-body">')}
<div class="gem-c-print-link"><button>Print this page</button></div></div>
<div class="govuk-grid-column-one-third"><aside class="gem-c-related-navigation"><h2>Related content</h2>{_html_links(_RELATED)}
<h2>Explore the topic</h2>{_html_links(breadcrumbs[1:])}</aside></div></div>
<div class="gem-c-feedback"><h2>{_FEEDBACK_LINES[0]}</h2><ul><li><a href="#">{_FEEDBACK_LINES[1]}</a></li></ul>
<button>{_FEEDBACK_LINES[2]}</button><button>{_FEEDBACK_LINES[3]}</button><a href="#">{_FEEDBACK_LINES[5]}</a>
<form><h3>{_FEEDBACK_LINES[6]}</h3><p>{_FEEDBACK_LINES[7]}</p><label>{_FEEDBACK_LINES[8]}</label><input>
<label>{_FEEDBACK_LINES[9]}</label><input><button>{_FEEDBACK_LINES[10]}</button><button>{_FEEDBACK_LINES[11]}</button></form></div>
</main></div>
<footer class="gem-c-layout-footer"><div><h2>Topics</h2>{_html_links(_GOVUK_MENU)}<h2>Government activity</h2>{_html_links(_GOVUK_ACTIVITY)}</div>
<h2 class="govuk-visually-hidden">Support links</h2>{_html_links(_GOVUK_SUPPORT)}
<p>{_FOOTER_LINES[0]}</p><a href="/crown">{_FOOTER_LINES[1]}</a></footer></body></html>"""
    site = "https://www.gov.uk"
    md = [f"{art.blocks[0][1]} - GOV.UK", "", "[Skip to main content](#main-content)", "",
          f"## {_COOKIE_LINES[0]}", *_COOKIE_LINES[1:], ("Accept additional cookies Reject additional cookies "
          f"[View cookies]({site}/help/cookies)"), f"[![GOV.UK](https://www.gov.uk/logo.png)]({site}/)",
          "Menu", "### Services and information", _md_links(_GOVUK_MENU, site), "### Government activity",
          _md_links(_GOVUK_ACTIVITY, site), "Search GOV.UK",
          "\n".join(f"{i}.  [{t}]({site}{h})" for i, (t, h) in enumerate(breadcrumbs, 1)), "Guidance",
          *_md_article(art, site=site)[:1], f"From:\n[{org}]({site}/government/organisations/dia)",
          f"{published}", "## Share this page", _md_links(_SHARE, site), *_md_article(art, site=site)[1:],
          "Print this page", "## Related content", _md_links(_RELATED, site), "## Explore the topic",
          _md_links(breadcrumbs[1:], site), "## " + _FEEDBACK_LINES[0], f"-   [{_FEEDBACK_LINES[1]}](#)",
          *_FEEDBACK_LINES[2:5], f"[{_FEEDBACK_LINES[5]}](#)", "### " + _FEEDBACK_LINES[6], *_FEEDBACK_LINES[7:],
          "## Topics", _md_links(_GOVUK_MENU, site), "## Government activity", _md_links(_GOVUK_ACTIVITY, site),
          "## Support links", _md_links(_GOVUK_SUPPORT, site), _FOOTER_LINES[0].replace(
              "Open Government Licence v3.0", f"[Open Government Licence v3.0]({site}/ogl)"),
          f"[{_FOOTER_LINES[1]}]({site}/crown)"]
    chrome = (["Skip to main content", *_COOKIE_LINES, "Accept additional cookies", "Reject additional cookies",
               "View cookies", "Menu", "Services and information", "Government activity", "Search GOV.UK", "Search",
               org, "From:", published, "Share this page", "Print this page", "Related content", "Explore the topic",
               "Topics", "Support links", *_FEEDBACK_LINES, *_FOOTER_LINES, "Guidance"]
              + _texts(_GOVUK_MENU) * 2 + _texts(_GOVUK_ACTIVITY) * 2 + _texts(_GOVUK_SUPPORT) + _texts(_SHARE)
              + _texts(_RELATED) + _texts(breadcrumbs) * 2)
    return SitePage("govuk", html, "\n\n".join(md) + "\n", art.texts(), chrome)


_CN_NAV = [("首页", "/"), ("新闻", "/xinwen/"), ("政策", "/zhengce/"), ("互动", "/hudong/"), ("服务", "/fuwu/"),
           ("数据", "/shuju/"), ("国情", "/guoqing/"), ("国务院", "/guowuyuan/"), ("总理", "/premier/")]
_CN_RELATED = [("关于推进新型基础设施建设的通知", "/zhengce/content/a.htm"),
               ("有关部门负责人就政策答记者问", "/zhengce/content/b.htm"),
               ("图解：一图读懂最新政策要点", "/zhengce/content/c.htm")]
_CN_FOOTER = ["主办单位：国务院办公厅　运行维护单位：中国政府网运行中心", "版权所有：中国政府网　中文域名：中国政府网.政务",
              "网站标识码bm01000001　京ICP备05070218号　京公网安备11010202000001号"]
_CN_TOOLS = ["【我要纠错】", "责任编辑：王小明", "【打印本页】", "【关闭窗口】", "分享到：", "微信", "微博", "扫一扫在手机打开当前页"]


def govcn_page(rng: random.Random) -> SitePage:
    """A gov.cn-style news page (no policy-library body id), with its bars, share tools and footer."""
    art = article(rng, chinese=True)
    crumbs = "当前位置：首页 > 政策 > 最新"
    source = "来源：新华社　2025-03-03 10:00"
    footer_links = [("网站地图", "/map.htm"), ("联系我们", "/contact.htm"), ("无障碍", "/wza.htm"), ("English", "/english/")]
    html = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{art.blocks[0][1]}_滚动新闻_中国政府网</title></head>
<body><div class="header_top"><a href="/wza.htm">无障碍</a><a href="/english/">English</a><a href="/login">登录</a><a href="/reg">注册</a></div>
<div class="header"><div class="logo"><img src="/logo.png" alt="中国政府网"></div>
<div class="nav">{_html_links(_CN_NAV)}</div><div class="search"><input><button>搜索</button></div></div>
<div class="crumbs">{crumbs}</div>
<div class="pages_content"><div class="article">
<div class="pages-date">{source}</div>
{_html_article(art, wrapper='<div class="pages_body">')}
<div class="editor">{''.join(f'<span>{t}</span>' for t in _CN_TOOLS[:4])}</div>
<div class="share">{''.join(f'<span>{t}</span>' for t in _CN_TOOLS[4:])}</div></div>
<div class="related"><h3>相关稿件</h3>{_html_links(_CN_RELATED)}</div></div>
<div class="footer"><div class="footer_links">{_html_links(footer_links)}</div>{''.join(f'<p>{line}</p>' for line in _CN_FOOTER)}</div>
</body></html>"""
    site = "https://www.gov.cn"
    md = [("[无障碍](https://www.gov.cn/wza.htm) [English](https://www.gov.cn/english/) "
          "[登录](https://www.gov.cn/login) [注册](https://www.gov.cn/reg)"), "![中国政府网](https://www.gov.cn/logo.png)",
          _md_links(_CN_NAV, site), "搜索", crumbs, source, *_md_article(art, site=site), " ".join(_CN_TOOLS[:4]),
          " ".join(_CN_TOOLS[4:]), "### 相关稿件", _md_links(_CN_RELATED, site), _md_links(footer_links, site),
          *_CN_FOOTER]
    chrome = (["无障碍", "English", "登录", "注册", "搜索", crumbs, source, "相关稿件", *_CN_TOOLS, *_CN_FOOTER]
              + _texts(_CN_NAV) + _texts(_CN_RELATED) + _texts(footer_links))
    return SitePage("govcn", html, "\n\n".join(md) + "\n", art.texts(), chrome, "zh-Hans")


_MIN_MENU = {"The Ministry": [("Minister", "/minister"), ("State Secretaries", "/secretaries"), ("Organisation chart", "/org")],
             "Topics": [("Digital economy", "/topics/digital"), ("Research funding", "/topics/research"),
                        ("Energy transition", "/topics/energy"), ("Space industry", "/topics/space")],
             "Press": [("Press releases", "/press"), ("Speeches", "/speeches"), ("Photo library", "/photos")],
             "Service": [("Publications", "/publications"), ("Funding database", "/funding"), ("Jobs", "/jobs")]}
_MIN_COOKIES = ["This website uses cookies", ("We use cookies to offer you the best possible service and to analyse "
                "visits. You can change your choice at any time under privacy settings."), "Accept all", "Only necessary",
                "Settings"]
_MIN_NEWS = ["Minister opens new research campus in the north", "Funding call for regional innovation hubs launched",
             "State secretary visits partners at international summit"]
_MIN_FOOTER = ["Federal Ministry for Invented Affairs", "Example Street 12, 10115 Capital City",
               "Telephone: +00 30 1234 5678", "Imprint", "Privacy policy", "Accessibility", "Sitemap", "Contact"]


def ministry_page(rng: random.Random, *, numbered: bool = False) -> SitePage:
    """A ministry page: dropdown menus, cookie dialog, search, a 'Latest news' teaser list, newsletter, footer.

    The article sits in a plain ``div#content`` (no ``<main>`` or ``<article>``).
    """
    art = article(rng, numbered=numbered)
    menus = "".join(f'<li class="dropdown"><a href="#">{name}</a>{_html_links(links, "submenu")}</li>'
                    for name, links in _MIN_MENU.items())
    news = "".join(f'<li><span class="date">0{i}.03.2025</span><a href="/press/{i}">{title}</a>'
                   f"<p>{_en_sentence(rng, 8, 12)}</p></li>" for i, title in enumerate(_MIN_NEWS, 1))
    teasers = re.findall(r"<p>([^<]+)</p></li>", news)
    crumbs = [("Home", "/"), ("Topics", "/topics"), ("Digital economy", "/topics/digital")]
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ministry - {art.blocks[0][1]}</title></head>
<body><div id="cookie-dialog"><p><strong>{_MIN_COOKIES[0]}</strong></p><p>{_MIN_COOKIES[1]}</p>
<button>{_MIN_COOKIES[2]}</button><button>{_MIN_COOKIES[3]}</button><a href="/privacy">{_MIN_COOKIES[4]}</a></div>
<div id="top"><div class="logo"><a href="/"><img src="/logo.svg" alt="Federal Ministry"></a></div>
<ul class="mainmenu">{menus}</ul><div class="search"><input placeholder="Search"><button>Search</button></div></div>
<div class="breadcrumb">You are here: {' › '.join(_a(t, h) for t, h in crumbs)}</div>
<div id="wrapper"><div id="content">{_html_article(art, wrapper='<div class="text">')}
<div class="sharing"><p>Share this page</p>{_html_links(_SHARE)}</div>
<div class="rating"><p>Was this page helpful?</p><button>Yes</button><button>No</button></div></div>
<div id="sidebar"><h2>Latest news</h2><ul>{news}</ul><a href="/press">All press releases</a>
<div class="newsletter"><h2>Newsletter</h2><p>Subscribe to our newsletter and receive the latest news by email.</p>
<form><input placeholder="Email address"><button>Subscribe</button></form></div></div></div>
<div id="footer">{''.join(f'<p>{line}</p>' for line in _MIN_FOOTER[:3])}{_html_links([(t, '/' + t.lower().replace(' ', '-')) for t in _MIN_FOOTER[3:]])}</div>
</body></html>"""
    site = "https://www.ministry.example"
    md = [f"**{_MIN_COOKIES[0]}**", _MIN_COOKIES[1], f"{_MIN_COOKIES[2]} {_MIN_COOKIES[3]} [{_MIN_COOKIES[4]}]({site}/privacy)",
          f"[![Federal Ministry]({site}/logo.svg)]({site}/)",
          "\n".join(f"-   [{name}](#)\n" + "\n".join(f"    -   [{t}]({site}{h})" for t, h in links)
                    for name, links in _MIN_MENU.items()), "Search",
          "You are here: " + " › ".join(f"[{t}]({site}{h})" for t, h in crumbs), *_md_article(art, site=site),
          "Share this page", _md_links(_SHARE, site), "Was this page helpful?", "Yes No", "## Latest news",
          "\n".join(f"-   0{i}.03.2025[{title}]({site}/press/{i})\n\n    {teaser}"
                    for i, (title, teaser) in enumerate(zip(_MIN_NEWS, teasers), 1)),
          f"[All press releases]({site}/press)", "## Newsletter",
          "Subscribe to our newsletter and receive the latest news by email.", "Subscribe", *_MIN_FOOTER[:3],
          _md_links([(t, "/" + t.lower().replace(" ", "-")) for t in _MIN_FOOTER[3:]], site)]
    chrome = ([*_MIN_COOKIES, "Search", "You are here:", "Share this page", "Was this page helpful?", "Yes", "No",
               "Latest news", *_MIN_NEWS, *teasers, "All press releases", "Newsletter",
               "Subscribe to our newsletter and receive the latest news by email.", "Subscribe", *_MIN_FOOTER]
              + list(_MIN_MENU) + [t for links in _MIN_MENU.values() for t, _ in links] + _texts(_SHARE)
              + _texts(crumbs) + [f"0{i}.03.2025" for i in range(1, 4)])
    return SitePage("ministry-numbered" if numbered else "ministry", html, "\n\n".join(md) + "\n", art.texts(), chrome)


def site_pages(seed: int = 7, copies: int = 1) -> list[SitePage]:
    """``copies`` pages of each template (the GOV.UK, gov.cn and ministry templates), reproducible from ``seed``."""
    rng = random.Random(seed)
    pages = []
    for _ in range(copies):
        pages += [govuk_page(rng), govcn_page(rng), ministry_page(rng), ministry_page(rng, numbered=True)]
    return pages


_TOKEN = re.compile(r"[\u4e00-\u9fff]|[^\W\d_]+")


def tokens(text: str) -> list[str]:
    """Words of ``text`` for scoring: each Chinese character, else each run of letters, lowercased."""
    return [t.lower() for t in _TOKEN.findall(text)]


def score(page: SitePage, kept_text: str) -> tuple[float, float]:
    """(share of article words kept, share of chrome words dropped), over words found only in one of them."""
    from collections import Counter

    content, chrome = Counter(), Counter()
    for text in page.content:
        content.update(tokens(text))
    for text in page.chrome:
        chrome.update(tokens(text))
    shared = set(content) & set(chrome)
    kept = Counter(tokens(kept_text))
    content_total = sum(n for w, n in content.items() if w not in shared)
    chrome_total = sum(n for w, n in chrome.items() if w not in shared)
    content_kept = sum(min(n, kept[w]) for w, n in content.items() if w not in shared)
    chrome_kept = sum(min(n, kept[w]) for w, n in chrome.items() if w not in shared)
    return content_kept / content_total, 1 - chrome_kept / chrome_total
