using System.Net;
using System.Text.RegularExpressions;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>An HTTP client for one tenant that signs in through the real login form (antiforgery included).</summary>
public sealed partial class TenantClient(HttpClient http, TestTenant tenant) : IDisposable
{
    public HttpClient Http { get; } = http;

    public TestTenant Tenant { get; } = tenant;

    public string Url(string path) => Tenant.PathBase + "/" + path.TrimStart('/');

    public async Task<HttpResponseMessage> SignInAsync(string userName, string? password = null)
    {
        password ??= Tenant.Logins[userName];
        var token = await TokenAsync("login");
        return await Http.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Post, Url("login"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = userName,
                ["Password"] = password,
                ["__RequestVerificationToken"] = token,
            }),
        }));
    }

    public async Task SignInOrFailAsync(string userName, string? password = null)
    {
        var response = await SignInAsync(userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var body = await response.Content.ReadAsStringAsync();
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "vcms-signin-failure.html"), body);
            var alert = Regex.Match(body, "class=\"(?:alert|validation-summary)[^\"]*\"[^>]*>(.*?)</(?:div|ul)", RegexOptions.Singleline).Groups[1].Value;
            throw new InvalidOperationException($"Sign-in of {userName} to {Tenant.Name} failed: {(int)response.StatusCode} {WebUtility.HtmlDecode(alert).Trim()}");
        }
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Get, Url(path))));

    public async Task<string> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {Url(path)} answered {(int)response.StatusCode}");
        }

        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form the way the browser does: with the antiforgery token of the page it is on.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string actionPath, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await TokenAsync(pagePath);
        var all = fields.Append(new KeyValuePair<string, string>("__RequestVerificationToken", token));
        return await Http.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Post, Url(actionPath)) { Content = new FormUrlEncodedContent(all) }));
    }

    /// <summary>Posts a multipart form (fields and files) with the antiforgery token of the page it is on.</summary>
    public async Task<HttpResponseMessage> PostMultipartAsync(string pagePath, string actionPath, IEnumerable<KeyValuePair<string, string>> fields, params (string Name, string FileName, byte[] Content)[] files)
    {
        var content = new MultipartFormDataContent { { new StringContent(await TokenAsync(pagePath)), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var (name, fileName, bytes) in files)
        {
            // The browser's claim of the type is deliberately useless: the server looks at the content.
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, name, fileName);
        }

        return await Http.SendAsync(WithHost(new HttpRequestMessage(HttpMethod.Post, Url(actionPath)) { Content = content }));
    }

    public async Task<string> TokenAsync(string pagePath)
    {
        var html = await GetPageAsync(pagePath);
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {pagePath}");
    }

    public HttpRequestMessage WithHost(HttpRequestMessage request)
    {
        if (Tenant.Host is not null)
        {
            request.Headers.Host = Tenant.Host;
        }

        return request;
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
