using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

public sealed class CharacterReferencesTests
{
    [Theory]
    [InlineData("a &amp; b", "a & b")]
    [InlineData("&lt;b&gt;", "<b>")]
    [InlineData("&copy; &copy", "© ©")]
    [InlineData("&notin; &notit;", "∉ ¬it;")]
    [InlineData("&NotEqualTilde;", "≂̸")]
    [InlineData("&#169; &#xA9; &#XA9", "© © ©")]
    [InlineData("&#x1F600;", "😀")]
    [InlineData("&#128; &#150;", "€ –")]
    [InlineData("&#0; &#xD800; &#x110000; &#99999999999;", "\uFFFD \uFFFD \uFFFD \uFFFD")]
    [InlineData("&bogus; AT&T & &; &#; &#x;", "&bogus; AT&T & &; &#; &#x;")]
    [InlineData("&amp;amp; &#x26;lt;", "&amp; &lt;")]
    [InlineData("ends with &", "ends with &")]
    public void Text_references_decode_as_the_html_standard_says(string source, string expected) =>
        Assert.Equal(expected, CharacterReferences.Decode(source, inAttribute: false));

    [Theory]
    [InlineData("/s?q=1&copy=2", "/s?q=1&copy=2")]
    [InlineData("/s?q=1&copya", "/s?q=1&copya")]
    [InlineData("/s?q=1&amp;copy=2", "/s?q=1&copy=2")]
    [InlineData("/s?a=&copy;", "/s?a=©")]
    [InlineData("x &copy y", "x © y")]
    public void In_attributes_a_legacy_name_followed_by_a_letter_digit_or_equals_stays_as_written(string source, string expected) =>
        Assert.Equal(expected, CharacterReferences.Decode(source, inAttribute: true));

    [Fact]
    public void Decoding_never_writes_more_characters_than_it_reads()
    {
        const string source = "&lt&gt&#1;&#x10000;&amp&nbsp";
        var buffer = new char[source.Length];
        var length = CharacterReferences.Decode(source, buffer, inAttribute: false);
        Assert.Equal("<>\u0001\U00010000&\u00A0", new string(buffer, 0, length));
    }
}
