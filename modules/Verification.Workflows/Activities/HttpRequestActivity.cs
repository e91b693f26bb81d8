using System.Text;
using System.Text.Json.Nodes;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Activities;

/// <summary>
/// Calls an HTTP endpoint (another system of the centre, a notification gateway). URL and body are
/// Liquid; the status and body of the answer go into a variable; outcome "Success" for 2xx,
/// otherwise "Failed" (a network error is "Failed" too, not a fault, so the designer can branch on it).
/// </summary>
public sealed class HttpRequestActivity(WorkflowTemplates templates, IHttpClientFactory clients) : IWorkflowActivity
{
    public const int MaxResponseChars = 64 * 1024;

    public string Type => "HttpRequest";

    public string Category => "integration";

    public string DisplayName => "HTTP 调用";

    public JsonObject Sample => new() { ["method"] = "POST", ["url"] = "https://example.invalid/hook", ["body"] = "{\"caseInfo\":\"{{ caseInfo.number }}\"}", ["output"] = "response", ["timeoutSeconds"] = 10 };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Success", "Failed"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (node.Text("method") is { } m && m is not ("GET" or "POST" or "PUT" or "DELETE"))
        {
            result.Error("方法只能是 GET、POST、PUT 或 DELETE。");
        }

        var url = node.Text("url");
        if (string.IsNullOrWhiteSpace(url) || (!url.Contains("{{", StringComparison.Ordinal) && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))))
        {
            result.Error("需要 http 或 https 的完整地址。");
        }

        templates.Check(node, result, "url", "body");
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var node = context.Activity;
        var scope = await context.ScopeAsync(cancellationToken);
        var url = await templates.RenderTextAsync(node.Text("url")!, scope);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new WorkflowFaultException($"地址「{url}」不是 http 或 https 的完整地址。");
        }

        using var request = new HttpRequestMessage(new HttpMethod(node.Text("method") ?? "GET"), uri);
        if (node.Text("body") is { Length: > 0 } body)
        {
            request.Content = new StringContent(await templates.RenderTextAsync(body, scope), Encoding.UTF8, "application/json");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(node.Number("timeoutSeconds") ?? 10, 1, 60)));
        var output = new JsonObject { ["url"] = uri.ToString() };
        string outcome;
        try
        {
            using var response = await clients.CreateClient("workflows").SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            output["status"] = (int)response.StatusCode;
            output["body"] = text.Length > MaxResponseChars ? text[..MaxResponseChars] : text;
            outcome = response.IsSuccessStatusCode ? "Success" : "Failed";
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            output["error"] = ex is OperationCanceledException ? "超时" : ex.Message;
            outcome = "Failed";
        }

        if (node.Text("output") is { Length: > 0 } variable)
        {
            context.Variables[variable] = output.DeepClone();
            context.ScopeChanged();
        }

        return ActivityResult.Outcome(outcome, output);
    }
}
