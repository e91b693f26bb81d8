using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Controllers;

/// <summary>
/// POST /api/workflows/signal/{signal}?token=… with an optional JSON object body: resumes the instance
/// the token names where it waits for that signal, or starts the definition the token names. A
/// forged token is 403; a replay finds nothing waiting and is 409.
/// </summary>
public static class SignalEndpoint
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/workflows/signal/{signal}", HandleAsync).AllowAnonymous().DisableAntiforgery();

    private static async Task<IResult> HandleAsync(string signal, string? token, HttpRequest request, SignalTokens tokens, TenantDbContext db, WorkflowRuntime runtime, WorkflowCatalog catalog, IAuditTrail audit, CancellationToken cancellationToken)
    {
        if (token is null || tokens.Read(token, signal) is not { } grant)
        {
            return Results.Problem("签名令牌无效。", statusCode: StatusCodes.Status403Forbidden);
        }

        JsonObject input;
        try
        {
            if (request.ContentLength > MaxBodyBytes)
            {
                return Results.Problem("请求体过大。", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            input = request.ContentLength is > 0 ? await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: cancellationToken) ?? [] : [];
        }
        catch (JsonException)
        {
            return Results.Problem("请求体须为 JSON 对象。", statusCode: StatusCodes.Status400BadRequest);
        }

        input["signal"] = signal;
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "workflow.signal", grant.Kind, grant.Target, new Dictionary<string, string?> { ["signal"] = signal }), cancellationToken);
        if (grant.Kind == "instance")
        {
            var waiting = await db.Set<WorkflowBookmark>().AsNoTracking().Where(b => b.InstanceId == grant.Target && b.EventName == SignalEvent.Name && b.CorrelationId == grant.Target).ToListAsync(cancellationToken);
            foreach (var bookmark in waiting)
            {
                var graph = await catalog.GraphAsync(db, bookmark.VersionId, cancellationToken);
                if (graph.Find(bookmark.ActivityId)?.Text("signal") == signal && await runtime.ResumeAsync(bookmark.Id, null, input, null, cancellationToken))
                {
                    return Results.Ok(new { instance = grant.Target, resumed = bookmark.ActivityId });
                }
            }

            return Results.Problem("没有等待这个信号的流程（可能已经收到过）。", statusCode: StatusCodes.Status409Conflict);
        }

        var snapshot = await catalog.SnapshotAsync(db, runtime.Activities, cancellationToken);
        var start = snapshot.Starts.FirstOrDefault(s => s.DefinitionName == grant.Target && s.Node.Type == "Signal" && s.Node.Text("signal") == signal);
        if (start is null)
        {
            return Results.Problem("这个流程没有已发布的该信号开始。", statusCode: StatusCodes.Status409Conflict);
        }

        var id = await runtime.StartAsync(start, input["correlationId"]?.GetValue<string>(), input, cancellationToken);
        return Results.Ok(new { instance = id });
    }
}
