using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Verification.Cms.Security;

/// <summary>
/// Browser isolation on every response: tenants on URL prefixes share one origin, so a tenant's
/// page must not run script that reaches another tenant's pages or the host's. A strict
/// Content-Security-Policy runs only the platform's own scripts (each carries the request's nonce, added
/// by <see cref="ScriptNonceTagHelper"/>); inline scripts and event handlers written into tenant templates
/// never run. Pages of a signed-in user are never cached; HSTS where the request came over TLS.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy.ForPage(http.CspNonce());
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "SAMEORIGIN";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(self), payment=(), usb=()";
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            // Personal data must not stay in a browser's or a proxy's cache.
            if (http.User.Identity?.IsAuthenticated == true && !headers.ContainsKey("Cache-Control"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}

public static class ContentSecurityPolicy
{
    private const string NonceKey = "vcms.csp-nonce";

    /// <summary>Pages: only the platform's scripts (by nonce); styles inline (templates carry their own); nothing framed from elsewhere.</summary>
    public static string ForPage(string nonce) =>
        $"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; frame-src 'self'";

    /// <summary>
    /// A document rendered from a tenant's template and shown as it was issued (report, notice, letter): a
    /// sandbox of its own origin, no script at all, only its own styles and embedded images.
    /// </summary>
    public const string Document = "sandbox allow-popups; default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; font-src data: 'self'; frame-ancestors 'self'";

    /// <summary>The request's script nonce: 128 random bits, made once per request.</summary>
    public static string CspNonce(this HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce)
        {
            return nonce;
        }

        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>Serves this response as a <see cref="Document"/>.</summary>
    public static void AsIssuedDocument(this HttpResponse response) => response.Headers.ContentSecurityPolicy = Document;
}
