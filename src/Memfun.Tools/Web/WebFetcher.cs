using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Web;

/// <summary>
/// Fetches a public web page and returns its main content as Markdown (HTML) or as text (other text
/// types), with SSRF protection, a time limit, a size cap and a cache by URL.
/// </summary>
/// <remarks>
/// <para>Thread-safe; one instance serves every call (it owns one HTTP connection pool). Dispose it with the host.</para>
/// <para>SSRF: only http/https without credentials; the host is resolved here and every address it
/// resolves to must be public (<see cref="AddressPolicy"/>); the connection then goes to exactly that
/// checked address (the handler's connect callback takes it from the request, no second DNS lookup);
/// redirects are followed here, hop by hop, each hop checked the same way; no proxy is used.</para>
/// <para>Binary content is refused with a message; bodies are read as a stream and reading stops at
/// <see cref="WebOptions.MaxResponseBytes"/>.</para>
/// </remarks>
public sealed partial class WebFetcher : IDisposable
{
    private static readonly HttpRequestOptionsKey<IPAddress> PinnedAddress = new("memfun.pinned-address");

    private readonly WebOptions _options;
    private readonly UrlGuard _guard;
    private readonly HttpClient _http;
    private readonly WebPageCache _cache;
    private readonly ILogger _logger;

