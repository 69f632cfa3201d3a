using System.Text;
using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

public sealed class HtmlTokenizerTests
{
    /// <summary>The tokens of <paramref name="html"/> as a compact line: <c>&lt;a&gt; "text" &lt;/a&gt;</c>.</summary>
    private static string Tokens(string html)
    {
        var t = new HtmlTokenizer(html);
        var sb = new StringBuilder();
        while (t.Next())
        {
            _ = t.Kind switch
            {
                HtmlTokenKind.Text => sb.Append('"').Append(html, t.Start, t.End - t.Start).Append("\" "),
                HtmlTokenKind.StartTag => sb.Append('<').Append(t.Name).Append(t.SelfClosing ? "/" : string.Empty).Append(t.Hidden ? " hidden" : string.Empty)
                    .Append(t.RoleMain ? " main" : string.Empty).Append("> "),
                _ => sb.Append("</").Append(t.Name).Append("> "),
            };
        }

        return sb.ToString().TrimEnd();
    }

    private static List<(string Name, string Value)> Attributes(string tag)
    {
        var t = new HtmlTokenizer(tag);
        Assert.True(t.Next());
        var list = new List<(string, string)>();
        var p = t.Start;
        while (HtmlTokenizer.ScanAttribute(tag, ref p, out var name, out var value) == HtmlAttributeScan.Attribute)
        {
            list.Add((tag[name], tag[value]));
        }

        return list;
    }

    [Fact]
    public void Attributes_may_be_double_quoted_single_quoted_unquoted_or_bare()
    {
        var attributes = Attributes("<a href=\"x > y\" title='it''s' data-n=5 disabled class = c\n/>");
        Assert.Equal([("href", "x > y"), ("title", "it"), ("'s'", string.Empty), ("data-n", "5"), ("disabled", string.Empty), ("class", "c")], attributes);
    }

    [Theory]
    [InlineData("<P>Upper</P>", "<p> \"Upper\" </p>")]
    [InlineData("<br/><img src=x />", "<br/> <img/>")]
    [InlineData("<div hidden><div aria-hidden=\"TRUE\"><div aria-hidden=false><div role=main><div role=\"x\" role=main>", "<div hidden> <div hidden> <div> <div main> <div>")]
    [InlineData("a < b <3 <", "\"a \" \"< b \" \"<3 \" \"<\"")]
    [InlineData("a</ b>c</>d</", "\"a\" \"c\" \"d\" \"</\"")]
    [InlineData("<!doctype html><!-- a -- b --><!--><!---><!-- x --!><?pi?><! bogus >t", "\"t\"")]
    [InlineData("a<!-- never closed <p>x</p>", "\"a\"")]
    [InlineData("text<a href=\"never closed", "\"text\"")]
    [InlineData("<p title=x", "")]
    [InlineData("<![CDATA[x]]>y", "\"y\"")]
    public void Hard_cases_tokenize_as_the_html_standard_says(string html, string expected) =>
        Assert.Equal(expected, Tokens(html));

    [Theory]
    [InlineData("<script>if (a<b) x = \"</p>\";</SCRIPT >after", "<script> \"if (a<b) x = \"</p>\";\" </script> \"after\"")]
    [InlineData("<style>p > a { }</style>", "<style> \"p > a { }\" </style>")]
    [InlineData("<script></scripts></script>", "<script> \"</scripts>\" </script>")]
    [InlineData("<title><b>T</b> &amp;</title>", "<title> \"<b>T</b> &amp;\" </title>")]
    [InlineData("<textarea><p></textarea>", "<textarea> \"<p>\" </textarea>")]
    [InlineData("<script>never closed <p>", "<script> \"never closed <p>\"")]
    [InlineData("<plaintext><b>all</plaintext> of it", "<plaintext> \"<b>all</plaintext> of it\"")]
    public void Raw_text_runs_to_the_matching_end_tag(string html, string expected) =>
        Assert.Equal(expected, Tokens(html));

    [Fact]
    public void Inside_svg_or_mathml_a_cdata_section_is_skipped_and_no_element_is_raw_text()
    {
        var t = new HtmlTokenizer("<![CDATA[a<b]]><style>x</style>") { Foreign = true };
        Assert.True(t.Next());
        Assert.Equal((HtmlTokenKind.StartTag, "style"), (t.Kind, t.Name));
        Assert.True(t.Next());
        Assert.Equal(HtmlTokenKind.Text, t.Kind);
        Assert.True(t.Next());
        Assert.Equal(HtmlTokenKind.EndTag, t.Kind);
        Assert.False(t.Next());
    }

    [Fact]
    public void Text_with_an_ampersand_is_marked_for_decoding_and_other_text_is_not()
    {
        var t = new HtmlTokenizer("plain<b>a &amp; b</b>");
        Assert.True(t.Next());
        Assert.False(t.HasReferences);
        Assert.True(t.Next());
        Assert.True(t.Next());
        Assert.True(t.HasReferences);
    }
}
