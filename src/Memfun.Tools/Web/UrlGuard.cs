using System.Net;
using System.Net.Sockets;

namespace Memfun.Tools.Web;

/// <summary>
/// Checks a URL before any connection: scheme http or https, no credentials, a host name that is not
/// an internal name, and every address the host resolves to public (see <see cref="AddressPolicy"/>).
/// Returns the address to connect to, so the connection goes to exactly the address that was checked.
/// </summary>
/// <remarks>Thread-safe. URLs are untrusted input; every refusal is a <see cref="WebAccessDeniedException"/>.</remarks>
internal sealed class UrlGuard(WebOptions options)
{
    private static readonly string[] BlockedNames =
    [
        "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.com", "kubernetes.default", "kubernetes.default.svc",
    ];

    private static readonly string[] BlockedSuffixes = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".svc.cluster.local"];

    /// <summary>Parses <paramref name="url"/> and refuses anything but an absolute http(s) URL without credentials.</summary>
    public static Uri ParseUrl(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new WebAccessDeniedException("The URL is empty. Pass an absolute http:// or https:// URL.");
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new WebAccessDeniedException($"'{Shorten(url)}' is not an absolute URL. Pass an absolute http:// or https:// URL.");
        }

        return CheckShape(uri);
    }

    /// <summary>Refuses a parsed URL whose scheme, credentials or host name are not allowed.</summary>
    public static Uri CheckShape(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new WebAccessDeniedException($"Only http and https URLs can be fetched, not '{uri.Scheme}:'.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new WebAccessDeniedException("URLs with credentials (user:password@host) are refused. Remove the user information from the URL.");
        }

        if (uri.Host.Any(c => c > 127 && char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.DecimalDigitNumber
                or System.Globalization.UnicodeCategory.OtherNumber or System.Globalization.UnicodeCategory.LetterNumber))
        {
            // Enclosed or full-width digits normalise to ASCII digits: a disguised IP address.
            throw new WebAccessDeniedException("The host contains non-ASCII digits (a disguised IP address); use the plain host name.");
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0)
        {
            throw new WebAccessDeniedException("The URL has no host.");
        }

        if (uri.HostNameType == UriHostNameType.Dns && !host.Contains('.', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _))
        {
            throw new WebAccessDeniedException($"The host '{host}' is a single-label (intranet) name; only public internet hosts can be fetched.");
        }

        if (BlockedNames.Contains(host, StringComparer.Ordinal) || BlockedSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal)))
        {
            throw new WebAccessDeniedException($"The host '{host}' is an internal or metadata name; only public internet hosts can be fetched.");
        }

        return uri;
    }

    /// <summary>Resolves the host of <paramref name="uri"/> and returns the one address to connect to, after checking every address it resolves to.</summary>
    public async Task<IPAddress> ResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        CheckShape(uri);
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = options.ResolverForTests is { } resolve
                    ? await resolve(host, cancellationToken).ConfigureAwait(false)
                    : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new MemfunToolException($"The host '{host}' could not be resolved ({ex.SocketErrorCode}). Check the URL.", ex);
            }
        }

        if (addresses.Length == 0)
        {
            throw new MemfunToolException($"The host '{host}' has no address. Check the URL.");
        }

        // Every address must be public: a name with one public and one private address is refused,
        // so the connection can never land on the private one.
        foreach (var address in addresses)
        {
            var why = AddressPolicy.Refusal(address, options.AllowLoopbackForTests);
            if (why is not null)
            {
                throw new WebAccessDeniedException(
                    $"Refused {uri.Scheme}://{uri.Authority}/: the host resolves to {address}, {why}. web_fetch reaches only public internet addresses.");
            }
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
