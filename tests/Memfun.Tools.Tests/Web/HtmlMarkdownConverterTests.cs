using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

public sealed class HtmlMarkdownConverterTests
{
    private static string Md(string html) => HtmlMarkdownConverter.Convert(html, new Uri("https://site.example/docs/page")).Markdown;

    [Fact]
    public void Without_a_main_element_the_body_is_used_minus_header_nav_and_footer()
    {
        var md = Md("<body><header>Site header</header><nav>menu</nav><h2>Title</h2><p>Body <em>text</em>.</p><aside>ad</aside><footer>c</footer></body>");
        Assert.Equal("## Title\n\nBody *text*.\n", md);
    }

    [Fact]
    public void Ordered_lists_blockquotes_and_relative_links_are_written_as_markdown()
    {
        var md = Md("<main><ol start=\"3\"><li><p>first</p></li><li>second <a href=\"../api?x=1\">api</a></li></ol><blockquote><p>quoted</p></blockquote></main>");
        Assert.Equal("3. first\n4. second [api](https://site.example/api?x=1)\n\n> quoted\n", md);
    }

    [Fact]
    public void Javascript_links_keep_their_text_only_and_hidden_elements_are_dropped()
    {
        var md = Md("<main><p><a href=\"javascript:steal()\">click</a> <span hidden>secret</span><span aria-hidden=\"true\">icon</span>done</p></main>");
        Assert.Equal("click done\n", md);
    }

    [Fact]
    public void Code_containing_backticks_gets_a_longer_fence()
    {
        var md = Md("<main><pre>a ``` b</pre><p>use <code>x`y</code></p></main>");
        Assert.Equal("````\na ``` b\n````\n\nuse `` x`y ``\n", md);
    }

    [Fact]
    public void Tables_become_pipe_tables_with_pipes_in_cells_escaped_and_blocks_in_cells_on_one_line()
    {
        var md = Md("<main><table><thead><tr><th>Key</th><th>Meaning</th></tr></thead><tbody><tr><td><code>a|b</code></td><td><p>first</p><p>second</p></td></tr><tr><td></td><td>x</td></tr></tbody></table></main>");
        Assert.Equal("| Key | Meaning |\n| --- | --- |\n| `a\\|b` | first second |\n|  | x |\n", md);
    }

    [Fact]
    public void Link_text_keeps_its_emphasis_and_escapes_brackets_and_empty_inline_elements_leave_nothing()
    {
        var md = Md("<main><p>See<a href=\"/a b\"> the <strong>[main]</strong> guide </a>now, <em> </em>and <a href=\"/x\"><img src=\"/i.png\"></a>.</p></main>");
        Assert.Equal("See[the **[main\\]** guide](https://site.example/a%20b) now, and .\n", md);
    }

    [Theory]
    [InlineData("<div>", "</div>")]
    [InlineData("<blockquote>", "</blockquote>")]
    [InlineData("<ul><li>", "</li></ul>")]
    [InlineData("<b><i>", "</i></b>")]
    [InlineData("<span>", "")]
    [InlineData("<table><tr><td>", "")]
    [InlineData("<svg><g>", "")]
    public void Ten_thousand_levels_of_nesting_convert_without_overflowing_the_stack(string open, string close)
    {
        var html = "<main>" + string.Concat(Enumerable.Repeat(open, 10_000)) + "<p>deep text</p>" + string.Concat(Enumerable.Repeat(close, 10_000)) + "<p>after</p></main>";

        var md = Md(html);

        // Past 512 levels elements become siblings of the deepest one (as in AngleSharp); a paragraph ends svg
        // content, and one that lands in a table row outside a cell is shown before the table.
        Assert.Contains("deep text", md, StringComparison.Ordinal);
        Assert.Contains("after", md, StringComparison.Ordinal);
        Assert.True(md.Length < 3_000_000, $"{md.Length} characters");
    }

    [Fact]
    public void Character_references_are_decoded_in_text_links_and_image_text()
    {
        var md = Md("<main><p>&lt;b&gt; &amp;amp; &copy &notin; &#x1F600; &#150;&nbsp;x</p><p><a href=\"/s?a=1&amp;b=2&copy=3\">A&amp;B</a> <img src=\"/i.png\" alt=\"x &gt; y\"></p></main>");
        Assert.Equal("<b> &amp; © ∉ 😀 – x\n\n[A&B](https://site.example/s?a=1&b=2&copy=3) ![x > y](https://site.example/i.png)\n", md);
    }

    [Fact]
    public void Unclosed_paragraphs_list_items_cells_and_definitions_end_where_their_successors_start()
    {
        var md = Md("<main><p>one<p>two<ul><li>a<li>b<ol><li>c</ol><li>d</ul><table><tr><th>k<th>v<tr><td>1<td>2</table><dl><dt>t<dd>d</dl>");
        Assert.Equal("one\n\ntwo\n\n- a\n- b\n  1. c\n- d\n\n| k | v |\n| --- | --- |\n| 1 | 2 |\n\n**t**\n: d\n", md);
    }

    [Fact]
    public void Scripts_styles_comments_and_markup_inside_them_leave_nothing()
    {
        var md = Md("<main><p>a<script>document.write('<p>injected</p>')</script>b<!-- <p>commented</p> -->c<style>p::after{content:'<b>'}</style>d</p></main>");
        Assert.Equal("abcd\n", md);
    }

    [Fact]
    public void Garbage_and_truncated_markup_still_give_the_readable_text()
    {
        const string html = "<main><p>ok <b>bold <<< >>> &&& </i></div></p><a href=\"/x\">link<p>tail <img src=\"/i.png\" alt=\"cut";
        var md = Md(html);
        Assert.Equal("ok **bold <<< >>> &&&**\n\n**[link tail](https://site.example/x)**\n", md);
        Assert.Equal(DomMarkdownConverter.Convert(html, new Uri("https://site.example/docs/page")).Markdown, md);
    }

    [Fact]
    public void A_one_megabyte_page_converts_completely()
    {
        var html = HtmlMarkdownConverterEquivalenceTests.DocumentationPage(sections: 1_800);
        Assert.True(html.Length > 1_000_000);

        var page = HtmlMarkdownConverter.Convert(html, new Uri("https://site.example/docs/page"));

        Assert.Equal("Guide", page.Title);
        Assert.True(page.FoundMainContent);
        Assert.StartsWith("# Guide\n\n## Section 0: the `worker` pool\n", page.Markdown, StringComparison.Ordinal);
        Assert.Contains("## Section 1799: the `worker` pool", page.Markdown, StringComparison.Ordinal);
        Assert.Contains("| `k1799` | 1799 |", page.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("var x", page.Markdown, StringComparison.Ordinal);
    }
}
