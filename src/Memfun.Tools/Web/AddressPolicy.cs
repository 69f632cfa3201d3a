using System.Net;
using System.Net.Sockets;

namespace Memfun.Tools.Web;

/// <summary>
/// Decides whether an IP address is on the public internet. Refuses loopback, private, link-local,
/// CGNAT, multicast, unspecified, broadcast, reserved, documentation and benchmarking ranges, IPv6
/// unique-local and site-local, cloud metadata addresses, and IPv6 forms that embed an IPv4 address
/// (mapped, compatible, NAT64, 6to4, Teredo), which are judged by the embedded address.
/// </summary>
internal static class AddressPolicy
{
    /// <summary>Returns why <paramref name="address"/> is refused, or null when it is a public address.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return RefusalV6(address, allowLoopback);
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return "not an IP address";
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return RefusalV4(b, allowLoopback);
    }

    private static string? RefusalV4(ReadOnlySpan<byte> b, bool allowLoopback)
    {
        var a0 = b[0];
        var a1 = b[1];
        if (a0 == 127)
        {
            return allowLoopback ? null : "a loopback address (127.0.0.0/8)";
        }

        if (a0 == 169 && a1 == 254 && b[2] == 169 && b[3] == 254)
        {
            return "a cloud metadata address (169.254.169.254)";
        }

        return (a0, a1) switch
        {
            (0, _) => "an unspecified/'this network' address (0.0.0.0/8)",
            (10, _) => "a private address (10.0.0.0/8)",
            (100, >= 64 and <= 127) => "a carrier-grade NAT address (100.64.0.0/10)",
            (169, 254) => "a link-local address (169.254.0.0/16)",
            (172, >= 16 and <= 31) => "a private address (172.16.0.0/12)",
            (192, 168) => "a private address (192.168.0.0/16)",
            (192, 0) when b[2] == 0 => "a reserved IETF protocol address (192.0.0.0/24)",
            (192, 0) when b[2] == 2 => "a documentation address (192.0.2.0/24)",
            (192, 88) when b[2] == 99 => "a reserved 6to4 relay address (192.88.99.0/24)",
            (198, 18 or 19) => "a benchmarking address (198.18.0.0/15)",
            (198, 51) when b[2] == 100 => "a documentation address (198.51.100.0/24)",
            (203, 0) when b[2] == 113 => "a documentation address (203.0.113.0/24)",
            ( >= 224 and <= 239, _) => "a multicast address (224.0.0.0/4)",
            (255, 255) when b[2] == 255 && b[3] == 255 => "the broadcast address",
            ( >= 240, _) => "a reserved address (240.0.0.0/4)",
            _ => null,
        };
    }

    private static string? RefusalV6(IPAddress address, bool allowLoopback)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return allowLoopback ? null : "a loopback address (::1)";
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return "the unspecified address (::)";
        }

        // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d: judge the embedded address.
        if (IsZero(b[..10]) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        {
            var inner = RefusalV4(b[12..], allowLoopback);
            return inner is null ? null : $"an IPv4-embedded IPv6 address of {inner}";
        }

        // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48: the embedded address decides.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            var inner = RefusalV4(b[12..], allowLoopback: false);
            return inner is null && IsZero(b[4..12]) ? null : $"a NAT64 address{(inner is null ? string.Empty : " of " + inner)}";
        }

        // 6to4 2002::/16 embeds an IPv4 address in bytes 2..5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            var inner = RefusalV4(b[2..6], allowLoopback: false);
            return inner is null ? null : $"a 6to4 address of {inner}";
        }

        // Teredo 2001::/32 (the client address is obfuscated): refuse outright.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            return "a Teredo tunnel address (2001::/32)";
        }

        if (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2 && IsZero(b[4..14]) && b[14] == 0x02 && b[15] == 0x54)
        {
            return "a cloud metadata address (fd00:ec2::254)";
        }

        return b[0] switch
        {
            0xff => "a multicast address (ff00::/8)",
            0xfc or 0xfd => "a unique-local address (fc00::/7)",
            0xfe when (b[1] & 0xc0) == 0x80 => "a link-local address (fe80::/10)",
            0xfe when (b[1] & 0xc0) == 0xc0 => "a site-local address (fec0::/10)",
            0x01 when b[1] == 0 && IsZero(b[2..8]) => "a discard-only address (100::/64)",
            0x20 when b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 => "a documentation address (2001:db8::/32)",
            0x00 => "a reserved address (::/8)",
            _ => null,
        };
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
