using System.Net;
using Memfun.Tools.Web;

namespace Memfun.Tools.Tests.Web;

/// <summary>Every URL of the attack corpus must be refused before any connection is made.</summary>
public sealed class SsrfAttackCorpusTests
{
    // Names an attacker controls resolve to internal addresses (as DNS rebinding or a hostile zone would).
    private static readonly Dictionary<string, IPAddress[]> HostileDns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["127.0.0.1.nip.io"] = [IPAddress.Parse("127.0.0.1")],
        ["internal.attacker.example"] = [IPAddress.Parse("10.0.0.1")],
        ["meta.attacker.example"] = [IPAddress.Parse("169.254.169.254")],
        ["v6.attacker.example"] = [IPAddress.Parse("::1")],
        ["mixed.attacker.example"] = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("192.168.0.10")],
        ["mapped.attacker.example"] = [IPAddress.Parse("::ffff:10.0.0.1")],
    };

    public static TheoryData<string> Corpus() => new()
    {
        // schemes
        "file:///etc/passwd", "ftp://example.com/x", "gopher://example.com:70/_x", "javascript:alert(1)", "data:text/html,hi",
        "dict://127.0.0.1:11211/stats",
        // loopback in every spelling
        "http://127.0.0.1/", "http://127.0.0.1:8080/admin", "http://127.1/", "http://127.255.255.254/", "http://2130706433/",
        "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://017700000001/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://[::127.0.0.1]/", "http://localhost/", "http://LOCALHOST./",
        "http://app.localhost/", "http://①②⑦.0.0.1/",
        // unspecified, broadcast
        "http://0.0.0.0/", "http://0/", "http://[::]/", "http://255.255.255.255/",
        // private ranges
        "http://10.0.0.1/", "http://10.255.255.255/", "http://172.16.0.1/", "http://172.31.255.1/", "http://192.168.1.1/",
        "http://0xc0a80101/", "http://3232235777/", "http://[::ffff:192.168.1.1]/",
        // link-local and metadata
        "http://169.254.169.254/latest/meta-data/", "http://169.254.0.1/", "http://0xa9fea9fe/", "http://2852039166/",
        "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://metadata.google.internal/computeMetadata/v1/", "http://metadata/",
        "http://instance-data/latest/", "http://[::ffff:169.254.169.254]/",
        // CGNAT, multicast, reserved, unique-local, NAT64, 6to4
        "http://100.64.0.1/", "http://100.127.255.254/", "http://224.0.0.1/", "http://239.255.255.250/", "http://240.0.0.1/",
        "http://198.18.0.1/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[ff02::1]/", "http://[64:ff9b::a00:1]/",
        "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/", "http://[fec0::1]/",
        // credentials, intranet names, hostile DNS
        "http://user:pass@example.com/", "http://example.com@127.0.0.1/", "http://intranet/", "http://printer.local/",
        "http://db.svc.cluster.local/", "http://127.0.0.1.nip.io/", "http://internal.attacker.example/", "http://meta.attacker.example/",
        "http://v6.attacker.example/", "http://mixed.attacker.example/", "http://mapped.attacker.example/",
    };

    [Fact]
    public void The_corpus_has_at_least_forty_urls() => Assert.True(Corpus().Count >= 40, $"{Corpus().Count} URLs");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Every_attack_url_is_refused_before_connecting(string url)
    {
        var options = new WebOptions
        {
            ResolverForTests = (host, _) => Task.FromResult(HostileDns.TryGetValue(host, out var a) ? a : throw new InvalidOperationException($"unexpected lookup of {host}")),
        };
        using var fetcher = new WebFetcher(options, null, TimeProvider.System);
        var ex = await Assert.ThrowsAsync<WebAccessDeniedException>(() => fetcher.FetchAsync(url));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.DoesNotContain("pass@", ex.Message);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82a::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void The_tests_switch_allows_loopback_and_nothing_else()
    {
        Assert.Null(AddressPolicy.Refusal(IPAddress.Loopback, allowLoopback: true));
        Assert.Null(AddressPolicy.Refusal(IPAddress.IPv6Loopback, allowLoopback: true));
        Assert.NotNull(AddressPolicy.Refusal(IPAddress.Parse("10.0.0.1"), allowLoopback: true));
        Assert.NotNull(AddressPolicy.Refusal(IPAddress.Parse("169.254.169.254"), allowLoopback: true));
    }
}
