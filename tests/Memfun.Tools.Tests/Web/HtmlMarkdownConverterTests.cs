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
}
