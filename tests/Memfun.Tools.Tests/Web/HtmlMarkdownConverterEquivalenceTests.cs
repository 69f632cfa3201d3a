using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

/// <summary>
/// The streaming converter against the DOM converter (AngleSharp's parser, the same writer) on well-formed and
/// malformed pages: the Markdown and the title must be identical.
/// </summary>
public sealed class HtmlMarkdownConverterEquivalenceTests
{
    private static readonly Uri Base = new("https://site.example/docs/page");

    public static TheoryData<string, string> Pages() => new()
    {
        { "fixture article", WebFetcherFixture.ArticleHtml },
        { "documentation page", DocumentationPage(sections: 30) },
        { "one megabyte documentation page", DocumentationPage(sections: 1_800) },
        { "paragraphs closed by paragraphs and blocks", "<p>one<p>two<div>three</p>four" },
        { "list items closed by list items", "<ul><li>a<li>b<ul><li>c</ul><li>d</ul>" },
        { "cells and rows closed by their successors", "<table><tr><td>a<td>b<tr><td>c</table>" },
        { "a cell straight in a table", "<table><td>x</td></table><p>after</p>" },
        { "definition lists without end tags", "<dl><dt>term<dd>def<dt>t2<dd>d2</dl>" },
        { "character references", "<p>&amp; &lt;tag&gt; &copy &notin; &notit; &#169; &#x1F600; &#128; &#0; &bogus; AT&T a&b &#x26;lt; &amp;amp;</p>" },
        { "attributes quoted, unquoted, repeated, upper case", "<main><a href=/x?a=1&amp;b=2>q</a> <a href='/y'>s</a> <a href=\"/z\" href=\"/w\">d</a> <img alt=\"A &amp; B\" src=i.png> <a HREF=\"/U\">upper</a> <a href=\"/s?q=a&copy=1\">c</a></main>" },
        { "raw text elements", "<p>a<script>if (a<b) document.write(\"</p>\")</script>b<style>p{}</style>c</p><textarea>t&amp;</textarea><xmp><b>x</b></xmp>d" },
        { "comments, bogus comments, processing instructions", "<p>a<!-- c --> b<!--> c<!---> d<!-- x --!> e<! bogus > f<? pi ?> g</p>" },
        { "unclosed formatting at the end of a paragraph", "<p><b>bold <i>both</i></b></p><p>after" },
        { "a stray paragraph end", "<p>x</p></p>y" },
        { "a stray br end", "a</br>b" },
        { "pre drops its first newline", "<pre>\ncode\n  indented\n</pre><pre>\n\nkept</pre>" },
        { "code with a language", "<pre><code class=\"language-js\">let a = 1 &lt; 2;</code></pre><pre class=\"lang-py\">print(1)</pre>" },
        { "a heading closes a heading", "<h1>a<h2>b</h2><h3>c</h3>" },
        { "title with references and spaces", "<html><head><title> A  &amp;\n B </title></head><body><p>x</p></body></html>" },
        { "role main before main", "<div role=\"main\"><p>x</p></div><main><p>y</p></main>" },
        { "the longest article wins", "<article><p>short</p></article><article><p>much longer text here</p></article><article><p>mid text</p></article>" },
        { "svg dropped, html after it", "<p>a<svg><title>t</title><path d=\"M0\"/><text>svg text</text></svg>b</p>" },
        { "mathml text kept", "<p><math><mi>x</mi><mo>=</mo><mn>1</mn></math></p>" },
        { "upper case tags", "<P>Upper <B>bold</B></P><UL><LI>x</UL>" },
        { "nested quotes and lists", "<blockquote><p>a</p><ul><li>b</li><li><blockquote>deep</blockquote></li></ul><blockquote>c</blockquote></blockquote>" },
        { "link schemes", "<p><a href=\"#top\">top</a> <a href=\"mailto:x@y.z\">mail</a> <a href=\"javascript:x\">js</a> <a href=\"ftp://h/x\">ftp</a> <a href=\"//cdn.example/a\">cdn</a></p>" },
        { "whitespace collapsing", "<p>  many   spaces\n\tand\nlines  </p>  <p>\n</p><div> a <span> b </span> c </div>" },
        { "breaks", "<p>a<br>b<br/>c<br></p><h2>x<br>y</h2>" },
        { "ordered list start", "<ol start=5><li>x<li>y</ol><ol start=\"z\"><li>q</ol>" },
        { "inline code whitespace", "<p>a <code> spaced   code </code> b <kbd>Ctrl</kbd></p>" },
        { "no-break spaces", "<p>a&nbsp;b &nbsp; c</p>" },
        { "header kept without main", "<head><title>T</title></head><body><header>H</header><p>x</p></body>" },
        { "unterminated attribute at the end", "<p>ok</p><a href=\"x" },
        { "less-than in text", "<p>1 < 2 and 3 > 2, a <= b, x <3</p>" },
        { "misnested span", "<div>a<span>b</div>c</span>d" },
        { "a link opening inside a link", "<p><a href=/1>one<a href=/2>two</a></p>" },
        { "select and options", "<select><option>a<option>b</select><p>after</p>" },
        { "table inside a paragraph", "<p>text<table><tr><td>cell</td></tr></table>" },
        { "carriage returns", "<pre>a\r\nb\r\n</pre><p>x\r\ny</p>" },
        { "noscript", "<noscript><p>js off</p></noscript><p>x</p>" },
        { "plaintext", "<p>a</p><plaintext><b>raw &amp;" },
        { "end tags with spaces and attributes", "<p>a</P >b</p class=x><p>c</p" },
        { "images", "<p><img src=x alt=\"no src rel\"> <img alt=pic src=\"//cdn.example/p.png\"> <img src=\"/n.png\" alt=\"  \"></p>" },
        { "aria-hidden values", "<div aria-hidden=TRUE>h</div><div aria-hidden=\"false\">v</div><p hidden=hidden>x</p>" },
        { "iframe and template", "<iframe><p>x</p></iframe>y<template><p>t</p></template>u" },
        { "details and figures", "<details><summary>S</summary><p>D</p></details><figure><img src=a.png alt=A><figcaption>Cap</figcaption></figure>" },
        { "full table", "<table><caption>C</caption><thead><tr><th>h</th><th>i</th></tr></thead><tbody><tr><td>|pipe|</td><td><a href=/l>l</a></td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>" },
        { "content after body and html", "<body><p>a</p></body><p>after body</p></html><p>after html</p>" },
        { "text straight in a list", "<ul>text in list<li>a</li></ul>" },
        { "empty page", "" },
        { "blank page", "   \n " },
        { "emphasis", "<p><em>a</em><em>b</em> <strong> x </strong> <i></i>y <del>gone</del> <s>s</s></p>" },
        { "doctype and comments before html", "<!DOCTYPE html><!-- c --><html><head><meta charset=utf-8><link rel=x href=y></head><body><p>x</p></body></html>" },
        { "elements before the body", "<title>T</title><p>x</p><meta name=a><p>y</p>" },
        { "head content in the body", "<body><p>a</p><title>inner</title><style>x</style><p>b</p></body>" },
        { "nav, aside, footer, form, button", "<main><nav>n</nav><p>p</p><aside>a</aside><form><p>f</p></form><button>b</button><footer>f</footer></main>" },
        { "list item with blocks", "<ul><li><p>para one</p><p>para two</p></li><li>x<pre>code</pre></li></ul>" },
        { "links with brackets and parentheses", "<p><a href=\"/a(b)\">[x]</a> <a href=\"/c d\">e</a></p>" },
        { "bare ampersands in attributes", "<a href=\"/q?a=1&b=2&amp=3&lt=4\">q</a>" },
        { "deep nesting under the cap", string.Concat(Enumerable.Repeat("<div>", 300)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 300)) },
        { "a document of only text", "just text &amp; more" },
        { "hr and centered", "<p>a</p><hr><center>c</center><hr/>" },
        { "dd closes dt", "<dl><dt>a<dt>b<dd>c<dd>d</dl>" },
        { "pre with nested tags", "<pre><code class=\"language-cs\"><span class=k>var</span> x = <b>1</b>;\n</code></pre>" },
        { "formatting left open across paragraphs", "<p><b>x</p>y<p>z</p> w" },
        { "misnested formatting", "<p><b>bold <i>both</b> italic</i> plain</p>" },
        { "formatting re-opened in items and cells", "<ul><li><em>a</li><li>b</em></li></ul><table><tr><td><b>c</td><td>d</td></tr></table>e" },
        { "a link left open", "<p><a href=/1>one</p><p>two</p>" },
        { "formatting re-opened after a heading", "<p><i>x<h2>head</h2>y</p>" },
        { "text in a table outside cells goes before it", "<table>hello<tr><td>x</td></tr></table>" },
        { "blocks and text between rows go before the table", "<p>a</p><table><div>in div</div><tr><td>c</td></tr>after rows<tr><td>d</td></tr></table>" },
        { "a form around rows", "<table><form><tr><td>cell <input></td></tr></form></table><p>after</p>" },
        { "text in a row and formatting in a table", "<table><tr>text in row<td>c</td></tr><b>bold</b><td>cell</td></table>" },
        { "nested tables with misplaced text", "<table><tr><td>outer<table>inner text<tr><td>i</td></tr></table></td></tr></table>" },
        { "tags inside a select are ignored", "<p>a<select><option>x<p>not a paragraph</p></select>b</p><select><b>y</b><option>z</select>c" },
        { "a select never closed", "<p>before</p><select><option>a<div>text</div><p>more" },
        { "a select closed by a text area or a table tag", "<select><option>a<textarea>t</textarea>after<table><tr><td><select><option>b</td><td>c</td></tr></table>" },
        { "headings with links and code", "<h2><a href=/h>Head</a> <code>x</code></h2>" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void The_streaming_converter_writes_what_the_dom_converter_writes(string name, string html)
    {
        var streaming = HtmlMarkdownConverter.Convert(html, Base);
        var dom = DomMarkdownConverter.Convert(html, Base);

        Assert.True(dom.Markdown == streaming.Markdown, $"{name}:\n--- DOM\n{dom.Markdown}\n--- streaming\n{streaming.Markdown}");
        Assert.Equal(dom.Title, streaming.Title);
        Assert.Equal(dom.FoundMainContent, streaming.FoundMainContent);
    }

    internal static string DocumentationPage(int sections)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Guide</title><script>var x = '<p>';</script></head><body>");
        sb.Append("<header><a href=\"/\">Docs</a><nav><ul><li><a href=\"/a\">A</a></li></ul></nav></header><main><article><h1>Guide</h1>");
        for (var i = 0; i < sections; i++)
        {
            sb.Append($"<h2 id=\"s{i}\">Section {i}: the <code>worker</code> pool</h2>");
            sb.Append($"<p>The pool reads <code>memfun.toml</code>; each <strong>worker</strong> reports; see <a href=\"../ref#s{i}\">the reference</a> and <em>restart</em>.</p>");
            sb.Append("<ul><li>Set <code>workers = 4</code>.</li><li>Use <a href=\"https://example.org/t\">tuning</a><ul><li>nested</li></ul></li></ul>");
            sb.Append("<pre><code class=\"language-toml\">[runtime]\nworkers = 4\n</code></pre>");
            sb.Append($"<table><thead><tr><th>Key</th><th>Default</th></tr></thead><tbody><tr><td><code>k{i}</code></td><td>{i}</td></tr></tbody></table>");
            sb.Append("<blockquote><p>Note: restart.</p></blockquote><div class=\"ad\" aria-hidden=\"true\">ad</div>");
        }

        sb.Append("</article></main><footer><p>© Example</p></footer></body></html>");
        return sb.ToString();
    }
}
