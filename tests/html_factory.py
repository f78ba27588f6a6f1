"""Synthetic pages in the MFA article template, filled with invented text.

The 2025 Action Plan pages are not available here; these pages reproduce the template
(title, date, body paragraphs) with placeholder sentences of our own.
"""

from __future__ import annotations

import re

ZH_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]


def mfa_page(title: str, paragraphs: list[str], *, date: str = "2025-07-26 10:00", url: str = "") -> str:
    body = "\n".join(f'<p style="text-indent: 2em;">{p}</p>' for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="Url" content="{url}" /><title>{title}_site</title></head>
<body><div class="header"><div class="lan"><a href="/eng/">English</a></div></div>
<div class="news-details"><div class="news-title"><h1>{title}</h1>
<p class="time"><span>{date}</span></p></div>
<div class="news-main" id="News_Body_Txt_A"><div class="view_default TRS_UEDITOR">
{body}
</div></div></div>
<div class="flink"><ul><li><a href="#">相关链接</a></li></ul></div></body></html>"""


def action_plan_zh(points: int = 13) -> str:
    """A Chinese page shaped like the 2025 plan: two preamble paragraphs, numbered points."""
    paragraphs = ["这是第一段测试用的序言文字，内容为占位。", "这是第二段测试用的序言文字，列出若干原则。"]
    paragraphs += [f"{ZH_NUMERALS[i]}、测试要点标题{i + 1}。这里是第{i + 1}项的占位正文，仅供解析测试使用。"
                   for i in range(points)]
    return mfa_page("测试行动计划", paragraphs)


def action_plan_en(points: int = 13) -> str:
    """The English counterpart: '1. Heading. Body' paragraphs."""
    paragraphs = ["A first placeholder preamble paragraph written for tests.",
                  "A second placeholder paragraph naming some principles."]
    paragraphs += [f"{i + 1}. Placeholder heading number {i + 1}. Body text for item {i + 1} goes here, "
                   "invented for the parser tests." for i in range(points)]
    return mfa_page("Test Action Plan", paragraphs, date="2025-07-29 09:00")


def _abbr(text: str) -> str:
    return text.replace("ZQ", '<abbr title="zonal quantifier">ZQ</abbr>')


def _cite(number: int) -> str:
    return (f'<sup id="fnref:{number}"><a href="#fn:{number}" class="govuk-link" rel="footnote" '
            f'role="doc-noteref">[footnote {number}]</a></sup>')


def govspeak_body(*, parts: int = 2, sections: int = 2, recommendations: int = 3) -> str:
    """A GOV.UK publication body in govspeak markup, filled with invented text.

    Shaped like the UK plan: a figure caption, a foreword and an introduction (unnumbered
    ``h2``), numbered parts and sections, ``h4`` subsections in call-to-action boxes, lead-in
    lines ending in a colon, numbered recommendations ``<p>N. <strong>…</strong> …</p>``
    (counted across the document; the second one of every section ends in a colon and owns
    a list), a table, ``abbr`` elements, footnotes cited by ``sup#fnref:N``, a conclusion.
    """
    html = ['<figure class="image embedded"><div class="img"><img src="cover.png" alt=""></div>',
            "<figcaption><p>Placeholder cover caption for a pretend ZQ plan.</p></figcaption></figure>",
            '<h2 id="foreword">Foreword by an invented minister</h2>',
            _abbr(f"<p>Marmalade orbits teach ZQ tortoises to whistle.{_cite(1)}</p>"),
            "<p>Our pretend ambition is that:</p>",
            "<ul><li>copper kites fly slower on Tuesdays;</li><li>velvet tunnels hum in a minor key.</li></ul>",
            '<h2 id="the-overview">The overview</h2>',
            "<p>Seven lanterns argue about the colour of rain.</p>"]
    note, number = 2, 0
    for p in range(1, parts + 1):
        html.append(f'<h2 id="part-{p}">\n<span class="number">{p}. </span> Pretend pillar {p} about '
                    + _abbr("ZQ") + "\n</h2>")
        html.append(f"<p>Opening filler sentence for pillar {p} with a cited claim.{_cite(note)}</p>")
        note += 1
        for s in range(1, sections + 1):
            html.append(f'<h3 id="section-{p}-{s}">\n<span class="number">{p}.{s} </span> Pretend section '
                        f"{p}.{s}</h3>")
            html.append(f"<p>Narrative filler for section {p}.{s} about gravel and moonlight.</p>")
            if s == 1:
                html.append('<table border="3"><tr><td><strong>Cell heading</strong><br>Cell filler words</td>'
                            "<td>Another cell</td></tr></table>")
            html.append("<p>To achieve this, the pretend government should:</p>")
            for r in range(recommendations):
                number += 1
                owns_list = r == 1
                lead = f"Invented recommendation {number} for section {p}.{s}" + (" by:" if owns_list else ".")
                tail = "" if owns_list else f" Supporting filler for recommendation {number}.{_cite(note)}"
                note += 0 if owns_list else 1
                html.append(_abbr(f"<p>{number}. <strong>{lead}</strong>{tail}</p>"))
                if owns_list:
                    html.append("<ul><li>Painting the ZQ fences teal.</li><li>Counting pebbles twice.</li></ul>")
            html.append('<div class="call-to-action">\n  <h4 id="scan">Look</h4>\n'
                        "  <p>Subsection filler that lists what comes next:</p>\n"
                        f"  <p>A closing filler line for section {p}.{s}.</p>\n</div>")
    html += ['<h2 id="conclusion">Conclusion</h2>', "<p>The pretend plan ends with a flourish of kazoos.</p>",
             '<div class="footnotes" role="doc-endnotes">\n  <ol>']
    for n in range(1, note):
        html.append(f'    <li id="fn:{n}">\n      <p>Invented source number {n}, 2024. <a href="#fnref:{n}" '
                    'class="govuk-link" role="doc-backlink" aria-label="go to where this is referenced">↩</a>'
                    "</p>\n    </li>")
    html.append("  </ol>\n</div>")
    return "\n\n".join(html)


def bare_govspeak(body: str, title: str = "Pretend Opportunities Plan") -> str:
    """The article body alone, as public datasets keep GOV.UK publications."""
    return f'<!DOCTYPE html>\n<head><title lang="en">{title} - GOV.UK</title></head>\n<body>\n{body}\n</body>\n</html>'


def govuk_page(body: str, title: str = "Pretend Opportunities Plan", *, inner_div: bool = True) -> str:
    """The body inside the GOV.UK page template: header, contents list, ``main#content`` → ``div.govspeak``.

    ``inner_div=False`` leaves out the inner ``div.govspeak`` (the body sits directly in
    ``div.gem-c-govspeak.govuk-govspeak``, as in newer pages).
    """
    if not inner_div:
        return govuk_page(body, title).replace('<div class="govspeak">', "<div>")
    return f"""<!DOCTYPE html>
<html lang="en" class="govuk-template"><head><meta charset="utf-8"><title>{title} - GOV.UK</title>
<meta name="govuk:format" content="html_publication"></head>
<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner"><div class="govuk-header__container"><a href="/">GOV.UK</a>
<nav><ul><li><a href="/browse">Topics</a></li><li><a href="/government">Government activity</a></li></ul></nav>
</div></header>
<div class="govuk-width-container"><main role="main" id="content" class="html-publication" lang="en">
<div class="publication-external"><ul class="organisation-logos"><li>Department for Pretend Affairs</li></ul></div>
<header class="gem-c-inverse-header"><p class="publication-header__document-type">Policy paper</p>
<h1 class="gem-c-title__text">{title}</h1><p class="publication-header__last-changed">Published 1 April 2025</p>
</header>
<div class="govuk-grid-row"><div class="govuk-grid-column-one-quarter-from-desktop contents-list-container">
<nav class="gem-c-contents-list" aria-label="Contents"><h2 class="gem-c-contents-list__title">Contents</h2>
<ol><li><a href="#foreword">Foreword by an invented minister</a></li><li><a href="#conclusion">Conclusion</a></li></ol>
</nav></div>
<div class="print-wrapper"><div class="print-meta-data"><p>This pretend page is for testing only.</p></div>
<div class="main-content-container"><div class="gem-c-govspeak-html-publication">
<div class="gem-c-govspeak govuk-govspeak" data-module="govspeak"><div class="govspeak">
{body}
</div></div></div></div></div></div>
<div class="gem-c-print-link"><button class="govuk-link">Print this page</button></div>
</main></div>
<footer class="govuk-footer" role="contentinfo"><p>Pretend footer of the pretend site.</p></footer></body></html>"""


GOVCN_FACTS = {"发文机关": "测试院", "发文字号": "测发〔2030〕7号", "成文日期": "2030年03月05日", "发布日期": "2030年03月09日"}


def govcn_page(title: str, paragraphs: list[str], facts: dict[str, str] = GOVCN_FACTS) -> str:
    """A page in the State Council policy-library template: metadata table, body in ``#UCAP-CONTENT``.

    The label cells are spaced as the site spaces them (索<i></i>引<i></i>号：).
    """
    cells = [("索<i> </i>引<i> </i>号：", "000000000/2030-00001"), ("主题分类：", "测试\\占位"),
             ("发文机关：", facts["发文机关"]), ("成文日期：", facts["成文日期"]),
             ("标<i>　　</i>题：", title), ("发文字号：", facts["发文字号"]), ("发布日期：", facts["发布日期"])]
    rows = "".join(f'<tr><td class="b12"><b>{label}</b></td><td class="b12">{value}</td></tr>' for label, value in cells)
    body = "\n".join(f'<p style="text-indent: 2em;">{p}</p>' for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_测试_中国政府网</title></head>
<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zhengce/">政策</a></li></ul></div>
<div class="policyLibraryOverview_header"><table class="bd1">{rows}</table></div>
<div class="article"><div class="pages_content" id="UCAP-CONTENT">
{body}
</div><div class="pages-date">{facts["发布日期"]} 来源：测试网</div></div>
<div class="footer"><p>主办单位：测试办公厅</p></div></body></html>"""


def govcn_opinions() -> str:
    """A State Council opinion in the gov.cn template: notice lines, 一、 parts, （一） sections, 1. points."""
    facts = GOVCN_FACTS
    paragraphs = [f"{facts['发文字号']}", "各测试单位：", "这是一段占位的序言文字，说明测试意见的背景。",
                  "一、总体要求", "这是总体要求之下的占位段落。",
                  "二、重点行动", "（一）测试行动甲。", "1.第一个要点。这是第一个要点的占位说明文字。",
                  "2.第二个要点。这是第二个要点的占位说明文字。",
                  "（二）测试行动乙。", "1.第三个要点。这是第三个要点的占位说明文字。",
                  "三、保障措施", "（一）加强组织。这是保障措施之下的占位文字，带有标题句。",
                  facts["发文机关"], "2030年3月5日", "（此件公开发布）"]
    return govcn_page("测试院关于深入实施测试行动的意见", paragraphs)


def govcn_plan() -> str:
    """A State Council plan in the gov.cn template: （一） sections with a heading sentence and body text
    holding "1." items, and a 专栏 box (a one-cell table, as the site sets them) holding its own items."""
    paragraphs = ["这是一段占位的序言文字，说明测试规划的背景。",
                  "一、总体要求", "这是总体要求之下的占位段落。",
                  "二、重点任务",
                  "（一）推进测试工作。这是第一节的占位正文，说明本节的目的。",
                  "1.第一个事项。这是第一个事项的占位说明。", "2.第二个事项。这是第二个事项的占位说明。",
                  ('<table class="box"><tr><td><p>专栏1 测试工程</p><p>1.工程甲。占位说明文字。</p>'
                  "<p>2.工程乙。占位说明文字。</p></td></tr></table>"),
                  "（二）完善测试机制。这是第二节的占位正文。",
                  "1.第三个事项。这是第三个事项的占位说明。",
                  "三、保障措施", "这是保障措施之下的占位段落。"]
    html = govcn_page("测试院关于印发测试规划的通知", paragraphs)
    return re.sub(r'<p style="text-indent: 2em;">(<table.*?</table>)</p>', r"\1", html)


def eurlex_page(*, footnotes_as: str = "p") -> str:
    """A Commission communication as EUR-Lex serves it (Word-converted classes), invented filler.

    ``footnotes_as`` is "p" (``<p class="footnote"><a id="footnoteN">``) or "dl" (``<dt>``/``<dd>``).
    """
    def ref(n: int) -> str:
        return f'<a id="footnoteref{n}" href="#footnote{n}"><span class="FootnoteReference">({n})</span></a>'

    body = [
        '<p class="Emission">Brussels, 2.3.2099</p>', '<p class="Rfrenceinterinstitutionnelle">COM(2099) 42 final</p>',
        '<p class="Typedudocument_cp">COMMUNICATION FROM THE PRETEND COMMISSION</p>',
        '<p class="Titreobjet_cp">Pretend Continent Plan</p>',
        '<p class="li ManualHeading1"><span class="num">1.</span>Introduction</p>',
        f'<p class="Normal">Invented opening words about a pretend continent.{ref(1)}</p>',
        '<p class="li ManualHeading1"><span class="num">2.</span>Building pretend things</p>',
        '<p class="li ManualHeading2"><span class="num">2.1.</span>Gadget factories</p>',
        '<p class="Normal">Filler on gadget factories for the parser test:</p>',
        f'<p class="li Bullet0"><span class="num">•</span>build ten pretend factories;{ref(2)}</p>',
        '<p class="li Bullet0"><span class="num">•</span>paint them all purple.</p>',
        '<p class="li ManualHeading2"><span class="num">2.2.</span>Spoon skills</p>',
        '<p class="Point0"><span class="num">(a)</span>teach every pretend citizen to bend spoons.</p>',
        '<p class="li ManualHeading1"><span class="num">3.</span>Conclusions</p>',
        '<p class="Normal">Closing filler sentence of the pretend plan.</p>',
    ]
    notes = {1: "Invented note one, 2099.", 2: "Invented note two, OJ L 1, 2099."}
    if footnotes_as == "dl":
        body.append("<hr><dl>" + "".join(f'<dt><a id="footnote{n}" href="#footnoteref{n}">({n})</a></dt>'
                                         f"<dd><p>{text}</p></dd>" for n, text in notes.items()) + "</dl>")
    else:
        body += [f'<p class="footnote"><a id="footnote{n}" href="#footnoteref{n}">({n})</a> {text}</p>'
                 for n, text in notes.items()]
    return ('<!DOCTYPE html><html><head><meta charset="UTF-8"><title>EUR-Lex - 52099DC0042 - EN</title></head>'
            '<body><div class="contentWrapper"><div class="content">' + "\n".join(body) + "</div></div></body></html>")


_CN_CHROME = """<div class="header"><a href="/wza.htm">无障碍</a><a href="/english/">English</a>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xinwen/">新闻</a></li><li><a href="/zhengce/">政策</a></li>
<li><a href="/hudong/">互动</a></li><li><a href="/fuwu/">服务</a></li><li><a href="/shuju/">数据</a></li></ul></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zhengce/">政策</a> &gt; 最新</div>"""
_CN_FOOTER = """<div class="related"><h3>相关稿件</h3><ul><li><a href="/a.htm">关于推进测试设施建设的通知</a></li>
<li><a href="/b.htm">有关部门负责人就测试政策答记者问</a></li></ul></div>
<div class="footer"><ul><li><a href="/map.htm">网站地图</a></li><li><a href="/contact.htm">联系我们</a></li></ul>
<p>主办单位：测试办公厅　运行维护单位：测试运行中心</p><p>版权所有：测试网　网站标识码bm00000000</p></div>"""


def state_council_page() -> str:
    """A State Council document as a gov.cn article page (not the policy-library template): site bars
    around an article whose （一） sections hold "1." items and whose 专栏 box (a one-cell table)
    holds its own items; invented filler."""
    body = ["这是一段占位的序言文字，说明测试规划的背景和意义，供解析测试使用。",
            "一、总体要求", "这是总体要求之下的占位段落，说明指导思想。",
            "二、重点任务",
            "（一）推进测试工作。这是第一节的占位正文，说明本节的目的。",
            "1.第一个事项。这是第一个事项的占位说明文字。", "2.第二个事项。这是第二个事项的占位说明文字。",
            ('<table class="box" border="1"><tr><td><p>专栏1 测试工程</p><p>1.工程甲。占位说明文字，描述工程内容。</p>'
            "<p>2.工程乙。占位说明文字，描述工程内容。</p></td></tr></table>"),
            "（二）完善测试机制。这是第二节的占位正文，说明本节的安排。",
            "1.第三个事项。这是第三个事项的占位说明文字。",
            "三、保障措施", "这是保障措施之下的占位段落，说明组织实施的要求。"]
    paragraphs = "\n".join(p if p.startswith("<table") else f'<p style="text-indent: 2em;">{p}</p>' for p in body)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>测试院关于印发测试规划的通知_滚动新闻_中国政府网</title></head><body>
{_CN_CHROME}
<div class="pages_content"><div class="article"><h1>测试院关于印发测试规划的通知</h1>
<div class="pages-date">2030-03-09 10:00 来源：测试网</div>
<div class="pages_body">{paragraphs}</div>
<div class="editor">【我要纠错】 责任编辑：测试</div><div class="share">【打印本页】【关闭窗口】</div></div>
{_CN_FOOTER}</div></body></html>"""


_EN_MENU = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in
                   ("Home", "Ministry", "Topics", "Press", "Publications", "Funding", "Jobs", "Contact"))


def strategy_page() -> str:
    """An English strategy as a ministry web page: chapters "1." and sub-chapters "1.1" numbered in bold
    paragraphs (no heading tags), ordered lists of actions (one starting at 4), a "Box 1" inset, lettered
    paragraphs, a bullet list; a menu, breadcrumbs, a cookie banner, a news sidebar and a footer around it."""
    def para(text):
        return f"<p>{text}</p>"

    article = "".join([
        "<h1>Invented Strategy for Lanterns</h1>",
        para("This opening paragraph of filler talks about quartz, kelp and the harbour lights at length."),
        para("<strong>1. Build the lantern base</strong>"),
        para('Chapter text about gravel paths and the moonlight, see <a href="/annex">the annex</a> for more.'),
        para("<strong>1.1 Quartz capacity</strong>"),
        para("We will take the following actions over the coming winters in every district:"),
        ("<ol><li>Expand the quartz stores across every harbour district.</li>"
        "<li>Train walrus keepers in the meadow of the northern coast.</li></ol>"),
        ('<div class="box"><p><strong>Box 1: Lantern facts</strong></p><ul><li>Three hundred lanterns burn '
         "each winter night.</li><li>Forty keepers share the work on the piers.</li></ul></div>"),
        para("<strong>1.2 Gravel paths</strong>"),
        para("(a) Lay gravel where the heron nests were found last spring by the keepers."),
        para("(b) Map the fjord before the glacier season begins again in the north."),
        para("<strong>2. Share the moonlight</strong>"),
        para("Paragraph of filler about saffron, thimbles and nutmeg in the lantern markets."),
        ('<ol start="4"><li>Open the harbour lanterns to every visiting boat.</li>'
        "<li>Publish the tide tables twice a year for all islands.</li></ol>"),
        ("<ul><li>A bullet about oyster beds and the lagoon in summer.</li>"
        "<li>Another bullet about pumice stones on the beach.</li></ul>"),
    ])
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Strategy - Ministry of Lanterns</title></head>
<body><div id="cookies"><p>This website uses cookies to analyse visits.</p><button>Accept all</button></div>
<div id="top"><ul class="menu">{_EN_MENU}</ul></div>
<div class="breadcrumb">You are here: <a href="/">Home</a> › <a href="/topics">Topics</a></div>
<div id="wrapper"><div id="content"><div class="text">{article}</div>
<div class="sharing"><p>Share this page</p><ul><li><a href="https://x.example/share">X</a></li></ul></div></div>
<div id="sidebar"><h2>Latest news</h2><ul><li><a href="/press/1">Minister opens a lantern campus</a></li>
<li><a href="/press/2">Funding call for tide research launched</a></li></ul></div></div>
<div id="footer"><p>Ministry of Lanterns, Example Street 12</p><ul>{_EN_MENU}</ul></div></body></html>"""
