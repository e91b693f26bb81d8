using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.OrgUnits.Models;

namespace Verification.Cases.Api;

public sealed record ApiAuthorization(string Kind = "electronic", string SignedBy = "self", DateOnly? SignedOn = null, DateOnly? ValidUntil = null, string? SignerName = null);

public sealed record ApiMember(string Name, string IdNumber, string Relation = "97", bool CoResident = true, bool MaintenanceObligor = false, ApiAuthorization? Authorization = null);

public sealed record ApiHousehold(string HeadName, string HeadIdNumber, string? City, string? County, string? Street, List<ApiMember> Members, Dictionary<string, decimal>? Declared);

/// <summary>An entrustment pushed by a department's system (G 8.1.2.4, R-3.1): the service item, the purpose, and the households with each member's authorization.</summary>
public sealed record ApiEntrustment(string ServiceItem, string? Purpose, string? Reference, List<ApiHousehold> Households);

public sealed record ApiCase(string Number, string HeadName, string State, string DueOn, string? ReportNumber);

public sealed record ApiEntrustmentReceipt(string EntrustmentId, IReadOnlyList<ApiCase> Cases);

public sealed record ApiProblem(int? Household, string Field, string Ground, string Message);

/// <summary>
/// The departments' API, authenticated by the department's key
/// (<c>Authorization: Bearer …</c>). Posting an entrustment needs an <c>Idempotency-Key</c>: the same key
/// with the same body returns the first receipt; with another body it is refused. Documented at
/// <c>/openapi/departments.json</c>.
/// </summary>
public static class EntrustmentApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Converters = { new JsonStringEnumConverter() } };

    public static void MapEntrustmentApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").AllowAnonymous().DisableAntiforgery().WithTags("Departments");
        api.MapPost("/entrustments", ReceiveAsync).WithName("PostEntrustment").WithSummary("Entrust a verification (one case per household)")
            .Accepts<ApiEntrustment>("application/json").Produces<ApiEntrustmentReceipt>(StatusCodes.Status201Created).Produces<ApiEntrustmentReceipt>().Produces<ApiProblem[]>(StatusCodes.Status422UnprocessableEntity).Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status409Conflict);
        api.MapGet("/entrustments/{id}", StatusAsync).WithName("GetEntrustment").WithSummary("The cases of an entrustment, their states and report numbers").Produces<ApiEntrustmentReceipt>();
        api.MapGet("/reports/{number}", ReportAsync).WithName("GetReport").WithSummary("The structured result of an issued report (R-7.4)").Produces(StatusCodes.Status200OK, contentType: "application/json");
        api.MapGet("/public-key", async (Verification.Exchange.Services.ExchangeKeys keys, CancellationToken ct) => Results.Text(await keys.PublicKeyPemAsync(ct), "application/x-pem-file"))
            .WithName("GetPublicKey").WithSummary("The centre's public key: result callbacks carry an ECDSA P-256 signature (X-Signature) made with it");
    }

    private static async Task<Department?> DepartmentAsync(HttpRequest request, DepartmentService departments, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? await departments.AuthenticateAsync(header[7..].Trim(), cancellationToken) : null;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, DepartmentService departments, IntakeService intake, TenantDbContext db, IStringLocalizer T, CancellationToken cancellationToken)
    {
        if (await DepartmentAsync(request, departments, cancellationToken) is not { } department)
        {
            return Results.Json(new { error = T["The department key is missing or not valid."].Value }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 100)
        {
            return Results.BadRequest(new { error = T["An Idempotency-Key header (up to 100 characters) is required."].Value });
        }

        // Counted as it is read: a chunked body announces no length (a 25 MB one was read whole).
        if (request.ContentLength is > MaxBodyBytes || await ReadBoundedAsync(request.Body, cancellationToken) is not { } buffer)
        {
            return Results.Json(new { error = T["The request is larger than {0} MB.", MaxBodyBytes / 1024 / 1024].Value }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        using var owned = buffer;
        var hash = Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
        if (await db.Set<Entrustment>().AsNoTracking().FirstOrDefaultAsync(e => e.Department == department.Code && e.IdempotencyKey == key, cancellationToken) is { } earlier)
        {
            return earlier.RequestHash == hash
                ? Results.Ok(await ReceiptAsync(db, earlier.Id, cancellationToken))
                : Results.Json(new { error = T["This Idempotency-Key was used for a different request."].Value }, statusCode: StatusCodes.Status409Conflict);
        }

        ApiEntrustment? body;
        try
        {
            body = JsonSerializer.Deserialize<ApiEntrustment>(buffer.ToArray(), Json);
        }
        catch (JsonException ex)
        {
            // Where it went wrong, never the parser's own words (they name .NET types).
            return Results.BadRequest(new { error = T["The request is not valid JSON (at {0}, line {1}).", ex.Path ?? "$", (ex.LineNumber ?? 0) + 1].Value });
        }

        if (body?.Households is null || body.ServiceItem is null)
        {
            return Results.BadRequest(new { error = T["The request needs serviceItem and households."].Value });
        }

        if (body.Households.FindIndex(h => h is null || (h.Members ?? []).Any(m => m is null)) is var empty and >= 0)
        {
            return Results.BadRequest(new { error = T["Household {0} (or one of its members) is empty.", empty + 1].Value });
        }

        var households = body.Households.Select((h, i) => ((int?)(i + 1), new HouseholdDraft(
            h.HeadName ?? string.Empty, h.HeadIdNumber ?? string.Empty, h.City, h.County, h.Street,
            (h.Members ?? []).Select(m => new NewMember(m.Name ?? string.Empty, m.IdNumber ?? string.Empty, m.Relation ?? "97", m.CoResident, m.MaintenanceObligor)).ToList(),
            h.Declared,
            (h.Members ?? []).Where(m => m.Authorization is not null).Select(m => new AuthorizationDraft(m.IdNumber ?? string.Empty, m.Authorization!.SignedBy ?? "self", m.Authorization.Kind ?? "electronic", m.Authorization.SignedOn ?? default, m.Authorization.ValidUntil, m.Authorization.SignerName)).ToList()))).ToList();
        var orgUnit = department.OrgUnit ?? await db.Set<OrgUnit>().AsNoTracking().Where(u => u.ParentCode == null).OrderBy(u => u.SortOrder).Select(u => u.Code).FirstOrDefaultAsync(cancellationToken);
        var entrustment = new Entrustment { Department = department.Code, ServiceItem = body.ServiceItem, Channel = "api", Purpose = body.Purpose, ExternalReference = body.Reference, IdempotencyKey = key, RequestHash = hash };
        IntakeResult result;
        try
        {
            result = await intake.ReceiveAsync(entrustment, households, authorizationsRequired: true, "api:" + department.Code, orgUnit, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same key arrived twice at once: the other request won; answer as a repeat.
            db.ChangeTracker.Clear();
            var winner = await db.Set<Entrustment>().AsNoTracking().FirstAsync(e => e.Department == department.Code && e.IdempotencyKey == key, cancellationToken);
            return winner.RequestHash == hash ? Results.Ok(await ReceiptAsync(db, winner.Id, cancellationToken)) : Results.StatusCode(StatusCodes.Status409Conflict);
        }

        if (!result.Accepted)
        {
            return Results.Json(result.Problems.Select(p => new ApiProblem(p.Row, p.Field, p.Ground, T[p.Message, p.Arguments].Value)).ToList(), Json, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        return Results.Json(await ReceiptAsync(db, entrustment.Id, cancellationToken), Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> StatusAsync(string id, HttpRequest request, DepartmentService departments, TenantDbContext db, IStringLocalizer T, CancellationToken cancellationToken)
    {
        if (await DepartmentAsync(request, departments, cancellationToken) is not { } department)
        {
            return Results.Json(new { error = T["The department key is missing or not valid."].Value }, statusCode: StatusCodes.Status401Unauthorized);
        }

        // Another department's entrustment is answered exactly like one that does not exist.
        return await db.Set<Entrustment>().AsNoTracking().AnyAsync(e => e.Id == id && e.Department == department.Code, cancellationToken)
            ? Results.Json(await ReceiptAsync(db, id, cancellationToken), Json)
            : Results.NotFound();
    }

    private static async Task<IResult> ReportAsync(string number, HttpRequest request, DepartmentService departments, TenantDbContext db, IAuditTrail audit, IStringLocalizer T, CancellationToken cancellationToken)
    {
        if (await DepartmentAsync(request, departments, cancellationToken) is not { } department)
        {
            return Results.Json(new { error = T["The department key is missing or not valid."].Value }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var report = await (from r in db.Set<VerificationReport>().AsNoTracking()
                            join c in db.Set<VerificationCase>() on r.CaseId equals c.Id
                            join e in db.Set<Entrustment>() on c.EntrustmentId equals e.Id
                            where r.Number == number && e.Department == department.Code
                            select r).FirstOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return Results.NotFound();
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "report.fetched", "report", number, new Dictionary<string, string?> { ["department"] = department.Code }) { Actor = "api:" + department.Code }, cancellationToken);
        return Results.Text(report.ResultJson, "application/json; charset=utf-8");
    }

    private const int MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>The body, or null once it passes the limit (whatever its headers said).</summary>
    private static async Task<MemoryStream?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer;
    }

    private static async Task<ApiEntrustmentReceipt> ReceiptAsync(TenantDbContext db, string entrustmentId, CancellationToken cancellationToken)
    {
        var cases = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.EntrustmentId == entrustmentId).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var ids = cases.Select(c => c.Id).ToList();
        var reports = await db.Set<VerificationReport>().AsNoTracking().Where(r => ids.Contains(r.CaseId)).ToDictionaryAsync(r => r.CaseId, r => r.Number, cancellationToken);
        return new ApiEntrustmentReceipt(entrustmentId, cases.Select(c => new ApiCase(c.Number, c.HeadName, c.State.ToString(), c.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reports.GetValueOrDefault(c.Id))).ToList());
    }
}