    /// <summary>Creates the fetcher from the configured options.</summary>
    public WebFetcher(IOptions<WebOptions> options, ILogger<WebFetcher>? logger = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), logger, TimeProvider.System)
    {
    }

    internal WebFetcher(WebOptions options, ILogger? logger, TimeProvider time)
    {
        _options = options;
        _guard = new UrlGuard(options);
        _logger = logger ?? NullLogger.Instance;
        _cache = new WebPageCache(options.CacheDuration, Math.Max(1, options.CacheEntries), time);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectToCheckedAddressAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.5");
        _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en;q=0.9,*;q=0.5");
    }

    /// <summary>Fetches <paramref name="url"/> and returns at most <paramref name="maxLength"/> characters of its content.</summary>
    /// <exception cref="WebAccessDeniedException">The URL, or a redirect target, is not a public http(s) address.</exception>
    /// <exception cref="MemfunToolException">The page could not be fetched (status, binary content, timeout, DNS).</exception>
    public async Task<WebPage> FetchAsync(string url, int? maxLength = null, CancellationToken cancellationToken = default)
    {
        var limit = maxLength ?? _options.DefaultMaxLength;
        if (limit < 1 || limit > _options.MaxLengthLimit)
        {
            throw new MemfunToolException($"max_length must be between 1 and {_options.MaxLengthLimit}; got {limit}.");
        }

        var uri = UrlGuard.ParseUrl(url);
        var key = uri.AbsoluteUri;
        if (_cache.TryGet(key, out var cached))
        {
            LogCacheHit(_logger, uri.Host);
            return Cut(cached with { FromCache = true }, limit);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FetchTimeout);
        WebPage page;
        try
        {
            page = await FetchUncachedAsync(uri, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MemfunToolException(
                $"{uri.GetLeftPart(UriPartial.Path)} did not answer within {_options.FetchTimeout.TotalSeconds:0.#} s. Try again later or another source.", ex);
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebAccessDeniedException denied)
        {
            throw new WebAccessDeniedException(denied.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MemfunToolException($"Fetching {uri.GetLeftPart(UriPartial.Path)} failed: {ex.Message}", ex);
        }

        if (page.StatusCode is >= 200 and < 300)
        {
            _cache.Add(key, page);
        }

        return Cut(page, limit);
    }

    private async Task<WebPage> FetchUncachedAsync(Uri start, CancellationToken cancellationToken)
    {
        var uri = start;
        for (var hop = 0; ; hop++)
        {
            IPAddress address;
            try
            {
                address = await _guard.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
            }
            catch (WebAccessDeniedException ex) when (hop > 0)
            {
                throw new WebAccessDeniedException($"Redirect to {uri.GetLeftPart(UriPartial.Authority)} refused: {ex.Message}", ex);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Options.Set(PinnedAddress, address);
            LogFetching(_logger, uri.Host, address.ToString(), hop);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (hop >= _options.MaxRedirects)
                {
                    throw new MemfunToolException($"{start.GetLeftPart(UriPartial.Path)} redirected more than {_options.MaxRedirects} times; stopped.");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                try
                {
                    uri = UrlGuard.CheckShape(next);
                }
                catch (WebAccessDeniedException ex)
                {
                    throw new WebAccessDeniedException($"Redirect from {uri.GetLeftPart(UriPartial.Path)} refused: {ex.Message}", ex);
                }

                continue;
            }

            return await ReadAsync(start, uri, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebPage> ReadAsync(Uri requested, Uri final, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? string.Empty;
        if (!response.IsSuccessStatusCode)
        {
            throw new MemfunToolException($"{final.GetLeftPart(UriPartial.Path)} answered HTTP {status} {response.ReasonPhrase}.");
        }

        if (IsBinaryType(mediaType))
        {
            var size = response.Content.Headers.ContentLength is { } n ? $", {n} bytes" : string.Empty;
            throw new MemfunToolException(
                $"{final.GetLeftPart(UriPartial.Path)} is binary content ({mediaType}{size}); web_fetch returns text only (HTML as Markdown, other text as is).");
        }

        var (bytes, length, cut) = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
        var body = new ReadOnlySpan<byte>(bytes, 0, length);
        var html = mediaType is "text/html" or "application/xhtml+xml" || (mediaType.Length == 0 && LooksLikeHtml(body));
        if (!html && !IsTextType(mediaType) && LooksBinary(body))
        {
            throw new MemfunToolException(
                $"{final.GetLeftPart(UriPartial.Path)} is binary content ({(mediaType.Length == 0 ? "no content type" : mediaType)}); web_fetch returns text only.");
        }

        var text = Decode(body, response.Content.Headers.ContentType?.CharSet);
        string title = string.Empty;
        string content;
        if (html)
        {
            (title, content) = Convert(text, final);
        }
        else
        {
            content = text;
        }

        if (cut)
        {
            content += $"\n\n[The response was larger than {_options.MaxResponseBytes} bytes; only the first part was read.]";
        }

        return new WebPage(requested.AbsoluteUri, final.AbsoluteUri, status, mediaType.Length == 0 ? "text/plain" : mediaType, title, content, content.Length, cut, false);
    }

    private static (string Title, string Markdown) Convert(string html, Uri baseUri)
    {
        // One parse: the conversion reads the document, readability (which changes it) runs on it afterwards.
        using var document = HtmlMarkdownConverter.Parse(html);
        var page = HtmlMarkdownConverter.Convert(document, baseUri, html.Length / 2);
        // Readability costs far more than the conversion on big pages; use it only where it pays.
        if (page.FoundMainContent || html.Length > 400_000)
        {
            return (page.Title, page.Markdown);
        }

        // No element marks the content: let readability find the article, when it finds a sizeable one.
        try
        {
            var article = new SmartReader.Reader(baseUri.AbsoluteUri, document).GetArticle();
            if (article.IsReadable && !string.IsNullOrWhiteSpace(article.Content))
            {
                var markdown = HtmlMarkdownConverter.ConvertFragment(article.Content, baseUri);
                if (markdown.Length >= page.Markdown.Length / 4)
                {
                    var title = string.IsNullOrWhiteSpace(page.Title) ? article.Title ?? string.Empty : page.Title;
                    return (title, markdown);
                }
            }
        }
#pragma warning disable CA1031 // Readability is an optional improvement; any failure falls back to the plain conversion.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return (page.Title, page.Markdown);
    }

    private async Task<(byte[] Bytes, int Length, bool Cut)> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var cap = (int)Math.Min(_options.MaxResponseBytes, int.MaxValue - 1);
        var buffer = new byte[Math.Min(cap + 1, 64 * 1024)];
        var length = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (length <= cap)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(cap + 1, buffer.Length * 2));
                }

                int read;
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (length > 0)
                {
                    // The time limit hit while the body trickled in: keep what arrived.
                    return (buffer, length, true);
                }

                if (read == 0)
                {
                    return (buffer, length, false);
                }

                length += read;
            }
        }

        return (buffer, cap, true);
    }

    private WebPage Cut(WebPage page, int limit)
    {
        if (page.Content.Length <= limit)
        {
            return page;
        }

        var content = page.Content[..limit] + $"\n\n[Truncated at {limit} of {page.TotalLength} characters; call web_fetch with a larger max_length (up to {_options.MaxLengthLimit}) for more.]";
        return page with { Content = content, Truncated = true };
    }

    private async ValueTask<Stream> ConnectToCheckedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(PinnedAddress, out var address))
        {
            throw new WebAccessDeniedException("Refused a connection whose address was not checked.");
        }

        var why = AddressPolicy.Refusal(address, _options.AllowLoopbackForTests);
        if (why is not null)
        {
            throw new WebAccessDeniedException($"Refused to connect to {address}: {why}.");
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsRedirect(HttpStatusCode code) =>
        code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool IsTextType(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal)
        || mediaType.EndsWith("+json", StringComparison.Ordinal)
        || mediaType.EndsWith("+xml", StringComparison.Ordinal)
        || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/x-javascript"
            or "application/ecmascript" or "application/yaml" or "application/x-yaml" or "application/toml" or "application/x-sh"
            or "application/sql" or "application/graphql" or "application/x-ndjson" or "application/csv";

    private static bool IsBinaryType(string mediaType) =>
        mediaType.StartsWith("image/", StringComparison.Ordinal)
        || mediaType.StartsWith("audio/", StringComparison.Ordinal)
        || mediaType.StartsWith("video/", StringComparison.Ordinal)
        || mediaType.StartsWith("font/", StringComparison.Ordinal)
        || mediaType is "application/pdf" or "application/zip" or "application/gzip" or "application/x-gzip" or "application/x-tar"
            or "application/x-7z-compressed" or "application/vnd.rar" or "application/wasm" or "application/x-msdownload"
            or "application/vnd.ms-excel" or "application/msword" or "application/x-executable" or "application/x-sharedlib"
        || mediaType.StartsWith("application/vnd.openxmlformats", StringComparison.Ordinal);

    private static bool LooksLikeHtml(ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 512)]).TrimStart().ToLowerInvariant();
        return head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal);
    }

    private static bool LooksBinary(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 8192)];
        if (head.Contains((byte)0))
        {
            return true;
        }

        return !Utf8IsMostlyValid(head);
    }

    private static bool Utf8IsMostlyValid(ReadOnlySpan<byte> head)
    {
        // A cut at the sample's end may split one character; allow up to 3 trailing bytes.
        for (var trim = 0; trim <= 3 && trim <= head.Length; trim++)
        {
            if (System.Text.Unicode.Utf8.IsValid(head[..^trim]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Decode(ReadOnlySpan<byte> body, string? charset)
    {
        Encoding encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"', ' '));
            }
            catch (ArgumentException)
            {
                encoding = Encoding.UTF8;
            }
        }

        var text = encoding.GetString(body);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>Releases the connection pool.</summary>
    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "web_fetch: {Host} via {Address} (hop {Hop})")]
    private static partial void LogFetching(ILogger logger, string host, string address, int hop);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "web_fetch: {Host} served from the cache")]
    private static partial void LogCacheHit(ILogger logger, string host);
}
